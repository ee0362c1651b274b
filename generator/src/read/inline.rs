//! Inline Markdown of table cells: code spans, `<a href>` and `[t](url)` links,
//! `**bold**`, `<br>`, escapes and the HTML tags the pages use.
//!
//! Table rows cannot go through a GFM table parser: rows span lines, code
//! spans hold unescaped `|`, and merged rows carry more cells than the header.
//! So rows are split here, code-span aware, and each cell is scanned by this
//! small inline scanner.

use crate::page::{Cell, Inline};

/// HTML elements the pages use for markup; their tags are dropped from cell
/// text. Anything else in angle brackets (`<extIdpId>`, `<provier>`) is text.
const MARKUP_TAGS: &[&str] = &[
    "a", "b", "br", "code", "del", "details", "div", "em", "font", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
];

/// Splits one table row (possibly joined from several lines) into raw cell
/// sources. `|` inside a code span or escaped as `\|` does not split.
pub fn split_row(row: &str) -> Vec<&str> {
    let trimmed = row.trim();
    let body = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let mut cells = Vec::new();
    let mut start = 0;
    scan_outside_code(body.as_bytes(), |i, byte| {
        if byte == b'|' {
            cells.push(&body[start..i]);
            start = i + 1;
        }
    });
    let last = body.get(start..).unwrap_or("");
    if !last.trim().is_empty() {
        cells.push(last);
    }
    cells
}

/// Whether a backtick run has no closing run: the row's code span continues
/// on the next line.
pub fn has_open_code_span(text: &str) -> bool {
    scan_outside_code(text.as_bytes(), |_, _| {})
}

/// Calls `visit` with each byte outside code spans and backslash escapes;
/// returns whether some backtick run is left unclosed (it is then text).
fn scan_outside_code(bytes: &[u8], mut visit: impl FnMut(usize, u8)) -> bool {
    let mut open = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = backtick_run(bytes, i);
                i = match find_closing_run(bytes, i + run, run) {
                    Some(close) => close + run,
                    None => {
                        open = true;
                        i + run
                    }
                };
            }
            byte => {
                visit(i, byte);
                i += 1;
            }
        }
    }
    open
}

fn backtick_run(bytes: &[u8], at: usize) -> usize {
    bytes[at..].iter().take_while(|&&b| b == b'`').count()
}

/// Position of the next run of exactly `run` backticks at or after `from`.
fn find_closing_run(bytes: &[u8], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = backtick_run(bytes, i);
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

/// Scans a cell's Markdown into inline pieces.
pub fn parse_cell(src: &str) -> Cell {
    let mut out = InlineBuilder::default();
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < src.len() {
        let rest = &src[i..];
        match bytes[i] {
            b'\\' if rest.len() > 1 && rest.as_bytes()[1].is_ascii_punctuation() => {
                out.text(&rest[1..2]);
                i += 2;
            }
            b'`' => {
                let run = backtick_run(bytes, i);
                if let Some(close) = find_closing_run(bytes, i + run, run) {
                    out.push(Inline::Code(strip_code_padding(&src[i + run..close]).to_string()));
                    i = close + run;
                } else {
                    out.text(&rest[..run]);
                    i += run;
                }
            }
            b'*' if rest.starts_with("**") => match rest[2..].find("**") {
                Some(end) if end > 0 => {
                    out.push(Inline::Strong(rest[2..2 + end].to_string()));
                    i += end + 4;
                }
                _ => {
                    out.text("**");
                    i += 2;
                }
            },
            b'[' => match markdown_link(rest) {
                Some((text, href, len)) => {
                    // The text as rendered: code spans and tags lose their markup.
                    out.push(Inline::Link { href: href.to_string(), text: parse_cell(text).plain() });
                    i += len;
                }
                None => {
                    out.text("[");
                    i += 1;
                }
            },
            b'<' => match html_tag(rest) {
                Some(tag) => {
                    i += tag.len;
                    if tag.name == "br" {
                        out.push(Inline::LineBreak);
                    } else if tag.name == "a" && !tag.closing {
                        match tag.href {
                            Some(href) => {
                                let close = rest[tag.len..].find("</a>");
                                let text_end = close.unwrap_or(0);
                                let text = strip_tags(&rest[tag.len..tag.len + text_end]);
                                out.push(Inline::Link { href, text });
                                i += close.map_or(0, |c| c + "</a>".len());
                            }
                            // `<a id="X"></a>` anchors carry no text.
                            None => {
                                if rest[tag.len..].starts_with("</a>") {
                                    i += "</a>".len();
                                }
                            }
                        }
                    }
                }
                None => {
                    out.text("<");
                    i += 1;
                }
            },
            b'&' => match html_entity(rest) {
                Some((ch, len)) => {
                    out.text(ch);
                    i += len;
                }
                None => {
                    out.text("&");
                    i += 1;
                }
            },
            _ => {
                let end = rest
                    .find(['\\', '`', '*', '[', '<', '&'])
                    .map_or(src.len(), |p| if p == 0 { i + 1 } else { i + p });
                let end = next_char_boundary(src, end);
                out.text(&src[i..end]);
                i = end;
            }
        }
    }
    out.finish()
}

fn next_char_boundary(s: &str, mut at: usize) -> usize {
    while at < s.len() && !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// CommonMark strips one leading and trailing space from code spans that
/// have both; newlines inside become spaces only in rendering, so we keep them.
fn strip_code_padding(code: &str) -> &str {
    if code.len() >= 2 && code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty() {
        &code[1..code.len() - 1]
    } else {
        code
    }
}

/// `[text](url)` at the start of `s`: (text, url, length).
fn markdown_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains('[') || text.contains(']') {
        return None;
    }
    let url_start = close + 2;
    let url_len = s[url_start..].find(')')?;
    let url = s[url_start..url_start + url_len].trim();
    if url.contains(char::is_whitespace) {
        return None;
    }
    Some((text, url, url_start + url_len + 1))
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
    len: usize,
}

/// An HTML tag of `MARKUP_TAGS` (or a comment) at the start of `s`.
fn html_tag(s: &str) -> Option<Tag> {
    if let Some(body) = s.strip_prefix("<!--") {
        let end = body.find("-->")?;
        return Some(Tag { name: "!--".into(), closing: false, href: None, len: 4 + end + 3 });
    }
    let end = s.find('>')?;
    let inner = &s[1..end];
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/').trim_end_matches('/').trim();
    let name_len = inner.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    if !MARKUP_TAGS.contains(&name.as_str()) {
        return None;
    }
    let attrs = &inner[name_len..];
    if !attrs.is_empty() && !attrs.starts_with(char::is_whitespace) {
        return None;
    }
    let href = attribute(attrs, "href");
    Some(Tag { name, closing, href, len: end + 1 })
}

/// The value of attribute `name` in an attribute list.
pub fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(pos) = rest.find(name) {
        let before_ok = pos == 0 || rest[..pos].ends_with(char::is_whitespace);
        let after = rest[pos + name.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = value[1..].find(quote)?;
                return Some(value[1..1 + end].to_string());
            }
            let end = value.find(char::is_whitespace).unwrap_or(value.len());
            return Some(value[..end].to_string());
        }
        rest = &rest[pos + name.len()..];
    }
    None
}

fn html_entity(s: &str) -> Option<(&'static str, usize)> {
    const ENTITIES: &[(&str, &str)] =
        &[("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " ")];
    ENTITIES.iter().find(|(e, _)| s.starts_with(e)).map(|(e, ch)| (*ch, e.len()))
}

/// Removes markup tags (not pseudo-tags like `<id>`) from a fragment.
pub fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with('<')
            && let Some(tag) = html_tag(rest)
        {
            i += tag.len;
            continue;
        }
        let ch = rest.chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

#[derive(Default)]
struct InlineBuilder {
    inlines: Vec<Inline>,
}

impl InlineBuilder {
    fn text(&mut self, s: &str) {
        if let Some(Inline::Text(last)) = self.inlines.last_mut() {
            last.push_str(s);
        } else {
            self.inlines.push(Inline::Text(s.to_string()));
        }
    }

    fn push(&mut self, inline: Inline) {
        self.inlines.push(inline);
    }

    /// Trims surrounding whitespace and drops empty text pieces.
    fn finish(mut self) -> Cell {
        if let Some(Inline::Text(first)) = self.inlines.first_mut() {
            *first = first.trim_start().to_string();
        }
        if let Some(Inline::Text(last)) = self.inlines.last_mut() {
            *last = last.trim_end().to_string();
        }
        self.inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
        Cell { inlines: self.inlines }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_rows_code_span_aware() {
        assert_eq!(split_row("| a | b | c |"), [" a ", " b ", " c "]);
        assert_eq!(split_row(" | a | `x|y` | c |"), [" a ", " `x|y` ", " c "]);
        assert_eq!(split_row("| a | b\\|c |"), [" a ", " b\\|c "]);
        assert_eq!(split_row("|a|b"), ["a", "b"]);
        // An unmatched backtick does not swallow the rest of the row.
        assert_eq!(split_row("| a ` | b |"), [" a ` ", " b "]);
    }

    #[test]
    fn detects_open_code_spans() {
        assert!(has_open_code_span("| x | `{"));
        assert!(!has_open_code_span("| x | `{}` |"));
        assert!(!has_open_code_span("| ``a`b`` |"));
    }

    #[test]
    fn parses_cells() {
        let cell = parse_cell(" 嵌套类型：<a href=\"#UserDto\">UserDto</a>。 ");
        assert_eq!(
            cell.inlines,
            [
                Inline::Text("嵌套类型：".into()),
                Inline::Link { href: "#UserDto".into(), text: "UserDto".into() },
                Inline::Text("。".into())
            ]
        );
        let cell = parse_cell("a<br>- `V`: text **b** [t](http://x) <extIdpId> &lt;");
        assert_eq!(cell.markdown(), "a\n- `V`: text **b** [t](http://x) <extIdpId> <");
        assert_eq!(parse_cell("<div style=\"width:200px\"></div>示例值</div>").plain(), "示例值");
        assert_eq!(parse_cell("<a href=\"#\"></a>").anchors().collect::<Vec<_>>(), [""]);
    }
}
