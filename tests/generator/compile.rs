//! The crates generated from `docs/` and from every fixture compile
//! warning-free (clippy with `-D warnings`, rustdoc with `-D warnings`), with
//! all features and with none. They are built as members of one scratch
//! workspace so that dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::emit::rust::{self, CrateKind};

use crate::support::{repo, run};

/// Writes the crate generated from `docs` as workspace member `name`.
fn write_crate(dir: &Path, name: &str, docs: &Path) {
    let run = run(docs);
    for file in rust::emit(&run.api, CrateKind::WorkspaceMember) {
        let contents = if file.path == "Cargo.toml" {
            file.contents.replacen("name = \"genauth\"", &format!("name = \"{name}\""), 1)
        } else {
            file.contents
        };
        write(&dir.join(&file.path), &contents);
    }
    for file in rust::handwritten_files(&run.api) {
        write(&dir.join(&file.path), &file.contents);
    }
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().expect("file in a folder")).expect("create folder");
    // Unchanged files keep their timestamps, so reruns are incremental.
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return;
    }
    std::fs::write(path, contents).expect("write file");
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
    let dir = repo().join("target/generated-crates").join(workspace);
    let _ = std::fs::remove_dir_all(dir.join("crates"));
    for (name, docs) in members {
        write_crate(&dir.join("crates").join(name), name, docs);
    }
    let list: Vec<String> = members.iter().map(|(name, _)| format!("\"crates/{name}\"")).collect();
    write(&dir.join("Cargo.toml"), &format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", list.join(", ")));
    // The checkout's lock file pins the dependencies to tested versions.
    write(&dir.join("Cargo.lock"), &std::fs::read_to_string(repo().join("Cargo.lock")).expect("Cargo.lock"));
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
