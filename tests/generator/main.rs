//! Tests of the generator: readers, schema, emitted code.
mod compile;
mod compile_proof;
mod corpus;
mod cross_form;
mod determinism;
mod english;
mod html_reader;
mod idempotent;
mod overrides;
mod robustness;
mod snapshots;
mod staleness;
mod support;
mod text_reader;
