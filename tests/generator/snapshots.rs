//! Snapshots of the schema (with diagnostics) and of the generated code,
//! for every page in `docs/` and every fixture in `tests/fixtures/`. A
//! fixture is a page file, or a folder of pages that are read together.
//! Review changes with `cargo insta review`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crate::support::{diagnostics, generated_code, repo, run};

/// Snapshots every case, then fails once, naming all that differ (insta
/// stops at the first mismatch otherwise).
fn snapshot_all(cases: Vec<(String, PathBuf)>) {
    let failed: Vec<String> = cases
        .into_iter()
        .filter(|(name, path)| catch_unwind(AssertUnwindSafe(|| snapshot(name, path))).is_err())
        .map(|(name, _)| name)
        .collect();
    assert!(failed.is_empty(), "snapshots differ: {failed:?}; review with `cargo insta review`");
}

fn snapshot(name: &str, docs: &Path) {
    let run = run(docs);
    let schema = serde_json::to_string_pretty(&run.api).expect("schema serializes");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!(format!("{name}.schema"), format!("{}\n\n{schema}", diagnostics(&run)));
        insta::assert_snapshot!(format!("{name}.rust"), generated_code(&run));
    });
}

#[test]
fn docs_pages() {
    let docs = repo().join("docs");
    let mut pages: Vec<_> = std::fs::read_dir(&docs).expect("docs/").flatten().map(|e| e.path()).collect();
    pages.sort();
    let mut cases: Vec<(String, PathBuf)> = pages
        .into_iter()
        .filter(|p| generator::read::form_of(p).is_some())
        .map(|page| (format!("docs__{}", page.file_name().and_then(|n| n.to_str()).unwrap_or_default()), page))
        .collect();
    // All of docs/ together, with its overrides: the committed SDK.
    cases.push(("docs".to_string(), docs));
    snapshot_all(cases);
}

#[test]
fn fixtures() {
    let dir = repo().join("tests/fixtures");
    let mut entries: Vec<_> = std::fs::read_dir(&dir).expect("tests/fixtures/").flatten().map(|e| e.path()).collect();
    entries.sort();
    assert!(!entries.is_empty(), "no fixtures");
    let cases = entries
        .into_iter()
        .filter(|e| e.is_dir() || generator::read::form_of(e).is_some())
        .map(|e| (format!("fixture__{}", e.file_name().and_then(|n| n.to_str()).unwrap_or_default()), e))
        .collect();
    snapshot_all(cases);
}
