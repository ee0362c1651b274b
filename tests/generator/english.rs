//! English pages, which we mostly have not seen, read like Chinese ones.
//! Every Markdown page of the corpus and every rendered HTML page is
//! translated into the English page layout (section headings, column
//! headers, `Yes`/`No`, `Type:`, `Nested type:`, `Example result:`, in the
//! wording variants the English docs use) and must give exactly the schema
//! and the diagnostics of its Chinese original (but the HTTP method where
//! the new header widths made a hand-aligned table line up, or stop lining
//! up, which changes the method rule). A second pass also breaks
//! each English response table the way the published English seed page is
//! broken (the `data` row merged into the row before it by an extra column
//! separator): the schema must still be the same, with one `merged-row`
//! warning more.

use std::path::Path;

use generator::diag::{Diagnostics, Kind};
use generator::page::{Page, PageForm};
use generator::read::read_page;
use generator::schema::{Api, HttpRule};
use serde_json::Value;

use crate::support::{corpus, files_with_extension, first_difference, lower_one_with_diagnostics};

/// Wording variants seen in English pages; a page takes one of each by a
/// hash of its path, so the corpus covers all of them.
const METHOD_NAME: &[&str] = &["Method name", "Method Name"];
const REQUEST: &[&str] = &["Request parameters", "Request Parameters"];
const RESPONSE: &[&str] = &["Request response", "Request Response", "Response"];
const SAMPLE_CODE: &[&str] = &["Sample code", "Example code"];
const DATA_STRUCTURE: &[&str] = &["Data structure", "Data Structure", "Data structures"];
const NAME: &[&str] = &["Name"];
const TYPE: &[&str] = &["Type"];
const REQUIRED: &[&str] = &["Required", "Is it required?", "Is this field required?", "Is it required"];
const DEFAULT: &[&str] = &["Default value", "Default Value", "Default"];
const DESCRIPTION: &[&str] = &["Description"];
const EXAMPLE: &[&str] = &["Sample value", "Example value", "Example", "Sample Value"];
const YES: &[&str] = &["Yes", "yes"];
const NO: &[&str] = &["No", "no"];
const TYPE_LABEL: &[&str] = &["Type: "];
const EXAMPLE_LABEL: &[&str] = &["Example result:", "Sample result:", "Example Result:"];
const NESTED: &[&str] = &["Nested type: ", "Nested type:", "Nested Type: "];

/// Picks the wording of one page.
struct Wording(u64);

impl Wording {
    fn of(rel: &str) -> Wording {
        // FNV-1a: stable across runs and platforms.
        Wording(rel.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)))
    }

    fn pick(&self, variants: &[&'static str]) -> &'static str {
        variants[(self.0 % 7919) as usize % variants.len()]
    }

    fn heading(&self, zh: &str) -> Option<&'static str> {
        let variants = match zh {
            "方法名称" => METHOD_NAME,
            "请求参数" => REQUEST,
            "请求响应" => RESPONSE,
            "示例代码" => SAMPLE_CODE,
            "数据结构" => DATA_STRUCTURE,
            _ => return None,
        };
        Some(self.pick(variants))
    }

    /// Column headers, inside their `<div>` wrappers.
    fn header(&self, line: &str) -> String {
        let mut out = line.to_string();
        for (zh, en) in [
            ("是否必填", REQUIRED),
            ("默认值", DEFAULT),
            ("示例值", EXAMPLE),
            ("名称", NAME),
            ("类型", TYPE),
            ("描述", DESCRIPTION),
        ] {
            out = out.replace(zh, self.pick(en));
        }
        out
    }

    fn yes_no(&self, cell: &str) -> Option<&'static str> {
        match cell {
            "是" => Some(self.pick(YES)),
            "否" => Some(self.pick(NO)),
            _ => None,
        }
    }

    fn labels(&self, line: &str) -> String {
        line.replace("嵌套类型：", self.pick(NESTED))
    }
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The English form of a Chinese Markdown page, line for line.
fn anglicize_markdown(text: &str, wording: &Wording) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut in_table = false;
    let mut out = String::with_capacity(text.len());
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let next_is_separator = lines.get(i + 1).is_some_and(|next| is_separator(next));
        in_table = t.starts_with('|') && (in_table || next_is_separator);
        let translated = if let Some(en) = t.strip_prefix("## ").and_then(|h| wording.heading(h.trim())) {
            line.replacen(t, &format!("## {en}"), 1)
        } else if t.starts_with('|') && next_is_separator {
            wording.header(line)
        } else if in_table {
            let cells: Vec<String> = line
                .split('|')
                .map(|cell| match wording.yes_no(cell.trim()) {
                    Some(en) => cell.replacen(cell.trim(), en, 1),
                    None => cell.to_string(),
                })
                .collect();
            wording.labels(&cells.join("|"))
        } else if let Some(rest) = line.strip_prefix("类型：") {
            format!("{}{}", wording.pick(TYPE_LABEL), rest.trim_start())
        } else if let Some(rest) = line.strip_prefix("示例结果：") {
            format!("{}{rest}", wording.pick(EXAMPLE_LABEL))
        } else {
            wording.labels(line)
        };
        out.push_str(&translated);
    }
    out
}

/// The English form of a rendered Chinese page.
fn anglicize_html(html: &str, wording: &Wording) -> String {
    let mut out = wording.labels(html);
    for zh in ["方法名称", "请求参数", "请求响应", "示例代码", "数据结构"] {
        let en = wording.heading(zh).expect("a section heading");
        out = out.replace(&format!("¶</a> {zh}</h2>"), &format!("¶</a> {en}</h2>"));
    }
    let mut translated = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(start) = rest.find("<th>") {
        let end = rest[start..].find("</th>").map_or(rest.len(), |e| start + e);
        translated.push_str(&rest[..start]);
        translated.push_str(&wording.header(&rest[start..end]));
        rest = &rest[end..];
    }
    translated.push_str(rest);
    translated
        .replace("<td>是</td>", &format!("<td>{}</td>", wording.pick(YES)))
        .replace("<td>否</td>", &format!("<td>{}</td>", wording.pick(NO)))
        .replace("<p>类型：", &format!("<p>{}", wording.pick(TYPE_LABEL)))
        .replace("<p>示例结果：", &format!("<p>{}", wording.pick(EXAMPLE_LABEL)))
}

/// The name and type text that start each row of the page's tables.
fn row_heads(page: &Page) -> Vec<String> {
    let tables = page.request.iter().chain(page.models.iter().filter_map(|m| m.table.as_ref()));
    let mut heads: Vec<String> = tables
        .flat_map(|t| &t.rows)
        .filter_map(|row| Some(format!("{}{}", row.cells.first()?.plain(), row.cells.get(1)?.plain())))
        .collect();
    // The longest first, so that `id` + `string` does not cut `idList…`.
    heads.sort_by_key(|h| std::cmp::Reverse(h.len()));
    heads
}

/// The English form of a Chinese page's text, line for line.
fn anglicize_text(text: &str, row_heads: &[String], wording: &Wording) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        let bullet = t.trim_start().strip_prefix("• ");
        let translated = if let Some(en) = t.strip_prefix("¶ ").and_then(|h| wording.heading(h)) {
            format!("¶ {en}\n")
        } else if let Some(en) = bullet.and_then(|h| wording.heading(h)) {
            // The page's table of contents, after the content.
            format!("{}• {en}\n", &t[..t.len() - t.trim_start().len()])
        } else if t.starts_with("上一篇:") || t.starts_with("下一篇:") {
            format!("{}\n", t.replace("上一篇:", "Previous article:").replace("下一篇:", "Next article:"))
        } else if t == "用户身份管理" {
            "User identity management\n".to_string()
        } else if matches!(t, "名称类型" | "名称类型描述" | "是否必填" | "默认值" | "描述" | "示例值")
        {
            format!("{}\n", wording.header(t))
        } else if let Some(rest) = t.strip_prefix("类型：") {
            format!("{}{}\n", wording.pick(TYPE_LABEL), rest.trim_start())
        } else if let Some(rest) = t.strip_prefix("示例结果：") {
            format!("{}{rest}\n", wording.pick(EXAMPLE_LABEL))
        } else {
            let head = row_heads.iter().find(|h| {
                line.strip_prefix(h.as_str()).is_some_and(|rest| rest.starts_with('是') || rest.starts_with('否'))
            });
            match head {
                Some(head) => {
                    let rest = &line[head.len()..];
                    let marker = rest.chars().next().map(String::from).unwrap_or_default();
                    let en = wording.yes_no(&marker).unwrap_or_default();
                    wording.labels(&format!("{head}{en}{}", &rest[marker.len()..]))
                }
                None => wording.labels(line),
            }
        };
        out.push_str(&translated);
    }
    out
}

/// Breaks the response table as the published English seed page is broken:
/// an extra separator merges the last row, `data`, into the row before it,
/// and the delimiter row is as wide as the merged row. Returns the broken
/// page and the line number of the `data` row (its diagnostics move up a
/// line), or `None` when the response table does not end with a `data` row.
fn merge_data_row(markdown: &str) -> Option<(String, u32)> {
    let mut lines: Vec<String> = markdown.split_inclusive('\n').map(str::to_string).collect();
    let response = lines.iter().position(|l| RESPONSE.iter().any(|h| l.trim() == format!("## {h}")))?;
    let separator = (response..lines.len()).find(|&i| is_separator(&lines[i]))?;
    let end = (separator + 1..lines.len()).find(|&i| !lines[i].trim().starts_with('|')).unwrap_or(lines.len());
    let data = end - 1;
    let cells = |line: &str| line.trim().trim_matches('|').split('|').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    if data <= separator + 1 || cells(&lines[data]).first().map(String::as_str) != Some("data") {
        return None;
    }
    let width = cells(&lines[separator]).len();
    let merged =
        format!("{} |     {}", lines[data - 1].trim_end().trim_end_matches('|').trim_end(), lines[data].trim_start());
    let widened = format!("{}{}\n", lines[separator].trim_end(), " --- |".repeat(width + 1));
    lines[data - 1] = merged;
    // The data line becomes the blank line after the table, so every line
    // after it keeps its number.
    lines[data] = "\n".to_string();
    lines[separator] = widened;
    Some((lines.concat(), u32::try_from(data + 1).ok()?))
}

/// Diagnostic kinds and lines, which translation must not change (merged
/// rows are counted on their own).
fn places(diags: &Diagnostics, moved: impl Fn(u32) -> u32) -> Vec<(Kind, u32)> {
    let mut out: Vec<(Kind, u32)> =
        diags.iter().filter(|d| d.kind != Kind::MergedRow).map(|d| (d.kind, moved(d.line))).collect();
    out.sort_by_key(|(kind, line)| (kind.name(), *line));
    out
}

/// Translation changes the widths of header cells, so a hand-aligned table
/// can become aligned (or stop being so), which changes the method rule.
fn realigned(a: &Api, b: &Api) -> bool {
    let layout = |api: &Api| api.operations.iter().map(|op| op.http_rule == HttpRule::NameAndTypes).collect::<Vec<_>>();
    layout(a) != layout(b)
}

fn forget_http_method(api: &mut Value) {
    for op in api["operations"].as_array_mut().into_iter().flatten() {
        for key in ["method", "http_rule"] {
            op[key] = Value::Null;
        }
        for param in op["params"].as_array_mut().into_iter().flatten() {
            param["location"] = Value::Null;
        }
    }
}

fn compare(
    rel: &str,
    (expected, expected_diags): &(Api, Diagnostics),
    (actual, diags): &(Api, Diagnostics),
    moved: impl Fn(u32) -> u32,
) -> Option<String> {
    let json = |api: &Api| serde_json::to_value(api).expect("a schema serializes");
    let (mut a, mut b) = (json(expected), json(actual));
    if realigned(expected, actual) {
        forget_http_method(&mut a);
        forget_http_method(&mut b);
    }
    if a != b {
        return Some(format!("{rel}: schema differs at {}", first_difference(&a, &b, "")));
    }
    let (a, b) = (places(expected_diags, moved), places(diags, |line| line));
    (a != b).then(|| format!("{rel}: diagnostics differ: {a:?} != {b:?}"))
}

fn check_pages(root: &Path, ext: &str, form: PageForm, anglicize: impl Fn(&str, &str, &Wording) -> String) -> usize {
    let pages = files_with_extension(root, ext);
    let mut failures = Vec::new();
    let mut merged = 0;
    for path in &pages {
        let rel = path.strip_prefix(root).expect("under root").to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        let original = lower_one_with_diagnostics(path, &rel, form, &bytes);
        let english = anglicize(text, &rel, &Wording::of(&rel));
        let translated = lower_one_with_diagnostics(path, &rel, form, english.as_bytes());
        failures.extend(compare(&rel, &original, &translated, |line| line));
        if form != PageForm::Markdown {
            continue;
        }
        let Some((broken, data_line)) = merge_data_row(&english) else { continue };
        merged += 1;
        let broken = lower_one_with_diagnostics(path, &rel, form, broken.as_bytes());
        let merge_warnings = |diags: &Diagnostics| diags.iter().filter(|d| d.kind == Kind::MergedRow).count();
        if (merge_warnings(&original.1), merge_warnings(&broken.1)) != (0, 1) {
            failures.push(format!("{rel}: expected one merged-row warning, only after merging the data row"));
        }
        let moved = |line| if line == data_line { line - 1 } else { line };
        failures.extend(compare(&format!("{rel} (merged data row)"), &original, &broken, moved));
    }
    assert!(
        failures.is_empty(),
        "{} English pages differ from their originals:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{} {form:?} pages compared in English, {merged} also with a merged data row", pages.len());
    merged
}

#[test]
fn english_markdown_pages_read_like_chinese_ones() {
    let Some(corpus) = corpus() else { return };
    let merged =
        check_pages(&corpus.join("zh"), "md", PageForm::Markdown, |text, _, wording| anglicize_markdown(text, wording));
    assert!(merged >= 2000, "expected most response tables to end with `data`, merged {merged}");
}

#[test]
fn english_html_pages_read_like_chinese_ones() {
    let Some(corpus) = corpus() else { return };
    check_pages(&corpus.join("html/zh"), "html", PageForm::Html, |html, _, wording| anglicize_html(html, wording));
}

#[test]
fn english_text_pages_read_like_chinese_ones() {
    let Some(corpus) = corpus() else { return };
    check_pages(&corpus.join("text/zh"), "txt", PageForm::Text, |text, rel, wording| {
        // Page text runs the cells of a row together; the Markdown source
        // tells where a row's name and type end and its 是/否 starts.
        let source = corpus.join("zh").join(rel).with_extension("md");
        let bytes = std::fs::read(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        let page = read_page(rel, PageForm::Markdown, &bytes, &|_| None, &mut Diagnostics::default());
        anglicize_text(text, &row_heads(&page), wording)
    });
}

#[test]
fn translation_covers_every_structural_word() {
    let page = "## 请求参数\n\n| 名称 | 类型 | <div>是否必填</div> | 默认值 | 描述 | 示例值 |\n| -- | -- | -- | -- | -- | -- |\n\
        | a | string | 是 | - | x 嵌套类型：<a href=\"#B\">B</a> | |\n\n## 请求响应\n\n类型： `R`\n\n\
        | 名称 | 类型 | 描述 |\n| -- | -- | -- |\n| code | number | c |\n| data | string | d |\n\n示例结果：\n";
    let english = anglicize_markdown(page, &Wording(0));
    assert!(!english.contains(['是', '否', '名', '型', '值', '请', '嵌']), "{english}");
    let (broken, data_line) = merge_data_row(&english).expect("a data row to merge");
    assert_eq!(data_line, 14);
    assert!(broken.contains("| c |     | data | string | d |"), "{broken}");
    assert_eq!(broken.lines().count(), english.lines().count());

    let text = "¶ 请求参数\n\n名称类型\n是否必填\n默认值\n描述\n示例值\nqrcodeIdstring是-码 ID\n\
        ¶ 请求响应\n\n类型： R\n\n名称类型描述\ndataR数据\n\n示例结果：\n\n{}\n上一篇: A 下一篇: B\n  • 请求参数\n";
    let english = anglicize_text(text, &["qrcodeIdstring".to_string()], &Wording(0));
    assert!(!english.contains(['是', '否', '名', '型', '值', '请', '篇', '述']), "{english}");
    assert_eq!(english.lines().count(), text.lines().count());
}

/// Our own English pages with the defects of the real ones, worded
/// differently from them (their snapshots show the whole schema).
#[test]
fn english_defect_fixtures_read_as_documented() {
    use generator::schema::{ModelBody, Type};

    use crate::support::{repo, run};

    let fields = |api: &Api, model: &str| -> Vec<(String, bool)> {
        match &api.model(model).unwrap_or_else(|| panic!("{model}")).body {
            ModelBody::Struct { fields } => fields.iter().map(|f| (f.name.clone(), f.required)).collect(),
            ModelBody::Enum { .. } => Vec::new(),
        }
    };
    let dir = repo().join("tests/fixtures");

    // Broken rows are skipped, each with its line; the DTO that lost every
    // row takes its fields from the parameter's example.
    let broken = run(&dir.join("english-broken-rows.md"));
    let params: Vec<&str> = broken.api.operations[0].params.iter().map(|p| p.field.name.as_str()).collect();
    assert_eq!(params, ["memberIds", "settings", "appId"]);
    let bad_rows: Vec<u32> = broken.diags.iter().filter(|d| d.kind == Kind::BadRow).map(|d| d.line).collect();
    assert_eq!(bad_rows, [18, 19, 41, 49]);
    let settings = [("idKind".to_string(), false), ("notify".to_string(), false)];
    assert_eq!(fields(&broken.api, "SignOutSettingsDto"), settings);
    assert_eq!(fields(&broken.api, "SignOutResultDto"), [("signedOut".to_string(), true)]);

    // Sometimes-absent response fields, however (or whether) it is said.
    let presence = run(&dir.join("english-response-presence.md"));
    let optional: Vec<String> =
        fields(&presence.api, "ArchiveProjectRespDto").into_iter().filter(|f| !f.1).map(|f| f.0).collect();
    assert_eq!(optional, ["apiCode", "requestId", "traceHint", "detail", "warnings"]);

    // Value lists in prose; a qualifier and a value word without a list are none.
    let enums = run(&dir.join("english-prose-enums.md"));
    let values: Vec<(String, Vec<String>)> = enums.api.operations[0]
        .params
        .iter()
        .map(|p| match &p.field.ty {
            Type::Enum { values } => (p.field.name.clone(), values.iter().map(|v| v.value.clone()).collect()),
            _ => (p.field.name.clone(), Vec::new()),
        })
        .collect();
    let expected: [(&str, &[&str]); 5] = [
        ("format", &["csv", "jsonl", "xlsx"]),
        ("period", &["day", "week", "month"]),
        ("zone", &["UTC", "CET", "JST"]),
        ("compact", &["on", "off"]),
        ("title", &[]),
    ];
    assert_eq!(values, expected.map(|(n, v)| (n.to_string(), v.iter().map(|s| s.to_string()).collect())));

    // Saved text: a DTO glued to the name, a lower-case header, another
    // sample-result label, an empty default before a capitalized description.
    let text = run(&dir.join("english-saved-text.page.txt"));
    let op = &text.api.operations[0];
    let params: Vec<(&str, Option<&Value>)> =
        op.params.iter().map(|p| (p.field.name.as_str(), p.field.default.as_ref())).collect();
    assert_eq!(params, [("secretPayload", None), ("handle", None), ("locale", None)]);
    assert!(op.response_example.is_some());
    assert_eq!(
        fields(&text.api, "RegisterAccountRespDto"),
        [("statusCode".to_string(), true), ("apiCode".to_string(), false), ("data".to_string(), true)]
    );
}
