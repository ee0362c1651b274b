//! Tests of the generator: readers, schema, emitted code.
mod cli;
mod compile;
mod compile_proof;
mod corpus;
mod cross_form;
mod determinism;
mod english;
mod fidelity;
mod html_reader;
mod idempotent;
mod manifest;
mod robustness;
mod snapshots;
mod staleness;
mod support;
mod text_reader;
mod wire;
