//! Reader of rendered HTML pages (VuePress 1.x output).
//!
//! The content is the children of `div.theme-default-content`; the site frame
//! around it (navbar, sidebar, prev/next links, footer) is ignored. Each child
//! becomes one [`Block`], like a top-level Markdown block, so that
//! [`PageBuilder`] sees the same sequence it gets from the Markdown source.

use std::cell::{Cell as StdCell, RefCell};
use std::collections::HashMap;

use ego_tree::NodeId;
use ego_tree::iter::Edge;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::node::Element;
use scraper::{ElementRef, Html, HtmlTreeSink, Node};

use super::{Block, PageBuilder};
use crate::diag::{Diagnostics, Kind};
use crate::page::{Cell, Column, Inline, Page, PageForm, Row, Table};

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

pub fn read(path: &str, source: &str, diags: &mut Diagnostics) -> Page {
    let (html, lines) = parse(&unwrap_divs_in_table_paragraphs(source));
    let reader = Reader { lines, depth: StdCell::new(0) };
    let content = html
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|el| el.value().name() == "div" && el.value().has_class("theme-default-content", CASE));
    let root = content.unwrap_or_else(|| {
        diags.warn(Kind::BadMarkup, path, 0, "no `div.theme-default-content`; reading the whole body");
        html.root_element()
            .children()
            .filter_map(ElementRef::wrap)
            .find(|el| el.value().name() == "body")
            .unwrap_or_else(|| html.root_element())
    });
    let mut blocks = Vec::new();
    reader.blocks(root, &mut blocks);
    warn_cut_rows(path, &blocks, diags);
    let generated = blocks.iter().any(|block| match block {
        Block::Paragraph { source, .. } | Block::Other { source, .. } => source.contains("authing-docs-factory"),
        _ => false,
    });
    let mut page = PageBuilder::new(path, PageForm::Html).build(blocks, diags);
    page.generated = generated;
    page
}

/// A row whose code span spans several source lines ends the table in
/// VuePress's renderer: the cell keeps a lone backtick and the rest of the
/// table becomes text. The HTML has lost those rows.
fn warn_cut_rows(path: &str, blocks: &[Block], diags: &mut Diagnostics) {
    let tables = blocks.iter().filter_map(|b| match b {
        Block::Table(table) => Some(table),
        _ => None,
    });
    for row in tables.flat_map(|t| &t.rows) {
        let cut = row.cells.iter().flat_map(|c| &c.inlines).any(|i| match i {
            Inline::Text(text) => text.matches('`').count() % 2 == 1,
            _ => false,
        });
        if cut {
            let message = "row cut by the renderer (a code span spanning lines); later rows are lost";
            diags.warn(Kind::BadRow, path, row.line, message);
        }
    }
}

const CASE: scraper::CaseSensitivity = scraper::CaseSensitivity::AsciiCaseInsensitive;

/// Elements that are site frame or invisible, never content.
const SKIPPED: &[&str] = &[
    "head", "header", "nav", "aside", "footer", "script", "style", "template", "noscript", "svg", "button", "form",
    "iframe",
];

/// Elements that flow inside a paragraph; anything else starts a block.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "br", "cite", "code", "del", "em", "font", "i", "img", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var",
];

/// Elements that only group other blocks; their children are read as blocks.
const CONTAINERS: &[&str] = &["div", "section", "main", "article", "body", "html", "center"];

/// Nesting beyond this is read as plain text: real pages nest a few levels,
/// and recursion must not overflow the stack on hostile input.
const MAX_DEPTH: usize = 64;

struct Reader {
    lines: HashMap<NodeId, Lines>,
    depth: StdCell<usize>,
}

/// Source lines of an element's start and end tag, recorded while parsing.
#[derive(Clone, Copy)]
struct Lines {
    start: u32,
    end: u32,
}

impl Reader {
    fn line(&self, el: ElementRef) -> u32 {
        self.lines.get(&el.id()).map_or(0, |l| l.start)
    }

    fn end_line(&self, el: ElementRef) -> u32 {
        self.lines.get(&el.id()).map_or(0, |l| l.end)
    }

    /// Reads the children of `container` as blocks. Runs of loose text and
    /// inline elements between blocks form a paragraph, as in a browser.
    fn blocks(&self, container: ElementRef, out: &mut Vec<Block>) {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            let source = collapse(&node_text(*container)).trim().to_string();
            if !source.is_empty() {
                out.push(Block::Other { line: self.line(container), source });
            }
            return;
        }
        self.depth.set(depth + 1);
        let mut run: Vec<NodeRef> = Vec::new();
        for child in container.children() {
            match ElementRef::wrap(child) {
                Some(el) if !INLINE.contains(&el.value().name()) => {
                    self.loose_paragraph(container, &mut run, out);
                    self.block(el, out);
                }
                _ => run.push(child),
            }
        }
        self.loose_paragraph(container, &mut run, out);
        self.depth.set(depth);
    }

    fn loose_paragraph(&self, container: ElementRef, run: &mut Vec<NodeRef>, out: &mut Vec<Block>) {
        let mut inlines = Vec::new();
        for node in run.iter() {
            self.inline(*node, &mut inlines);
        }
        let cell = finish(inlines);
        if !cell.inlines.is_empty() {
            let line = run.iter().find_map(|n| ElementRef::wrap(*n)).unwrap_or(container);
            let source = cell.markdown();
            out.push(Block::Paragraph { line: self.line(line), cell, source });
        }
        run.clear();
    }

    fn block(&self, el: ElementRef, out: &mut Vec<Block>) {
        let name = el.value().name();
        let line = self.line(el);
        if SKIPPED.contains(&name) || el.value().has_class("authing-last-updated", CASE) {
            return;
        }
        if let Some(level) = heading_level(name) {
            out.push(Block::Heading { level, line, cell: self.cell(el) });
        } else if name == "p" {
            let cell = self.cell(el);
            let source = cell.markdown();
            if !source.is_empty() {
                out.push(Block::Paragraph { line, cell, source });
            }
        } else if name == "details" {
            // In Markdown the HTML block of `<details>` ends at the first blank
            // line, so its content is top-level Markdown; read it the same way.
            out.push(Block::Other { line, source: "<details>".to_string() });
            self.blocks(el, out);
            out.push(Block::Other { line: self.end_line(el), source: "</details>".to_string() });
        } else if name == "summary" {
            out.push(Block::Other { line, source: format!("<summary>{}</summary>", self.cell(el).markdown()) });
        } else if name == "table" {
            out.push(Block::Table(self.table(el)));
        } else if name == "pre" || (name == "div" && language(el.value()).is_some()) {
            out.push(self.code(el));
        } else if CONTAINERS.contains(&name) && el.children().filter_map(ElementRef::wrap).any(is_block) {
            self.blocks(el, out);
        } else {
            let source = self.markdown(el);
            if !source.is_empty() {
                out.push(Block::Other { line, source });
            }
        }
    }

    fn code(&self, el: ElementRef) -> Block {
        let pre = el.descendants().filter_map(ElementRef::wrap).find(|e| e.value().name() == "pre");
        let code = pre.unwrap_or(el).children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "code");
        // The VuePress wrapper div carries the fence's info string; its `<pre>`
        // says `language-text` when there was none.
        let lang = [Some(el), code, pre].into_iter().flatten().find_map(|e| language(e.value()));
        Block::Code {
            line: self.line(el),
            lang: lang.unwrap_or_default(),
            code: code.or(pre).unwrap_or(el).text().collect(),
        }
    }

    fn table(&self, el: ElementRef) -> Table {
        let mut table = Table { line: self.line(el), ..Table::default() };
        let sections = el.children().filter_map(ElementRef::wrap);
        let rows = sections.flat_map(|s| match s.value().name() {
            "tr" => vec![s],
            _ => s.children().filter_map(ElementRef::wrap).filter(|r| r.value().name() == "tr").collect(),
        });
        for tr in rows {
            let cells = tr.children().filter_map(ElementRef::wrap).filter(|c| matches!(c.value().name(), "td" | "th"));
            let in_head = tr.parent().and_then(ElementRef::wrap).is_some_and(|p| p.value().name() == "thead");
            let header = table.columns.is_empty()
                && table.rows.is_empty()
                && (in_head || tr.children().filter_map(ElementRef::wrap).all(|c| c.value().name() == "th"));
            if header {
                table.columns = cells.map(|c| Column::new(self.cell(c).plain())).collect();
            } else {
                let cells = cells.map(|c| self.cell(c)).collect();
                table.rows.push(Row { line: self.line(tr), cells, indented: false });
            }
        }
        table
    }

    /// The inline content of an element, trimmed.
    fn cell(&self, el: ElementRef) -> Cell {
        let mut inlines = Vec::new();
        for child in el.children() {
            self.inline(child, &mut inlines);
        }
        finish(inlines)
    }

    fn inline(&self, node: NodeRef, out: &mut Vec<Inline>) {
        let el = match node.value() {
            Node::Text(text) => return push_text(out, &collapse(text)),
            Node::Element(el) => el,
            _ => return,
        };
        match el.name() {
            _ if is_hidden(el) => {}
            "br" => out.push(Inline::LineBreak),
            "code" | "kbd" | "samp" | "tt" => out.push(Inline::Code(node_text(node))),
            "strong" | "b" => out.push(Inline::Strong(visible_text(node).trim().to_string())),
            "a" if el.attr("href").is_some() => out.push(Inline::Link {
                href: el.attr("href").unwrap_or_default().to_string(),
                text: visible_text(node).trim().to_string(),
            }),
            "img" => push_text(out, el.attr("alt").unwrap_or_default()),
            _ => {
                let depth = self.depth.get();
                if depth >= MAX_DEPTH {
                    return push_text(out, &collapse(&node_text(node)));
                }
                self.depth.set(depth + 1);
                for child in node.children() {
                    self.inline(child, out);
                }
                self.depth.set(depth);
            }
        }
    }

    /// A block that is not a paragraph, heading, table or code, as
    /// Markdown-ish text for descriptions.
    fn markdown(&self, el: ElementRef) -> String {
        match el.value().name() {
            "ul" | "ol" => {
                let ordered = el.value().name() == "ol";
                let items = el.children().filter_map(ElementRef::wrap).filter(|li| li.value().name() == "li");
                let items: Vec<String> = items
                    .enumerate()
                    .map(|(i, li)| {
                        let marker = if ordered { format!("{}. ", i + 1) } else { "- ".to_string() };
                        let indent = " ".repeat(marker.len());
                        let body = self.children_markdown(li, "\n").replace('\n', &format!("\n{indent}"));
                        format!("{marker}{body}")
                    })
                    .collect();
                items.join("\n")
            }
            "blockquote" => self
                .children_markdown(el, "\n\n")
                .lines()
                .map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") })
                .collect::<Vec<_>>()
                .join("\n"),
            "hr" => "---".to_string(),
            _ => self.children_markdown(el, "\n\n"),
        }
    }

    fn children_markdown(&self, el: ElementRef, separator: &str) -> String {
        let mut blocks = Vec::new();
        self.blocks(el, &mut blocks);
        let parts: Vec<String> = blocks.iter().map(block_markdown).filter(|s| !s.is_empty()).collect();
        parts.join(separator)
    }
}

fn block_markdown(block: &Block) -> String {
    match block {
        Block::Heading { level, cell, .. } => {
            format!("{} {}", "#".repeat(usize::from(*level)), cell.markdown())
        }
        Block::Paragraph { source, .. } | Block::Other { source, .. } => source.clone(),
        Block::Code { lang, code, .. } => format!("```{lang}\n{}\n```", code.trim_end()),
        Block::Table(table) => {
            let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
            let mut lines = vec![row(table.columns.iter().map(|c| c.title.clone()).collect())];
            lines.push(row(vec!["---".to_string(); table.columns.len()]));
            for r in &table.rows {
                lines.push(row(r.cells.iter().map(|c| c.markdown().replace('\n', "<br>")).collect()));
            }
            lines.join("\n")
        }
    }
}

fn is_block(el: ElementRef) -> bool {
    !INLINE.contains(&el.value().name())
}

/// Page furniture inside content: permalinks, external-link icons and their
/// screen-reader text.
fn is_hidden(el: &Element) -> bool {
    SKIPPED.contains(&el.name()) || el.has_class("header-anchor", CASE) || el.has_class("sr-only", CASE)
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The `xxx` of a `language-xxx` class, lowercased.
fn language(el: &Element) -> Option<String> {
    el.classes().find_map(|c| c.strip_prefix("language-")).map(str::to_lowercase)
}

/// All text below a node, as is (for code).
fn node_text(node: NodeRef) -> String {
    node.descendants().filter_map(|n| n.value().as_text().map(|t| &**t)).collect()
}

/// Text below a node without hidden furniture, whitespace collapsed.
/// Iterative, so that deep nesting cannot overflow the stack.
fn visible_text(node: NodeRef) -> String {
    let mut out = String::new();
    let mut hidden: Option<NodeRef> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) if hidden.is_none() => match n.value() {
                Node::Text(text) => out.push_str(text),
                Node::Element(el) if is_hidden(el) => hidden = Some(n),
                Node::Element(el) if el.name() == "br" => out.push(' '),
                _ => {}
            },
            Edge::Close(n) if hidden == Some(n) => hidden = None,
            _ => {}
        }
    }
    collapse(&out)
}

/// Collapses runs of HTML whitespace into one space, as a browser renders them.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(ch);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

fn push_text(inlines: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text(last)) = inlines.last_mut() {
        last.push_str(text);
    } else if !text.is_empty() {
        inlines.push(Inline::Text(text.to_string()));
    }
}

/// Collapses spaces where text nodes meet and trims the cell's edges.
fn finish(mut inlines: Vec<Inline>) -> Cell {
    for inline in &mut inlines {
        if let Inline::Text(text) = inline {
            *text = collapse(text);
        }
    }
    if let Some(Inline::Text(first)) = inlines.first_mut() {
        *first = first.trim_start().to_string();
    }
    if let Some(Inline::Text(last)) = inlines.last_mut() {
        *last = last.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    Cell { inlines }
}

/// markdown-it passes a table's inline HTML through when it leaves the table
/// as a paragraph (see `unrendered`): the `<div>` width wrappers of header
/// cells then sit inside `<p>`, where an HTML parser ends the paragraph and
/// scatters the table's source over several blocks. Such wrappers are
/// dropped from paragraphs that start with `|` before parsing; tags hold no
/// line breaks, so every line keeps its number.
fn unwrap_divs_in_table_paragraphs(source: &str) -> std::borrow::Cow<'_, str> {
    if !source.contains("<p>|") {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("<p>|") {
        let end = rest[start..].find("</p>").map_or(rest.len(), |e| start + e);
        out.push_str(&rest[..start]);
        let mut paragraph = &rest[start..end];
        while let Some(open) = [paragraph.find("<div"), paragraph.find("</div>")].into_iter().flatten().min() {
            out.push_str(&paragraph[..open]);
            let close = paragraph[open..].find('>').map_or(paragraph.len(), |c| open + c + 1);
            paragraph = &paragraph[close..];
        }
        out.push_str(paragraph);
        rest = &rest[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Parses a document and records the source line of every element: scraper
/// keeps no positions, but html5ever reports the line of each token.
fn parse(source: &str) -> (Html, HashMap<NodeId, Lines>) {
    let sink = LineSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        line: StdCell::new(1),
        lines: RefCell::new(HashMap::new()),
    };
    html5ever::parse_document(sink, Default::default()).one(source)
}

struct LineSink {
    inner: HtmlTreeSink,
    line: StdCell<u64>,
    lines: RefCell<HashMap<NodeId, Lines>>,
}

impl LineSink {
    fn line(&self) -> u32 {
        u32::try_from(self.line.get()).unwrap_or(u32::MAX)
    }
}

impl TreeSink for LineSink {
    type Handle = NodeId;
    type Output = (Html, HashMap<NodeId, Lines>);
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Self::Output {
        (self.inner.finish(), self.lines.into_inner())
    }

    fn set_current_line(&self, line: u64) {
        self.line.set(line);
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let id = self.inner.create_element(name, attrs, flags);
        let line = self.line();
        self.lines.borrow_mut().insert(id, Lines { start: line, end: line });
        id
    }

    /// Called when an element is closed, explicitly or not.
    fn pop(&self, node: &NodeId) {
        if let Some(lines) = self.lines.borrow_mut().get_mut(node) {
            lines.end = self.line();
        }
    }

    fn parse_error(&self, msg: std::borrow::Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(&self, element: &NodeId, prev: &NodeId, child: NodeOrText<NodeId>) {
        self.inner.append_based_on_parent_node(element, prev, child);
    }

    fn append_doctype_to_document(&self, name: StrTendril, public_id: StrTendril, system_id: StrTendril) {
        self.inner.append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_wrappers_leave_table_paragraphs() {
        let source = "<p>| Name | <div style=\"width:80px\">Required</div> |\n| -- | -- |</p><div>kept</div>";
        assert_eq!(unwrap_divs_in_table_paragraphs(source), "<p>| Name | Required |\n| -- | -- |</p><div>kept</div>");
        let plain = "<p>text <div>x</div></p>";
        assert_eq!(unwrap_divs_in_table_paragraphs(plain), plain);
    }
    use crate::page::ColumnKind;

    fn read_html(source: &str) -> (Page, Diagnostics) {
        let mut diags = Diagnostics::default();
        let page = read("p.html", source, &mut diags);
        (page, diags)
    }

    /// A generated API page in the site's frame, one element per line.
    const PAGE: &str = r##"<!DOCTYPE html>
<html><head><title>Demo | Docs</title></head>
<body><div id="app">
<header class="navbar"><a href="/">Docs</a></header>
<aside class="sidebar"><a href="/x.html" class="sidebar-link">Other page</a></aside>
<main class="page"><div class="theme-default-content content__default">
<h1 id="demo"><a class="header-anchor" href="#demo">¶</a> Get   demo</h1>
<div class="authing-last-updated"><span class="prefix">更新时间:</span> <span>2025-01-01</span></div>
<blockquote>
<p>此文档根据 https://github.com/authing/authing-docs-factory 基于 V3 API 自动生成。</p>
</blockquote>
<p>Gets a <strong>demo</strong>, see <a href="https://example.com/doc" target="_blank">the docs<span><svg><path d="M0"></path></svg> <span class="sr-only">(opens new window)</span></span></a>.</p>
<h2 id="方法名称"><a class="header-anchor" href="#方法名称">¶</a> 方法名称</h2>
<p><code>ManagementClient.get_demo</code></p>
<h2 id="请求参数"><a class="header-anchor" href="#请求参数">¶</a> 请求参数</h2>
<table>
<thead>
<tr>
<th>名称</th>
<th>类型</th>
<th><div style="width:80px">是否必填</div></th>
<th><div style="width:200px"></div>示例值</th>
</tr>
</thead>
<tbody>
<tr>
<td>id</td>
<td><a href="#DemoDto">DemoDto</a></td>
<td>是</td>
<td><code>a  b</code></td>
</tr>
</tbody>
</table>
<h2 id="请求响应"><a class="header-anchor" href="#请求响应">¶</a> 请求响应</h2>
<p>类型： <code>DemoRespDto</code></p>
<p>示例结果：</p>
<div class="language-JSON extra-class"><pre class="language-json"><code><span class="token punctuation">{</span>
  <span class="token property">"a"</span><span class="token operator">:</span> <span class="token number">1</span>
<span class="token punctuation">}</span>
</code></pre>
</div><h2 id="数据结构"><a class="header-anchor" href="#数据结构">¶</a> 数据结构</h2>
<h3 id="demodto"><a class="header-anchor" href="#demodto">¶</a> <a id="DemoDto"></a> DemoDto</h3>
<table>
<thead>
<tr>
<th>名称</th>
<th>描述</th>
</tr>
</thead>
<tbody>
<tr>
<td>kind</td>
<td>Kinds:<br>- <code>A</code>: first
  <br>- <code>B</code>:   second </td>
</tr>
</tbody>
</table>
</div>
<div class="page-nav"><a href="/prev.html" class="prev">Previous</a></div>
</main>
<footer class="footer">Copyright</footer>
</div></body></html>
"##;

    #[test]
    fn reads_a_generated_page() {
        let (page, diags) = read_html(PAGE);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(page.form, PageForm::Html);
        assert!(page.generated);
        assert_eq!(page.title.as_ref().map(|t| t.value.as_str()), Some("Get demo"));
        assert_eq!(page.description, "Gets a **demo**, see [the docs](https://example.com/doc).");
        let sections: Vec<&str> = page.sections.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(sections, ["方法名称", "请求参数", "请求响应", "数据结构"]);
        assert_eq!(page.method_name.as_ref().map(|m| m.value.as_str()), Some("ManagementClient.get_demo"));

        let request = page.request.as_ref().expect("request table");
        let titles: Vec<&str> = request.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["名称", "类型", "是否必填", "示例值"]);
        assert_eq!(request.columns[3].kind, ColumnKind::Example);
        let row = &request.rows[0];
        assert!(!row.indented);
        assert_eq!(row.cells[1].inlines, [Inline::Link { href: "#DemoDto".into(), text: "DemoDto".into() }]);
        // Code keeps its spaces.
        assert_eq!(row.cells[3].inlines, [Inline::Code("a  b".into())]);

        let response = page.response.as_ref().expect("response");
        assert_eq!(response.type_name.as_ref().map(|t| t.value.as_str()), Some("DemoRespDto"));
        let example = response.example.as_ref().expect("example");
        assert_eq!(example.value, "{\n  \"a\": 1\n}\n");

        assert_eq!(page.models.len(), 1);
        assert_eq!(page.models[0].name.value, "DemoDto");
        let cells = &page.models[0].table.as_ref().expect("DTO table").rows[0].cells;
        assert_eq!(
            cells[1].inlines,
            [
                Inline::Text("Kinds:".into()),
                Inline::LineBreak,
                Inline::Text("- ".into()),
                Inline::Code("A".into()),
                Inline::Text(": first ".into()),
                Inline::LineBreak,
                Inline::Text("- ".into()),
                Inline::Code("B".into()),
                Inline::Text(": second".into()),
            ]
        );
    }

    #[test]
    fn lines_are_lines_of_the_html_file() {
        let (page, _) = read_html(PAGE);
        let line_of = |needle: &str| PAGE.lines().position(|l| l.contains(needle)).map(|i| i as u32 + 1);
        assert_eq!(page.title.map(|t| t.line), line_of("<h1"));
        assert_eq!(page.method_name.map(|m| m.line), line_of("ManagementClient.get_demo"));
        let request = page.request.expect("request");
        assert_eq!(Some(request.line), line_of("<table>"));
        assert_eq!(Some(request.rows[0].line), line_of("<td>id</td>").map(|l| l - 1));
        let response = page.response.expect("response");
        assert_eq!(response.example.map(|e| e.line), line_of("language-JSON"));
        assert_eq!(Some(page.models[0].name.line), line_of("<h3"));
        assert_eq!(page.sections[0].line, line_of("方法名称").unwrap());
    }

    #[test]
    fn same_page_as_the_markdown_source() {
        let markdown = "# Get demo\n\nGets a **demo**.\n\n## 方法名称\n\n`ManagementClient.get_demo`\n\n## 请求参数\n\n\
            | 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n| id | <a href=\"#DemoDto\">DemoDto</a> | The `id`<br>of it |\n";
        let html = "<div class=\"theme-default-content\">\n<h1>Get demo</h1>\n<p>Gets a <strong>demo</strong>.</p>\n\
            <h2>方法名称</h2>\n<p><code>ManagementClient.get_demo</code></p>\n<h2>请求参数</h2>\n<table><thead><tr>\
            <th>名称</th><th>类型</th><th>描述</th></tr></thead><tbody><tr><td>id</td><td><a href=\"#DemoDto\">DemoDto</a></td>\
            <td>The <code>id</code><br>of it</td></tr></tbody></table></div>";
        let mut diags = Diagnostics::default();
        let md = super::super::markdown::read("p.md", markdown, &|_| None, &mut diags);
        let (html, _) = read_html(html);
        let without_lines = |table: Option<Table>| {
            table.map(|mut t| {
                t.line = 0;
                t.rows.iter_mut().for_each(|r| r.line = 0);
                t
            })
        };
        assert_eq!(without_lines(html.request), without_lines(md.request));
        assert_eq!(html.title.map(|t| t.value), md.title.map(|t| t.value));
        assert_eq!(html.method_name.map(|m| m.value), md.method_name.map(|m| m.value));
        assert_eq!(html.description, md.description);
    }

    #[test]
    fn whitespace_collapses_like_a_browser() {
        let (page, _) = read_html(
            "<div class=\"theme-default-content\"><table><tr><th> A\n b </th></tr>\
             <tr><td>\n  x \n <strong> y  z </strong>\t</td></tr></table></div>",
        );
        let table = page.description;
        assert_eq!(table, "| A b |\n| --- |\n| x **y z** |");
    }

    #[test]
    fn details_content_is_read_like_top_level_markdown() {
        let (page, _) = read_html(
            "<div class=\"theme-default-content\"><h1>T</h1>\n<details>\n<summary>More</summary>\n\
             <p>Text</p>\n<div class=\"language- extra-class\"><pre class=\"language-text\"><code>x\n</code></pre></div>\n\
             <h4>Note</h4>\n</details>\n<h2>请求参数</h2></div>",
        );
        assert_eq!(page.code_samples.len(), 1);
        assert_eq!(page.code_samples[0].lang, "");
        assert_eq!(page.code_samples[0].code, "x\n");
        assert_eq!(page.code_samples[0].line, 5);
        assert_eq!(
            page.description,
            "<details>\n\n<summary>More</summary>\n\nText\n\n```\nx\n```\n\n#### Note\n\n</details>"
        );
    }

    #[test]
    fn lists_and_quotes_become_markdown() {
        let (page, _) = read_html(
            "<div class=\"theme-default-content\"><ul><li>a <code>b</code><ul><li>c</li></ul></li><li>d</li></ul>\
             <ol><li><p>e</p></li></ol><blockquote><p>f</p><p>g</p></blockquote><hr></div>",
        );
        assert_eq!(page.description, "- a `b`\n  - c\n- d\n\n1. e\n\n> f\n>\n> g\n\n---");
    }

    #[test]
    fn without_content_div_reads_the_body_without_the_frame() {
        let (page, diags) = read_html(
            "<html><body><header>Site</header><nav>Menu</nav><h1>Title</h1>Loose <b>text</b>\
             <div><p>In a div</p></div><aside>Side</aside><footer>Foot</footer><script>x()</script></body></html>",
        );
        assert_eq!(page.title.map(|t| t.value).as_deref(), Some("Title"));
        assert_eq!(page.description, "Loose **text**\n\nIn a div");
        assert_eq!(diags.iter().map(|d| d.kind).collect::<Vec<_>>(), [Kind::BadMarkup]);
    }

    #[test]
    fn cut_rows_are_reported() {
        let (_, diags) = read_html(
            "<div class=\"theme-default-content\"><h2>请求参数</h2>\n<table><thead><tr><th>名称</th><th>示例值</th></tr></thead>\
             <tbody>\n<tr><td>code</td><td>`function f() {</td></tr></tbody></table></div>",
        );
        let found: Vec<(Kind, u32)> = diags.iter().map(|d| (d.kind, d.line)).collect();
        assert_eq!(found, [(Kind::BadRow, 3)]);
    }

    #[test]
    fn never_panics() {
        let deep_divs = "<div>".repeat(1_000) + "x";
        let deep_spans = "<p>".to_string() + &"<span>".repeat(1_000) + "y";
        let deep_lists = "<ul><li>".repeat(1_000) + "z";
        let inputs = [
            "",
            "   \n",
            "<",
            "</p></div></table>",
            "<table><td>a<tr><th>b</table>",
            "<div class=\"theme-default-content\">",
            "<div class=\"theme-default-content\"><h1><a class=\"header-anchor\">¶</a></h1><table></table><pre></pre></div>",
            "<div class=\"language-\"></div><template><p>t</p></template><svg><h1>x</h1></svg>",
            "<details><summary></summary></details><a href>x</a><img><code></code>",
            "\u{feff}<h1>\u{0}\u{fffd}</h1><!-- <h2>comment</h2> --><![CDATA[x]]>",
            &deep_divs,
            &deep_spans,
            &deep_lists,
        ];
        for input in inputs {
            let (page, _) = read_html(input);
            assert_eq!(page.form, PageForm::Html);
        }
        let (page, _) = read_html(&deep_divs);
        assert_eq!(page.description, "x");
    }
}
