//! Outputs made from the schema.

pub mod openapi;
pub mod rust;
