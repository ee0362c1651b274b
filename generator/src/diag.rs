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
