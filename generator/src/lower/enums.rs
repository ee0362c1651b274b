//! Enum value sets recovered from descriptions. Three forms occur:
//!
//! * list items: `<br>- `V`: text` or `<br>- V: text` (possibly indented);
//!   doc defects are tolerated: a code-span value without its colon
//!   (`- `V` text`), and a `<br>` left inside a code span that an unclosed
//!   backtick on an earlier item opened;
//! * an inline list after a marker: `可选值为 `a`、`b`、`c``, `可选值 enabled, disabled`,
//!   `Optional values: a, b`;
//! * parenthesized upper-case values: `PENDING(未扫码)、SCANNED(…)`, or
//!   `树结构（TREE）、字符串（STRING）`, when at least three occur.
//!
//! The caller adds the bare example and the default value of the row.

use crate::schema::EnumValue;

/// Values listed in a description (Markdown, with `\n` for `<br>`).
pub fn listed_values(description: &str) -> Vec<EnumValue> {
    let mut values = list_items(description);
    if values.len() < 2 {
        values = marker_list(description);
    }
    if values.len() < 2 {
        values = parenthesized(description);
    }
    if values.len() < 2 { Vec::new() } else { dedup(values) }
}

fn dedup(values: Vec<EnumValue>) -> Vec<EnumValue> {
    let mut out: Vec<EnumValue> = Vec::with_capacity(values.len());
    for v in values {
        if !out.iter().any(|o| o.value == v.value) {
            out.push(v);
        }
    }
    out
}

/// A token that can be an enum value: no spaces, not prose.
pub fn is_value_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 64
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':' | '+' | '*' | '@'))
        && token.chars().any(|c| c.is_ascii_alphanumeric())
}

fn list_items(description: &str) -> Vec<EnumValue> {
    let mut values = Vec::new();
    // A `<br>` inside a code span stays literal: an unclosed backtick
    // (`先执行 `SCAN 操作；<br>- `CANCEL`: …`) must not swallow the next item.
    for line in description.lines().flat_map(|line| line.split("<br>")) {
        let line = line.trim();
        // Rendered pages collapse the space in `<br>- ` inside a code span.
        let Some(item) = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .or_else(|| line.strip_prefix("• "))
            .or_else(|| line.strip_prefix('-').filter(|rest| rest.starts_with('`')))
        else {
            continue;
        };
        let item = item.trim();
        let (value, text) = match item.strip_prefix('`') {
            // The code span marks the value; its colon may be missing.
            Some(code) => match code.split_once('`') {
                Some((value, rest)) => (value.trim(), rest.trim_start().trim_start_matches([':', '：'])),
                None => continue,
            },
            None => match item.find([':', '：']) {
                Some(at) => (item[..at].trim(), item[at..].trim_start_matches([':', '：'])),
                None => continue,
            },
        };
        if is_value_token(value) {
            values.push(EnumValue { value: value.to_string(), description: text.trim().to_string() });
        }
    }
    values
}

/// Chinese markers before an inline value list.
const MARKERS: &[&str] = &["可选值为", "可选值", "取值为", "取值范围"];

/// English markers are machine translations and vary (`optional values
/// are:`, `the possible values include`, `allowed values:`, `can be one of`,
/// `value range:`): a qualifier before `value(s)`, `option(s)` or `range`,
/// or `one of`.
const QUALIFIERS: &[&str] =
    &["optional", "possible", "valid", "available", "allowed", "supported", "accepted", "enumerated", "enum", "value"];
const VALUE_WORDS: &[&str] = &["value", "values", "option", "options", "range"];

/// Where the value list after a marker starts, in `lower` (lower-cased).
fn list_start(lower: &str) -> Option<usize> {
    if let Some((at, marker)) = MARKERS.iter().find_map(|m| lower.find(m).map(|at| (at, *m))) {
        return Some(at + marker.len());
    }
    let words: Vec<(usize, &str)> = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .map(|w| (w.as_ptr() as usize - lower.as_ptr() as usize, w))
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let end = words.windows(2).find_map(|pair| {
        let [(_, first), (at, second)] = pair else { return None };
        let marker = QUALIFIERS.contains(first) && VALUE_WORDS.contains(second) || (*first, *second) == ("one", "of");
        marker.then_some(at + second.len())
    })?;
    // Linking words between the marker and the list: `are:`, `include`,
    // `are as follows:`.
    let rest = &lower[end..];
    let colon = rest.find(':').filter(|&c| c <= 24 && rest[..c].split_whitespace().count() <= 3);
    let linking = ["are", "is", "include", "includes", "as", "follows", "be"];
    let skipped =
        rest.split_whitespace().take_while(|w| linking.contains(&w.trim_end_matches(':'))).collect::<Vec<_>>();
    match (colon, skipped.last()) {
        (Some(c), _) => Some(end + c + 1),
        (None, Some(last)) => Some(end + rest.find(last)? + last.len()),
        (None, None) => Some(end),
    }
}

fn marker_list(description: &str) -> Vec<EnumValue> {
    let lower = description.to_lowercase();
    let Some(at) = list_start(&lower) else {
        return Vec::new();
    };
    // `lower` and `description` have the same byte offsets for the ASCII
    // and CJK text the markers match.
    let Some(rest) = description.get(at..) else {
        return Vec::new();
    };
    let rest = rest.trim_start_matches([':', '：', ',', '，', ' ', '是']);
    let rest = rest.strip_prefix("either ").unwrap_or(rest);
    let end = [rest.find(['。', ';', '；', '\n']), rest.find(". "), rest.strip_suffix('.').map(str::len)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let clause = &rest[..end];
    let clause = clause
        .split([',', '，'])
        .take_while(|part| !part.contains("默认") && !part.to_lowercase().contains("default"))
        .collect::<Vec<_>>()
        .join(",");
    let mut values = Vec::new();
    for part in clause
        .split(['、', ',', '，', '/'])
        .flat_map(|p| p.split(" 和 "))
        .flat_map(|p| p.split('和'))
        .flat_map(|p| p.split(" or "))
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split('或'))
    {
        let part = part.trim();
        // `value（描述）` or `value (description)`.
        let (token, text) = match part.find(['（', '(']) {
            Some(open) => {
                let inner = &part[open..];
                let inner = inner.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
                (part[..open].trim(), inner.trim())
            }
            None => (part, ""),
        };
        let token = token.trim_matches([':', '：', '.', ' ']).trim_matches('`').trim();
        if is_value_token(token) {
            values.push(EnumValue { value: token.to_string(), description: text.to_string() });
        } else if !token.is_empty() {
            // Prose inside the list: not a value list after all.
            return Vec::new();
        }
    }
    values
}

/// `VALUE(text)` and `text（VALUE）` with upper-case VALUEs, three or more.
fn parenthesized(description: &str) -> Vec<EnumValue> {
    let mut values = Vec::new();
    let chars: Vec<(usize, char)> = description.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if c != '(' && c != '（' {
            continue;
        }
        let close = chars[i + 1..].iter().find(|(_, c)| *c == ')' || *c == '）').map(|&(p, _)| p);
        let Some(close) = close else { continue };
        let inner = description[at + c.len_utf8()..close].trim();
        let before = description[..at].trim_end();
        let word_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
        let word = &before[word_start..];
        if is_upper_value(word) {
            values.push(EnumValue { value: word.to_string(), description: inner.to_string() });
        } else if is_upper_value(inner) {
            let text_start = before
                .rfind(['、', '，', ',', ' ', '：', ':'])
                .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
            values.push(EnumValue { value: inner.to_string(), description: before[text_start..].trim().to_string() });
        }
    }
    if values.len() >= 3 { values } else { Vec::new() }
}

fn is_upper_value(word: &str) -> bool {
    word.len() >= 2
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(description: &str) -> Vec<String> {
        listed_values(description).into_iter().map(|v| v.value).collect()
    }

    #[test]
    fn list_items_with_and_without_backticks() {
        assert_eq!(values("可选值为：\n- `user_id`: Authing 用户 ID\n- `phone`: 用户手机号"), ["user_id", "phone"]);
        assert_eq!(values("类型\n    - true: 是\n    - false: 否"), ["true", "false"]);
        assert_eq!(listed_values("x\n- `EQUAL`: 全等\n- `IN`: 元素")[0].description, "全等");
    }

    #[test]
    fn list_items_survive_doc_defects() {
        // The colon after a code-span value is missing.
        assert_eq!(
            values("类型：\n- `MOBILE_APP`: 自建 APP\n- `MINI`: 小程序\n- `OFFICIAL` 公众号"),
            ["MOBILE_APP", "MINI", "OFFICIAL"]
        );
        assert_eq!(listed_values("类型：\n- `A`: a\n- `B` b 类")[1].description, "b 类");
        // An unclosed backtick made one code span of `SCAN 操作；<br>- `.
        assert_eq!(
            values("动作:\n- `SCAN`: 扫码；\n- `CONFIRM`: 先执行 `SCAN 操作；<br>- `CANCEL`: 先执行 `SCAN 操作；"),
            ["SCAN", "CONFIRM", "CANCEL"]
        );
        assert_eq!(
            values("动作:\n- `SCAN`: 扫码；\n- `CONFIRM`: 先执行 `SCAN 操作；<br>-`CANCEL`: 先执行`SCAN 操作；"),
            ["SCAN", "CONFIRM", "CANCEL"]
        );
    }

    #[test]
    fn inline_lists_after_markers() {
        assert_eq!(
            values("可选值为 `client_secret_post`、`client_secret_basic`、`none`，默认为 `client_secret_post`。"),
            ["client_secret_post", "client_secret_basic", "none"]
        );
        assert_eq!(values("可选值 enabled, disabled"), ["enabled", "disabled"]);
        assert_eq!(values("可选值为 `Activated` 和 `Suspended`："), ["Activated", "Suspended"]);
        assert_eq!(
            values("可选值，disable（不开启）/condition_set（条件开启）/always_enable （始终开启）"),
            ["disable", "condition_set", "always_enable"]
        );
        assert_eq!(
            values("可选值为 zh-CN、en-US、ja-JP 和 zh-TW，默认为 zh-CN。"),
            ["zh-CN", "en-US", "ja-JP", "zh-TW"]
        );
        assert!(values("可选值很多，请参考文档中的说明").is_empty());
    }

    #[test]
    fn inline_lists_in_english_prose() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Login method, optional values are: `password`, `passcode`, `social`.",
                &["password", "passcode", "social"],
            ),
            ("The possible values include `GET`, `POST` and `PUT`", &["GET", "POST", "PUT"]),
            ("Gender. Allowed values: M, F, U. Defaults to U.", &["M", "F", "U"]),
            ("Can be one of `day`, `week` or `month`, the default is `day`", &["day", "week", "month"]),
            ("The value range is as follows: TREE, STRING, ARRAY", &["TREE", "STRING", "ARRAY"]),
            ("Supported options are enabled / disabled", &["enabled", "disabled"]),
        ];
        for (description, expected) in cases {
            assert_eq!(values(description), *expected, "{description}");
        }
        // A qualifier and a value word in prose, without a list after them.
        assert!(values("The optional value of the user's nickname, up to 32 characters.").is_empty());
        assert!(values("Returns one of the user's identities.").is_empty());
    }

    #[test]
    fn parenthesized_upper_case_values() {
        let qr = "二维码状态。按照用户扫码顺序，共分为 PENDING(未扫码)、SCANNED(已扫码等待用户确认)、AUTHORIZED(用户已授权)、CANCELLED(取消授权)、EXPIRED(二维码过期)以及 ERROR(未知错误)六种状态。";
        assert_eq!(values(qr), ["PENDING", "SCANNED", "AUTHORIZED", "CANCELLED", "EXPIRED", "ERROR"]);
        assert_eq!(listed_values(qr)[0].description, "未扫码");
        let en = "there are six states: PENDING (not scanned), SCANNED (scanned), AUTHORIZED (user authorized), CANCELLED (cancelled authorization), EXPIRED (QR code expired), and ERROR (unknown error).";
        assert_eq!(values(en).len(), 6);
        assert_eq!(
            values("目前支持树结构（TREE）、字符串（STRING）、数组（ARRAY）三种类型"),
            ["TREE", "STRING", "ARRAY"]
        );
        assert!(values("请求 ID（ID）").is_empty());
    }
}
