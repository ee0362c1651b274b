//! Doc text → rustdoc. Descriptions are Markdown written for a web page; as
//! rustdoc they must neither break the code around them nor trip rustdoc's
//! lints. Every line becomes its own `#[doc = "…"]` string literal, so no
//! text can end a comment or inject tokens; within the text:
//!
//! * code fences become ```` ```text ```` (a fence would otherwise be compiled
//!   as a doctest) and indentation outside fences is dropped (an indented
//!   block would be a doctest too);
//! * HTML tags the pages use for layout are dropped, and any other `<`, `>`
//!   is escaped, so rustdoc sees no unclosed tags;
//! * `[` and `]` outside Markdown links are escaped (no broken intra-doc links);
//! * bare URLs are wrapped in `<…>`;
//! * control characters are dropped.

use proc_macro2::TokenStream;
use quote::quote;

use crate::read::inline::strip_tags;

/// `#[doc = "…"]` attributes for documentation paragraphs (Markdown from the
/// pages), one per line, sanitized. Each part is sanitized on its own, so a
/// fence that one leaves open cannot swallow the next; empty parts are
/// skipped.
pub fn doc_attrs<'a>(parts: impl IntoIterator<Item = &'a str>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for part in parts.into_iter().map(rustdoc_lines).filter(|part| !part.is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(part);
    }
    own_doc_attrs(&lines.join("\n"))
}

/// `#[doc = "…"]` attributes for text the generator writes itself (it may
/// hold intra-doc links), one per line.
pub fn own_doc_attrs(text: &str) -> TokenStream {
    let attrs = text.lines().map(doc_line).map(|line| quote! { #[doc = #line] });
    quote! { #(#attrs)* }
}

/// `#![doc = "…"]` attributes for module docs the generator writes.
pub fn own_inner_doc_attrs(text: &str) -> TokenStream {
    let attrs = text.lines().map(doc_line).map(|line| quote! { #![doc = #line] });
    quote! { #(#attrs)* }
}

/// One doc line, as printed after `///`. Control characters are dropped:
/// the text may quote page names, and a `///` comment cannot hold a CR.
fn doc_line(line: &str) -> String {
    let line: String = line.chars().filter(|c| !c.is_control() || *c == '\t').collect();
    if line.is_empty() { line } else { format!(" {line}") }
}

/// An example value as a code span or, when it spans lines, a text block.
pub fn example(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.contains('\n') {
        let fence = "`".repeat(longest_run(&text, '`').max(2) + 1);
        format!("Example:\n\n{fence}text\n{}\n{fence}", text.trim_end())
    } else {
        format!("Example: {}", code_span(&text))
    }
}

/// `text` as an inline code span that no backtick inside can end.
pub fn code_span(text: &str) -> String {
    let ticks = "`".repeat(longest_run(text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

fn longest_run(text: &str, ch: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in text.chars() {
        if c == ch {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// The sanitized lines of a doc comment.
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut in_list = false;
    for raw in text.lines() {
        let line: String =
            raw.chars().filter(|c| !c.is_control() || *c == '\t').collect::<String>().replace('\t', "    ");
        let trimmed = line.trim();
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) && trimmed.trim_start_matches('`').trim().is_empty() {
                out.push(open.clone());
                fence = None;
            } else {
                // A line of backticks as long as the fence would close it early.
                out.push(if trimmed.starts_with(open.as_str()) {
                    format!(" {line}")
                } else {
                    line.trim_end().to_string()
                });
            }
            continue;
        }
        if let Some(ticks) = fence_open(trimmed) {
            out.push(format!("{ticks}text"));
            fence = Some(ticks);
            in_list = false;
            continue;
        }
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            in_list = false;
            continue;
        }
        let is_item = is_list_item(trimmed);
        // A plain line right after a list item would be a lazy continuation.
        if in_list && !is_item {
            out.push(String::new());
        }
        in_list = is_item;
        out.push(inline(trimmed));
    }
    if let Some(open) = fence {
        out.push(open);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn fence_open(line: &str) -> Option<String> {
    let ticks = line.chars().take_while(|&c| c == '`').count();
    let tildes = line.chars().take_while(|&c| c == '~').count();
    if ticks >= 3 && !line[ticks..].contains('`') {
        Some("`".repeat(ticks))
    } else if tildes >= 3 {
        Some("`".repeat(3))
    } else {
        None
    }
}

fn is_list_item(line: &str) -> bool {
    line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") || {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && line[digits..].starts_with(". ")
    }
}

/// Escapes one line outside code fences; code spans are kept as they are.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    if line.starts_with('#') && !line.trim_start_matches('#').starts_with(' ') {
        out.push('\\');
    }
    let mut rest = line;
    while !rest.is_empty() {
        if rest.starts_with('`') {
            let ticks = rest.chars().take_while(|&c| c == '`').count();
            let fence = &rest[..ticks];
            if let Some(end) = rest[ticks..].find(fence) {
                let end = ticks + end + ticks;
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            // An unmatched backtick would open a code span on some later line.
            out.push_str(&"\\`".repeat(ticks));
            rest = &rest[ticks..];
            continue;
        }
        let next = rest.find('`').unwrap_or(rest.len());
        out.push_str(&escape_text(&rest[..next]));
        rest = &rest[next..];
    }
    out
}

/// Escapes text outside code spans.
fn escape_text(text: &str) -> String {
    let text = strip_tags(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(ch) = rest.chars().next() {
        if ch == '[' {
            if let Some((link, len)) = markdown_link(rest) {
                out.push_str(&link);
                rest = &rest[len..];
                continue;
            }
            out.push_str("\\[");
        } else if ch == ']' {
            out.push_str("\\]");
        } else if ch == '<' {
            out.push_str("&lt;");
        } else if ch == '>' {
            out.push_str("&gt;");
        } else if ch == '\\' {
            out.push_str("\\\\");
        } else if (rest.starts_with("http://") || rest.starts_with("https://")) && !out.ends_with('(') {
            let len = url_len(rest);
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        } else {
            out.push(ch);
        }
        rest = &rest[ch.len_utf8()..];
    }
    out
}

/// `[text](http…)` at the start of `s`: the link with an escaped text, and its length.
fn markdown_link(s: &str) -> Option<(String, usize)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains(['[', ']']) {
        return None;
    }
    let after = &s[close + 2..];
    if !(after.starts_with("http://") || after.starts_with("https://")) {
        return None;
    }
    let end = after.find(')')?;
    let url = &after[..end];
    if url.contains(char::is_whitespace) || url.contains(['<', '>']) {
        return None;
    }
    let text = text.replace('<', "&lt;").replace('>', "&gt;");
    Some((format!("[{text}]({url})"), close + 2 + end + 1))
}

/// Length of a bare URL: up to whitespace, a non-ASCII character, or
/// closing punctuation; trailing dots and commas stay outside.
fn url_len(s: &str) -> usize {
    let end = s
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']' | '`'))
        .map_or(s.len(), |(i, _)| i);
    s[..end].trim_end_matches(['.', ',', ';', ':']).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_rustdoc_would_misread() {
        assert_eq!(rustdoc_lines("a <x> <b>bold</b> [c] d"), ["a &lt;x&gt; bold \\[c\\] d"]);
        assert_eq!(rustdoc_lines("see https://x.cn/a.html."), ["see <https://x.cn/a.html>."]);
        assert_eq!(rustdoc_lines("[API](https://x.cn/a) `<id>`"), ["[API](https://x.cn/a) `<id>`"]);
        assert_eq!(rustdoc_lines("<div>text</div><br>"), ["text"]);
        assert_eq!(rustdoc_lines("*/ /* #[x] \"]"), ["*/ /* #\\[x\\] \"\\]"]);
        assert_eq!(rustdoc_lines("a\u{7}b\r"), ["ab"]);
        assert_eq!(rustdoc_lines("`unclosed"), ["\\`unclosed"]);
        assert_eq!(rustdoc_lines("#[doc = \"x\"]"), ["\\#\\[doc = \"x\"\\]"]);
    }

    #[test]
    fn own_text_drops_control_characters() {
        let attrs = own_doc_attrs("`a\rb\u{0}` in the API documentation.").to_string();
        assert!(attrs.contains("\" `ab` in the API documentation.\""), "{attrs}");
    }

    #[test]
    fn an_open_fence_ends_with_its_paragraph() {
        let attrs = doc_attrs(["a\n```\nlet a = 1;", "", "Example: `x`"]).to_string();
        let lines: Vec<&str> = attrs.split("# [doc = ").skip(1).map(|a| a.trim().trim_end_matches(']')).collect();
        assert_eq!(lines, ["\" a\"", "\" ```text\"", "\" let a = 1;\"", "\" ```\"", "\"\"", "\" Example: `x`\""]);
    }

    #[test]
    fn fences_become_text_blocks() {
        let lines = rustdoc_lines("x\n```js\nlet a = 1;\n```\n    indented");
        assert_eq!(lines, ["x", "```text", "let a = 1;", "```", "indented"]);
        assert_eq!(rustdoc_lines("```\nopen"), ["```text", "open", "```"]);
    }

    #[test]
    fn lists_do_not_swallow_the_next_line() {
        assert_eq!(rustdoc_lines("- a: 1\n- b: 2\nafter"), ["- a: 1", "- b: 2", "", "after"]);
    }

    #[test]
    fn examples() {
        assert_eq!(example(&serde_json::json!("PENDING")), "Example: `PENDING`");
        assert_eq!(example(&serde_json::json!(7200)), "Example: `7200`");
        assert_eq!(example(&serde_json::json!("a`b")), "Example: ``a`b``");
        assert!(example(&serde_json::json!("a\nb")).starts_with("Example:\n\n```text\na\nb"));
    }
}
