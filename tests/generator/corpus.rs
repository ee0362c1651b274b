//! The whole real documentation set: every page is accounted for, the
//! schema has the expected size, the OpenAPI export is valid, and the crates
//! generated from all pages, from each language folder and from the HTML and
//! text renderings build warning-free.

use std::collections::BTreeSet;
use std::path::PathBuf;

use generator::diag::Kind;
use generator::emit::openapi;
use generator::schema::{Shape, Type};
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

    let mut accounted: BTreeSet<String> = BTreeSet::new();
    for op in &run.api.operations {
        for source in &op.sources {
            accounted.insert(source.rsplit_once(':').map_or(source.as_str(), |(file, _)| file).to_string());
        }
    }
    let mut non_api = 0;
    for d in run.diags.iter() {
        if d.kind == Kind::NonApiPage {
            non_api += 1;
        }
        accounted.insert(d.file.clone());
    }
    // install.md, authentication.md and the protocol/event pages of six languages.
    assert_eq!(non_api, 48, "non-API pages");
    let pages: BTreeSet<String> =
        generator::read::list_pages(&corpus.join("zh")).expect("list pages").into_iter().map(|p| p.rel).collect();
    let missing: Vec<&String> = pages.difference(&accounted).collect();
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
