//! How faithfully the English pages are read. Each English page of the
//! corpus, in each of its forms, is lowered on its own and compared with the
//! Chinese python page of the same file name, the reference: the English
//! pages are machine translations of the Chinese ones, so both document the
//! same API. Both sides get the repository's overrides, as a real run does.
//!
//! A page's facts are its HTTP method; each parameter's type, required flag
//! and location; each model field's type and required flag; and the values
//! of each enumeration. Fidelity is the share of facts, over both pages, on
//! which the two agree: a fact that only one page has (a lost parameter, a
//! field made of a broken row) counts as a miss.
//!
//! `cargo test -p integration-tests --test generator fidelity -- --nocapture`
//! prints the figures per form.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use generator::diag::Diagnostics;
use generator::lower::Overrides;
use generator::page::PageForm;
use generator::schema::{Api, Field, ModelBody, Type};

use crate::support::{corpus, files_with_extension, lower_one_with_overrides, overrides, repo};

/// A fact's name (`param userId location`) and its value.
type Facts = BTreeMap<String, String>;

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Array { items } => format!("{}[]", type_name(items)),
        Type::Ref { name } => name.clone(),
        // The values are facts of their own.
        Type::Enum { .. } => "enum".to_string(),
        other => {
            serde_json::to_value(other).ok().and_then(|v| v["kind"].as_str().map(str::to_string)).unwrap_or_default()
        }
    }
}

fn enum_values(ty: &Type) -> Option<String> {
    match ty {
        Type::Enum { values } => Some(
            values.iter().map(|v| v.value.as_str()).collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>().join(" "),
        ),
        Type::Array { items } => enum_values(items),
        _ => None,
    }
}

fn field_facts(prefix: &str, field: &Field, facts: &mut Facts) {
    let key = format!("{prefix} {}", field.name);
    facts.insert(format!("{key} type"), type_name(&field.ty));
    facts.insert(format!("{key} required"), field.required.to_string());
    if let Some(values) = enum_values(&field.ty) {
        facts.insert(format!("{key} values"), values);
    }
}

/// The facts of a one-page schema.
fn facts(api: &Api) -> Facts {
    let mut facts = Facts::new();
    for op in &api.operations {
        facts.insert("method".to_string(), op.method.as_str().to_string());
        for param in &op.params {
            field_facts("param", &param.field, &mut facts);
            facts.insert(format!("param {} location", param.field.name), format!("{:?}", param.location));
        }
    }
    for model in &api.models {
        match &model.body {
            ModelBody::Struct { fields } => fields.iter().for_each(|f| field_facts(&model.name, f, &mut facts)),
            ModelBody::Enum { values } => {
                let values: BTreeSet<&str> = values.iter().map(|v| v.value.as_str()).collect();
                facts.insert(format!("{} values", model.name), values.into_iter().collect::<Vec<_>>().join(" "));
            }
        }
    }
    facts
}

/// Facts on which both agree, facts in all, and the differing fact names.
fn agreement(reference: &Facts, actual: &Facts) -> (usize, usize, Vec<String>) {
    let keys: BTreeSet<&String> = reference.keys().chain(actual.keys()).collect();
    let missed: Vec<String> = keys
        .iter()
        .filter(|k| reference.get(**k) != actual.get(**k))
        .map(|k| format!("{k}: {:?} != {:?}", reference.get(*k), actual.get(*k)))
        .collect();
    (keys.len() - missed.len(), keys.len(), missed)
}

/// Fidelity of one form over all English pages, as a percentage, and what
/// differs on each page.
pub struct Fidelity {
    pub percent: f64,
    pub pages: usize,
    pub misses: Vec<String>,
}

fn lower(path: &Path, rel: &str, form: PageForm, overrides: &Overrides) -> Api {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    lower_one_with_overrides(path, rel, form, &bytes, overrides).0
}

fn measure(corpus: &Path, form_dir: &str, ext: &str, form: PageForm, overrides: &Overrides) -> Fidelity {
    let root = corpus.join(form_dir).join("python");
    let (mut agreed, mut total, mut pages, mut misses) = (0, 0, 0, Vec::new());
    for path in files_with_extension(&root, ext) {
        let rel = path.strip_prefix(&root).expect("under root").with_extension("md");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let zh = corpus.join("zh/python").join(&rel);
        assert!(zh.is_file(), "{rel}: no Chinese original");
        let (a, t, missed) = agreement(
            &facts(&lower(&zh, &rel, PageForm::Markdown, overrides)),
            &facts(&lower(&path, &rel, form, overrides)),
        );
        agreed += a;
        total += t;
        pages += 1;
        misses.extend(missed.into_iter().map(|m| format!("{rel}: {m}")));
    }
    let percent = if total == 0 { 0.0 } else { 100.0 * agreed as f64 / total as f64 };
    Fidelity { percent, pages, misses }
}

#[test]
fn english_pages_match_their_chinese_originals_in_every_form() {
    let Some(corpus) = corpus() else { return };
    let overrides = overrides(&repo().join("docs/overrides.toml"), &mut Diagnostics::default());
    let markdown = measure(&corpus, "en", "md", PageForm::Markdown, &overrides);
    let html = measure(&corpus, "html/en", "html", PageForm::Html, &overrides);
    let text = measure(&corpus, "text/en", "txt", PageForm::Text, &overrides);
    for (name, f) in [("Markdown", &markdown), ("HTML", &html), ("text", &text)] {
        eprintln!("{name}: {:.1}% of facts agree with the Chinese pages, over {} pages", f.percent, f.pages);
        for miss in &f.misses {
            eprintln!("  {miss}");
        }
    }
    assert_eq!((markdown.pages, html.pages, text.pages), (51, 51, 51), "every English page in every form");
    // Measured 99.8% in every form.
    assert!(markdown.percent >= 99.5, "Markdown fidelity {:.1}%", markdown.percent);
    assert!(html.percent >= markdown.percent - 0.5, "HTML {:.1}% vs Markdown {:.1}%", html.percent, markdown.percent);
    assert!(text.percent >= markdown.percent - 0.5, "text {:.1}% vs Markdown {:.1}%", text.percent, markdown.percent);
}
