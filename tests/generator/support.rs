//! Helpers shared by the generator tests.

use std::path::{Path, PathBuf};

use generator::diag::Diagnostics;
use generator::emit::rust::{self, CrateKind, File};
use generator::lower::{self, Overrides};
use generator::page::{Page, PageForm};
use generator::pipeline::{self, Run};
use generator::read::{read_page, resolve_include};
use generator::schema::Api;
use serde_json::Value;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The real documentation corpus, when it sits beside the checkout. Without
/// it the calling test is skipped, visibly: the skip is written to the
/// terminal, which cargo's output capture does not hide; in CI (`CI` set,
/// as CI services do) the test fails instead.
pub fn corpus() -> Option<PathBuf> {
    let dir = repo().join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    let test = std::thread::current().name().unwrap_or("a corpus test").to_string();
    let message = format!("{test}: SKIPPED, ../shared/corpus is not beside the checkout");
    assert!(!in_ci(), "{message}, and CI must run the corpus tests");
    eprintln!("{message}");
    if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        use std::io::Write;
        // Best effort: without a terminal the message is in the captured stderr.
        let _ = writeln!(tty, "{message}");
    }
    None
}

/// Whether the tests run in CI: `CI` is set to anything but `false` or `0`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs the pipeline on a folder or a single page, with the overrides file
/// of the folder, or else that of `docs/` (which also corrects the corpus).
pub fn run(docs: &Path) -> Run {
    let mut diags = Diagnostics::default();
    let own = docs.join("overrides.toml");
    let file = if own.is_file() { own } else { repo().join("docs/overrides.toml") };
    let overrides = overrides(&file, &mut diags);
    pipeline::run(docs, &overrides, diags).unwrap_or_else(|e| panic!("{}: {e}", docs.display()))
}

/// The overrides file at `path` with the SDK reference beside it, or none
/// when it cannot be read.
pub fn overrides(path: &Path, diags: &mut Diagnostics) -> Overrides {
    Overrides::load(path, diags).unwrap_or_default()
}

/// The pages under `root`, read as `pipeline::run` reads them.
pub fn read_pages(root: &Path) -> Vec<Page> {
    let mut diags = Diagnostics::default();
    pipeline::read_pages(root, &mut diags).unwrap_or_else(|e| panic!("{}: {e}", root.display())).1
}

/// The files below `dir` with extension `ext`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The generated Rust files of a run (models and clients; the manifest and
/// `lib.rs` are the same for every input).
pub fn generated_code(run: &Run) -> String {
    let files: Vec<File> = rust::emit(&run.api, CrateKind::Standalone);
    files
        .iter()
        .filter(|f| f.path.ends_with(".rs") && f.path != "src/lib.rs")
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads and lowers one page on its own, as `rel` in `form`.
pub fn lower_one(path: &Path, rel: &str, form: PageForm) -> Api {
    lower_one_with_diagnostics(
        path,
        rel,
        form,
        &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .0
}

/// Lowers `bytes` as the page at `path`, read as `rel` in `form`, with its diagnostics.
pub fn lower_one_with_diagnostics(path: &Path, rel: &str, form: PageForm, bytes: &[u8]) -> (Api, Diagnostics) {
    lower_one_with_overrides(path, rel, form, bytes, &Overrides::default())
}

/// Lowers `bytes` as the page at `path`, read as `rel` in `form`, with the
/// corrections of `overrides`.
pub fn lower_one_with_overrides(
    path: &Path,
    rel: &str,
    form: PageForm,
    bytes: &[u8],
    overrides: &Overrides,
) -> (Api, Diagnostics) {
    let mut diags = Diagnostics::default();
    let includes = |target: &str| resolve_include(path, target);
    let page = read_page(rel, form, bytes, &includes, &mut diags);
    let api = lower::lower(&[page], overrides, &mut diags);
    (api, diags)
}

/// The first differing JSON path, for the failure message.
pub fn first_difference(a: &Value, b: &Value, path: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                if x.get(key) != y.get(key) {
                    return first_difference(
                        x.get(key).unwrap_or(&Value::Null),
                        y.get(key).unwrap_or(&Value::Null),
                        &format!("{path}.{key}"),
                    );
                }
            }
            path.to_string()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return first_difference(p, q, &format!("{path}[{i}]"));
                }
            }
            path.to_string()
        }
        _ => format!("{path}: {a} != {b}"),
    }
}

/// Diagnostics of a run, one per line, as a maintainer sees them.
pub fn diagnostics(run: &Run) -> String {
    let mut out: Vec<String> = run.diags.grouped().iter().map(ToString::to_string).collect();
    out.push(pipeline::summary(run));
    out.join("\n")
}

/// Pages whose two forms cannot agree, with the reason. All are tables with
/// a row whose code span runs over several source lines: VuePress's
/// markdown-it ends the table at the first continuation line, so the rendered
/// page shows the rest of the rows as text (the HTML reader warns `bad-row`).
pub const BROKEN_HTML_TABLES: &[(&str, &str)] = &[
    ("management/管理-pipeline/create-pipeline-function.md", CUT_TO_PARAGRAPH),
    ("management/管理-pipeline/get-pipeline-function.md", CUT_TO_PARAGRAPH),
    ("management/管理-pipeline/get-pipeline-logs.md", CUT_TO_PARAGRAPH),
    ("management/管理-pipeline/list-pipeline-function.md", CUT_TO_PARAGRAPH),
    ("management/管理-pipeline/list-pipeline-functions.md", CUT_TO_PARAGRAPH),
    ("management/管理-pipeline/reupload-pipeline-function.md", CUT_TO_PARAGRAPH),
    ("management/管理-pipeline/update-pipeline-function.md", CUT_TO_PARAGRAPH),
    ("management/管理应用/create-application.md", CUT_TO_PARAGRAPH),
    ("management/管理应用/get-application.md", CUT_TO_PARAGRAPH),
    ("management/管理应用/list-applications.md", CUT_TO_PARAGRAPH),
    ("management/管理安全配置/get-security-settings.md", CUT_TO_ROW),
    ("management/管理安全配置/update-security-settings.md", CUT_TO_ROW),
    ("management/管理数据对象/metadata-create-field.md", CUT_TO_CODE),
    ("management/管理数据对象/metadata-list-field.md", CUT_TO_CODE),
    ("management/管理数据对象/metadata-update-field.md", CUT_TO_CODE),
];

const CUT_TO_PARAGRAPH: &str = "the rows after the multi-line example value are rendered as one paragraph, \
    with code spans paired across row boundaries; the HTML has no rows to read";
const CUT_TO_ROW: &str = "the continuation line of the multi-line example value holds a `|`, so it is \
    rendered as an extra row of its own; the value is split over two rows";
const CUT_TO_CODE: &str = "the indented continuation lines of the multi-line example value are rendered \
    as a code block and the remaining rows as a paragraph; the HTML has no rows to read";

/// Copies the folder `from` with everything below it to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy page");
        }
    }
}
