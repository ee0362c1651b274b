//! Markdown tables that the site's renderer left as text. markdown-it (which
//! renders the docs) makes no table when the delimiter row is wider or
//! narrower than the header, as in the published English form of
//! `gene-fastpass-qrcode-info.md`, whose response table has an extra
//! separator. The rendered page then shows the table's source as one
//! paragraph: the lines run together, so the rows follow each other with an
//! empty cell between them (`| a | b | | c | d |`).

use super::Block;
use super::text::TYPE_KEYWORDS;
use crate::diag::{Diagnostics, Kind};
use crate::page::{Cell, Column, ColumnKind, Inline, Row, Table};

/// Replaces the paragraphs that are unrendered tables by those tables, with
/// a warning each. (The Markdown reader takes such tables before they can
/// become paragraphs; the rendered forms only have the text.)
pub fn recover(path: &str, blocks: &mut [Block], diags: &mut Diagnostics) {
    for block in blocks {
        let Block::Paragraph { line, cell, .. } = block else { continue };
        let Some(found) = read(cell, *line) else { continue };
        diags.warn(
            Kind::BadMarkup,
            path,
            *line,
            format!(
                "a table the renderer left as text (its delimiter row has {} columns, the header {}); read from the text",
                found.delimiter_width,
                found.table.columns.len()
            ),
        );
        *block = Block::Table(found.table);
    }
}

/// A table read back from such a paragraph.
pub struct Unrendered {
    pub table: Table,
    /// How many columns the delimiter row has.
    pub delimiter_width: usize,
}

/// Reads a paragraph that starts with `|` and holds a delimiter row after its
/// header cells. Rows are cut at the header's width; an empty cell after a
/// row is the boundary to the next. `None` when the paragraph is no table.
pub fn read(paragraph: &Cell, line: u32) -> Option<Unrendered> {
    let starts_with_pipe =
        matches!(paragraph.inlines.first(), Some(Inline::Text(t)) if t.trim_start().starts_with('|'));
    if !starts_with_pipe {
        return None;
    }
    let mut cells = split_cells(paragraph);
    // Before the first `|` and after the last.
    cells.remove(0);
    if cells.last().is_some_and(Cell::is_empty) {
        cells.pop();
    }
    // Three or more, unlike a `-` default value in a cut-off row.
    let is_dashes = |c: &Cell| {
        let t = c.plain();
        t.len() >= 3 && t.contains('-') && t.chars().all(|ch| matches!(ch, '-' | ':'))
    };
    let delimiter_at = cells.iter().position(is_dashes)?;
    let mut header = &cells[..delimiter_at];
    if header.last().is_some_and(Cell::is_empty) {
        header = &header[..header.len() - 1];
    }
    if header.is_empty() || header.iter().any(Cell::is_empty) {
        return None;
    }
    let delimiter_width = cells[delimiter_at..].iter().take_while(|c| is_dashes(c)).count();
    let width = header.len();
    if width < 2 || delimiter_width < 2 {
        return None;
    }
    let columns: Vec<Column> = header.iter().map(|c| Column::new(c.plain())).collect();
    let body = &cells[delimiter_at + delimiter_width..];
    let rows = rows_by_shape(body, &columns).unwrap_or_else(|| rows_by_width(body, width));
    let rows = rows.into_iter().map(|cells| Row { line, cells, indented: false }).collect();
    Some(Unrendered { table: Table { line, columns, rows, aligned: false }, delimiter_width })
}

/// Rows of `width` cells, each after an empty boundary cell (where one line
/// of the source ended with `|` and the next began with one).
fn rows_by_width(body: &[Cell], width: usize) -> Vec<Vec<Cell>> {
    let mut rest = body.iter().peekable();
    let mut rows = Vec::new();
    loop {
        if rest.peek().is_some_and(|c| c.is_empty()) {
            rest.next();
        }
        let row: Vec<Cell> = rest.by_ref().take(width).cloned().collect();
        if row.is_empty() {
            break;
        }
        rows.push(row);
    }
    rows
}

/// Rows found by their shape: a row starts at a name cell followed by a type
/// cell. This realigns the rows after a row cut off with `…` or glued to
/// the delimiter row, where counting cells would shift every later row (and
/// make fields of its `No` and `string` cells). What comes before the first
/// row start is kept as one row, which lowering reports as a broken one.
/// `None` without a name and a type column, or when no row starts.
fn rows_by_shape(body: &[Cell], columns: &[Column]) -> Option<Vec<Vec<Cell>>> {
    let at = |kind: ColumnKind| columns.iter().position(|c| c.kind == kind);
    let (name_at, type_at) = (at(ColumnKind::Name)?, at(ColumnKind::Type)?);
    let type_offset = type_at.checked_sub(name_at)?;
    let is_name = |c: &Cell| {
        let t = c.plain();
        !t.is_empty() && t.chars().all(|ch| ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.' | '$'))
    };
    let is_type = |c: &Cell| {
        let t = c.plain();
        let word = t.trim_end_matches("[]");
        c.anchors().next().is_some() || TYPE_KEYWORDS.contains(&word) || word.ends_with("Dto")
    };
    // A yes/no cell, where the table has a required column: a short word.
    let required_offset = at(ColumnKind::Required).and_then(|r| r.checked_sub(name_at));
    let is_flag =
        |i: usize| required_offset.is_none_or(|o| body.get(i + o).is_some_and(|c| c.plain().chars().count() <= 5));
    let mut starts: Vec<usize> = Vec::new();
    for i in name_at..body.len() {
        let start = i - name_at;
        let after_previous = starts.last().is_none_or(|&s| start > s + type_offset);
        if after_previous && is_name(&body[i]) && body.get(i + type_offset).is_some_and(is_type) && is_flag(i) {
            starts.push(start);
        }
    }
    let first = *starts.first()?;
    // Non-empty cells outside any row: what is left of a broken row.
    let fragment = |cells: &[Cell]| -> Option<Vec<Cell>> {
        let kept: Vec<Cell> = cells.iter().filter(|c| !c.is_empty()).cloned().collect();
        (!kept.is_empty()).then_some(kept)
    };
    let mut rows: Vec<Vec<Cell>> = fragment(&body[..first]).into_iter().collect();
    for (k, &start) in starts.iter().enumerate() {
        let next = starts.get(k + 1).copied().unwrap_or(body.len());
        let end = next.min(start + columns.len());
        let mut row = body[start..end].to_vec();
        // The boundary cell before the next row.
        if next == end && end < body.len() && row.last().is_some_and(Cell::is_empty) {
            row.pop();
        }
        rows.push(row);
        rows.extend(fragment(&body[end..next]));
    }
    Some(rows)
}

/// Splits the paragraph's inlines at each `|` in its text; code spans and
/// links stay whole.
fn split_cells(paragraph: &Cell) -> Vec<Cell> {
    let mut cells = vec![Cell::default()];
    for inline in &paragraph.inlines {
        let Inline::Text(text) = inline else {
            if let Some(cell) = cells.last_mut() {
                cell.inlines.push(inline.clone());
            }
            continue;
        };
        for (i, piece) in text.split('|').enumerate() {
            if i > 0 {
                cells.push(Cell::default());
            }
            if let (false, Some(cell)) = (piece.is_empty(), cells.last_mut()) {
                cell.inlines.push(Inline::Text(piece.to_string()));
            }
        }
    }
    cells.iter_mut().for_each(trim);
    cells
}

/// Drops the spaces around a cell's content, not those inside it.
fn trim(cell: &mut Cell) {
    if let Some(Inline::Text(t)) = cell.inlines.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = cell.inlines.last_mut() {
        *t = t.trim_end().to_string();
    }
    cell.inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(table: &Table) -> Vec<Vec<String>> {
        table.rows.iter().map(|r| r.cells.iter().map(Cell::plain).collect()).collect()
    }

    #[test]
    fn reads_the_rows_of_a_run_together_table() {
        let paragraph = Cell {
            inlines: vec![
                Inline::Text("| Name | Type | Description | | --- | --- | --- | --- | --- | --- | --- | ".into()),
                Inline::Text("| code | number | Status | | requestId | string | Request ID. |     | data | ".into()),
                Inline::Link { href: "#InfoDto".into(), text: "InfoDto".into() },
                Inline::Text(" | response data |".into()),
            ],
        };
        let found = read(&paragraph, 7).expect("a table");
        assert_eq!(found.delimiter_width, 7);
        let titles: Vec<&str> = found.table.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Name", "Type", "Description"]);
        assert_eq!(
            plain(&found.table),
            [
                ["code", "number", "Status"],
                ["requestId", "string", "Request ID."],
                ["data", "InfoDto", "response data"]
            ]
        );
        assert_eq!(found.table.rows[2].cells[1].anchors().collect::<Vec<_>>(), ["InfoDto"]);
    }

    #[test]
    fn rows_after_a_broken_one_are_realigned() {
        let cut = "| Name | Type | Required | Description | | --- | --- | --- | ---- … the code sent | \
            | phone | string | yes | Phone number | | areaCode | string | no | Country code |";
        let found = read(&Cell::text(cut), 3).expect("a table");
        let rows = plain(&found.table);
        assert_eq!(rows[0], ["---- … the code sent"]);
        assert_eq!(
            rows[1..],
            [["phone", "string", "yes", "Phone number"], ["areaCode", "string", "no", "Country code"]]
        );
        // A row cut off with `…` whose cells run into the next row's place.
        let shifted = "| Name | Type | Required | Default | Description | | --- | --- | --- | --- | --- | \
            | phone | string | Yes | - | Phone … | No | - | Keep tokens | | areaCode | string | No | - | Code |";
        let rows = plain(&read(&Cell::text(shifted), 3).expect("a table").table);
        assert_eq!(rows[0], ["phone", "string", "Yes", "-", "Phone …"]);
        assert_eq!(rows[1], ["No", "-", "Keep tokens"]);
        assert_eq!(rows[2], ["areaCode", "string", "No", "-", "Code"]);
    }

    #[test]
    fn empty_cells_inside_a_row_are_kept() {
        let found = read(&Cell::text("| A | B | C | | --- | --- | --- | | x | | z | | u | v | |"), 1).expect("a table");
        assert_eq!(plain(&found.table), [["x", "", "z"], ["u", "v", ""]]);
    }

    #[test]
    fn other_paragraphs_are_no_table() {
        let cut_rows = "| id | string | - | ID | | name | string | - | Name |";
        for text in ["Some text | with a pipe", "| a | b | c |", "| | --- |", "| a | b | | x | y |", cut_rows] {
            assert!(read(&Cell::text(text), 1).is_none(), "{text}");
        }
    }
}
