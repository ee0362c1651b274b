//! The whole real documentation set: every page is accounted for, the
//! schema has the expected size, the OpenAPI export is valid, and the crates
//! generated from all pages, from each language folder and from the HTML and
//! text renderings build warning-free.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::diag::Kind;
use generator::emit::openapi;
use generator::pipeline::Run;
use generator::schema::{ModelBody, Shape, Type};
use serde_json::Value;

use crate::compile::{cargo, scratch_workspace};
use crate::support::{corpus, run};

#[test]
fn every_page_is_an_operation_a_non_api_page_or_a_diagnostic() {
    let Some(corpus) = corpus() else { return };
    let run = run(&corpus.join("zh"));
    eprintln!("{}", generator::pipeline::summary(&run));
    assert_eq!(run.pages, 2850);
    // About 500 operations and 700 DTOs once languages and copies merge.
    assert!((450..=520).contains(&run.api.operations.len()), "{} operations", run.api.operations.len());
    assert!((650..=750).contains(&run.api.models.len()), "{} models", run.api.models.len());

    // install.md, authentication.md and the protocol/event pages of six languages.
    let non_api = run.diags.iter().filter(|d| d.kind == Kind::NonApiPage).count();
    assert_eq!(non_api, 48, "non-API pages");
    let missing = unaccounted(&run, &corpus.join("zh"));
    assert!(missing.is_empty(), "pages neither an operation, a non-API page nor diagnosed: {missing:?}");

    // The seed operations carry their whole DTO trees and the QR status enum.
    let check = run.api.operations.iter().find(|o| o.name == "check_qr_code_status").expect("check_qr_code_status");
    assert_eq!((check.method.as_str(), check.path.as_str()), ("GET", "/api/v3/check-qrcode-status"));
    let data = run.api.model("CheckQRCodeStatusDataDto").expect("CheckQRCodeStatusDataDto");
    let generator::schema::ModelBody::Struct { fields } = &data.body else { panic!("struct") };
    let status = fields.iter().find(|f| f.name == "status").expect("status");
    let Type::Enum { values } = &status.ty else { panic!("status is {:?}", status.ty) };
    let values: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["PENDING", "SCANNED", "AUTHORIZED", "CANCELLED", "EXPIRED", "ERROR"]);
}

/// The pages under `root` that are neither the source of an operation nor
/// named by a diagnostic.
fn unaccounted(run: &Run, root: &Path) -> Vec<String> {
    let mut accounted: BTreeSet<String> = BTreeSet::new();
    for op in &run.api.operations {
        for source in &op.sources {
            accounted.insert(source.rsplit_once(':').map_or(source.as_str(), |(file, _)| file).to_string());
        }
    }
    accounted.extend(run.diags.iter().map(|d| d.file.clone()));
    let pages = generator::read::list_pages(root).expect("list pages").into_iter().map(|p| p.rel);
    pages.filter(|page| !accounted.contains(page)).collect()
}

/// A JSON key a client can name: ASCII letters, digits, `_`, `-`, `.`, `$`,
/// not starting with a digit or punctuation other than `_`/`$`.
fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
}

/// The real English pages, in each form, as the Chinese ones: every page is
/// an operation or diagnosed, and no broken row becomes a field or parameter.
#[test]
fn every_english_page_is_accounted_for_and_names_only_identifiers() {
    let Some(corpus) = corpus() else { return };
    for form in ["en", "html/en", "text/en"] {
        let root = corpus.join(form);
        let run = run(&root);
        eprintln!("{form}: {}", generator::pipeline::summary(&run));
        assert_eq!(run.pages, 51, "{form}: the 51 English pages (snippets are included, not pages)");
        assert_eq!(run.api.operations.len(), 51, "{form}");
        let missing = unaccounted(&run, &root);
        assert!(missing.is_empty(), "{form}: pages neither an operation, a non-API page nor diagnosed: {missing:?}");
        let params = run.api.operations.iter().flat_map(|op| op.params.iter().map(move |p| (&op.name, &p.field.name)));
        let fields = run.api.models.iter().flat_map(|m| match &m.body {
            ModelBody::Struct { fields } => fields.iter().map(|f| (&m.name, &f.name)).collect::<Vec<_>>(),
            ModelBody::Enum { .. } => Vec::new(),
        });
        let bad: Vec<String> = params
            .chain(fields)
            .filter(|(_, name)| !is_identifier(name))
            .map(|(of, name)| format!("{of}.{name}"))
            .collect();
        assert!(bad.is_empty(), "{form}: names that are not identifiers: {bad:?}");
    }
    assert!(!is_identifier("---- ... `externalId` field") && !is_identifier("2fa") && is_identifier("zh-CN"));
}

/// Every `$ref` of the document points at a schema it defines.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                out.push(target.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn openapi_export_is_valid_and_complete() {
    let Some(corpus) = corpus() else { return };
    let run = run(&corpus.join("zh"));
    let document = openapi::document(&run.api);
    let parsed: openapiv3::OpenAPI = serde_json::from_value(document.clone()).expect("a valid OpenAPI 3.0 document");
    let operations: usize = parsed.paths.paths.values().filter_map(|p| p.as_item()).map(|p| p.iter().count()).sum();
    // Every operation is exported, each endpoint once: wrappers are listed
    // on the endpoint they wrap (which the corpus documents), local helpers
    // apart.
    let count = |wrapper: bool| {
        run.api
            .operations
            .iter()
            .filter(|o| {
                matches!(o.shape, Shape::Wrapper { .. }) == wrapper
                    && matches!(o.shape, Shape::Wrapper { .. } | Shape::LocalUrl { .. })
            })
            .count()
    };
    let (wrappers, local) = (count(true), count(false));
    assert_eq!(operations, run.api.operations.len() - wrappers - local, "every endpoint is exported");
    let listed: usize = document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .flat_map(|item| item.as_object().into_iter().flat_map(|ops| ops.values()))
        .filter_map(|op| op["x-genauth-wrappers"].as_array().map(Vec::len))
        .sum();
    assert_eq!((listed, wrappers), (12, 12), "wrappers listed on the endpoints they wrap");
    assert_eq!(document["x-genauth-local-helpers"].as_array().map_or(0, Vec::len), local);
    let schemas = parsed.components.as_ref().map_or(0, |c| c.schemas.len());
    assert_eq!(schemas, run.api.models.len(), "every model is exported");
    let ids: Vec<&str> = parsed
        .paths
        .paths
        .values()
        .filter_map(|p| p.as_item())
        .flat_map(|p| p.iter().filter_map(|(_, op)| op.operation_id.as_deref()))
        .collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "operation ids are unique");
    // Each model's `required` list names exactly its required fields.
    let schemas = &document["components"]["schemas"];
    let mut with_required = 0;
    for model in &run.api.models {
        let generator::schema::ModelBody::Struct { fields } = &model.body else { continue };
        let schema = schemas.as_object().and_then(|s| s.values().find(|s| s["x-genauth-name"] == model.name.as_str()));
        let schema = schema.or_else(|| schemas.get(&model.name)).expect("every model is exported");
        let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.name.as_str()).collect();
        let listed: Vec<&str> =
            schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        assert_eq!(listed, required, "required list of {}", model.name);
        with_required += usize::from(!required.is_empty());
    }
    assert!(with_required > 300, "{with_required} models with required fields");
    let mut targets = Vec::new();
    refs(&document, &mut targets);
    let defined: BTreeSet<String> = run.api.models.iter().map(|m| format!("#/components/schemas/{}", m.name)).collect();
    let dangling: BTreeSet<&String> = targets.iter().filter(|t| !defined.contains(*t)).collect();
    assert!(dangling.is_empty(), "dangling $refs: {dangling:?}");
}

#[test]
fn crates_from_the_corpus_build_warning_free() {
    let Some(corpus) = corpus() else { return };
    let mut members: Vec<(String, PathBuf)> = vec![("corpus-all".to_string(), corpus.join("zh"))];
    for lang in ["python", "node", "java", "go", "php", "csharp"] {
        members.push((format!("corpus-{lang}"), corpus.join("zh").join(lang)));
    }
    members.push(("corpus-html".to_string(), corpus.join("html/zh/python")));
    members.push(("corpus-text".to_string(), corpus.join("text/zh/python")));
    let workspace = scratch_workspace("corpus", &members);
    cargo(&workspace, &["check", "--workspace", "--quiet"]);
    // The whole SDK also passes clippy and rustdoc, and compiles with one feature.
    cargo(&workspace, &["clippy", "-p", "corpus-all", "--quiet", "--", "-D", "warnings"]);
    cargo(&workspace, &["doc", "-p", "corpus-all", "--no-deps", "--quiet"]);
    cargo(&workspace, &["check", "-p", "corpus-all", "--no-default-features", "--features", "auth-login", "--quiet"]);
}
