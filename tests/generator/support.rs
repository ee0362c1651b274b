//! Helpers shared by the generator tests.

use std::path::{Path, PathBuf};

use generator::diag::Diagnostics;
use generator::emit::rust::{self, CrateKind, File};
use generator::lower::Overrides;
use generator::pipeline::{self, Run};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The real documentation corpus, when it sits beside the checkout (as in CI).
pub fn corpus() -> Option<PathBuf> {
    let dir = repo().join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

/// Runs the pipeline on a folder or a single page, with the overrides file
/// of the folder if it has one.
pub fn run(docs: &Path) -> Run {
    let mut diags = Diagnostics::default();
    let overrides_file = docs.join("overrides.toml");
    let overrides = match std::fs::read_to_string(&overrides_file) {
        Ok(text) => Overrides::parse(&text, "overrides.toml", &mut diags),
        Err(_) => Overrides::default(),
    };
    pipeline::run(docs, &overrides, diags).unwrap_or_else(|e| panic!("{}: {e}", docs.display()))
}

/// The generated Rust files of a run (models and clients; the manifest and
/// `lib.rs` are the same for every input).
pub fn generated_code(run: &Run) -> String {
    let files: Vec<File> = rust::emit(&run.api, CrateKind::Standalone);
    files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && f.path != "src/lib.rs")
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Diagnostics of a run, one per line, as a maintainer sees them.
pub fn diagnostics(run: &Run) -> String {
    let mut out: Vec<String> = run.diags.grouped().iter().map(ToString::to_string).collect();
    out.push(pipeline::summary(run));
    out.join("\n")
}
