//! A docs folder as of a git revision (`diff origin/main HEAD`), extracted
//! with `git archive` into a temporary folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A folder extracted from a revision; removed when dropped.
pub struct Checkout {
    dir: PathBuf,
}

impl Checkout {
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        // A leftover temporary folder is harmless; nothing to report.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Extracts `folder` (a path from the top of the repository around the
/// current directory) as of `revision` into a fresh temporary folder named
/// after `label`.
pub fn checkout(revision: &str, folder: &str, label: &str) -> Result<Checkout, String> {
    let tree = format!("{revision}:{}", folder.trim_end_matches('/'));
    let kind = git(&["cat-file", "-t", &tree])?;
    if kind.trim() != "tree" {
        return Err(format!("`{tree}` is a {}, not a folder", kind.trim()));
    }
    let dir = std::env::temp_dir().join(format!("generator-diff-{}-{label}", std::process::id()));
    // A folder left by an earlier process with the same id.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let checkout = Checkout { dir };
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", &tree])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let tar_input = archive.stdout.take().ok_or("git archive gave no output")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&checkout.dir)
        .stdin(tar_input)
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive.wait_with_output().map_err(|e| format!("git archive: {e}"))?;
    if !archived.status.success() {
        return Err(format!("git archive {tree}: {}", String::from_utf8_lossy(&archived.stderr).trim()));
    }
    if !tar.status.success() {
        return Err(format!("tar: {}", String::from_utf8_lossy(&tar.stderr).trim()));
    }
    Ok(checkout)
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git").args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
