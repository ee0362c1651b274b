//! The output is byte-identical across runs, across the order pages are
//! read in, and across folder layouts that keep the pages' paths below the
//! docs root: the emitted crate, the OpenAPI document and the schema JSON.

use std::path::{Path, PathBuf};

use generator::diag::Diagnostics;
use generator::emit::openapi;
use generator::emit::rust::{self, CrateKind};
use generator::lower::{self, Overrides};
use generator::page::Page;
use generator::pipeline;
use generator::schema::Api;

use crate::support::{copy_tree, corpus, read_pages, repo};

/// Every output file of a schema, by path.
fn outputs(api: &Api) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> =
        rust::emit(api, CrateKind::Standalone).into_iter().map(|f| (f.path, f.contents)).collect();
    files.push(("schema.json".into(), serde_json::to_string_pretty(api).expect("schema serializes")));
    files.push(("openapi.json".into(), serde_json::to_string_pretty(&openapi::document(api)).expect("serializes")));
    files
}

/// Names the first file that differs, instead of printing megabytes.
fn assert_same(what: &str, expected: &[(String, String)], got: &[(String, String)]) {
    let names = |files: &[(String, String)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(expected), names(got), "{what}: other files");
    for ((path, a), (_, b)) in expected.iter().zip(got) {
        assert!(a == b, "{what}: {path} differs");
    }
}

/// A deterministic shuffle: pages ordered by a hash of their path and `seed`.
fn shuffled(pages: &[Page], seed: u64) -> Vec<Page> {
    let mut pages = pages.to_vec();
    pages.sort_by_cached_key(|p| {
        p.path.bytes().fold(seed ^ 0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
    });
    pages
}

fn lowered(pages: &[Page]) -> Api {
    lower::lower(pages, &Overrides::default(), &mut Diagnostics::default())
}

fn run(docs: &Path) -> Api {
    pipeline::run(docs, &Overrides::default(), Diagnostics::default()).expect("read docs").api
}

#[test]
fn fixtures_give_the_same_output_in_any_order() {
    // All fixtures together: pages of many shapes that merge with each other.
    let root = repo().join("tests/fixtures");
    let expected = outputs(&run(&root));
    assert_same("second run", &expected, &outputs(&run(&root)));
    let pages = read_pages(&root);
    let mut reversed = pages.clone();
    reversed.reverse();
    assert_same("reversed pages", &expected, &outputs(&lowered(&reversed)));
    for seed in 1..=3 {
        assert_same(&format!("shuffle {seed}"), &expected, &outputs(&lowered(&shuffled(&pages, seed))));
    }
}

#[test]
fn whole_corpus_gives_the_same_output_in_any_order_and_layout() {
    let Some(corpus) = corpus() else { return };
    let zh = corpus.join("zh");
    let expected = outputs(&run(&zh));

    // Each language folder a docs root of its own, elsewhere and nested
    // differently (with the shared snippets beside it), read separately and
    // lowered in shuffled order.
    let scratch = repo().join("target/determinism");
    let _ = std::fs::remove_dir_all(&scratch);
    let mut pages = Vec::new();
    let mut languages: Vec<PathBuf> = std::fs::read_dir(&zh).expect("zh/").flatten().map(|e| e.path()).collect();
    languages.sort();
    for (i, language) in languages.iter().filter(|p| p.is_dir() && !p.ends_with("common")).enumerate() {
        let part = scratch.join(format!("split/part-{i}"));
        let name = language.file_name().expect("folder name");
        copy_tree(language, &part.join(name));
        copy_tree(&zh.join("common"), &part.join("common"));
        pages.extend(read_pages(&part));
    }
    // Top-level pages of zh/ (none today) would sit in no part.
    assert!(std::fs::read_dir(&zh).expect("zh/").flatten().all(|e| e.path().is_dir()), "files at the top of zh/");
    assert_same("split and shuffled", &expected, &outputs(&lowered(&shuffled(&pages, 7))));
    let _ = std::fs::remove_dir_all(&scratch);
}
