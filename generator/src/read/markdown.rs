//! Reader of Markdown source pages.
//!
//! Block structure (headings, paragraphs, code fences, HTML) comes from
//! pulldown-cmark. Tables are cut out before that and read line by line,
//! because the pages' tables break GFM (see `inline`): rows that continue on
//! the next line while a code span is open, unescaped `|` in code spans, and
//! merged rows with extra cells.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::inline::{has_open_code_span, parse_cell, split_row};
use super::{Block, PageBuilder};
use crate::diag::{Diagnostics, Kind};
use crate::page::{Cell, Column, Inline, Page, PageForm, Row, Table};

/// Resolves `!!!include(path)!!!` to the included file's text.
pub type IncludeResolver<'a> = &'a dyn Fn(&str) -> Option<String>;

pub fn read(path: &str, source: &str, includes: IncludeResolver, diags: &mut Diagnostics) -> Page {
    let mut doc = expand_includes(path, source, includes, diags);
    blank_front_matter(&mut doc.text);
    let (tables, blanked) = cut_tables(path, &doc, diags);
    let mut blocks: Vec<Block> = tables;
    blocks.extend(parse_blocks(&doc, &blanked));
    blocks.sort_by_key(|b| b.line());
    let mut page = PageBuilder::new(path, PageForm::Markdown).build(blocks, diags);
    page.generated = doc.text.contains("authing-docs-factory") && doc.text.contains("<!--");
    page
}

/// The page text after include expansion, with the page line of each line.
struct Document {
    text: String,
    /// `lines[i]` = 1-based line in the page file of text line `i`.
    lines: Vec<u32>,
}

impl Document {
    fn page_line(&self, text_line: usize) -> u32 {
        self.lines.get(text_line).copied().unwrap_or(0)
    }

    /// Page line of a byte offset in `text`.
    fn line_at(&self, offset: usize, starts: &[usize]) -> u32 {
        let idx = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        self.page_line(idx)
    }
}

fn expand_includes(path: &str, source: &str, includes: IncludeResolver, diags: &mut Diagnostics) -> Document {
    let mut text = String::with_capacity(source.len());
    let mut lines = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let page_line = i as u32 + 1;
        let target = line.trim().strip_prefix("!!!include(").and_then(|r| r.strip_suffix(")!!!"));
        let included = target.map(|t| (t, includes(t)));
        match included {
            Some((_, Some(content))) => {
                for included_line in content.lines() {
                    text.push_str(included_line.trim_end_matches('\r'));
                    text.push('\n');
                    lines.push(page_line);
                }
            }
            Some((target, None)) => {
                diags.warn(Kind::BadInclude, path, page_line, format!("cannot resolve include `{target}`"));
            }
            None => {
                text.push_str(line.trim_end_matches('\r'));
                text.push('\n');
                lines.push(page_line);
            }
        }
    }
    Document { text, lines }
}

/// Blanks YAML front matter (`---` … `---` from the first line): page
/// metadata, not content. Line numbers stay as they are.
fn blank_front_matter(text: &mut String) {
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return;
    }
    let mut end = text.find('\n').unwrap_or(text.len()) + 1;
    for (i, line) in lines.enumerate() {
        end += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            text.replace_range(..end.min(text.len()), &"\n".repeat(i + 2));
            return;
        }
    }
}

fn is_separator_row(line: &str) -> bool {
    let t = line.trim();
    t.contains('-') && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The display width (CJK text is two wide) of each cell's source: a
/// formatter pads every line of a table to the same widths.
fn cell_widths(cells: &[&str]) -> Vec<usize> {
    use unicode_width::UnicodeWidthStr;
    cells.iter().map(|c| c.width()).collect()
}

/// A fence line's character and length: 3+ backticks or tildes, indented
/// at most 3 spaces.
fn fence_marker(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = t.chars().take_while(|&x| x == c).count();
    (len >= 3).then_some((c, len))
}

/// Whether `line` closes a fence opened by `open`: the same character, at
/// least as many, and nothing after them.
fn closes_fence(line: &str, open: (char, usize)) -> bool {
    fence_marker(line).is_some_and(|(c, len)| c == open.0 && len >= open.1)
        && line.trim_start().trim_start_matches(open.0).trim().is_empty()
}

/// Finds the tables outside code fences, reads them, and returns the text
/// with their lines blanked so that pulldown-cmark does not see them.
/// Unlike GFM, a delimiter row of another width than the header still makes
/// a table (the header decides the columns), as the English pages need.
fn cut_tables(path: &str, doc: &Document, diags: &mut Diagnostics) -> (Vec<Block>, String) {
    let lines: Vec<&str> = doc.text.split('\n').collect();
    let mut blanked_lines: Vec<std::borrow::Cow<str>> = lines.iter().map(|l| (*l).into()).collect();
    let mut tables = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(open) = fence {
            if closes_fence(line, open) {
                fence = None;
            }
            i += 1;
            continue;
        }
        if let Some(marker) = fence_marker(line) {
            fence = Some(marker);
            i += 1;
            continue;
        }
        let is_table = line.contains('|') && lines.get(i + 1).is_some_and(|next| is_separator_row(next));
        if !is_table {
            i += 1;
            continue;
        }
        let start = i;
        let header_cells = split_row(line);
        let delimiter = split_row(lines[i + 1]);
        let widths = cell_widths(&header_cells);
        let mut aligned = widths.len() >= 2 && cell_widths(&delimiter) == widths;
        let header: Vec<Column> = header_cells.into_iter().map(|c| Column::new(parse_cell(c).plain())).collect();
        let delimiter_width = delimiter.len();
        let mut table = Table { line: doc.page_line(i), columns: header, rows: Vec::new(), aligned: false };
        i += 2;
        while i < lines.len() && lines[i].contains('|') && !lines[i].trim().is_empty() {
            let row_start = i;
            let mut joined = lines[i].to_string();
            // A code span left open continues the row on the next line.
            while has_open_code_span(&joined) && i + 1 < lines.len() && !lines[i + 1].trim().is_empty() {
                i += 1;
                joined.push('\n');
                joined.push_str(lines[i]);
            }
            i += 1;
            if is_separator_row(&joined) {
                let line = doc.page_line(row_start);
                diags.warn(Kind::BadRow, path, line, "a second delimiter row inside a table; skipped");
                continue;
            }
            let cells = split_row(&joined);
            aligned = aligned && cell_widths(&cells) == widths;
            table.rows.push(Row {
                line: doc.page_line(row_start),
                cells: cells.into_iter().map(parse_cell).collect(),
                indented: joined.starts_with(' '),
            });
        }
        table.aligned = aligned && !table.rows.is_empty();
        // A wider delimiter row that goes with a merged row is reported there.
        let width = table.columns.len();
        if delimiter_width != width && !table.rows.iter().any(|r| r.cells.len() == delimiter_width) {
            diags.warn(
                Kind::BadMarkup,
                path,
                table.line,
                format!("the delimiter row has {delimiter_width} columns, the header {width}; the header decides"),
            );
        }
        for blank in &mut blanked_lines[start..i] {
            *blank = "".into();
        }
        tables.push(Block::Table(table));
    }
    (tables, blanked_lines.join("\n"))
}

/// Reads the top-level headings, paragraphs, code blocks and other blocks
/// (HTML, quotes, lists) from the table-free text. Paragraph and other block
/// source is taken from the original text so that descriptions keep their
/// Markdown.
fn parse_blocks(doc: &Document, blanked: &str) -> Vec<Block> {
    enum Top {
        Heading(u8),
        Paragraph,
        Code(String),
        Other,
    }
    let starts: Vec<usize> = std::iter::once(0).chain(blanked.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let mut blocks = Vec::new();
    let mut top = Top::Other;
    let mut top_start = 0;
    let mut depth = 0usize;
    let mut inlines: Vec<Inline> = Vec::new();
    let mut code = String::new();
    let mut link: Option<(String, String)> = None;
    let mut strong: Option<String> = None;

    for (event, range) in Parser::new_ext(blanked, Options::empty()).into_offset_iter() {
        let in_text = matches!(top, Top::Heading(_) | Top::Paragraph);
        match event {
            Event::Start(tag) => {
                depth += 1;
                if depth == 1 {
                    top_start = range.start;
                    inlines.clear();
                    code.clear();
                    top = match tag {
                        Tag::Heading { level, .. } => Top::Heading(heading_level(level)),
                        Tag::Paragraph => Top::Paragraph,
                        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                            Top::Code(info.split_whitespace().next().unwrap_or("").to_lowercase())
                        }
                        Tag::CodeBlock(CodeBlockKind::Indented) => Top::Code(String::new()),
                        _ => Top::Other,
                    };
                } else if in_text {
                    match tag {
                        Tag::Link { dest_url, .. } => link = Some((dest_url.to_string(), String::new())),
                        Tag::Strong => strong = Some(String::new()),
                        _ => {}
                    }
                }
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if in_text {
                    match end {
                        TagEnd::Link => {
                            if let Some((href, text)) = link.take() {
                                inlines.push(Inline::Link { href, text });
                            }
                        }
                        TagEnd::Strong => {
                            if let Some(text) = strong.take() {
                                inlines.push(Inline::Strong(text));
                            }
                        }
                        _ => {}
                    }
                }
                if depth == 0 {
                    let line = doc.line_at(top_start, &starts);
                    // Offsets are into the table-free text, which equals the
                    // page text outside tables.
                    let source = blanked[top_start..range.end].trim().to_string();
                    let cell = Cell { inlines: std::mem::take(&mut inlines) };
                    blocks.push(match std::mem::replace(&mut top, Top::Other) {
                        Top::Heading(level) => Block::Heading { level, line, cell },
                        Top::Paragraph => Block::Paragraph { line, cell, source },
                        Top::Code(lang) => Block::Code { line, lang, code: std::mem::take(&mut code) },
                        Top::Other => Block::Other { line, source },
                    });
                }
            }
            Event::Text(text) => match &top {
                Top::Code(_) => code.push_str(&text),
                _ if !in_text => {}
                _ => {
                    if let Some((_, t)) = link.as_mut() {
                        t.push_str(&text);
                    } else if let Some(s) = strong.as_mut() {
                        s.push_str(&text);
                    } else {
                        push_text(&mut inlines, &text);
                    }
                }
            },
            Event::Code(span) if in_text => match link.as_mut() {
                Some((_, t)) => t.push_str(&span),
                None => inlines.push(Inline::Code(span.to_string())),
            },
            Event::SoftBreak | Event::HardBreak if in_text => inlines.push(Inline::LineBreak),
            Event::InlineHtml(html) if in_text && html.trim().to_ascii_lowercase().starts_with("<br") => {
                inlines.push(Inline::LineBreak)
            }
            _ => {}
        }
    }
    blocks
}

fn push_text(inlines: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(last)) = inlines.last_mut() {
        last.push_str(text);
    } else {
        inlines.push(Inline::Text(text.to_string()));
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(source: &str) -> Page {
        read("p.md", source, &|_| None, &mut Diagnostics::default())
    }

    #[test]
    fn tells_formatted_tables() {
        let aligned = |table: &str| page(&format!("## 请求参数\n\n{table}")).request.is_some_and(|t| t.aligned);
        assert!(aligned("| Name | Type   |\n| ---- | ------ |\n| a    | string |\n"));
        // Display widths: 名称 is four wide.
        assert!(aligned("| 名称 | 类型   |\n| ---- | ------ |\n| a    | string |\n"));
        // The header lines up by chance; the rows do not.
        assert!(!aligned("| 名称 | 类型 |\n| ---- | ---- |\n| a | string |\n"));
        assert!(!aligned("| Name | Type |\n| -- | -- |\n"));
    }

    #[test]
    fn fences_close_only_with_as_many_of_the_same_marks() {
        let table = "## 请求参数\n\n| 名称 | 类型 |\n| ---- | ---- |\n| a | string |\n";
        for fence in ["````\n```\n````", "```\n~~~\n```", "~~~\n```\n~~~~"] {
            let source = format!("# T\n\n{fence}\n\n{table}");
            assert_eq!(page(&source).request.map(|t| t.rows.len()), Some(1), "{fence}");
        }
    }
}
