//! The crates generated from `docs/` and from every fixture compile
//! warning-free (clippy with `-D warnings`, rustdoc with `-D warnings`), with
//! all features and with none. They are built as members of one scratch
//! workspace so that dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::emit::rust::{self, CrateKind, File};
use generator::output;
use generator::schema::Api;

use crate::support::{repo, run};

/// Writes the crate generated from `api` as workspace member `name`;
/// unchanged files keep their timestamps, so reruns are incremental.
fn write_crate(dir: &Path, name: &str, api: &Api) {
    let mut files = rust::emit(api, CrateKind::WorkspaceMember);
    files.extend(rust::handwritten_files(api));
    // Tests and examples name the crate; here it is called after the member.
    let lib = name.replace('-', "_");
    for file in &mut files {
        if file.path == "Cargo.toml" {
            file.contents = file.contents.replacen("name = \"genauth\"", &format!("name = \"{name}\""), 1);
        }
        if file.path.starts_with("tests/") || file.path.starts_with("examples/") {
            file.contents = file.contents.replace("genauth::", &format!("{lib}::"));
        }
    }
    output::write(dir, &files).expect("write crate");
}

/// Runs cargo in a scratch workspace; fails on errors and on warnings.
pub fn cargo(workspace: &Path, args: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(workspace)
        // One target folder for every scratch workspace: dependencies build once.
        .env("CARGO_TARGET_DIR", repo().join("target/generated-crates/target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        // Each crate builds once per run: incremental state is only overhead.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprint!("{stderr}");
    let warned = stderr.lines().any(|l| l.starts_with("warning"));
    assert!(
        output.status.success() && !warned,
        "`cargo {}` failed or warned in {}",
        args.join(" "),
        workspace.display()
    );
}

/// Writes the crates generated from each `(name, docs)` as the members of
/// the scratch workspace `target/generated-crates/<workspace>`.
pub fn scratch_workspace(workspace: &str, members: &[(String, PathBuf)]) -> PathBuf {
    let apis: Vec<(String, Api)> = members.iter().map(|(name, docs)| (name.clone(), run(docs).api)).collect();
    api_workspace(workspace, &apis)
}

/// Writes the crates generated from each `(name, api)` as the members of
/// the scratch workspace `target/generated-crates/<workspace>`.
pub fn api_workspace(workspace: &str, members: &[(String, Api)]) -> PathBuf {
    let dir = repo().join("target/generated-crates").join(workspace);
    let _ = std::fs::remove_dir_all(dir.join("crates"));
    for (name, api) in members {
        write_crate(&dir.join("crates").join(name), name, api);
    }
    let list: Vec<String> = members.iter().map(|(name, _)| format!("\"crates/{name}\"")).collect();
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", list.join(", "));
    // The checkout's lock file pins the dependencies to tested versions.
    let lock = std::fs::read_to_string(repo().join("Cargo.lock")).expect("Cargo.lock");
    let files =
        [File { path: "Cargo.toml".into(), contents: manifest }, File { path: "Cargo.lock".into(), contents: lock }];
    output::write(&dir, &files).expect("write workspace");
    dir
}

#[test]
fn generated_crates_compile() {
    let mut members = vec![("docs".to_string(), repo().join("docs"))];
    let mut fixtures: Vec<_> = std::fs::read_dir(repo().join("tests/fixtures"))
        .expect("tests/fixtures/")
        .flatten()
        .map(|e| e.path())
        .collect();
    fixtures.sort();
    for fixture in fixtures.into_iter().filter(|f| f.is_dir() || generator::read::form_of(f).is_some()) {
        let stem = fixture.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let name: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        members.push((format!("fixture-{}", name.trim_matches('-')), fixture));
    }
    let workspace = scratch_workspace("fixtures", &members);
    cargo(&workspace, &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    cargo(&workspace, &["check", "--workspace", "--no-default-features", "--quiet"]);
    cargo(&workspace, &["doc", "--workspace", "--no-deps", "--quiet"]);
}

/// The tests the generator writes into each crate (`tests/models.rs`: the
/// documented examples decode, secrets stay out of `Debug`) pass on the
/// crate of the models fixture, which has a case of each.
#[test]
fn generated_model_tests_pass() {
    let members = [("fixture-models".to_string(), repo().join("tests/fixtures/models.md"))];
    let workspace = scratch_workspace("models", &members);
    cargo(&workspace, &["test", "--workspace", "--test", "models", "--quiet"]);
}
