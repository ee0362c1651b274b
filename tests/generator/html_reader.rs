//! The HTML reader against the corpus: every rendered page must give the same
//! page model as its Markdown source, up to what HTML cannot carry (line
//! numbers, the `indented` flag of rows, the Markdown spelling of
//! descriptions, the `generated` flag).

use std::collections::BTreeMap;

use generator::diag::Diagnostics;
use generator::page::{Cell, ColumnKind, Inline, Page, PageForm, Table};
use generator::read::{read_page, resolve_include};

use crate::support::{BROKEN_HTML_TABLES, corpus, files_with_extension};

#[test]
fn html_pages_match_their_markdown_source() {
    let Some(corpus) = corpus() else { return };
    let html_root = corpus.join("html/zh/python");
    let html_files = files_with_extension(&html_root, "html");
    assert_eq!(html_files.len(), 518, "HTML pages in the corpus");

    let mut mismatches: BTreeMap<String, String> = BTreeMap::new();
    let mut bad_lines = Vec::new();
    let mut generated = (0, 0);
    for html_path in &html_files {
        let rel = html_path.strip_prefix(&html_root).unwrap().with_extension("md");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let md_path = corpus.join("zh/python").join(&rel);
        let page_path = format!("python/{rel}");
        let mut diags = Diagnostics::default();
        let md_bytes = std::fs::read(&md_path).unwrap_or_else(|e| panic!("{}: {e}", md_path.display()));
        let includes = |target: &str| resolve_include(&md_path, target);
        let md = read_page(&page_path, PageForm::Markdown, &md_bytes, &includes, &mut diags);
        let html_bytes = std::fs::read(html_path).unwrap();
        let html = read_page(&page_path, PageForm::Html, &html_bytes, &|_| None, &mut diags);
        let html_text = String::from_utf8_lossy(&html_bytes);
        if let Some(wrong) = wrong_line(&html, &html_text) {
            bad_lines.push(format!("{rel}: {wrong}"));
        }
        // Only generated pages carry the docs-factory note, but not all of them.
        generated.0 += usize::from(md.generated);
        generated.1 += usize::from(html.generated);
        if html.generated && !md.generated {
            mismatches.insert(rel.clone(), "  generated: only the HTML says so".to_string());
        }
        if let Some(diff) = first_difference(&normalize(&md), &normalize(&html)) {
            mismatches.insert(rel, diff);
        }
    }

    let known: BTreeMap<&str, &str> = BROKEN_HTML_TABLES.iter().copied().collect();
    let unexpected: Vec<_> = mismatches.iter().filter(|(rel, _)| !known.contains_key(rel.as_str())).collect();
    let now_matching: Vec<_> = known.keys().filter(|rel| !mismatches.contains_key(**rel)).collect();
    println!(
        "{} of {} HTML pages match their Markdown source ({} known mismatches)",
        html_files.len() - mismatches.len(),
        html_files.len(),
        known.len()
    );
    println!("generated pages: {} by Markdown, {} by HTML", generated.0, generated.1);
    for (rel, diff) in &unexpected {
        println!("MISMATCH {rel}\n{diff}\n");
    }
    assert!(unexpected.is_empty(), "{} pages differ between HTML and Markdown (see above)", unexpected.len());
    assert!(bad_lines.is_empty(), "wrong line numbers:\n{}", bad_lines.join("\n"));
    assert!(now_matching.is_empty(), "listed as mismatching but match now: {now_matching:?}");
}

/// Checks that every line number of an HTML page points at the element it
/// was read from.
fn wrong_line(page: &Page, source: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let mut expected: Vec<(u32, &[&str], &str)> = Vec::new();
    let headings: &[&str] = &["<h1", "<h2", "<h3", "<h4", "<h5", "<h6"];
    if let Some(title) = &page.title {
        expected.push((title.line, &["<h1"], "title"));
    }
    for section in &page.sections {
        expected.push((section.line, headings, "section"));
    }
    if let Some(method) = &page.method_name {
        expected.push((method.line, &["<p", "<pre", "language-"], "method name"));
    }
    let mut tables: Vec<&Table> = page.request.iter().collect();
    if let Some(response) = &page.response {
        tables.extend(&response.table);
        if let Some(example) = &response.example {
            expected.push((example.line, &["language-", "<pre"], "example"));
        }
    }
    for model in &page.models {
        expected.push((model.name.line, headings, "model"));
        tables.extend(&model.table);
    }
    for table in tables {
        expected.push((table.line, &["<table"], "table"));
        for row in &table.rows {
            expected.push((row.line, &["<tr"], "row"));
        }
    }
    for sample in &page.code_samples {
        expected.push((sample.line, &["language-", "<pre"], "code"));
    }
    expected.into_iter().find_map(|(line, tags, what)| {
        // Line 0 or past the end finds no text and fails.
        let text = (line as usize).checked_sub(1).and_then(|i| lines.get(i)).copied().unwrap_or("");
        let ok = tags.iter().any(|tag| text.contains(tag));
        (!ok).then(|| format!("{what} at line {line}: {text:?}"))
    })
}

/// What both forms must agree on, as comparable text.
#[derive(Debug, PartialEq)]
struct Normalized {
    title: Option<String>,
    sections: Vec<String>,
    method_name: Option<String>,
    request: Option<NormalizedTable>,
    response_type: Option<String>,
    response: Option<NormalizedTable>,
    example: Option<String>,
    models: Vec<(String, Option<NormalizedTable>)>,
    code_samples: Vec<(String, String)>,
    description: String,
}

#[derive(Debug, PartialEq)]
struct NormalizedTable {
    columns: Vec<(String, ColumnKind)>,
    rows: Vec<Vec<String>>,
}

fn normalize(page: &Page) -> Normalized {
    let response = page.response.as_ref();
    Normalized {
        title: page.title.as_ref().map(|t| text(&t.value)),
        sections: page.sections.iter().map(|s| text(&s.value)).collect(),
        method_name: page.method_name.as_ref().map(|m| text(&m.value)),
        request: page.request.as_ref().map(table),
        response_type: response.and_then(|r| r.type_name.as_ref()).map(|t| text(&t.value)),
        response: response.and_then(|r| r.table.as_ref()).map(table),
        example: response.and_then(|r| r.example.as_ref()).map(|e| e.value.clone()),
        models: page.models.iter().map(|m| (text(&m.name.value), m.table.as_ref().map(table))).collect(),
        code_samples: page.code_samples.iter().map(|c| (c.lang.clone(), c.code.clone())).collect(),
        description: description(&page.description),
    }
}

fn table(table: &Table) -> NormalizedTable {
    NormalizedTable {
        columns: table.columns.iter().map(|c| (text(&c.title), c.kind)).collect(),
        rows: table.rows.iter().map(|r| r.cells.iter().map(cell).collect()).collect(),
    }
}

/// A cell as plain text plus its in-page link targets.
fn cell(cell: &Cell) -> String {
    let mut plain = String::new();
    for inline in &cell.inlines {
        match inline {
            Inline::Text(t) | Inline::Strong(t) => plain.push_str(t),
            // VuePress's markdown-it trims code spans: their edge spaces are
            // not in the HTML.
            Inline::Code(t) => plain.push_str(t.trim()),
            Inline::Link { text, .. } => plain.push_str(text),
            Inline::LineBreak => plain.push('\n'),
        }
    }
    let mut out = text(&plain);
    for anchor in cell.anchors() {
        out.push_str(&format!(" [#{anchor}]"));
    }
    out
}

/// Whitespace collapsed, and VuePress's site-name template filled in as the
/// site renders it.
fn text(s: &str) -> String {
    s.replace("{{$localeConfig.brandName}}", "Authing").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Descriptions compared by their visible text: tags, Markdown markup, link
/// targets and all whitespace removed.
fn description(s: &str) -> String {
    let s = s.replace("{{$localeConfig.brandName}}", "Authing");
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            // `](target)` of a Markdown link or image.
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            _ => out.push(ch),
        }
    }
    let mut visible = String::new();
    let mut rest = out.as_str();
    while let Some(start) = rest.find('<') {
        visible.push_str(&rest[..start]);
        let tag = &rest[start + 1..];
        let is_tag = tag.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match tag.find('>') {
            Some(end) if is_tag => rest = &tag[end + 1..],
            _ => {
                visible.push('<');
                rest = tag;
            }
        }
    }
    visible.push_str(rest);
    visible.chars().filter(|c| !c.is_whitespace() && !"#*`>[]!|-".contains(*c)).collect()
}

/// The first field in which two normalized pages differ, both values shown.
fn first_difference(md: &Normalized, html: &Normalized) -> Option<String> {
    macro_rules! field {
        ($name:ident) => {
            if md.$name != html.$name {
                return Some(format!("  {}:\n    md:   {:?}\n    html: {:?}", stringify!($name), md.$name, html.$name));
            }
        };
    }
    field!(title);
    field!(sections);
    field!(method_name);
    field!(response_type);
    field!(example);
    field!(code_samples);
    field!(description);
    if let Some(diff) = table_difference("request", md.request.as_ref(), html.request.as_ref()) {
        return Some(diff);
    }
    if let Some(diff) = table_difference("response", md.response.as_ref(), html.response.as_ref()) {
        return Some(diff);
    }
    let names = |p: &Normalized| p.models.iter().map(|m| m.0.clone()).collect::<Vec<_>>();
    if names(md) != names(html) {
        return Some(format!("  models:\n    md:   {:?}\n    html: {:?}", names(md), names(html)));
    }
    for (m, h) in md.models.iter().zip(&html.models) {
        if let Some(diff) = table_difference(&format!("model {}", m.0), m.1.as_ref(), h.1.as_ref()) {
            return Some(diff);
        }
    }
    assert_eq!(md, html, "normalized pages differ outside the compared fields");
    None
}

/// The first differing row of two tables, for a readable failure.
fn table_difference(what: &str, md: Option<&NormalizedTable>, html: Option<&NormalizedTable>) -> Option<String> {
    match (md, html) {
        (Some(m), Some(h)) if m != h => {
            if m.columns != h.columns {
                return Some(format!("  {what} columns:\n    md:   {:?}\n    html: {:?}", m.columns, h.columns));
            }
            let row = (0..m.rows.len().max(h.rows.len())).find(|&i| m.rows.get(i) != h.rows.get(i))?;
            Some(format!(
                "  {what} row {row} (of {} / {}):\n    md:   {:?}\n    html: {:?}",
                m.rows.len(),
                h.rows.len(),
                m.rows.get(row),
                h.rows.get(row)
            ))
        }
        (Some(_), None) | (None, Some(_)) => {
            Some(format!("  {what}: md has table: {}, html has table: {}", md.is_some(), html.is_some()))
        }
        _ => None,
    }
}
