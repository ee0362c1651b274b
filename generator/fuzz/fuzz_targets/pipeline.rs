#![no_main]

//! Pages to emitted code. The first byte picks each page's form (two bits
//! per page); the rest is split at NUL bytes into up to four pages, two of
//! which document the same API path so that merging runs too.

use generator::diag::Diagnostics;
use generator::emit::openapi;
use generator::emit::rust::{CrateKind, emit};
use generator::lower::{Overrides, lower};
use generator::page::{Page, PageForm};
use generator::read::read_page;
use libfuzzer_sys::fuzz_target;

const PATHS: [&str; 4] = [
    "python/authentication/登录/get-fuzz",
    "php/authentication/登录/get-fuzz",
    "node/management/管理用户/create-fuzz",
    "list-fuzz",
];

fuzz_target!(|data: &[u8]| {
    let Some((&forms, rest)) = data.split_first() else { return };
    let mut diags = Diagnostics::default();
    let pages: Vec<Page> = rest
        .split(|&b| b == 0)
        .take(PATHS.len())
        .enumerate()
        .map(|(i, bytes)| {
            let (form, ext) = match (forms >> (2 * i)) & 3 {
                1 => (PageForm::Html, "html"),
                2 => (PageForm::Text, "txt"),
                _ => (PageForm::Markdown, "md"),
            };
            read_page(&format!("{}.{ext}", PATHS[i]), form, bytes, &|_| None, &mut diags)
        })
        .collect();
    let api = lower(&pages, &Overrides::default(), &mut diags);
    assert!(api.models.windows(2).all(|w| w[0].name < w[1].name), "models sorted and unique");
    let reversed: Vec<Page> = pages.iter().rev().cloned().collect();
    assert_eq!(lower(&reversed, &Overrides::default(), &mut Diagnostics::default()), api, "page order matters");

    for file in emit(&api, CrateKind::Standalone) {
        if file.path.ends_with(".rs") {
            let parsed = syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
            // The emitter writes `compile_error!` when its own tokens do not parse.
            let fallback = parsed
                .items
                .iter()
                .any(|item| matches!(item, syn::Item::Macro(m) if m.mac.path.is_ident("compile_error")));
            assert!(!fallback, "{}: {}", file.path, file.contents);
        } else {
            file.contents.parse::<toml::Table>().unwrap_or_else(|e| panic!("{}: {e}", file.path));
        }
    }
    serde_json::to_string(&openapi::document(&api)).expect("OpenAPI document serializes");
});
