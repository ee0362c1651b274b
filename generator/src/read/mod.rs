//! Page readers. Each form (Markdown source, rendered HTML, saved page text)
//! has its own module that turns a file into a flat list of [`Block`]s;
//! [`PageBuilder`] assembles blocks into the format-neutral [`Page`], so the
//! section logic exists once for all forms.

pub mod html;
pub mod inline;
pub mod markdown;
pub mod text;
mod unrendered;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, Kind};
use crate::page::{
    Cell, CodeSample, Located, ModelSection, Page, PageForm, ResponseSection, SectionKind, Table, is_boilerplate,
    is_example_label, strip_response_type_label,
};

/// A top-level block of a page, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        line: u32,
        cell: Cell,
    },
    /// `source` is the paragraph as Markdown (the original source where the
    /// form has it).
    Paragraph {
        line: u32,
        cell: Cell,
        source: String,
    },
    Code {
        line: u32,
        lang: String,
        code: String,
    },
    Table(Table),
    /// Anything else (HTML blocks, quotes, lists), as Markdown source.
    Other {
        line: u32,
        source: String,
    },
}

impl Block {
    pub fn line(&self) -> u32 {
        match self {
            Block::Heading { line, .. }
            | Block::Paragraph { line, .. }
            | Block::Code { line, .. }
            | Block::Other { line, .. } => *line,
            Block::Table(t) => t.line,
        }
    }
}

/// Where the builder is on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Intro,
    Section(SectionKind),
    /// An H2 that is not an API section (`注意`, `场景举例`): its content
    /// joins the description.
    Extra,
}

/// Assembles blocks into a [`Page`].
pub struct PageBuilder {
    page: Page,
    state: State,
    description: Vec<String>,
    expect_example: bool,
}

impl PageBuilder {
    pub fn new(path: &str, form: PageForm) -> Self {
        PageBuilder {
            page: Page { path: path.to_string(), form, ..Page::default() },
            state: State::Intro,
            description: Vec::new(),
            expect_example: false,
        }
    }

    pub fn build(mut self, mut blocks: Vec<Block>, diags: &mut Diagnostics) -> Page {
        // Rendered forms show a table with a mismatched delimiter row as text.
        unrendered::recover(&self.page.path, &mut blocks, diags);
        for block in blocks {
            self.block(block, diags);
        }
        self.page.description = self.description.join("\n\n");
        self.page
    }

    fn block(&mut self, block: Block, diags: &mut Diagnostics) {
        let path = self.page.path.clone();
        match block {
            Block::Heading { level: 1, line, cell } if self.page.title.is_none() => {
                self.page.title = Some(Located::new(line, cell.plain()));
            }
            Block::Heading { level, line, cell } => self.heading(level, line, cell),
            Block::Paragraph { line, cell, source } => self.paragraph(line, cell, source),
            Block::Code { line, lang, code } => self.code(line, lang, code),
            Block::Table(table) => self.table(table, &path, diags),
            Block::Other { source, .. } => {
                if matches!(self.state, State::Intro | State::Extra) {
                    self.description.extend(description_text(&source));
                }
            }
        }
    }

    fn heading(&mut self, level: u8, line: u32, cell: Cell) {
        let text = cell.plain();
        let section = SectionKind::classify(&text);
        let in_data = self.state == State::Section(SectionKind::DataStructure);
        if level == 2 || (level > 2 && section.is_some() && !in_data) {
            self.page.sections.push(Located::new(line, text));
            self.state = section.map_or(State::Extra, State::Section);
            if self.state == State::Extra {
                self.description.push(format!("#### {}", cell.markdown()));
            }
            return;
        }
        match self.state {
            State::Section(SectionKind::DataStructure) if level >= 3 => {
                self.page.models.push(ModelSection { name: Located::new(line, text), table: None });
            }
            State::Intro | State::Extra => {
                let hashes = "#".repeat(usize::from(level.clamp(3, 6)));
                self.description.push(format!("{hashes} {}", cell.markdown()));
            }
            _ => {}
        }
    }

    fn paragraph(&mut self, line: u32, cell: Cell, source: String) {
        match self.state {
            State::Intro | State::Extra => self.description.extend(description_text(&source)),
            State::Section(SectionKind::MethodName) if self.page.method_name.is_none() => {
                let first = cell.plain().lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string);
                self.page.method_name = first.map(|name| Located::new(line, name));
            }
            State::Section(SectionKind::Response) => {
                let text = cell.plain();
                if let Some(name) = strip_response_type_label(&text) {
                    let response = self.response(line);
                    response.type_name = Some(Located::new(line, name.trim_matches('`').trim().to_string()));
                } else if is_example_label(&text) {
                    self.expect_example = true;
                }
            }
            _ => {}
        }
    }

    fn code(&mut self, line: u32, lang: String, code: String) {
        match self.state {
            State::Section(SectionKind::MethodName) if self.page.method_name.is_none() => {
                let first = code.lines().map(str::trim).find(|l| !l.is_empty());
                self.page.method_name = first.map(|name| Located::new(line, name.to_string()));
            }
            State::Section(SectionKind::Response) if self.expect_example || lang == "json" => {
                self.expect_example = false;
                let response = self.response(line);
                if response.example.is_none() {
                    response.example = Some(Located::new(line, code));
                }
            }
            State::Intro | State::Extra => {
                self.description.push(format!("```{lang}\n{}\n```", code.trim_end()));
                self.page.code_samples.push(CodeSample { line, lang, code });
            }
            _ => self.page.code_samples.push(CodeSample { line, lang, code }),
        }
    }

    fn table(&mut self, table: Table, path: &str, diags: &mut Diagnostics) {
        let line = table.line;
        let slot = match self.state {
            State::Section(SectionKind::Request) => &mut self.page.request,
            State::Section(SectionKind::Response) => &mut self.response(line).table,
            State::Section(SectionKind::DataStructure) => match self.page.models.last_mut() {
                Some(model) => &mut model.table,
                None => {
                    diags.warn(
                        Kind::BadRow,
                        path,
                        line,
                        "table under the data structure section has no `###` DTO heading",
                    );
                    return;
                }
            },
            State::Intro | State::Extra | State::Section(_) => {
                // Tables in prose (hand-written pages) describe nothing the
                // schema holds; they stay in the description.
                if matches!(self.state, State::Intro | State::Extra) {
                    self.description.push(table_markdown(&table));
                }
                return;
            }
        };
        if slot.is_some() {
            diags.warn(Kind::BadRow, path, line, "second table in one section; the first one is used");
        } else {
            *slot = Some(table);
        }
    }

    fn response(&mut self, line: u32) -> &mut ResponseSection {
        self.page.response.get_or_insert_with(|| ResponseSection { line, ..ResponseSection::default() })
    }
}

/// A block's text for the description: HTML comments (the generator's
/// warning) removed, and nothing for page furniture (last-updated stamps, the
/// "generated from" note).
fn description_text(source: &str) -> Option<String> {
    let mut text = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("<!--") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("-->").map_or("", |end| &rest[start + end + 3..]);
    }
    text.push_str(rest);
    let t = text.trim();
    let furniture = t.is_empty() || t.starts_with("<LastUpdated") || is_boilerplate(t.trim_start_matches('>').trim());
    (!furniture).then(|| t.to_string())
}

/// A prose table as Markdown, for descriptions.
fn table_markdown(table: &Table) -> String {
    let mut out = String::new();
    let header: Vec<&str> = table.columns.iter().map(|c| c.title.as_str()).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
    for row in &table.rows {
        let cells: Vec<String> =
            row.cells.iter().map(|c| c.markdown().replace('\n', "<br>").replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.trim_end().to_string()
}

/// Which reader handles a file, by extension.
pub fn form_of(path: &Path) -> Option<PageForm> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "md" | "markdown" => Some(PageForm::Markdown),
        "html" | "htm" => Some(PageForm::Html),
        "txt" => Some(PageForm::Text),
        _ => None,
    }
}

/// Reads one page from bytes. Invalid UTF-8 is replaced and reported; a BOM
/// and CRLF line endings are normalized away.
pub fn read_page(
    path: &str,
    form: PageForm,
    bytes: &[u8],
    includes: markdown::IncludeResolver,
    diags: &mut Diagnostics,
) -> Page {
    let text = decode(path, bytes, diags);
    match form {
        PageForm::Markdown => markdown::read(path, &text, includes, diags),
        PageForm::Html => html::read(path, &text, diags),
        PageForm::Text => text::read(path, &text, diags),
    }
}

fn decode(path: &str, bytes: &[u8], diags: &mut Diagnostics) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(err) => {
            let line = bytes[..err.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            diags.warn(Kind::Unreadable, path, line, "invalid UTF-8; replaced with U+FFFD");
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() }
}

/// A page file found under the docs root.
#[derive(Debug, Clone)]
pub struct PageFile {
    pub path: PathBuf,
    /// Relative to the docs root, `/`-separated.
    pub rel: String,
    pub form: PageForm,
}

/// Lists the page files under `root` (or `root` itself if it is a file),
/// sorted by relative path. Shared snippets (`common/`) are left out: they
/// are read through includes.
pub fn list_pages(root: &Path) -> std::io::Result<Vec<PageFile>> {
    let mut files = Vec::new();
    if root.is_file() {
        let rel = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(form) = form_of(root) {
            files.push(PageFile { path: root.to_path_buf(), rel, form });
        }
        return Ok(files);
    }
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                if entry.file_name() != "common" && !entry.file_name().to_string_lossy().starts_with('.') {
                    dirs.push(path);
                }
            } else if let Some(form) = form_of(&path) {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                files.push(PageFile { path, rel, form });
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(files)
}

/// Resolves `reference/sdk/common/NAME.md` includes: the part after
/// `reference/sdk/` is looked up in the page's directory and each ancestor,
/// so a run on one language folder still finds `zh/common/`.
pub fn resolve_include(page: &Path, target: &str) -> Option<String> {
    let rel = target.trim().split_once("reference/sdk/").map_or(target.trim(), |(_, rest)| rest);
    if rel.split('/').any(|part| part == "..") {
        return None;
    }
    page.ancestors().skip(1).find_map(|dir| std::fs::read_to_string(dir.join(rel)).ok())
}
