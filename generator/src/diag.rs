//! Diagnostics: every odd page, row or cell is reported with file and line,
//! and the run goes on.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was recognized and handled as documented (a non-API page, a
    /// resolved conflict); shown so that nothing happens silently.
    Note,
    /// The input is malformed or ambiguous; the generator chose a fallback.
    Warning,
}

/// The kind of a diagnostic: a stable, kebab-case name used for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The file could not be read or decoded.
    Unreadable,
    /// A prose, protocol or event page without API tables.
    NonApiPage,
    /// A page without the sections of an API page.
    MissingSection,
    /// No method name on the page; it was derived.
    MissingMethodName,
    /// The method name could not be understood.
    BadMethodName,
    /// A table row whose cell count differs from the header.
    CellCount,
    /// A response row merged into the previous row by an extra separator.
    MergedRow,
    /// A row or header that cannot be used.
    BadRow,
    /// A type cell that is not understood.
    UnknownType,
    /// A reference to a DTO that no page defines.
    UndefinedModel,
    /// An `array` whose item type was recovered from page context.
    RecoveredItemType,
    /// An `array` whose item type could not be recovered.
    UnknownItemType,
    /// Two definitions of one DTO (or operation) disagree.
    Conflict,
    /// A page duplicates another page's operation.
    Duplicate,
    /// An `!!!include(...)!!!` that could not be resolved.
    BadInclude,
    /// A sample result that is not valid JSON.
    BadExample,
    /// An example that is no value of its documented type.
    ExampleMismatch,
    /// Two names collide after conversion to Rust; one was renamed.
    NameCollision,
    /// An entry of the overrides file that is malformed or unused.
    BadOverride,
    /// Unparseable or malformed markup.
    BadMarkup,
}

impl Kind {
    pub fn name(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    /// Page path as given on the command line (or relative to the docs root).
    pub file: String,
    /// 1-based line; 0 when the diagnostic concerns the whole file.
    pub line: u32,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {severity}[{}]: {}", self.file, self.line, self.kind.name(), self.message)
    }
}

/// One problem, possibly seen on several pages.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub first: &'a Diagnostic,
    /// Further places with the same diagnostic.
    pub also: Vec<(&'a str, u32)>,
}

impl fmt::Display for Group<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first)?;
        if !self.also.is_empty() {
            let places: Vec<String> = self.also.iter().map(|(file, line)| format!("{file}:{line}")).collect();
            write!(f, "\n    (also at {})", places.join(", "))?;
        }
        Ok(())
    }
}

impl Group<'_> {
    /// All places of the group, the first one first.
    fn places(&self) -> impl Iterator<Item = (&str, u32)> {
        std::iter::once((self.first.file.as_str(), self.first.line)).chain(self.also.iter().copied())
    }

    /// The group as one JSON object (`--message-format json`): `file`, `line`,
    /// `severity`, `kind`, `message` and the other places in `also`, each
    /// `{file, line}`. `locate` turns a diagnostic's file into the path to print.
    pub fn to_json(&self, locate: &dyn Fn(&str) -> String) -> serde_json::Value {
        let d = self.first;
        let also: Vec<serde_json::Value> =
            self.also.iter().map(|(file, line)| serde_json::json!({ "file": locate(file), "line": line })).collect();
        serde_json::json!({
            "file": locate(&d.file),
            "line": d.line,
            "severity": d.severity,
            "kind": d.kind.name(),
            "message": d.message,
            "also": also,
        })
    }

    /// The group as GitHub Actions workflow commands (`--message-format
    /// github`), one per place, so that each page shows it on its line:
    /// `::warning file=F,line=L,title=KIND::MESSAGE` (`::notice` for notes; no
    /// `line` for whole-file diagnostics).
    pub fn to_github(&self, locate: &dyn Fn(&str) -> String) -> Vec<String> {
        let command = match self.first.severity {
            Severity::Note => "notice",
            Severity::Warning => "warning",
        };
        let count = 1 + self.also.len();
        let message = if count == 1 {
            self.first.message.clone()
        } else {
            format!("{} (one of {count} places)", self.first.message)
        };
        self.places()
            .map(|(file, line)| {
                let line = if line == 0 { String::new() } else { format!(",line={line}") };
                format!(
                    "::{command} file={}{line},title={}::{}",
                    github_property(&locate(file)),
                    github_property(&self.first.kind.name()),
                    github_data(&message)
                )
            })
            .collect()
    }
}

/// Escapes a workflow command's message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Collects diagnostics of a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn warn(&mut self, kind: Kind, file: &str, line: u32, message: impl Into<String>) {
        self.push(Severity::Warning, kind, file, line, message);
    }

    pub fn note(&mut self, kind: Kind, file: &str, line: u32, message: impl Into<String>) {
        self.push(Severity::Note, kind, file, line, message);
    }

    fn push(&mut self, severity: Severity, kind: Kind, file: &str, line: u32, message: impl Into<String>) {
        self.items.push(Diagnostic { severity, kind, file: file.to_string(), line, message: message.into() });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// All diagnostics, sorted by file, line, kind and message so that output
    /// does not depend on the order pages were read in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| (&a.file, a.line, a.kind, &a.message).cmp(&(&b.file, b.line, b.kind, &b.message)));
        items.dedup();
        items
    }

    /// Diagnostics with the same severity, kind and message (the same DTO
    /// field documented alike on many pages) as one group, located at its
    /// first occurrence.
    pub fn grouped(&self) -> Vec<Group<'_>> {
        let mut groups: BTreeMap<(Severity, Kind, &str), Group> = BTreeMap::new();
        for d in self.sorted() {
            groups
                .entry((d.severity, d.kind, d.message.as_str()))
                .and_modify(|g| g.also.push((d.file.as_str(), d.line)))
                .or_insert(Group { first: d, also: Vec::new() });
        }
        let mut groups: Vec<Group> = groups.into_values().collect();
        groups.sort_by(|a, b| {
            (&a.first.file, a.first.line, a.first.kind).cmp(&(&b.first.file, b.first.line, b.first.kind))
        });
        groups
    }

    /// Distinct problems (groups) of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.grouped().iter().filter(|g| g.first.severity == severity).count()
    }

    /// Distinct problems (groups) per (severity, kind).
    pub fn by_kind(&self) -> BTreeMap<(Severity, Kind), usize> {
        let mut counts = BTreeMap::new();
        for g in self.grouped() {
            *counts.entry((g.first.severity, g.first.kind)).or_insert(0) += 1;
        }
        counts
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_docs(file: &str) -> String {
        format!("docs/{file}")
    }

    fn sample() -> Diagnostics {
        let mut diags = Diagnostics::default();
        diags.warn(Kind::CellCount, "a.md", 12, "row `x`: 4 cells, header has 5");
        diags.warn(Kind::CellCount, "b.md", 3, "row `x`: 4 cells, header has 5");
        diags.note(Kind::NonApiPage, "install.md", 0, "no API tables: 50%, a, b\nnext line");
        diags
    }

    #[test]
    fn json_is_one_object_per_group_with_its_other_places() {
        let diags = sample();
        let lines: Vec<serde_json::Value> = diags.grouped().iter().map(|g| g.to_json(&in_docs)).collect();
        assert_eq!(
            lines,
            [
                serde_json::json!({
                    "file": "docs/a.md", "line": 12, "severity": "warning", "kind": "cell-count",
                    "message": "row `x`: 4 cells, header has 5", "also": [{ "file": "docs/b.md", "line": 3 }],
                }),
                serde_json::json!({
                    "file": "docs/install.md", "line": 0, "severity": "note", "kind": "non-api-page",
                    "message": "no API tables: 50%, a, b\nnext line", "also": [],
                }),
            ]
        );
        // One line each: newlines in messages are escaped by JSON.
        assert!(lines.iter().all(|line| !line.to_string().contains('\n')));
    }

    #[test]
    fn github_annotates_every_place_and_escapes_commands() {
        let diags = sample();
        let lines: Vec<String> = diags.grouped().iter().flat_map(|g| g.to_github(&in_docs)).collect();
        assert_eq!(
            lines,
            [
                "::warning file=docs/a.md,line=12,title=cell-count::row `x`: 4 cells, header has 5 (one of 2 places)",
                "::warning file=docs/b.md,line=3,title=cell-count::row `x`: 4 cells, header has 5 (one of 2 places)",
                "::notice file=docs/install.md,title=non-api-page::no API tables: 50%25, a, b%0Anext line",
            ]
        );
        assert_eq!(github_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
