//! Rust identifiers for schema names: valid, conventional, and unique
//! within their namespace. Wire names are kept separately.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words that cannot be plain identifiers: strict and reserved keywords of
/// every edition, plus the weak ones that matter in item positions.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names generated code relies on: the prelude types it names and the
/// runtime items the client modules import. A type with such a name gets a
/// suffix instead of shadowing them.
pub const RESERVED_TYPES: &[&str] = &[
    "AuthenticationClient",
    "Box",
    "Call",
    "Clone",
    "Default",
    "Err",
    "Error",
    "Method",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Some",
    "String",
    "Vec",
    "ManagementClient",
];

/// Methods the hand-written runtime defines on the clients
/// (`generated/src/runtime/{authentication,management}.rs` and
/// `authentication/protocol.rs`); an operation
/// with such a name gets a suffix instead of a duplicate definition.
pub const RESERVED_METHODS: &[&str] = &[
    "builder",
    "clear_access_token",
    "execute",
    "local_url",
    "pages",
    "send",
    "send_data",
    "send_form",
    "set_access_token",
    "template_settings",
];

/// Keeps ASCII letters, digits and `_`; every other run becomes one `_`.
fn ascii_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

/// snake_case identifier text for a field, parameter or method name.
/// `fallback` names it when nothing ASCII is left (`用户名` → `field_3`).
/// Keywords that cannot be raw get their `_` here, so that uniqueness and
/// doc links see the name the code has.
pub fn snake(name: &str, fallback: &str) -> String {
    let words = ascii_words(name);
    let snake = words.to_snake_case();
    let snake = snake.trim_matches('_');
    let snake = if snake.chars().any(|c| c.is_ascii_alphanumeric()) { snake.to_string() } else { fallback.to_string() };
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// UpperCamelCase identifier text for a type or variant name.
pub fn camel(name: &str, fallback: &str) -> String {
    let camel = ascii_words(name).to_upper_camel_case();
    let camel = if camel.is_empty() { fallback.to_string() } else { camel };
    if camel.starts_with(|c: char| c.is_ascii_digit()) { format!("V{camel}") } else { camel }
}

/// An identifier token for `text`, raw (`r#type`) for keywords; keywords
/// that cannot be raw get a trailing `_`.
pub fn ident(text: &str) -> Ident {
    if NOT_RAW.contains(&text) {
        Ident::new(&format!("{text}_"), Span::call_site())
    } else if KEYWORDS.contains(&text) {
        Ident::new_raw(text, Span::call_site())
    } else {
        Ident::new(text, Span::call_site())
    }
}

/// Hands out names unique within one namespace.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// `wanted`, or `wanted` + `suffix`, or that with a number, whichever is free.
    pub fn claim(&mut self, wanted: &str, suffix: &str) -> String {
        let mut name = wanted.to_string();
        if self.taken.contains(&name) {
            // `self_` + `_2` is `self_2`: a doubled `_` is not snake case.
            let stem = if suffix.starts_with('_') { wanted.trim_end_matches('_') } else { wanted };
            name = format!("{stem}{suffix}");
        }
        let base = name.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("qrcodeId", "f"), "qrcode_id");
        assert_eq!(snake("access_token", "f"), "access_token");
        assert_eq!(snake("zh-CN", "f"), "zh_cn");
        assert_eq!(snake("address.formatted", "f"), "address_formatted");
        assert_eq!(snake("2fa", "f"), "n2fa");
        assert_eq!(snake("用户名", "field_3"), "field_3");
        assert_eq!(snake("user name", "f"), "user_name");
        assert_eq!(snake("Self", "f"), "self_");
        assert_eq!(snake("super", "f"), "super_");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("CheckQRCodeStatusDataDto", "T"), "CheckQrCodeStatusDataDto");
        assert_eq!(camel("PENDING", "V"), "Pending");
        assert_eq!(camel("zh-CN", "V"), "ZhCn");
        assert_eq!(camel("1", "V"), "V1");
        assert_eq!(camel("", "Empty"), "Empty");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("gen").to_string(), "r#gen");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("name").to_string(), "name");
    }

    #[test]
    fn reserved_methods_cover_the_runtime_clients() {
        let flows = super::super::manifest::FLOWS.iter().map(|f| (f.path, f.source));
        for (path, source) in super::super::manifest::RUNTIME_FILES.iter().copied().chain(flows) {
            let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{path}: {e}"));
            for item in file.items {
                let syn::Item::Impl(block) = item else { continue };
                let syn::Type::Path(ty) = &*block.self_ty else { continue };
                let client = ty.path.is_ident("AuthenticationClient") || ty.path.is_ident("ManagementClient");
                if !client || block.trait_.is_some() {
                    continue;
                }
                for item in block.items {
                    if let syn::ImplItem::Fn(f) = item {
                        let name = f.sig.ident.to_string();
                        assert!(RESERVED_METHODS.contains(&name.as_str()), "{path}: `{name}` is not reserved");
                    }
                }
            }
        }
    }

    #[test]
    fn namespaces() {
        let mut ns = Namespace::with_reserved(RESERVED_TYPES);
        assert_eq!(ns.claim("Result", "Dto"), "ResultDto");
        assert_eq!(ns.claim("UserDto", "Dto"), "UserDto");
        assert_eq!(ns.claim("UserDto", "Dto"), "UserDtoDto");
        let mut fields = Namespace::default();
        assert_eq!(fields.claim("user_id", "_"), "user_id");
        assert_eq!(fields.claim("user_id", "_"), "user_id_");
        assert_eq!(fields.claim("self_", "_2"), "self_");
        assert_eq!(fields.claim("self_", "_2"), "self_2");
    }
}
