//! Reader of saved page text: what a browser gives when a rendered page is
//! saved as plain text.
//!
//! The form has lost most structure, so the reader recovers it from page
//! context:
//!
//! * The site frame (navbar, sidebar, breadcrumb) ends at the first `¶`
//!   heading; the content ends at the `上一篇:`/`Previous article:` line, or
//!   at the page's table of contents (the last run of `•` bullets that name
//!   headings of the page), whose entries are also the level-2 headings.
//! * Heading levels: the first `¶` line is the title; `¶` lines listed in the
//!   table of contents or recognized by [`SectionKind::classify`] are
//!   sections; `¶` lines under the data structure section are DTO headings;
//!   the rest are intro headings.
//! * Code blocks have no fences: everything between `示例结果：` and the next
//!   heading is the sample result, the 示例代码 section is one code block, and
//!   an intro block starting with `{`/`[` runs until its brackets balance.
//! * Table headers are lines made only of column titles (`名称类型` and
//!   `是否必填` … on lines of their own); each data row is one line with the
//!   cells run together, continued on the next lines by `<br>` in a cell.
//!
//! # Splitting a row into cells
//!
//! Columns must be name, type, then in this order any of required, default,
//! description (not optional), example. A line starts a row when it splits as
//! `name type [required]`: the name is an identifier (`[A-Za-z0-9_-]`), the
//! type a known keyword (`string`, `array`, `string[]`, …), a DTO name of the
//! page (from the data structure headings and the response `类型：` line),
//! optionally with `[]`, or empty; the required flag is `是`/`否`/`Yes`/`No`.
//! Among the possible splits the reader prefers a name that is a key of the
//! page's JSON samples, then a non-empty type, then the longest type, then
//! the longest name. Other lines continue the current row.
//!
//! The default is `-`, `[object Object]` or a run of `[A-Za-z0-9_.]` (cut
//! where digits meet letters, or where a following description word starts).
//!
//! The example is a suffix of the rest; the first rule that matches decides:
//!
//! 1. a backtick: code spans are rendered without them, so one survives only
//!    where a code span with a line break broke; the example starts there;
//! 2. a value of the same field in the page's JSON samples, or the default;
//! 3. a trailing token the description lists (`…PENDING(未扫码)…PENDING`),
//!    also when glued to the description's last word (`…、MacOSWindows`);
//! 4. text repeated at the end (`默认为 1010`: description `默认为 10`);
//! 5. a trailing JSON array/object, number (`number` fields) or boolean
//!    (`boolean` fields);
//! 6. the last line, after a `<br>`, when it holds no CJK and is no list item;
//! 7. the text after the last CJK character (and closing brackets) when it
//!    is glued to it (`所在国家CN`);
//! 8. a word that descriptions end with glued to the example (`租户 ID623c…`,
//!    in English text only all-caps words or before a digit).
//!
//! An example never starts after a space: nothing separates two cells. What
//! no rule separates stays in the description; that split is inherently
//! ambiguous in this form (`省份湖北`).
//!
//! A row whose code span holds a line break breaks the rendered table: the
//! remaining rows are printed as raw Markdown (`| a | b |`) in a paragraph.
//! Those rows are split at the pipes.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::{Block, PageBuilder};
use crate::diag::{Diagnostics, Kind};
use crate::page::{
    Cell, Column, ColumnKind, Inline, Page, PageForm, Row, SectionKind, Table, is_example_label,
    strip_response_type_label,
};

pub fn read(path: &str, source: &str, diags: &mut Diagnostics) -> Page {
    // Rendered external links end in a screen-reader note, site furniture.
    let source = source.replace(" (opens new window)", "").replace("(opens new window)", "");
    let lines: Vec<&str> = source.lines().map(|l| l.trim_end_matches('\r')).collect();
    let outline = Outline::new(&lines);
    let ctx = Context::new(&lines, &outline);
    let blocks = Reader { path, lines: &lines, outline: &outline, ctx: &ctx, diags }.blocks();
    let mut page = PageBuilder::new(path, PageForm::Text).build(blocks, diags);
    page.generated = lines[outline.start..outline.end].iter().any(|l| {
        l.contains("authing-docs-factory")
            && (l.contains("自动生成") || l.to_lowercase().contains("automatically generated"))
    });
    page
}

/// The text of a `¶ Heading` line.
fn heading_text(line: &str) -> Option<&str> {
    let text = line.trim_start().strip_prefix('¶')?.trim();
    (!text.is_empty()).then_some(text)
}

/// The previous/next links that start the page footer.
fn is_footer_nav(line: &str) -> bool {
    let t = line.trim_start();
    ["上一篇:", "上一篇：", "下一篇:", "下一篇：", "Previous article:", "Next article:"]
        .iter()
        .any(|m| t.starts_with(m))
}

/// The first line of the site footer, for pages without navigation links or
/// table of contents.
fn is_site_footer(line: &str) -> bool {
    matches!(line.trim(), "用户身份管理" | "User identity management")
}

fn bullet_text(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix('•').map(str::trim)
}

/// Where the content is and what level its headings have.
struct Outline {
    /// Content lines are `start..end` (0-based indices).
    start: usize,
    end: usize,
    /// `(index, level, text)` of the `¶` lines in the content.
    headings: Vec<(usize, u8, String)>,
}

impl Outline {
    fn new(lines: &[&str]) -> Outline {
        let first = lines.iter().position(|l| heading_text(l).is_some());
        let start = first.unwrap_or_else(|| {
            // No heading: the frame ends with the breadcrumb (`  3. SDK`).
            let breadcrumb = |l: &str| {
                let t = l.trim_start();
                let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                digits > 0 && t[digits..].starts_with(". ")
            };
            lines.iter().rposition(|l| breadcrumb(l)).map_or(0, |i| i + 1)
        });
        let texts: BTreeSet<&str> = lines.iter().skip(start).filter_map(|l| heading_text(l)).collect();
        let toc = Self::toc(lines, start, &texts);
        let nav = (start..lines.len()).find(|&i| is_footer_nav(lines[i]) || is_site_footer(lines[i]));
        let end = match (nav, &toc) {
            (Some(nav), Some((toc_start, _))) => nav.min(*toc_start),
            (Some(nav), None) => nav,
            (None, Some((toc_start, _))) => *toc_start,
            (None, None) => lines.len(),
        };
        let toc_texts: BTreeSet<&str> = toc.map(|(_, t)| t).unwrap_or_default();
        let mut headings = Vec::new();
        let mut in_data = false;
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let Some(text) = heading_text(line) else {
                continue;
            };
            let section = SectionKind::classify(text);
            // A page without H1 starts with a heading that the contents list.
            let level = if headings.is_empty() && !toc_texts.contains(text) {
                1
            } else if toc_texts.contains(text) || (section.is_some() && !in_data) {
                in_data = section == Some(SectionKind::DataStructure);
                2
            } else {
                3
            };
            headings.push((i, level, text.to_string()));
        }
        Outline { start, end: end.max(start), headings }
    }

    /// The page's table of contents: the last run of bullets, after the last
    /// heading, that all name headings of the page.
    fn toc<'a>(lines: &[&'a str], start: usize, texts: &BTreeSet<&str>) -> Option<(usize, BTreeSet<&'a str>)> {
        let last_heading = lines.iter().rposition(|l| heading_text(l).is_some()).unwrap_or(start);
        let mut found = None;
        let mut i = last_heading + 1;
        while i < lines.len() {
            let run_start = i;
            let mut run = BTreeSet::new();
            while let Some(text) = lines.get(i).and_then(|l| bullet_text(l)) {
                run.insert(text);
                i += 1;
            }
            if run.is_empty() {
                i += 1;
            } else if run.iter().all(|t| texts.contains(t)) {
                found = Some((run_start, run));
            }
        }
        found
    }

    fn level_at(&self, index: usize) -> Option<(u8, &str)> {
        self.headings
            .binary_search_by_key(&index, |h| h.0)
            .ok()
            .map(|k| (self.headings[k].1, self.headings[k].2.as_str()))
    }
}

/// Page context that helps split rows: DTO names and the values of fields in
/// the page's JSON samples.
struct Context {
    dtos: BTreeSet<String>,
    /// Field name → its values in the JSON samples, as the form prints an
    /// example (strings bare, objects and arrays compact).
    values: HashMap<String, Vec<String>>,
}

impl Context {
    fn new(lines: &[&str], outline: &Outline) -> Context {
        let mut dtos = BTreeSet::new();
        let mut in_data = false;
        for (_, level, text) in &outline.headings {
            match level {
                2 => in_data = SectionKind::classify(text) == Some(SectionKind::DataStructure),
                3 if in_data => {
                    dtos.insert(text.clone());
                }
                _ => {}
            }
        }
        let content = &lines[outline.start..outline.end];
        for line in content {
            if let Some(name) = strip_response_type_label(line) {
                let name = name.trim_matches('`').trim();
                if is_dto_like(name) {
                    dtos.insert(name.to_string());
                }
            }
            // A `…Dto` named anywhere on its own (a heading of any level, the
            // sample code, a nested-type note) can end a row's name, as in
            // `passwordPayloadSignUpByPasswordDto`. Other capitalized words
            // would also match prose.
            let words = line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            dtos.extend(words.filter(|w| w.ends_with("Dto") && w.len() > 3 && is_dto_like(w)).map(str::to_string));
        }
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        let mut i = 0;
        while i < content.len() {
            if content[i].trim_start().starts_with(['{', '[']) {
                let end = json_end(content, i);
                let text = content[i..end].join("\n");
                match serde_json::from_str::<Value>(&text) {
                    Ok(value) => collect_values(&value, &mut values),
                    Err(_) => collect_value_lines(&content[i..end], &mut values),
                }
                i = end;
            } else {
                i += 1;
            }
        }
        Context { dtos, values }
    }

    fn is_dto(&self, name: &str) -> bool {
        self.dtos.contains(name) || is_dto_like(name)
    }
}

/// A bare DTO name: an UpperCamel identifier that is not a type keyword.
fn is_dto_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !TYPE_KEYWORDS.contains(&name)
}

fn collect_values(value: &Value, out: &mut HashMap<String, Vec<String>>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let rendered = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                if !rendered.is_empty() {
                    out.entry(key.clone()).or_default().push(rendered);
                }
                collect_values(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_values(v, out)),
        _ => {}
    }
}

/// For samples that are not valid JSON: `"key": value` lines.
fn collect_value_lines(lines: &[&str], out: &mut HashMap<String, Vec<String>>) {
    for line in lines {
        let t = line.trim().trim_end_matches(',');
        let Some(rest) = t.strip_prefix('"') else {
            continue;
        };
        let Some((key, value)) = rest.split_once("\":") else {
            continue;
        };
        let value = value.trim();
        let value = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(value);
        if !value.is_empty() && !value.ends_with(['{', '[']) {
            out.entry(key.to_string()).or_default().push(value.to_string());
        }
    }
}

/// End (exclusive) of a JSON block starting at `start`: where its brackets
/// balance, or at the next heading.
fn json_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        if i > start && heading_text(line).is_some() {
            return i;
        }
        for c in line.chars() {
            if in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => depth += 1,
                '}' | ']' => depth -= 1,
                _ => {}
            }
        }
        // A string never spans lines in these samples; an unbalanced quote
        // (unescaped quotes inside a value) must not swallow the page.
        in_string = false;
        if depth <= 0 {
            return i + 1;
        }
    }
    lines.len()
}

pub(super) const TYPE_KEYWORDS: &[&str] =
    &["string", "number", "boolean", "object", "array", "map", "enum", "integer", "bool", "str", "String", "uint64"];

/// Column titles a header line is made of.
const HEADER_WORDS: &[&str] = &[
    "名称",
    "类型",
    "是否必填",
    "是否必含",
    "必选",
    "默认值",
    "描述",
    "示例值",
    "说明",
    "字段名",
    "参数名",
    "翻译",
    "含义",
    "条目",
    "Name",
    "Type",
    "Is it required?",
    "Is it required",
    "Required",
    "Default value",
    "Description",
    "Sample value",
    "Example value",
    "Example",
];

/// Column titles a table starts with.
const FIRST_HEADER_WORDS: &[&str] = &["名称", "字段名", "参数名", "条目", "Name"];

/// Splits a line into column titles as the line writes them, or `None` if
/// it is not made of them. Case does not matter: English pages write
/// `NameTypedescription` too.
fn header_words(line: &str) -> Option<Vec<&str>> {
    let mut rest = line.trim();
    let mut words = Vec::new();
    while !rest.is_empty() {
        let head = |w: &str| rest.get(..w.len()).filter(|head| head.eq_ignore_ascii_case(w));
        let word = HEADER_WORDS.iter().filter_map(|w| head(w)).max_by_key(|w| w.len())?;
        words.push(word);
        rest = rest[word.len()..].trim_start();
    }
    (!words.is_empty()).then_some(words)
}

/// A column title on a line of its own (titles wrapped in `<div>`) in
/// wording the list above lacks, such as `Is this field required?`: a few
/// words of a title vocabulary that mean a column after name and type.
fn header_phrase(line: &str) -> Option<String> {
    const VOCABULARY: &[&str] = &[
        "is",
        "it",
        "this",
        "field",
        "parameter",
        "required",
        "mandatory",
        "optional",
        "must",
        "be",
        "filled",
        "whether",
        "default",
        "value",
        "values",
        "description",
        "sample",
        "samples",
        "example",
        "examples",
        "demo",
        "remarks",
        "note",
        "notes",
        "comment",
    ];
    let t = line.trim();
    let words: Vec<String> = t.trim_end_matches(['?', ':']).split_whitespace().map(str::to_lowercase).collect();
    let known = words.len() <= 5 && words.iter().all(|w| VOCABULARY.contains(&w.as_str()));
    let kind = ColumnKind::classify(t);
    let after_type =
        matches!(kind, ColumnKind::Required | ColumnKind::Default | ColumnKind::Description | ColumnKind::Example);
    (known && after_type).then(|| t.to_string())
}

/// The column titles of a header line.
fn header_titles(line: &str) -> Option<Vec<String>> {
    header_words(line)
        .map(|words| words.into_iter().map(String::from).collect())
        .or_else(|| header_phrase(line).map(|title| vec![title]))
}

fn is_table_header(line: &str) -> bool {
    header_words(line).is_some_and(|w| FIRST_HEADER_WORDS.iter().any(|first| first.eq_ignore_ascii_case(w[0])))
}

/// Positions of the columns a row is split into.
#[derive(Debug, Clone, Copy)]
struct Layout {
    columns: usize,
    required: bool,
    default: bool,
    example: bool,
}

impl Layout {
    /// Name, type, then in order any of required, default, description
    /// (which must be there), example.
    fn of(columns: &[Column]) -> Option<Layout> {
        let kinds: Vec<ColumnKind> = columns.iter().map(|c| c.kind).collect();
        let [ColumnKind::Name, ColumnKind::Type, rest @ ..] = kinds.as_slice() else {
            return None;
        };
        let order = [ColumnKind::Required, ColumnKind::Default, ColumnKind::Description, ColumnKind::Example];
        if !rest.contains(&ColumnKind::Description) {
            return None;
        }
        let mut at = 0;
        for kind in rest {
            at += order[at..].iter().position(|k| k == kind)? + 1;
        }
        Some(Layout {
            columns: kinds.len(),
            required: rest.contains(&ColumnKind::Required),
            default: rest.contains(&ColumnKind::Default),
            example: rest.contains(&ColumnKind::Example),
        })
    }
}

/// The start of a row: where its name, type and required flag end.
#[derive(Debug, Clone, PartialEq)]
struct Head<'a> {
    name: &'a str,
    ty: &'a str,
    required: &'a str,
    /// Byte offset of what follows.
    rest: usize,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn required_marker(s: &str) -> Option<&'static str> {
    ["是", "否", "Yes", "yes", "No", "no"].into_iter().find(|m| s.starts_with(m))
}

/// Splits the start of a row line into name, type and required flag; see the
/// module doc for the preferences.
fn split_head<'a>(line: &'a str, layout: Layout, ctx: &Context) -> Option<Head<'a>> {
    let name_max = line.find(|c: char| !is_name_char(c)).unwrap_or(line.len());
    if !line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let mut best: Option<(Head, (bool, bool, usize, usize))> = None;
    for name_end in 1..=name_max {
        let name = &line[..name_end];
        let after = &line[name_end..];
        let known = ctx.values.contains_key(name);
        for ty_len in type_lengths(after, ctx) {
            let ty = &after[..ty_len];
            let mut rest = name_end + ty_len;
            let required = if layout.required {
                let Some(marker) = required_marker(&line[rest..]) else {
                    continue;
                };
                rest += marker.len();
                marker
            } else {
                // Without a required column only a type ends the name.
                if ty.is_empty() {
                    continue;
                }
                ""
            };
            let score = (known, !ty.is_empty(), ty.len(), name.len());
            if best.as_ref().is_none_or(|(_, s)| score > *s) {
                best = Some((Head { name, ty, required, rest }, score));
            }
        }
    }
    best.map(|(head, _)| head)
}

/// Lengths of the types `s` can start with, including the empty type.
fn type_lengths(s: &str, ctx: &Context) -> Vec<usize> {
    let mut lengths = vec![0];
    let names = TYPE_KEYWORDS.iter().copied().chain(ctx.dtos.iter().map(String::as_str));
    for name in names.filter(|n| s.starts_with(n)) {
        lengths.push(name.len());
        if s[name.len()..].starts_with("[]") {
            lengths.push(name.len() + 2);
        }
    }
    lengths
}

/// Splits the default value off the start of `s`; returns its length.
fn default_len(s: &str) -> usize {
    if s.starts_with('-') {
        return 1;
    }
    if s.starts_with("[object Object]") {
        return "[object Object]".len();
    }
    let run = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(s.len());
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if digits > 0 && digits < run {
        return digits;
    }
    if run < s.len() && s[run..].starts_with(' ') {
        // An ASCII description starts right after the default: cut where its
        // first capitalized word begins (`user_idUser ID type`).
        let bytes = s.as_bytes();
        if let Some(cut) = (1..run).rev().find(|&i| bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase())
        {
            return cut;
        }
        // No default cell text: the run is the description's first word
        // (`List of enabled factors`).
        let word = &s[..run];
        if word.starts_with(|c: char| c.is_ascii_uppercase()) && word[1..].chars().all(|c| c.is_ascii_lowercase()) {
            return 0;
        }
    }
    run
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF // CJK radicals, punctuation, kana, ideographs
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF) // full-width forms
}

/// Where the example starts in `rest` (description + example); `rest.len()`
/// when there is none. See the module doc for the rules.
fn example_start(rest: &str, name: &str, ty: &str, default: &str, ctx: &Context) -> usize {
    let len = rest.len();
    // An example may not start after a space: cells are glued together.
    let ok = |at: usize| at > 0 && at < len && rest.is_char_boundary(at) && !rest[..at].ends_with([' ', '\t']);
    // A code span that broke the table keeps its opening backtick.
    if rest.matches('`').count() % 2 == 1
        && let Some(open) = rest.find('`')
    {
        return open;
    }
    if rest.ends_with('`')
        && let Some(open) = rest[..len - 1].rfind('`')
        && (open == 0 || ok(open))
    {
        return open;
    }
    let mut candidates: Vec<&str> =
        ctx.values.get(name).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.len()));
    if !default.is_empty() && default != "-" {
        candidates.push(default);
    }
    for candidate in candidates.iter().filter(|c| !c.trim().is_empty()) {
        if candidate.len() < len && rest.ends_with(candidate) && ok(len - candidate.len()) {
            return len - candidate.len();
        }
    }
    let token = trailing_token(rest);
    if !token.is_empty() {
        let at = len - token.len();
        if ok(at) && contains_token(&rest[..at], token) {
            return at;
        }
        // `MacOSWindows` after `Windows、Android、iOS、MacOS`: a value the
        // description enumerates, glued to the description's last word.
        let listed = |value: &str| {
            rest[..at].match_indices(value).any(|(k, _)| {
                let before = rest[..k].chars().next_back().is_none_or(|c| !is_name_char(c));
                let after = rest[k + value.len()..].chars().next();
                before && after.is_some_and(|c| "、/\n:：)）".contains(c))
            })
        };
        if let Some(cut) = (1..token.len() - 1).find(|&k| token.is_char_boundary(k) && listed(&token[k..])) {
            return at + cut;
        }
    }
    // The description ends with the example value: `默认为 10` + `10`.
    if let Some(at) = doubled_suffix(rest) {
        return at;
    }
    if rest.ends_with([']', '}'])
        && let Some(open) = matching_open(rest)
        && ok(open)
    {
        return open;
    }
    let base = ty.trim_end_matches("[]");
    if base == "number" || base == "integer" {
        let digits = rest.len() - rest.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.').len();
        let at = len - digits;
        if digits > 0 && ok(at) && !rest[..at].ends_with(|c: char| c.is_ascii_alphanumeric()) {
            return at;
        }
    }
    if base == "boolean" || base == "bool" {
        for word in ["true", "false"] {
            if rest.ends_with(word) && ok(len - word.len()) {
                return len - word.len();
            }
        }
    }
    // After a trailing `<br>` the example has a line of its own.
    if let Some(newline) = rest.rfind('\n') {
        let last = rest[newline + 1..].trim();
        if !last.is_empty()
            && rest[..newline].chars().any(is_cjk)
            && !last.chars().any(is_cjk)
            && !last.starts_with('-')
            && !last.contains(": ")
        {
            return newline + 1;
        }
    }
    let Some((last_cjk, c)) = rest.char_indices().rev().find(|(_, c)| is_cjk(*c)) else {
        // English text: only an all-caps word (`Webhook ID`) or one before a
        // number (`ip127.0.0.1`) is told apart.
        let word_at = rest.rfind(char::is_whitespace).map_or(0, |k| k + 1);
        return glued_word(&rest[word_at..], true).map_or(len, |cut| word_at + cut);
    };
    // Closing brackets end the description: `时间戳(毫秒)` + `1672…`.
    let after = &rest[last_cjk + c.len_utf8()..];
    let at = rest.len() - after.trim_start_matches([')', ']', '"']).len();
    if ok(at) && !rest[at..].starts_with(char::is_whitespace) {
        return at;
    }
    let word = rest[at..].trim_start();
    glued_word(word, false).map_or(len, |cut| len - word.len() + cut)
}

/// `IDxxxx`: the length of a word that descriptions end with, glued to the
/// example that follows it.
fn glued_word(word: &str, caps_only: bool) -> Option<usize> {
    let bytes = word.as_bytes();
    let cut = GLUED_WORDS
        .iter()
        .filter(|w| word.starts_with(*w) && word.len() > w.len())
        .map(|w| w.len())
        .filter(|&n| !caps_only || word[..n].bytes().all(|b| b.is_ascii_uppercase()) || bytes[n].is_ascii_digit())
        .max()?;
    // `AppSecret`, `id_token`: the word goes on.
    let camel = bytes[cut - 1].is_ascii_lowercase() && bytes[cut].is_ascii_uppercase();
    (!camel && !matches!(bytes[cut], b'_' | b'-')).then_some(cut)
}

/// English words that end descriptions of identifier fields (`租户 ID`).
const GLUED_WORDS: &[&str] = &[
    "ID", "Id", "id", "IP", "ip", "code", "Code", "token", "Token", "API", "URL", "url", "Logo", "logo", "scope",
    "value", "name",
];

/// Where the example starts when `rest` ends with the same text twice and
/// the first copy starts the description or a word of it.
fn doubled_suffix(rest: &str) -> Option<usize> {
    let chars: Vec<(usize, char)> = rest.char_indices().collect();
    let n = chars.len();
    (2..=n / 2).rev().find_map(|k| {
        let unit: Vec<char> = chars[n - k..].iter().map(|(_, c)| *c).collect();
        let copy = chars[n - 2 * k..n - k].iter().map(|(_, c)| *c).eq(unit.iter().copied());
        let distinct = unit.iter().any(|c| *c != unit[0]);
        let start = n - 2 * k;
        let word_start = start == 0 || chars[start - 1].1.is_whitespace();
        (copy && distinct && word_start && !unit[0].is_whitespace()).then(|| chars[n - k].0)
    })
}

/// The run of value characters that ends `s` (`PENDING`, `+86`, `2.0`).
fn trailing_token(s: &str) -> &str {
    let start = s.trim_end_matches(|c: char| is_name_char(c) || c == '.' || c == '+').len();
    s[start..].trim_start_matches('.')
}

/// Whether `token` occurs in `s` delimited by non-identifier characters.
fn contains_token(s: &str, token: &str) -> bool {
    s.match_indices(token).any(|(at, _)| {
        let before = s[..at].chars().next_back().is_none_or(|c| !is_name_char(c) && c != '+');
        let after = s[at + token.len()..].chars().next().is_none_or(|c| !is_name_char(c));
        before && after
    })
}

/// The position of the bracket that opens the bracket ending `s`.
fn matching_open(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (at, c) in s.char_indices().rev() {
        match c {
            ']' | '}' => depth += 1,
            '[' | '{' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// A cell from text: lines become line breaks, `<br>` too (it survives as
/// text where a code span swallowed it).
fn text_cell(s: &str) -> Cell {
    let s = s.replace("<br/>", "\n").replace("<br />", "\n").replace("<br>", "\n");
    let lines: Vec<&str> = s.split('\n').map(str::trim).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return Cell::default();
    };
    let mut inlines = Vec::new();
    for (k, line) in lines[first..=last].iter().enumerate() {
        if k > 0 {
            inlines.push(Inline::LineBreak);
        }
        if !line.is_empty() {
            inlines.push(Inline::Text(line.to_string()));
        }
    }
    Cell { inlines }
}

/// A description cell; `嵌套类型：X` / `Nested type: X` naming a DTO of the
/// page becomes a link, as in the other forms.
fn description_cell(s: &str, ctx: &Context) -> Cell {
    let mut cell = text_cell(s);
    let mut inlines = Vec::new();
    for inline in cell.inlines {
        let Inline::Text(text) = &inline else {
            inlines.push(inline);
            continue;
        };
        let note = ["嵌套类型：", "嵌套类型:", "嵌套类型，", "Nested type: ", "Nested type:"]
            .iter()
            .find_map(|m| text.find(m).map(|at| at + m.len()));
        let linked = note.and_then(|at| {
            let len = text[at..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len() - at);
            let name = &text[at..at + len];
            ctx.dtos.contains(name).then_some((at, len))
        });
        match linked {
            Some((at, len)) => {
                let name = &text[at..at + len];
                inlines.push(Inline::Text(text[..at].to_string()));
                inlines.push(Inline::Link { href: format!("#{name}"), text: name.to_string() });
                if at + len < text.len() {
                    inlines.push(Inline::Text(text[at + len..].to_string()));
                }
            }
            None => inlines.push(inline),
        }
    }
    cell.inlines = inlines;
    cell
}

fn type_cell(ty: &str, ctx: &Context) -> Cell {
    let base = ty.trim_end_matches("[]");
    if !base.is_empty() && ctx.is_dto(base) {
        Cell { inlines: vec![Inline::Link { href: format!("#{base}"), text: ty.to_string() }] }
    } else {
        Cell::text(ty)
    }
}

/// Splits a row (its lines joined with `\n`) into cells.
fn split_row(text: &str, layout: Layout, ctx: &Context) -> Option<Vec<Cell>> {
    let text = text.trim_end();
    let head = split_head(text, layout, ctx)?;
    let mut rest = &text[head.rest..];
    let mut cells = vec![Cell::text(head.name), type_cell(head.ty, ctx)];
    if layout.required {
        cells.push(Cell::text(head.required));
    }
    let mut default = "";
    if layout.default {
        let len = default_len(rest);
        default = &rest[..len];
        rest = &rest[len..];
        cells.push(Cell::text(default));
    }
    if layout.example {
        let at = example_start(rest, head.name, head.ty, default, ctx);
        cells.push(description_cell(&rest[..at], ctx));
        cells.push(text_cell(&rest[at..].replace('`', "")));
    } else {
        cells.push(description_cell(rest, ctx));
    }
    Some(cells)
}

/// Splits the raw Markdown rows that follow a broken row; see the module doc.
/// `pieces` are the `|`-separated parts after the broken row's first `|`.
fn split_pipe_rows(pieces: &[&str], layout: Layout, ctx: &Context) -> Result<Vec<Vec<Cell>>, String> {
    let mut rows = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if !pieces[i].trim().is_empty() {
            return Err(format!("unexpected text `{}` between raw table rows", pieces[i].trim()));
        }
        i += 1;
        let cells = &pieces[i.min(pieces.len())..(i + layout.columns).min(pieces.len())];
        if cells.iter().all(|c| c.trim().is_empty()) {
            break;
        }
        if cells.len() < layout.columns {
            return Err("raw table row with too few cells".to_string());
        }
        let cells: Vec<String> = cells.iter().map(|c| c.replace('`', "").trim().to_string()).collect();
        let mut out = vec![Cell::text(cells[0].as_str()), type_cell(&cells[1], ctx)];
        for (k, cell) in cells.iter().enumerate().skip(2) {
            let is_description = k == layout.columns - 1 - usize::from(layout.example);
            out.push(if is_description { description_cell(cell, ctx) } else { text_cell(cell) });
        }
        rows.push(out);
        i += layout.columns;
    }
    Ok(rows)
}

struct Reader<'a, 'd> {
    path: &'a str,
    lines: &'a [&'a str],
    outline: &'a Outline,
    ctx: &'a Context,
    diags: &'d mut Diagnostics,
}

impl Reader<'_, '_> {
    fn blocks(mut self) -> Vec<Block> {
        let (start, end) = (self.outline.start, self.outline.end);
        let mut blocks = Vec::new();
        let mut section: Option<SectionKind> = None;
        let mut i = start;
        while i < end {
            let line = self.lines[i];
            let number = i as u32 + 1;
            if let Some((level, text)) = self.outline.level_at(i) {
                if level == 2 {
                    section = SectionKind::classify(text);
                }
                blocks.push(Block::Heading { level, line: number, cell: Cell::text(text) });
                i += 1;
                continue;
            }
            if line.trim().is_empty() {
                i += 1;
                continue;
            }
            if is_update_stamp(line) {
                blocks.push(paragraph(number, line.trim()));
                // The `编辑` link follows the stamp.
                i += 1;
                if self.lines.get(i).is_some_and(|l| matches!(l.trim(), "编辑" | "Edit")) {
                    i += 1;
                }
                continue;
            }
            if section == Some(SectionKind::SampleCode) {
                let stop = self.next_heading(i);
                blocks.push(code_block(number, &self.lines[i..stop]));
                i = stop;
                continue;
            }
            if section == Some(SectionKind::Response) && is_example_label(line) {
                blocks.push(paragraph(number, line.trim()));
                let from = (i + 1..end).find(|&k| !self.lines[k].trim().is_empty()).unwrap_or(end);
                let stop = self.next_heading(from);
                if from < stop {
                    blocks.push(code_block(from as u32 + 1, &self.lines[from..stop]));
                }
                i = stop;
                continue;
            }
            if is_table_header(line) {
                let (block, next) = self.table(i);
                blocks.push(block);
                i = next;
                continue;
            }
            if let Some((block, stop)) = self.unrendered_table(i) {
                blocks.push(block);
                i = stop;
                continue;
            }
            if line.trim_start().starts_with(['{', '[']) {
                let stop = json_end(&self.lines[..end], i);
                blocks.push(code_block(number, &self.lines[i..stop]));
                i = stop;
                continue;
            }
            let stop = (i..end)
                .find(|&k| {
                    self.lines[k].trim().is_empty()
                        || self.outline.level_at(k).is_some()
                        || (k > i && is_table_header(self.lines[k]))
                })
                .unwrap_or(end);
            blocks.push(text_block(number, &self.lines[i..stop]));
            i = stop;
        }
        blocks
    }

    /// The source of a table that the renderer left as a paragraph, which
    /// the `<div>`s of its header cells broke over several lines (and blank
    /// lines): its lines up to the next heading, sample-result label or
    /// table, joined into the one paragraph the page builder reads back.
    fn unrendered_table(&self, start: usize) -> Option<(Block, usize)> {
        if !self.lines[start].trim_start().starts_with('|') {
            return None;
        }
        let end = self.outline.end;
        let stop = (start + 1..end)
            .find(|&k| {
                self.outline.level_at(k).is_some() || is_example_label(self.lines[k]) || is_table_header(self.lines[k])
            })
            .unwrap_or(end);
        let lines = self.lines[start..stop].iter().map(|l| l.trim()).filter(|l| !l.is_empty());
        let text = lines.collect::<Vec<_>>().join(" ");
        super::unrendered::read(&Cell::text(&text), start as u32 + 1)?;
        Some((paragraph(start as u32 + 1, &text), stop))
    }

    fn next_heading(&self, from: usize) -> usize {
        (from..self.outline.end).find(|&k| self.outline.level_at(k).is_some()).unwrap_or(self.outline.end)
    }

    /// Reads the table whose header starts at `start`; returns the block and
    /// the index after the table.
    fn table(&mut self, start: usize) -> (Block, usize) {
        let end = self.outline.end;
        let mut columns = Vec::new();
        let mut i = start;
        while i < end && (i == start || !is_table_header(self.lines[i])) {
            let Some(words) = header_titles(self.lines[i]) else {
                break;
            };
            columns.extend(words.into_iter().map(Column::new));
            i += 1;
        }
        let Some(layout) = Layout::of(&columns) else {
            // Tables of prose pages cannot be split; they stay text.
            let stop = (i..end).find(|&k| self.lines[k].trim().is_empty()).unwrap_or(end);
            return (Block::Other { line: start as u32 + 1, source: self.lines[start..stop].join("\n") }, stop);
        };
        let mut table = Table { line: start as u32 + 1, columns, rows: Vec::new(), aligned: false };
        // Rows as (first line index, text).
        let mut rows: Vec<(usize, String)> = Vec::new();
        while i < end {
            let line = self.lines[i];
            if self.ends_table(i) {
                break;
            }
            let open = rows.last().is_some_and(|(_, text)| text.matches('`').count() % 2 == 1);
            if open && split_head(line, layout, self.ctx).is_none() {
                i = self.broken_rows(&mut rows, &mut table, i, layout);
                continue;
            }
            if line.trim().is_empty() {
                // `<br><br>` in a cell leaves a blank line inside the row;
                // only a heading or label after it ends the table.
                let next = (i..end).find(|&k| !self.lines[k].trim().is_empty());
                if rows.is_empty() || next.is_none_or(|k| self.ends_table(k)) {
                    break;
                }
                if let Some((_, text)) = rows.last_mut() {
                    text.push('\n');
                }
                i += 1;
                continue;
            }
            if rows.is_empty() || split_head(line, layout, self.ctx).is_some() {
                rows.push((i, line.to_string()));
            } else if let Some((_, text)) = rows.last_mut() {
                text.push('\n');
                text.push_str(line);
            }
            i += 1;
        }
        for (index, text) in rows {
            self.push_row(&mut table, index, &text, layout);
        }
        (Block::Table(table), i)
    }

    fn ends_table(&self, i: usize) -> bool {
        let line = self.lines[i];
        self.outline.level_at(i).is_some()
            || is_table_header(line)
            || is_example_label(line)
            || strip_response_type_label(line).is_some()
    }

    fn push_row(&mut self, table: &mut Table, index: usize, text: &str, layout: Layout) {
        let line = index as u32 + 1;
        match split_row(text, layout, self.ctx) {
            Some(cells) => table.rows.push(Row { line, cells, indented: false }),
            None => {
                let first = text.lines().next().unwrap_or("");
                self.diags.warn(Kind::BadRow, self.path, line, format!("cannot split table row `{first}` into cells"));
            }
        }
    }

    /// Handles the lines after a row whose code span is still open at `i`:
    /// either the span closes (a multi-line example) or the table broke and
    /// raw Markdown rows follow. Returns the index after what was consumed.
    fn broken_rows(
        &mut self,
        rows: &mut Vec<(usize, String)>,
        table: &mut Table,
        mut i: usize,
        layout: Layout,
    ) -> usize {
        let end = self.outline.end;
        let Some((_, text)) = rows.last_mut() else {
            return i;
        };
        let mut piped = false;
        while i < end && !self.ends_table(i) {
            let line = self.lines[i];
            // A stray backtick in a row must not swallow the rows after it.
            if !piped && split_head(line, layout, self.ctx).is_some() {
                return i;
            }
            if piped && line.trim().is_empty() {
                let next = (i..end).find(|&k| !self.lines[k].trim().is_empty());
                if !next.is_some_and(|k| self.lines[k].trim_start().starts_with('|')) {
                    break;
                }
            }
            text.push('\n');
            text.push_str(line);
            i += 1;
            piped |= line.contains('|');
            if !piped && text.matches('`').count() % 2 == 0 {
                return i;
            }
        }
        if !piped {
            return i;
        }
        let Some((index, text)) = rows.pop() else {
            return i;
        };
        for (earlier, earlier_text) in std::mem::take(rows) {
            self.push_row(table, earlier, &earlier_text, layout);
        }
        let Some(bar) = text.find('|') else { return i };
        self.push_row(table, index, text[..bar].trim_end(), layout);
        let pieces: Vec<&str> = text[bar + 1..].split('|').collect();
        match split_pipe_rows(&pieces, layout, self.ctx) {
            Ok(split) => {
                for cells in split {
                    table.rows.push(Row { line: index as u32 + 1, cells, indented: false });
                }
            }
            Err(message) => self.diags.warn(Kind::BadRow, self.path, index as u32 + 1, message),
        }
        i
    }
}

fn is_update_stamp(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("更新时间") || t.starts_with("Update time") || t.starts_with("Last updated")
}

fn paragraph(line: u32, text: &str) -> Block {
    Block::Paragraph { line, cell: Cell::text(text), source: text.to_string() }
}

fn code_block(line: u32, lines: &[&str]) -> Block {
    let code = lines.join("\n").trim_matches('\n').to_string();
    let lang = if serde_json::from_str::<Value>(&code).is_ok() { "json" } else { "" };
    Block::Code { line, lang: lang.to_string(), code: format!("{code}\n") }
}

/// Consecutive text lines: a list when they are all bullets, else a paragraph.
fn text_block(line: u32, lines: &[&str]) -> Block {
    if lines.iter().all(|l| bullet_text(l).is_some()) {
        let source =
            lines.iter().filter_map(|l| bullet_text(l)).map(|t| format!("- {t}")).collect::<Vec<_>>().join("\n");
        return Block::Other { line, source };
    }
    let source = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n");
    Block::Paragraph { line, cell: text_cell(&source), source }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small page in the shape of the saved text (not a corpus page).
    const PAGE: &str = "\
Docs
  • SDK
    • 登录
  1. SDK
  2. /
  3. 查询状态

¶ 查询状态

更新时间: 2025-01-01 00:00:00
编辑

此文档根据 https://github.com/authing/authing-docs-factory 基于 V3 API 自动生成。

查询一个任务的状态。

¶ 方法名称

AuthenticationClient.get_task_status

¶ 请求参数

名称类型
是否必填
默认值
描述
示例值
taskIdstring是-任务 IDt-1
limitnumber否10每页数目，默认为 1010
modestring否-模式：
- FAST: 快速
- SLOW: 慢速
SLOW

¶ 请求响应

类型： TaskRespDto

名称类型描述
statusCodenumber业务状态码
dataTaskDto响应数据

示例结果：

{
  \"statusCode\": 200,
  \"data\": {
    \"state\": \"DONE\",
    \"owner\": \"张三\",
    \"tags\": [\"a\", \"b\"]
  }
}

¶ 数据结构

¶ TaskDto

名称类型
是否必填
描述
示例值
statestring是任务状态：RUNNING、DONE。DONE
ownerstring否负责人张三
tagsarray否标签[\"a\",\"b\"]
detail否详情 嵌套类型：TaskDetailDto。
donebooleanyes是否完成true

¶ TaskDetailDto

名称类型
是否必填
描述
示例值
sizenumber是大小 单位是字节2048
上一篇: 上一页 下一篇: 下一页
  • 方法名称
  • 请求参数
  • 请求响应
  • 数据结构

用户身份管理
";

    fn read_page(source: &str) -> (Page, Diagnostics) {
        let mut diags = Diagnostics::default();
        let page = read("task.txt", source, &mut diags);
        (page, diags)
    }

    fn cells(row: &Row) -> Vec<String> {
        row.cells.iter().map(Cell::plain).collect()
    }

    fn ctx() -> Context {
        let mut values = HashMap::new();
        values.insert("scope".to_string(), vec!["openid profile".to_string()]);
        Context { dtos: ["UserDto".to_string()].into(), values }
    }

    #[test]
    fn reads_a_page() {
        let (page, diags) = read_page(PAGE);
        assert!(diags.is_empty(), "{:?}", diags.iter().collect::<Vec<_>>());
        assert_eq!(page.form, PageForm::Text);
        assert_eq!(page.title, Some(crate::page::Located::new(8, "查询状态".to_string())));
        assert!(page.generated);
        assert_eq!(page.description, "查询一个任务的状态。");
        assert_eq!(page.method_name.as_ref().unwrap().value, "AuthenticationClient.get_task_status");
        assert_eq!(page.method_name.as_ref().unwrap().line, 19);
        let sections: Vec<_> = page.sections.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(sections, ["方法名称", "请求参数", "请求响应", "数据结构"]);

        let request = page.request.as_ref().unwrap();
        assert_eq!(request.line, 23);
        let kinds: Vec<_> = request.columns.iter().map(|c| c.kind).collect();
        use ColumnKind::*;
        assert_eq!(kinds, [Name, Type, Required, Default, Description, Example]);
        let rows: Vec<_> = request.rows.iter().map(cells).collect();
        assert_eq!(rows[0], ["taskId", "string", "是", "-", "任务 ID", "t-1"]);
        assert_eq!(rows[1], ["limit", "number", "否", "10", "每页数目，默认为 10", "10"]);
        assert_eq!(rows[2], ["mode", "string", "否", "-", "模式：\n- FAST: 快速\n- SLOW: 慢速", "SLOW"]);
        assert_eq!(request.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [28, 29, 30]);
        assert!(request.rows.iter().all(|r| !r.indented));

        let response = page.response.as_ref().unwrap();
        assert_eq!(response.type_name.as_ref().unwrap().value, "TaskRespDto");
        let table = response.table.as_ref().unwrap();
        assert_eq!(cells(&table.rows[1]), ["data", "TaskDto", "响应数据"]);
        assert_eq!(table.rows[1].cells[1].inlines, [Inline::Link { href: "#TaskDto".into(), text: "TaskDto".into() }]);
        let example = response.example.as_ref().unwrap();
        assert_eq!(example.line, 45);
        assert!(serde_json::from_str::<Value>(&example.value).is_ok());

        let models: Vec<_> = page.models.iter().map(|m| m.name.value.as_str()).collect();
        assert_eq!(models, ["TaskDto", "TaskDetailDto"]);
        let rows: Vec<_> = page.models[0].table.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(rows[0], ["state", "string", "是", "任务状态：RUNNING、DONE。", "DONE"]);
        assert_eq!(rows[1], ["owner", "string", "否", "负责人", "张三"]);
        assert_eq!(rows[2], ["tags", "array", "否", "标签", "[\"a\",\"b\"]"]);
        assert_eq!(rows[3], ["detail", "", "否", "详情 嵌套类型：TaskDetailDto。", ""]);
        assert_eq!(rows[4], ["done", "boolean", "yes", "是否完成", "true"]);
        let detail = &page.models[0].table.as_ref().unwrap().rows[3].cells[3];
        assert_eq!(detail.anchors().collect::<Vec<_>>(), ["TaskDetailDto"]);
        let rows: Vec<_> = page.models[1].table.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(rows, [["size", "number", "是", "大小 单位是字节", "2048"]]);
    }

    #[test]
    fn header_titles_in_other_wording() {
        for title in ["Is this field required?", "Default Value", "Sample Value", "Examples"] {
            assert_eq!(header_titles(title), Some(vec![title.to_string()]), "{title}");
        }
        // Rows, not titles.
        for row in ["requiredbooleanNo", "idstringYesThe default value", "Name of the role"] {
            assert_eq!(header_titles(row), None, "{row}");
        }
    }

    #[test]
    fn a_dto_named_elsewhere_on_the_page_ends_a_glued_name() {
        // No section defines the DTO; the sample code names it.
        let source = "¶ Sign up\n\n¶ Method name\n\nAuthenticationClient.sign_up\n\n¶ Request parameters\n\n\
            NameType\nRequired\nDefault value\nDescription\nSample value\n\
            passwordPayloadSignUpByPasswordDtoNo-Needed for the password way.{\"password\":\"x\"}\n\n\
            ¶ Sample code\n\nclient.sign_up(password_payload=SignUpByPasswordDto(password=\"x\"))\n";
        let (page, _) = read_page(source);
        let request: Vec<_> = page.request.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(request[0][..3], ["passwordPayload", "SignUpByPasswordDto", "No"]);
    }

    #[test]
    fn reads_an_english_page() {
        let source = "¶ Get user\n\nUpdate time: 2025-01-01\nEdit\n\nThis document is automatically generated based on https://github.com/authing/authing-docs-factory.\n\n\
            ¶ Method name\n\nManagementClient.get_user\n\n¶ Request parameters\n\nNameType\nIs it required\nDefault value\nDescription\nSample value\n\
            userIdstringYes-User ID6229ffa\nuserIdTypestringNouser_idUser ID type: user_id or phone.user_id\n\n\
            ¶ Request response\n\nType: UserSingleRespDto\n\nNameTypeDescription\ndataUserDtoResponse data\n\n\
            ¶ Data structure\n\n¶ UserDto\n\nNameType\nIs it required?\nDescription\nSample value\nuserIdstringyesUser ID6229ffa\nphotostringnoAvatar\n";
        let (page, diags) = read_page(source);
        assert!(diags.is_empty());
        assert!(page.generated);
        assert_eq!(page.title.as_ref().unwrap().value, "Get user");
        assert_eq!(page.description, "");
        let request: Vec<_> = page.request.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(request[0], ["userId", "string", "Yes", "-", "User ID", "6229ffa"]);
        assert_eq!(request[1], ["userIdType", "string", "No", "user_id", "User ID type: user_id or phone.", "user_id"]);
        let response = page.response.as_ref().unwrap();
        assert_eq!(response.type_name.as_ref().unwrap().value, "UserSingleRespDto");
        assert_eq!(cells(&response.table.as_ref().unwrap().rows[0]), ["data", "UserDto", "Response data"]);
        let rows: Vec<_> = page.models[0].table.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(rows, [["userId", "string", "yes", "User ID", "6229ffa"], ["photo", "string", "no", "Avatar", ""]]);
    }

    #[test]
    fn rows_continue_over_line_breaks_and_blank_lines() {
        let source = "¶ T\n\n¶ 请求参数\n\n名称类型\n是否必填\n默认值\n描述\n示例值\n\
            liststring[]否-列表。\n\n说明：前缀匹配\n- a: 甲\nidsstring[]否-ID 列表[\"1\"]\n\n¶ 请求响应\n";
        let (page, diags) = read_page(source);
        assert!(diags.is_empty());
        let rows: Vec<_> = page.request.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(
            rows,
            [
                ["list", "string[]", "否", "-", "列表。\n\n说明：前缀匹配\n- a: 甲", ""],
                ["ids", "string[]", "否", "-", "ID 列表", "[\"1\"]"],
            ]
        );
    }

    #[test]
    fn reads_rows_after_a_broken_code_span() {
        // A code span with a line break broke the rendered table: the
        // remaining rows are raw Markdown.
        let source = "¶ T\n\n¶ 请求参数\n\n名称类型\n是否必填\n默认值\n描述\n示例值\n\
            codestring是-源代码`function f() {\n\nreturn 1; }| | scene | string | 是 | - | 场景：<br>-A: 甲<br> |A` | | \
            timeout | number | 否 | 3 | 超时 | | | linkObj | UserDto | 否 | - | 链接 | |\n\n¶ 请求响应\n";
        let (page, diags) = read_page(source);
        assert!(diags.is_empty(), "{:?}", diags.iter().collect::<Vec<_>>());
        let request = page.request.as_ref().unwrap();
        let rows: Vec<_> = request.rows.iter().map(cells).collect();
        assert_eq!(
            rows,
            [
                ["code", "string", "是", "-", "源代码", "function f() {\n\nreturn 1; }"],
                ["scene", "string", "是", "-", "场景：\n-A: 甲", "A"],
                ["timeout", "number", "否", "3", "超时", ""],
                ["linkObj", "UserDto", "否", "-", "链接", ""],
            ]
        );
        assert_eq!(request.rows[3].cells[1].anchors().collect::<Vec<_>>(), ["UserDto"]);
    }

    #[test]
    fn closes_a_multi_line_code_span() {
        let source = "¶ T\n\n¶ 数据结构\n\n¶ XDto\n\n名称类型\n是否必填\n描述\n示例值\n\
            originsstring否安全域`https://a.example\nhttps://b.example`\nsizenumber是大小3\n";
        let (page, _) = read_page(source);
        let rows: Vec<_> = page.models[0].table.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(
            rows,
            [
                ["origins", "string", "否", "安全域", "https://a.example\nhttps://b.example"],
                ["size", "number", "是", "大小", "3"],
            ]
        );
    }

    #[test]
    fn a_page_without_title_starts_with_a_section() {
        let source = "¶ 订阅事件\n\nsub_event(code)\n\n¶ 发布事件\n\npub_event(code)\n  • 订阅事件\n  • 发布事件\n\n用户身份管理\n";
        let (page, _) = read_page(source);
        assert_eq!(page.title, None);
        let sections: Vec<_> = page.sections.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(sections, ["订阅事件", "发布事件"]);
        assert!(!page.description.contains("用户身份管理"));
    }

    #[test]
    fn headings_listed_in_the_contents_are_sections() {
        let source = "¶ T\n\n¶ 注意\n\n小心。\n\n¶ 示例一\n\n{\n  \"a\": 1\n}\n\n¶ 方法名称\n\nManagementClient.f\n\n\
            上一篇: A\n  • 注意\n  • 方法名称\n";
        let (page, _) = read_page(source);
        let sections: Vec<_> = page.sections.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(sections, ["注意", "方法名称"]);
        assert!(page.description.contains("#### 注意"));
        assert!(page.description.contains("### 示例一"));
        assert_eq!(page.code_samples.len(), 1);
        assert_eq!(page.code_samples[0].lang, "json");
    }

    #[test]
    fn prefers_names_from_samples_and_non_empty_types() {
        let layout = Layout { columns: 5, required: true, default: false, example: true };
        let head = split_head("membersarray是成员", layout, &ctx()).unwrap();
        assert_eq!((head.name, head.ty, head.required), ("members", "array", "是"));
        let head = split_head("userInfo否嵌套类型：UserDto。", layout, &ctx()).unwrap();
        assert_eq!((head.name, head.ty), ("userInfo", ""));
        let head = split_head("ownerUserDto[]是", layout, &ctx()).unwrap();
        assert_eq!((head.name, head.ty), ("owner", "UserDto[]"));
        let head = split_head("namestringNoThe name", layout, &ctx()).unwrap();
        assert_eq!((head.name, head.ty, head.required), ("name", "string", "No"));
        // A continuation line is not a row.
        assert_eq!(split_head("- Activated: 正常", layout, &ctx()), None);
        assert_eq!(split_head("Suspended", layout, &ctx()), None);
        let response = Layout { columns: 3, required: false, default: false, example: false };
        assert_eq!(split_head("Suspended", response, &ctx()), None);
        let head = split_head("datastring描述", response, &ctx()).unwrap();
        assert_eq!((head.name, head.ty), ("data", "string"));
    }

    #[test]
    fn splits_defaults() {
        let cases = [
            ("-描述", "-"),
            ("Activated账户状态", "Activated"),
            ("129600Authing Token 有效时间", "129600"),
            ("[object Object]OIDC 配置", "[object Object]"),
            ("开启的因素", ""),
            ("user_idUser ID type", "user_id"),
            ("List of enabled factors", ""),
        ];
        for (text, default) in cases {
            assert_eq!(&text[..default_len(text)], default, "{text}");
        }
    }

    #[test]
    fn splits_examples() {
        let cases = [
            ("scope", "string", "", "access_token 对应的 scopeopenid profile", "openid profile"),
            ("page", "number", "1", "当前页数，从 1 开始1", "1"),
            ("status", "string", "", "状态：PENDING(未扫码)、DONE(完成)。PENDING", "PENDING"),
            ("os", "string", "", "系统：Windows、MacOSWindows", "Windows"),
            ("limit", "number", "", "默认为 1010", "10"),
            ("name", "string", "", "租户名租户名", "租户名"),
            ("ids", "array", "", "列表[\"a\",[1]]", "[\"a\",[1]]"),
            ("expire", "number", "", "过期时间 单位是秒7200", "7200"),
            ("enabled", "boolean", "", "是否启用 true", ""),
            ("enabled", "boolean", "", "是否启用true", "true"),
            ("kind", "string", "", "类型：\n- a: 甲\n\nall", "all"),
            ("id", "string", "", "租户 ID623c20b2", "623c20b2"),
            ("id", "string", "", "用户的 id_token", ""),
            ("key", "string", "", "钉钉应用的 AppKey", ""),
            ("at", "string", "", "时间戳(毫秒)1672502400000", "1672502400000"),
            ("email", "string", "", "邮箱，不区分大小写。114114", "114114"),
            ("p", "string", "", "是否启用此 Pipeline", ""),
            ("p", "string", "", "Webhook ID6229ffa", "6229ffa"),
            ("p", "string", "", "User display nickname", ""),
            ("code", "string", "", "源代码`a\nb`", "`a\nb`"),
        ];
        for (name, ty, default, rest, example) in cases {
            let at = example_start(rest, name, ty, default, &ctx());
            assert_eq!(&rest[at..], example, "{rest}");
        }
    }

    #[test]
    fn reports_rows_it_cannot_split() {
        let source = "¶ T\n\n¶ 请求参数\n\n名称类型\n是否必填\n描述\n示例值\n名字是中文\nidstring是标识1\n";
        let (page, diags) = read_page(source);
        let rows: Vec<_> = page.request.as_ref().unwrap().rows.iter().map(cells).collect();
        assert_eq!(rows, [["id", "string", "是", "标识", "1"]]);
        let warnings: Vec<_> = diags.iter().map(|d| (d.kind, d.line)).collect();
        assert_eq!(warnings, [(Kind::BadRow, 9)]);
    }

    #[test]
    fn prose_tables_stay_text() {
        let source = "¶ 安装\n\n条目说明\nGitHubhttps://example.com\n\n¶ 初始化\n";
        let (page, diags) = read_page(source);
        assert!(diags.is_empty());
        assert!(page.description.contains("GitHubhttps://example.com"));
    }

    #[test]
    fn never_panics() {
        let (page, _) = read_page("");
        assert_eq!(page, PageBuilder::new("task.txt", PageForm::Text).build(Vec::new(), &mut Diagnostics::default()));
        let (page, _) = read_page("Docs\n  1. SDK\n  2. /\n\n方法名称\n\nx\n");
        assert_eq!(page.title, None);
        assert_eq!(page.description, "方法名称\n\nx");
        // Every prefix of the page, cut at any character: truncated tables,
        // open code spans, headings without content.
        let broken = PAGE.replace("SLOW\n", "`SLOW\n| | a | b |\n");
        for source in [PAGE, broken.as_str()] {
            for (at, _) in source.char_indices() {
                read_page(&source[..at]);
            }
        }
        read_page("¶\n¶ \n¶ 数据结构\n名称类型\n\n¶ 请求参数\n名称类型\nx\n`\n|\n");
    }
}
