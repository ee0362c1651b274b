//! Placeholder: the generator will own this file.
mod runtime;
pub use runtime::*;
