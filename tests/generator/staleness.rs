//! `generated/` is exactly what the generator makes from `docs/` (as
//! rust-analyzer's codegen check): a stale committed SDK fails here.

use generator::emit::rust::{self, CrateKind};
use generator::output;

use crate::support::{repo, run};

#[test]
fn generated_crate_is_up_to_date() {
    let run = run(&repo().join("docs"));
    let stale = output::stale(&repo().join("generated"), &rust::emit(&run.api, CrateKind::WorkspaceMember));
    assert!(stale.is_empty(), "stale files in generated/: {stale:?}; run `{}`", rust::REGENERATE);
}
