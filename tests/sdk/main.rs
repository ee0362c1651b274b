//! Tests of the generated SDK against a local HTTP server.
