//! Tests of the generator: readers, schema, emitted code.
mod compile;
mod corpus;
mod cross_form;
mod html_reader;
mod snapshots;
mod staleness;
mod support;
mod text_reader;
