//! The corpus API, pinned: `tests/corpus-api.jsonl` is what SDK users see
//! of the API generated from `../shared/corpus/zh` with `docs/overrides.toml`
//! (methods, verbs, paths, parameters, fields, enum values; no doc text).
//! A change to the generator that changes it fails here with the items that
//! changed; review them, then accept with
//! `UPDATE_MANIFEST=1 cargo test -p integration-tests --test generator manifest`.

use generator::surface::{self, Surface};

use crate::support::{corpus, repo, run};

const MANIFEST: &str = "tests/corpus-api.jsonl";

/// Diff lines shown in a failure; the rest are counted.
const SHOWN: usize = 400;

fn committed() -> Surface {
    let text = std::fs::read_to_string(repo().join(MANIFEST)).unwrap_or_else(|e| panic!("{MANIFEST}: {e}"));
    Surface::from_lines(&text).unwrap_or_else(|e| panic!("{MANIFEST}: {e}"))
}

#[test]
fn corpus_api_matches_the_manifest() {
    let Some(corpus) = corpus() else { return };
    let current = surface::surface(&run(&corpus.join("zh")).api);
    if std::env::var_os("UPDATE_MANIFEST").is_some() {
        std::fs::write(repo().join(MANIFEST), current.to_lines()).unwrap_or_else(|e| panic!("{MANIFEST}: {e}"));
        return;
    }
    let report = surface::diff(&committed(), &current);
    let lines: Vec<&str> = report.lines().collect();
    assert!(
        lines.is_empty(),
        "the corpus API differs from {MANIFEST} (- committed, + now):\n{}{}\nReview, then accept with \
         `UPDATE_MANIFEST=1 cargo test -p integration-tests --test generator manifest`",
        lines.iter().take(SHOWN).map(|l| format!("{l}\n")).collect::<String>(),
        if lines.len() > SHOWN { format!("… and {} more lines\n", lines.len() - SHOWN) } else { String::new() },
    );
}

/// The committed file is in the form `Surface::to_lines` writes, so its
/// diffs stay one line per fact, and it holds the API's well-known parts.
#[test]
fn manifest_is_canonical_and_holds_the_seed_operation() {
    let text = std::fs::read_to_string(repo().join(MANIFEST)).unwrap_or_else(|e| panic!("{MANIFEST}: {e}"));
    let manifest = committed();
    assert_eq!(manifest.to_lines(), text, "{MANIFEST} is not in canonical form");
    let check = manifest
        .operations
        .iter()
        .find(|o| o.path == "/api/v3/check-qrcode-status")
        .expect("check-qrcode-status is in the manifest");
    assert_eq!((check.method.as_str(), check.verb.as_str()), ("check_qr_code_status", "GET"));
    let param = check.params.iter().find(|p| p.wire == "qrcodeId").expect("qrcodeId");
    assert_eq!((param.rust.as_str(), param.rust_type.as_str(), param.required), ("qrcode_id", "String", true));
}
