//! The saved-page-text reader against the Markdown reader on the corpus: both
//! forms of a page must give the same page, except what text cannot carry.

use std::path::Path;

use generator::diag::{Diagnostics, Severity};
use generator::page::{Cell, ColumnKind, Page, PageForm, Row, Table};
use generator::read::{read_page, resolve_include};

use crate::support::{corpus, files_with_extension};

fn read(path: &Path, form: PageForm) -> Page {
    read_counting(path, form).0
}

/// Reads a page; also returns the number of warnings.
fn read_counting(path: &Path, form: PageForm) -> (Page, usize) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut diags = Diagnostics::default();
    let includes = |target: &str| resolve_include(path, target);
    let page = read_page(&path.to_string_lossy(), form, &bytes, &includes, &mut diags);
    (page, diags.count(Severity::Warning))
}

fn cell<'a>(table: &Table, row: &'a Row, kind: ColumnKind) -> Option<&'a Cell> {
    let at = table.columns.iter().position(|c| c.kind == kind)?;
    row.cells.get(at)
}

fn plain(table: &Table, row: &Row, kind: ColumnKind) -> String {
    cell(table, row, kind).map(Cell::plain).unwrap_or_default()
}

/// Text without whitespace and without what only one form shows.
fn squeeze(s: &str) -> String {
    s.replace("(opens new window)", "")
        .replace("<br>", "")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect()
}

/// The tables of a page with a label each.
fn tables(page: &Page) -> Vec<(String, Option<&Table>)> {
    let mut out = vec![("request".to_string(), page.request.as_ref())];
    out.push(("response".to_string(), page.response.as_ref().and_then(|r| r.table.as_ref())));
    for model in &page.models {
        out.push((model.name.value.clone(), model.table.as_ref()));
    }
    out
}

#[derive(Default)]
struct Misses {
    loose: Vec<String>,
    split: Vec<String>,
}

#[derive(Default)]
struct Figures {
    same_example: usize,
    same_generated: usize,
    warnings: usize,
    pages: usize,
    rows: usize,
    loose: usize,
    exact: usize,
    with_example: usize,
    exact_with_example: usize,
}

/// Compares the text form of a page with its Markdown form; returns the
/// strict differences.
fn compare(rel: &str, md: &Page, text: &Page, figures: &mut Figures, misses: &mut Misses) -> Vec<String> {
    let Misses { loose: loose_misses, split: split_misses } = misses;
    let mut errors = Vec::new();
    let mut check = |what: &str, a: String, b: String| {
        if a != b {
            errors.push(format!("{rel}: {what}: markdown {a:?} vs text {b:?}"));
        }
    };
    let value = |v: &Option<generator::page::Located<String>>| v.as_ref().map(|l| l.value.clone());
    // The site fills in the brand name placeholder of prose page titles.
    let md_title = value(&md.title).map(|t| t.replace("{{$localeConfig.brandName}}", "Authing"));
    check("title", format!("{md_title:?}"), format!("{:?}", value(&text.title)));
    check("method", format!("{:?}", value(&md.method_name)), format!("{:?}", value(&text.method_name)));
    let sections = |p: &Page| p.sections.iter().map(|s| s.value.clone()).collect::<Vec<_>>().join(" › ");
    check("sections", sections(md), sections(text));
    let response_type = |p: &Page| p.response.as_ref().and_then(|r| value(&r.type_name));
    check("response type", format!("{:?}", response_type(md)), format!("{:?}", response_type(text)));
    let models = |p: &Page| p.models.iter().map(|m| m.name.value.clone()).collect::<Vec<_>>().join(", ");
    check("models", models(md), models(text));
    for ((label, md_table), (_, text_table)) in tables(md).into_iter().zip(tables(text)) {
        let (Some(a), Some(b)) = (md_table, text_table) else {
            check(&format!("{label} table"), format!("{}", md_table.is_some()), format!("{}", text_table.is_some()));
            continue;
        };
        let kinds = |t: &Table| t.columns.iter().map(|c| format!("{:?}", c.kind)).collect::<Vec<_>>().join(",");
        check(&format!("{label} columns"), kinds(a), kinds(b));
        check(&format!("{label} row count"), a.rows.len().to_string(), b.rows.len().to_string());
        for (ra, rb) in a.rows.iter().zip(&b.rows) {
            let name = plain(a, ra, ColumnKind::Name);
            for kind in [ColumnKind::Name, ColumnKind::Type, ColumnKind::Required, ColumnKind::Default] {
                check(&format!("{label}.{name} {kind:?} (line {})", rb.line), plain(a, ra, kind), plain(b, rb, kind));
            }
            let (da, ea) = (plain(a, ra, ColumnKind::Description), plain(a, ra, ColumnKind::Example));
            let (db, eb) = (plain(b, rb, ColumnKind::Description), plain(b, rb, ColumnKind::Example));
            figures.rows += 1;
            if squeeze(&format!("{da}{ea}")) == squeeze(&format!("{db}{eb}")) {
                figures.loose += 1;
            } else {
                loose_misses.push(format!(
                    "{rel}: {label}.{name}: {:?} vs {:?}",
                    format!("{da}|{ea}"),
                    format!("{db}|{eb}")
                ));
            }
            let exact = squeeze(&da) == squeeze(&db) && squeeze(&ea) == squeeze(&eb);
            figures.exact += usize::from(exact);
            if !exact {
                split_misses.push(format!(
                    "{rel}: {label}.{name}: {:?} vs {:?}",
                    format!("{da}|{ea}"),
                    format!("{db}|{eb}")
                ));
            }
            if !ea.is_empty() {
                figures.with_example += 1;
                figures.exact_with_example += usize::from(exact);
            }
        }
    }
    errors
}

#[test]
fn text_pages_match_their_markdown_twins() {
    let Some(corpus) = corpus() else { return };
    let text_root = corpus.join("text/zh/python");
    let paths = files_with_extension(&text_root, "txt");
    assert_eq!(paths.len(), 518, "text pages in the corpus");
    let mut figures = Figures::default();
    let mut errors = Vec::new();
    let mut misses = Misses::default();
    for path in &paths {
        let rel = path.strip_prefix(&text_root).unwrap().with_extension("");
        let rel = rel.to_string_lossy().to_string();
        let md = read(&corpus.join("zh/python").join(format!("{rel}.md")), PageForm::Markdown);
        let (text, warnings) = read_counting(path, PageForm::Text);
        figures.pages += 1;
        figures.warnings += warnings;
        figures.same_generated += usize::from(md.generated == text.generated);
        let example = |p: &Page| {
            let raw = p.response.as_ref().and_then(|r| r.example.as_ref()).map(|e| e.value.clone());
            raw.map(|e| serde_json::from_str::<serde_json::Value>(&e).map_or(squeeze(&e), |v| v.to_string()))
        };
        figures.same_example += usize::from(example(&md) == example(&text));
        errors.extend(compare(&rel, &md, &text, &mut figures, &mut misses));
    }
    let Figures { pages, rows, loose, exact, with_example, exact_with_example, same_example, same_generated, warnings } =
        figures;
    eprintln!("text reader: {pages} pages, {rows} table rows compared");
    eprintln!("  description+example equal (whitespace and markup removed): {loose}/{rows}");
    eprintln!(
        "  exact description/example split: {exact}/{rows} ({exact_with_example}/{with_example} of rows with an example)"
    );
    eprintln!("  same sample result (as JSON where it parses): {same_example}/{pages} pages");
    eprintln!(
        "  same `generated` flag: {same_generated}/{pages} pages (the text has the note only where the Markdown has the quote)"
    );
    eprintln!("  text reader warnings: {warnings}");
    for miss in misses.loose.iter().take(20) {
        eprintln!("  loose miss: {miss}");
    }
    for miss in misses.split.iter().take(10) {
        eprintln!("  split miss: {miss}");
    }
    for error in errors.iter().take(60) {
        eprintln!("  {error}");
    }
    assert!(errors.is_empty(), "{} strict differences", errors.len());
}

#[test]
fn english_seed_page() {
    let Some(corpus) = corpus() else { return };
    let page = read(&corpus.join("../seeds/check-qrcode-status.page.txt"), PageForm::Text);
    assert_eq!(page.title.as_ref().unwrap().value, "Query QR code status");
    assert!(page.generated);
    assert_eq!(page.method_name.as_ref().unwrap().value, "AuthenticationClient.check_qr_code_status");
    let request = page.request.as_ref().unwrap();
    assert_eq!(request.rows.len(), 1);
    let row = |t: &Table, r: &Row| {
        [ColumnKind::Name, ColumnKind::Type, ColumnKind::Required, ColumnKind::Default].map(|k| plain(t, r, k))
    };
    assert_eq!(row(request, &request.rows[0]), ["qrcodeId", "string", "Yes", "-"]);
    let response = page.response.as_ref().unwrap();
    assert_eq!(response.type_name.as_ref().unwrap().value, "CheckQRCodeStatusRespDto");
    assert!(response.example.as_ref().unwrap().value.contains("\"statusCode\": 200"));
    let table = response.table.as_ref().unwrap();
    let fields: Vec<_> = table.rows.iter().map(|r| row(table, r)).collect();
    let expected = [
        ("statusCode", "number"),
        ("message", "string"),
        ("apiCode", "number"),
        ("requestId", "string"),
        ("data", "CheckQRCodeStatusDataDto"),
    ];
    assert_eq!(fields.len(), expected.len());
    for (got, (name, ty)) in fields.iter().zip(expected) {
        assert_eq!((got[0].as_str(), got[1].as_str()), (name, ty));
    }
    assert_eq!(table.rows[4].cells[1].anchors().collect::<Vec<_>>(), ["CheckQRCodeStatusDataDto"]);
    let models: Vec<_> = page.models.iter().map(|m| m.name.value.as_str()).collect();
    assert_eq!(models, ["CheckQRCodeStatusDataDto", "QRCodeStatusBriefUserInfoDto", "LoginTokenResponseDataDto"]);
    let expected: [&[(&str, &str, &str)]; 3] = [
        &[("status", "string", "Yes"), ("ticket", "string", "No"), ("briefUserInfo", "", "No"), ("tokenSet", "", "No")],
        &[("displayName", "string", "Yes"), ("photo", "string", "Yes")],
        &[
            ("scope", "string", "no"),
            ("access_token", "string", "no"),
            ("id_token", "string", "no"),
            ("refresh_token", "string", "no"),
            ("token_type", "string", "yes"),
            ("expire_in", "number", "yes"),
        ],
    ];
    for (model, fields) in page.models.iter().zip(expected) {
        let table = model.table.as_ref().unwrap();
        let got: Vec<_> = table.rows.iter().map(|r| row(table, r)).collect();
        let got: Vec<_> = got.iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str())).collect();
        assert_eq!(got, fields, "{}", model.name.value);
    }
    let status = &page.models[0].table.as_ref().unwrap().rows[0];
    assert_eq!(status.cells[4].plain(), "PENDING");
    let expire = &page.models[2].table.as_ref().unwrap().rows[5];
    assert_eq!(expire.cells[3].plain(), "Expiration time in seconds");
    assert_eq!(expire.cells[4].plain(), "7200");
}
