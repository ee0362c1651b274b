//! Tests of the generator: readers, schema, emitted code.
mod html_reader;
mod text_reader;
