//! The whole run: read every page under a docs folder, lower and merge them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostics, Kind, Severity};
use crate::lower::{self, Overrides};
use crate::page::Page;
use crate::par;
use crate::read;
use crate::schema::{Api, HttpRule};

/// The result of reading a docs folder.
pub struct Run {
    pub pages: usize,
    pub api: Api,
    pub diags: Diagnostics,
}

/// Reads all pages under `docs` (sorted, so output does not depend on
/// directory order) and builds the schema.
pub fn run(docs: &Path, overrides: &Overrides, mut diags: Diagnostics) -> std::io::Result<Run> {
    let (count, pages) = read_pages(docs, &mut diags)?;
    let api = lower::lower(&pages, overrides, &mut diags);
    Ok(Run { pages: count, api, diags })
}

/// Reads and parses all pages under `docs`, sorted by path; returns the
/// number of page files found (unreadable ones included) and the pages.
pub fn read_pages(docs: &Path, diags: &mut Diagnostics) -> std::io::Result<(usize, Vec<Page>)> {
    let files = read::list_pages(docs)?;
    // Each page with its own diagnostics, joined in file order.
    let results = par::map(&files, |file| {
        let mut diags = Diagnostics::default();
        let page = match std::fs::read(&file.path) {
            Ok(bytes) => {
                let includes = |target: &str| read::resolve_include(&file.path, target);
                Some(read::read_page(&file.rel, file.form, &bytes, &includes, &mut diags))
            }
            Err(err) => {
                diags.warn(Kind::Unreadable, &file.rel, 0, format!("cannot read: {err}"));
                None
            }
        };
        (page, diags)
    });
    let mut pages: Vec<Page> = Vec::with_capacity(files.len());
    for (page, page_diags) in results {
        pages.extend(page);
        diags.extend(page_diags);
    }
    Ok((files.len(), pages))
}

/// The one-line summary of a run: pages, operations, models, and
/// diagnostics by kind.
pub fn summary(run: &Run) -> String {
    let groups = run.diags.grouped();
    let list = |severity: Severity, label: &str| {
        let mut per_kind: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
        for g in groups.iter().filter(|g| g.first.severity == severity) {
            let entry = per_kind.entry(g.first.kind).or_default();
            entry.0 += 1;
            entry.1 += 1 + g.also.len();
        }
        let total: usize = per_kind.values().map(|(distinct, _)| distinct).sum();
        let parts: Vec<String> = per_kind
            .iter()
            .map(|(kind, (distinct, places))| {
                if distinct == places {
                    format!("{} {distinct}", kind.name())
                } else {
                    format!("{} {distinct} ({places} places)", kind.name())
                }
            })
            .collect();
        if parts.is_empty() { format!("{total} {label}") } else { format!("{total} {label} ({})", parts.join(", ")) }
    };
    format!(
        "{} pages, {} operations, {} models, {}, {}",
        run.pages,
        run.api.operations.len(),
        run.api.models.len(),
        list(Severity::Warning, "warnings"),
        list(Severity::Note, "notes"),
    )
}

/// How many operations each HTTP-method rule decided, e.g.
/// `HTTP methods: body-rows 292, indented-rows 147, …`.
pub fn http_rules(api: &Api) -> String {
    let mut counts: BTreeMap<HttpRule, usize> = BTreeMap::new();
    for op in &api.operations {
        *counts.entry(op.http_rule).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(rule, n)| {
            format!(
                "{} {n}",
                serde_json::to_value(rule).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
            )
        })
        .collect();
    format!("HTTP methods decided by: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# 获取物品\n\n## 方法名称\n\n`ManagementClient.getThing`\n\n## 请求参数\n\n\
        | 名称 | 类型 | 是否必填 | 默认值 | 描述 | 示例值 |\n| ---- | ---- | ---- | ---- | ---- | ---- |\n \
        | id | string | 是 | - | ID | `1` |\n\n## 请求响应\n\n类型： `ThingRespDto`\n\n\
        | 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| statusCode | number | 状态码 |\n";

    /// A docs folder of its own under the system's temporary folder.
    fn docs(name: &str, pages: &[(&str, &[u8])]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("genauth-pipeline-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, bytes) in pages {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
            std::fs::write(path, bytes).expect("write page");
        }
        dir
    }

    #[test]
    fn a_run_reads_every_page_and_summarizes_by_kind() {
        let dir = docs(
            "summary",
            &[
                ("management/t/get-thing.md", PAGE.as_bytes()),
                ("python/management/t/get-thing.md", PAGE.as_bytes()),
                ("notes.md", "# Notes\n\nJust prose.\n".as_bytes()),
                ("broken.md", b"# Broken \xff\n"),
                ("ignored.json", b"{}"),
            ],
        );
        let run = run(&dir, &Overrides::default(), Diagnostics::default()).expect("run");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(run.pages, 4);
        assert_eq!(run.api.operations.len(), 1);
        assert_eq!(
            summary(&run),
            "4 pages, 1 operations, 1 models, 1 warnings (unreadable 1), 1 notes (non-api-page 1 (2 places))"
        );
        assert_eq!(http_rules(&run.api), "HTTP methods decided by: indented-rows 1");
    }

    #[test]
    fn pages_are_read_in_path_order_whatever_the_directory_order() {
        let dir = docs("order", &[("b/get-b.md", PAGE.as_bytes()), ("a/get-a.md", PAGE.as_bytes())]);
        let mut diags = Diagnostics::default();
        let (count, pages) = read_pages(&dir, &mut diags).expect("read");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(count, 2);
        let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["a/get-a.md", "b/get-b.md"]);
    }

    #[test]
    fn a_missing_docs_folder_is_an_error_not_an_empty_api() {
        let missing = std::env::temp_dir().join("genauth-pipeline-no-such-folder");
        assert!(run(&missing, &Overrides::default(), Diagnostics::default()).is_err());
    }
}
