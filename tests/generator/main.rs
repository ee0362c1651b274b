//! Tests of the generator: readers, schema, emitted code.
