//! Markdown tables that the site's renderer left as text. markdown-it (which
//! renders the docs) makes no table when the delimiter row is wider or
//! narrower than the header, as in the published English form of
//! `gene-fastpass-qrcode-info.md`, whose response table has an extra
//! separator. The rendered page then shows the table's source as one
//! paragraph: the lines run together, so the rows follow each other with an
//! empty cell between them (`| a | b | | c | d |`).

use super::Block;
use crate::diag::{Diagnostics, Kind};
use crate::page::{Cell, Column, Inline, Row, Table};

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
    let mut rest = cells[delimiter_at + delimiter_width..].iter().peekable();
    let mut rows = Vec::new();
    loop {
        if rest.peek().is_some_and(|c| c.is_empty()) {
            rest.next();
        }
        let row: Vec<Cell> = rest.by_ref().take(width).cloned().collect();
        if row.is_empty() {
            break;
        }
        rows.push(Row { line, cells: row, indented: false });
    }
    let columns = header.iter().map(|c| Column::new(c.plain())).collect();
    Some(Unrendered { table: Table { line, columns, rows, aligned: false }, delimiter_width })
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
