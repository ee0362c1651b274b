//! Broken pages: real corpus pages (and the fixtures) mutated the way pages
//! break — rows and cells deleted or duplicated, stray `|` and backticks,
//! truncation, invalid UTF-8, CRLF — must each give a schema or diagnostics,
//! never a panic, diagnostics that name the page and (for what sits on a
//! line) the line, and a crate that compiles warning-free. A fixed seed and
//! case count keep the run deterministic and a few seconds long; the fuzz
//! targets in `generator/fuzz/` search the same space without bounds.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use generator::diag::{Diagnostics, Kind};
use generator::emit::openapi;
use generator::emit::rust::{self, CrateKind};
use generator::lower::{self, Overrides};
use generator::page::PageForm;
use generator::read::{self, read_page};
use generator::schema::Api;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::compile::{api_workspace, cargo};
use crate::support::{corpus, repo};

/// Diagnostics about a page as a whole (a missing section or method name,
/// no API tables, no content element), which carry line 0; every other
/// kind points at the line it is about.
const PAGE_WIDE: &[Kind] =
    &[Kind::NonApiPage, Kind::MissingSection, Kind::MissingMethodName, Kind::BadMethodName, Kind::BadMarkup];

/// Every how-many-th case's crate is compiled.
const COMPILE_EVERY: usize = 30;

/// One page of the sample: its path (for locations) and bytes.
struct Sample {
    path: String,
    form: PageForm,
    bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Deletes a table row (any line when the page has no `|`).
    DeleteRow(usize),
    DuplicateRow(usize),
    /// Deletes or duplicates one `|`-separated cell of a row.
    DeleteCell(usize, usize),
    DuplicateCell(usize, usize),
    Insert(usize, &'static [u8]),
    Truncate(usize),
    Crlf,
}

const INSERTS: &[&[u8]] = &[b"|", b"`", b"``", b"\n```\n", b"\xff", b"\xe4\xb8", b"\r", b"<", b"\\|", b"\n|---|\n"];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteRow),
        any::<usize>().prop_map(Mutation::DuplicateRow),
        (any::<usize>(), any::<usize>()).prop_map(|(r, c)| Mutation::DeleteCell(r, c)),
        (any::<usize>(), any::<usize>()).prop_map(|(r, c)| Mutation::DuplicateCell(r, c)),
        (any::<usize>(), prop::sample::select(INSERTS)).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        any::<usize>().prop_map(Mutation::Truncate),
        Just(Mutation::Crlf),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let rows: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains(&b'|')).collect();
    let rows = if rows.is_empty() { (0..lines.len()).collect() } else { rows };
    let row = |at: &usize| rows[at % rows.len()];
    match mutation {
        Mutation::DeleteRow(at) => {
            lines.remove(row(at));
        }
        Mutation::DuplicateRow(at) => {
            let i = row(at);
            lines.insert(i, lines[i].clone());
        }
        Mutation::DeleteCell(at, cell) | Mutation::DuplicateCell(at, cell) => {
            let i = row(at);
            let mut cells: Vec<Vec<u8>> = lines[i].split(|&b| b == b'|').map(<[u8]>::to_vec).collect();
            let c = cell % cells.len();
            if matches!(mutation, Mutation::DeleteCell(..)) {
                cells.remove(c);
            } else {
                cells.insert(c, cells[c].clone());
            }
            lines[i] = cells.join(&b'|');
        }
        Mutation::Insert(at, text) => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, text.iter().copied());
            return;
        }
        Mutation::Truncate(at) => {
            bytes.truncate(at % (bytes.len() + 1));
            return;
        }
        Mutation::Crlf => {
            *bytes = lines.join(&b"\r\n"[..]);
            return;
        }
    }
    *bytes = lines.join(&b'\n');
}

/// Every fixture page, and every 12th page of each form of the corpus.
fn samples() -> Vec<Sample> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut add = |root: &Path, every: usize| {
        let pages = read::list_pages(root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
        files.extend(pages.into_iter().step_by(every).map(|p| (p.path, p.rel)));
    };
    add(&repo().join("tests/fixtures"), 1);
    if let Some(corpus) = corpus() {
        for root in ["zh", "html/zh", "text/zh"] {
            add(&corpus.join(root), 12);
        }
    }
    files
        .into_iter()
        .filter_map(|(path, rel)| {
            let form = read::form_of(&path)?;
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Some(Sample { path: rel, form, bytes })
        })
        .collect()
}

#[test]
fn mutated_pages_give_a_schema_or_diagnostics() {
    let samples = samples();
    let config = Config { cases: 300, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let strategy = (any::<usize>(), prop::collection::vec(mutation(), 1..6));
    let compiled: RefCell<Vec<(String, Api)>> = RefCell::new(Vec::new());
    let case = RefCell::new(0usize);
    let result = runner.run(&strategy, |(page, mutations)| {
        let sample = &samples[page % samples.len()];
        let mut bytes = sample.bytes.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let mut diags = Diagnostics::default();
        let page = read_page(&sample.path, sample.form, &bytes, &|_| None, &mut diags);
        let api = lower::lower(&[page], &Overrides::default(), &mut diags);
        let schema = !api.operations.is_empty() || !api.models.is_empty();
        prop_assert!(schema || !diags.is_empty(), "{}: neither a schema nor a diagnostic", sample.path);
        // `\r` alone also ends a line.
        let lines = 1 + bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u32;
        for d in diags.iter() {
            prop_assert_eq!(&d.file, &sample.path, "{}", d);
            let line_ok = (1..=lines).contains(&d.line) || (d.line == 0 && PAGE_WIDE.contains(&d.kind));
            prop_assert!(line_ok, "{}: line {} of a {lines}-line page: {}", sample.path, d.line, d);
        }
        for file in rust::emit(&api, CrateKind::Standalone) {
            // The emitter's fallback when its own tokens do not parse.
            let broken = file.contents.lines().any(|l| l.starts_with("compile_error!"));
            prop_assert!(!broken, "{}: {} does not parse", sample.path, file.path);
        }
        openapi::document(&api);
        let n = case.replace_with(|n| *n + 1);
        if n.is_multiple_of(COMPILE_EVERY) && schema {
            compiled.borrow_mut().push((format!("mutated-{n}"), api));
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    // A sample of the mutated pages' crates builds warning-free.
    let compiled = compiled.into_inner();
    assert!(compiled.len() >= 5, "only {} crates to compile", compiled.len());
    let workspace = api_workspace("mutated", &compiled);
    cargo(&workspace, &["check", "--workspace", "--quiet"]);
}

#[test]
fn mutations_do_what_they_say() {
    let page = b"a\n| x | y |\n| 1 | 2 |".to_vec();
    let run = |m: Mutation| {
        let mut bytes = page.clone();
        apply(&mut bytes, &m);
        String::from_utf8_lossy(&bytes).into_owned()
    };
    assert_eq!(run(Mutation::DeleteRow(0)), "a\n| 1 | 2 |");
    assert_eq!(run(Mutation::DuplicateRow(3)), "a\n| x | y |\n| 1 | 2 |\n| 1 | 2 |");
    assert_eq!(run(Mutation::DeleteCell(0, 1)), "a\n| y |\n| 1 | 2 |");
    assert_eq!(run(Mutation::Insert(1, b"`")), "a`\n| x | y |\n| 1 | 2 |");
    assert_eq!(run(Mutation::Truncate(9)), "a\n| x | y");
    assert_eq!(run(Mutation::Crlf), "a\r\n| x | y |\r\n| 1 | 2 |");
}

/// Invalid UTF-8 in any form: the bytes become U+FFFD, the page is read
/// on, and one `unreadable` warning names the file and the line.
#[test]
fn invalid_utf8_is_replaced_and_reported_as_unreadable_on_its_line() {
    const TITLE: &str = "Get demo info";
    let dir = repo().join("tests/fixtures/unrendered-table");
    for (file, form, title_line) in [
        ("get-demo-info.md", PageForm::Markdown, 1),
        ("get-demo-info.html", PageForm::Html, 2),
        ("get-demo-info.txt", PageForm::Text, 1),
    ] {
        let path = dir.join(file);
        let clean = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines: Vec<Vec<u8>> = clean.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let title = &mut lines[title_line - 1];
        let end = title.windows(TITLE.len()).position(|w| w == TITLE.as_bytes()).expect("the title") + TITLE.len();
        title.insert(end, 0xff);
        let bytes = lines.join(&b'\n');

        let mut diags = Diagnostics::default();
        let page = read_page(file, form, &bytes, &|_| None, &mut diags);
        let unreadable: Vec<_> = diags.iter().filter(|d| d.kind == Kind::Unreadable).collect();
        assert_eq!(unreadable.len(), 1, "{file}: {unreadable:?}");
        assert_eq!((unreadable[0].file.as_str(), unreadable[0].line), (file, title_line as u32), "{file}");
        let title = page.title.as_ref().map(|t| t.value.as_str()).unwrap_or_default();
        assert_eq!(title, "Get demo info\u{fffd}", "{file}");
        let api = lower::lower(&[page], &Overrides::default(), &mut diags);
        assert_eq!(api.operations.len(), 1, "{file}: the page is read on");
    }
}
