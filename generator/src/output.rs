//! Writing the generated crate. Only files whose contents differ are
//! written: a run on unchanged docs touches no file, so cargo rebuilds
//! nothing.

use std::path::Path;

use crate::emit::rust::File;

/// Writes the files under `root` whose contents differ; returns how many
/// were written.
pub fn write(root: &Path, files: &[File]) -> Result<usize, String> {
    let mut changed = 0;
    for file in files {
        let path = root.join(&file.path);
        if std::fs::read(&path).is_ok_and(|old| old == file.contents.as_bytes()) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        changed += 1;
    }
    Ok(changed)
}

/// Paths of the files that are missing under `root` or differ.
pub fn stale(root: &Path, files: &[File]) -> Vec<String> {
    files
        .iter()
        .filter(|f| std::fs::read(root.join(&f.path)).map_or(true, |old| old != f.contents.as_bytes()))
        .map(|f| f.path.clone())
        .collect()
}
