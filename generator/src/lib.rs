//! Reads GenAuth V3 SDK documentation pages and generates the Rust SDK.
//!
//! Data flows one way: read page ([`read`]) → page model ([`page`]) →
//! schema ([`schema`], built by [`lower`]) → emitters ([`emit`]).

pub mod diag;
pub mod diff;
pub mod emit;
pub mod lower;
pub mod output;
pub mod page;
mod par;
pub mod pipeline;
pub mod read;
pub mod schema;
pub mod surface;
