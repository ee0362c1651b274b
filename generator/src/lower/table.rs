//! Table rows → field rows: columns are matched by meaning, and rows whose
//! cell count differs from the header are repaired or reported.

use super::types::scalar_type;
use crate::diag::{Diagnostics, Kind};
use crate::page::{Cell, ColumnKind, Table};

/// One row of a parameter, response or DTO table, cells by meaning.
#[derive(Debug, Clone, Default)]
pub struct FieldRow {
    pub line: u32,
    pub name: String,
    pub ty: Cell,
    /// `None` when the table has no required column.
    pub required: Option<bool>,
    pub default: Option<String>,
    pub description: Cell,
    pub example: Cell,
    /// Markdown row indentation (query-parameter template).
    pub indented: bool,
}

/// Reads a table's rows as fields. Header-less or name-less tables give none.
pub fn field_rows(table: &Table, path: &str, diags: &mut Diagnostics) -> Vec<FieldRow> {
    let kinds: Vec<ColumnKind> = table.columns.iter().map(|c| c.kind).collect();
    let Some(name_at) = kinds.iter().position(|k| *k == ColumnKind::Name) else {
        diags.warn(Kind::BadRow, path, table.line, "table has no name column; its rows are skipped");
        return Vec::new();
    };
    let type_at = kinds.iter().position(|k| *k == ColumnKind::Type);
    let name_of =
        |cells: &[Cell]| cells.get(name_at).map(Cell::plain).unwrap_or_default().trim_matches('`').trim().to_string();
    let mut out = Vec::new();
    for row in &table.rows {
        // A broken row is reported as such, not also for its cell count.
        let is_broken = |cells: &[Cell], diags: &mut Diagnostics| {
            let (name, ty) = (name_of(cells), type_at.and_then(|i| cells.get(i)).map(Cell::plain).unwrap_or_default());
            let broken = !name.is_empty() && !is_row_name(&name, &ty);
            if broken {
                let message =
                    format!("name cell `{}` is not a field name (a broken row); the row is skipped", clip(&name));
                diags.warn(Kind::BadRow, path, row.line, message);
            }
            broken
        };
        if is_broken(&row.cells, diags) {
            continue;
        }
        for cells in repair_row(&row.cells, &kinds, path, row.line, diags) {
            let cell = |kind: ColumnKind| -> Cell {
                kinds.iter().position(|k| *k == kind).and_then(|i| cells.get(i)).cloned().unwrap_or_default()
            };
            let name = name_of(&cells);
            if name.is_empty() {
                if cells.iter().any(|c| !c.is_empty()) {
                    diags.warn(Kind::BadRow, path, row.line, "row without a name is skipped");
                }
                continue;
            }
            // A row that an extra separator merged into this one.
            if is_broken(&cells, diags) {
                continue;
            }
            // One name is one JSON key: a second row for it cannot be sent
            // or received apart from the first.
            if out.iter().any(|r: &FieldRow| r.name == name) {
                diags.warn(Kind::BadRow, path, row.line, format!("`{name}` is listed twice; the first row is used"));
                continue;
            }
            let required = kinds.contains(&ColumnKind::Required).then(|| {
                let text = cell(ColumnKind::Required).plain();
                parse_required(&text).unwrap_or_else(|| {
                    diags.warn(
                        Kind::BadRow,
                        path,
                        row.line,
                        format!("required cell `{text}` of `{name}` is neither yes nor no; taken as no"),
                    );
                    false
                })
            });
            let default = kinds.contains(&ColumnKind::Default).then(|| cell(ColumnKind::Default).plain());
            out.push(FieldRow {
                line: row.line,
                name,
                ty: cell(ColumnKind::Type),
                required,
                default: default.filter(|d| !d.is_empty()),
                description: cell(ColumnKind::Description),
                example: cell(ColumnKind::Example),
                indented: row.indented,
            });
        }
    }
    out
}

/// `是`/`Yes`/`yes` and `否`/`No`/`no` (and a few synonyms).
pub fn parse_required(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "是" | "yes" | "y" | "true" | "required" | "必填" | "必选" => Some(true),
        "否" | "no" | "n" | "false" | "optional" | "可选" | "" => Some(false),
        _ => None,
    }
}

/// Splits merged rows and pads or trims rows to the header width.
fn repair_row(cells: &[Cell], kinds: &[ColumnKind], path: &str, line: u32, diags: &mut Diagnostics) -> Vec<Vec<Cell>> {
    let width = kinds.len();
    if cells.len() == width {
        return vec![cells.to_vec()];
    }
    let name_at = kinds.iter().position(|k| *k == ColumnKind::Name).unwrap_or(0);
    let name = cells.get(name_at).map(Cell::plain).unwrap_or_default();
    if cells.len() > width {
        // An extra separator merged the next row into this one: after the
        // header's width comes an empty cell, then a whole row.
        let tail: Vec<Cell> = cells[width..].iter().skip_while(|c| c.is_empty()).cloned().collect();
        if tail.len() == width && looks_like_name(&tail[0]) {
            diags.warn(
                Kind::MergedRow,
                path,
                line,
                format!(
                    "row `{}` is merged into the previous row by an extra column separator; split into two rows",
                    tail[0].plain()
                ),
            );
            let mut rows = vec![cells[..width].to_vec()];
            rows.extend(repair_row(&tail, kinds, path, line, diags));
            return rows;
        }
        diags.warn(
            Kind::CellCount,
            path,
            line,
            format!(
                "row `{name}` has {} cells, the header {}; the extra cells (`{}`) are dropped, as the site's renderer drops them",
                cells.len(),
                width,
                clip(&cells[width..].iter().map(Cell::plain).collect::<Vec<_>>().join(" | "))
            ),
        );
        return vec![cells[..width].to_vec()];
    }
    // Too few cells. Hand-written pages omit the default cell, so the
    // description lands under 默认值: move it back when it reads like prose.
    let mut row = cells.to_vec();
    let default_at = kinds.iter().position(|k| *k == ColumnKind::Default);
    let shifted = default_at.is_some_and(|at| row.get(at).is_some_and(|c| is_prose(&c.plain())));
    if let (true, Some(at)) = (shifted, default_at) {
        row.insert(at, Cell::default());
    }
    diags.warn(
        Kind::CellCount,
        path,
        line,
        format!(
            "row `{name}` has {} cells, the header {}; {}",
            cells.len(),
            width,
            if shifted { "the default cell is missing" } else { "missing trailing cells are empty" }
        ),
    );
    row.resize(width, Cell::default());
    row.truncate(width);
    vec![row]
}

/// Whether a name cell holds a name: one word of letters, digits and
/// `_-.$` (`zh-CN`, `address.formatted`), not a delimiter run, prose or a
/// cell cut off with `…`; and not a yes/no word, or a type word beside a
/// type cell that is no type, which a broken row shifted into the name
/// column. The rows of an enumeration DTO (typed `enum`) hold values, not
/// names, and may be anything.
fn is_row_name(name: &str, ty: &str) -> bool {
    if ty.eq_ignore_ascii_case("enum") {
        return true;
    }
    let yes_no = |word: &str| ["yes", "no", "是", "否"].contains(&word.to_lowercase().as_str());
    let is_type = |word: &str| {
        let word = word.trim_end_matches("[]");
        scalar_type(word).is_some()
            || ["object", "array", "map"].contains(&word.to_lowercase().as_str())
            || !yes_no(word)
                && word.starts_with(|c: char| c.is_ascii_uppercase())
                && word.chars().all(|c| c.is_ascii_alphanumeric())
    };
    name.chars().count() <= 64
        && name.chars().any(|c| c.is_alphanumeric() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
        && !yes_no(name)
        && (!is_type(name) || is_type(ty))
}

/// The start of a long cell, for a message.
fn clip(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    match first_line.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &first_line[..at]),
        None => first_line.to_string(),
    }
}

fn looks_like_name(cell: &Cell) -> bool {
    let text = cell.plain();
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
}

/// Text that cannot be a default value: long, or with spaces or CJK.
fn is_prose(text: &str) -> bool {
    text.chars().count() > 24 || !text.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{Column, Row};

    fn table(header: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            line: 1,
            columns: header.iter().map(|h| Column::new(*h)).collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| Row {
                    line: i as u32 + 3,
                    cells: cells.iter().map(|c| Cell::text(*c)).collect(),
                    indented: false,
                })
                .collect(),
            aligned: false,
        }
    }

    #[test]
    fn splits_merged_rows() {
        let t = table(
            &["Name", "Type", "Description"],
            &[&["requestId", "string", "Request ID.", "", "data", "X", "response data"]],
        );
        let mut diags = Diagnostics::default();
        let rows = field_rows(&t, "p.md", &mut diags);
        assert_eq!(rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["requestId", "data"]);
        assert_eq!(rows[1].ty.plain(), "X");
        assert_eq!(diags.by_kind().keys().map(|k| k.1).collect::<Vec<_>>(), [Kind::MergedRow]);
    }

    #[test]
    fn keeps_the_first_row_of_a_name() {
        let t = table(&["Name", "Type"], &[&["len", "number"], &["len", "string"], &["Len", "string"]]);
        let mut diags = Diagnostics::default();
        let rows = field_rows(&t, "p.md", &mut diags);
        let got: Vec<_> = rows.iter().map(|r| (r.name.as_str(), r.ty.plain())).collect();
        assert_eq!(got, [("len", "number".to_string()), ("Len", "string".to_string())]);
        assert_eq!(diags.by_kind().keys().map(|k| k.1).collect::<Vec<_>>(), [Kind::BadRow]);
    }

    #[test]
    fn repairs_short_rows() {
        let t = table(
            &["名称", "类型", "是否必填", "默认值", "描述", "示例值"],
            &[&["a", "string", "是", "这是一个很长的描述，不是默认值", "`x`"], &["b", "number", "否", "10", "数量"]],
        );
        let mut diags = Diagnostics::default();
        let rows = field_rows(&t, "p.md", &mut diags);
        assert_eq!(rows[0].default, None);
        assert_eq!(rows[0].description.plain(), "这是一个很长的描述，不是默认值");
        assert_eq!(rows[1].default.as_deref(), Some("10"));
        assert_eq!(rows[1].description.plain(), "数量");
        assert_eq!(diags.count(crate::diag::Severity::Warning), 2);
    }

    #[test]
    fn skips_rows_whose_name_is_no_name() {
        let t = table(
            &["Name", "Type", "Required", "Description"],
            &[
                &["----------- ... `id` field of the user", "user_id", "", ""],
                &["No", "string", "Yes", "shifted by a lost cell"],
                &["string", "No", "-", "shifted by a lost cell"],
                &["string", "String", "No", "a DTO named like a type"],
                &["STRING", "enum", "", "a value of an enumeration DTO"],
                &["phone …", "string", "No", "cut off"],
                &["userName", "string", "No", "a name"],
                &["zh-CN", "string", "No", "a name"],
            ],
        );
        let mut diags = Diagnostics::default();
        let rows = field_rows(&t, "p.md", &mut diags);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["string", "STRING", "userName", "zh-CN"]);
        let lines: Vec<u32> = diags.iter().filter(|d| d.kind == Kind::BadRow).map(|d| d.line).collect();
        assert_eq!(lines, [3, 4, 5, 8]);
    }

    #[test]
    fn required_words() {
        assert_eq!(parse_required("Yes"), Some(true));
        assert_eq!(parse_required("no"), Some(false));
        assert_eq!(parse_required("是"), Some(true));
        assert_eq!(parse_required("maybe"), None);
    }
}
