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
