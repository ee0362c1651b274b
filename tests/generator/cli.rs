//! The generator's command line, as the README documents it: `check`,
//! `generate --out`, `schema`, `openapi` and `-q`. The binary is built
//! once per test run into the scratch target folder (a test cannot build
//! into the target folder `cargo test` holds).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use generator::emit::openapi;
use serde_json::Value;

use crate::support::{copy_tree, repo, run};

fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let target = repo().join("target/generated-crates/target");
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--locked", "-p", "generator", "--bin", "generator"])
            .current_dir(repo())
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .expect("run cargo build");
        assert!(status.success(), "cargo build -p generator failed");
        target.join("debug/generator")
    })
}

fn generator(args: &[&str]) -> Output {
    Command::new(binary()).args(args).current_dir(repo()).output().expect("run the generator")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch folder of its own for `name`, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = repo().join("target/generated-crates/cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn check_passes_on_docs_and_names_the_stale_files_of_changed_docs() {
    let output = generator(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).ends_with("generated/ is up to date\n"), "{}", stderr(&output));

    // A copy of docs/ whose Markdown page has another title: only the doc
    // comment of its method changes.
    let docs = scratch("check-docs");
    copy_tree(&repo().join("docs"), &docs);
    let page = docs.join("gene-fastpass-qrcode-info.md");
    let text = std::fs::read_to_string(&page).expect("page");
    let title = text.lines().next().expect("a title line").to_string();
    std::fs::write(&page, text.replacen(&title, "# A changed title", 1)).expect("write page");
    let output = generator(&["check", "--docs", &docs.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let messages = stderr(&output);
    let stale: Vec<&str> = messages.lines().filter_map(|l| l.strip_prefix("stale: ")).collect();
    assert_eq!(stale, ["generated/src/authentication.rs"], "{messages}");
}

#[test]
fn generate_writes_a_complete_crate_once() {
    let out = scratch("generate");
    let fixture = repo().join("tests/fixtures/path-parameter");
    let output = generator(&["generate", "--docs", &fixture.to_string_lossy(), "--out", &out.to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
    for file in ["Cargo.toml", "src/lib.rs", "src/models.rs", "src/authentication.rs", "src/runtime/mod.rs"] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("name = \"genauth\"") && manifest.contains("things"), "{manifest}");
    let code = std::fs::read_to_string(out.join("src/authentication.rs")).expect("authentication.rs");
    assert!(code.contains("pub async fn get_thing("), "{code}");
    // Written with the fixture's own overrides: the path has its parameter.
    assert!(code.contains(".path_param(\"thingId\""), "{code}");
    let files = stderr(&output)
        .lines()
        .find_map(|l| l.strip_suffix(&format!(" file(s) written to {}", out.display())).map(str::to_string));
    assert!(files.is_some_and(|n| n.parse::<usize>().is_ok_and(|n| n >= 10)), "{}", stderr(&output));

    let again = generator(&["generate", "--docs", &fixture.to_string_lossy(), "--out", &out.to_string_lossy()]);
    assert!(stderr(&again).contains(&format!("0 file(s) written to {}", out.display())), "{}", stderr(&again));
}

#[test]
fn schema_and_openapi_print_the_recovered_api() {
    let fixture = repo().join("tests/fixtures/path-parameter");
    let api = run(&fixture).api;
    let output = generator(&["schema", "--docs", &fixture.to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let schema: Value = serde_json::from_slice(&output.stdout).expect("schema JSON on stdout");
    assert_eq!(schema, serde_json::to_value(&api).expect("schema"));

    let output = generator(&["openapi", "--docs", &fixture.to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("OpenAPI JSON on stdout");
    assert_eq!(document, openapi::document(&api));
    let _: openapiv3::OpenAPI = serde_json::from_value(document).expect("OpenAPI 3.0");
}

#[test]
fn diagnostics_go_to_stderr_and_quiet_keeps_only_the_summary() {
    let page = repo().join("tests/fixtures/cell-count.md");
    let overrides = repo().join("docs/overrides.toml");
    let args = ["schema", "--docs", &page.to_string_lossy(), "--overrides", &overrides.to_string_lossy()];
    let loud = generator(&args);
    let loud_lines: Vec<String> = stderr(&loud).lines().map(str::to_string).collect();
    assert!(loud_lines.iter().any(|l| l.starts_with("cell-count.md:11: warning[cell-count]")), "{loud_lines:?}");
    let summary = "1 pages, 1 operations, 2 models, 5 warnings (cell-count 4, bad-row 1), 0 notes";
    assert!(loud_lines.iter().any(|l| l == summary), "{loud_lines:?}");

    let quiet = generator(&[&args[..], &["-q"]].concat());
    assert!(quiet.status.success());
    assert_eq!(quiet.stdout, loud.stdout, "-q changes only stderr");
    assert_eq!(stderr(&quiet), format!("{summary}\nHTTP methods decided by: body-rows 1\n"));
}

#[test]
fn misuse_exits_with_usage() {
    for args in [&["frobnicate"][..], &["schema", "--docs"], &["generate", "--out"], &["--bogus"]] {
        let output = generator(args);
        assert!(!output.status.success(), "{args:?}");
        assert!(!stderr(&output).is_empty(), "{args:?}: says why");
    }
}
