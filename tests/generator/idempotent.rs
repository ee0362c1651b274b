//! Running the generator again on unchanged docs touches no file, so cargo
//! rebuilds nothing: the second run writes nothing and every file keeps its
//! modification time.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use generator::emit::rust::{self, CrateKind, File};
use generator::output;

use crate::support::{repo, run};

/// What `generate --out` writes: the generated and the hand-written files.
fn crate_files(docs: &Path) -> Vec<File> {
    let run = run(docs);
    let mut files = rust::emit(&run.api, CrateKind::Standalone);
    files.extend(rust::handwritten_files(&run.api));
    files
}

/// Every file under `dir` with its modification time, sorted.
fn listing(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("list output") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                out.push((path.clone(), std::fs::metadata(&path).and_then(|m| m.modified()).expect("mtime")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn second_run_on_unchanged_docs_touches_no_file() {
    let docs = repo().join("docs");
    let out = repo().join("target/idempotent");
    let _ = std::fs::remove_dir_all(&out);
    let files = crate_files(&docs);
    assert_eq!(output::write(&out, &files), Ok(files.len()), "first run writes every file");

    // Date every file back, so that any rewrite shows in its mtime even on
    // coarse file-system clocks.
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for (path, _) in listing(&out) {
        std::fs::File::options().write(true).open(&path).and_then(|f| f.set_modified(past)).expect("set mtime");
    }
    let before = listing(&out);

    let again = crate_files(&docs);
    assert_eq!(output::write(&out, &again), Ok(0), "second run writes nothing");
    assert!(output::stale(&out, &again).is_empty(), "nothing is stale");
    assert_eq!(listing(&out), before, "no file is created, removed or touched");
    assert!(before.iter().all(|(_, mtime)| *mtime == past));
}
