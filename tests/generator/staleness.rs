//! `generated/` is exactly what the generator makes from `docs/` (as
//! rust-analyzer's codegen check): a stale committed SDK fails here.

use generator::emit::rust::{self, CrateKind};

use crate::support::{repo, run};

#[test]
fn generated_crate_is_up_to_date() {
    let run = run(&repo().join("docs"));
    let mut stale = Vec::new();
    for file in rust::emit(&run.api, CrateKind::WorkspaceMember) {
        let committed = std::fs::read_to_string(repo().join("generated").join(&file.path)).unwrap_or_default();
        if committed != file.contents {
            stale.push(file.path);
        }
    }
    assert!(stale.is_empty(), "stale files in generated/: {stale:?}; run `{}`", rust::REGENERATE);
}
