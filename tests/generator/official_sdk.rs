//! Every generated method against what the official SDKs call
//! (`docs/official-sdk-endpoints.json`, extracted from PyPI `authing` 5.1.0
//! and npm `authing-node-sdk` 4.0.1 by `tests/official-sdk/extract.py`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use generator::schema::{Api, Operation, ParamLocation, Shape, TemplateEntry, TemplateValue};
use serde_json::Value;

use crate::support::{corpus, repo, run};

fn reference() -> Value {
    let text = std::fs::read_to_string(repo().join("docs/official-sdk-endpoints.json")).expect("the reference");
    serde_json::from_str(&text).expect("the reference is JSON")
}

/// The requests an SDK fact records, under every client authentication.
fn requests(fact: &Value) -> Vec<&Value> {
    let mut out: Vec<&Value> = fact["requests"].as_array().into_iter().flatten().collect();
    if let Some(by_auth) = fact["by_client_auth"].as_object() {
        out.extend(by_auth.values().flat_map(|v| v["requests"].as_array().into_iter().flatten()));
    }
    out
}

/// (verb, path) → the recorded Python requests there (Node facts add
/// endpoints but not argument placement).
fn endpoints(reference: &Value) -> BTreeMap<(String, String), Vec<&Value>> {
    let mut out: BTreeMap<(String, String), Vec<&Value>> = BTreeMap::new();
    for sdk in ["python", "node"] {
        for fact in reference[sdk].as_array().expect("facts") {
            for request in requests(fact) {
                let key = (
                    request["verb"].as_str().unwrap_or_default().to_owned(),
                    request["path"].as_str().unwrap_or_default().to_owned(),
                );
                let entry = out.entry(key).or_default();
                if sdk == "python" {
                    entry.push(request);
                }
            }
        }
    }
    out
}

/// `passCode`, `pass_code` and `PassCode` are one name.
fn loose(name: &str) -> String {
    name.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect()
}

/// Whether a template is the SDK's recorded body: the same keys, fixed
/// values and argument positions (client credentials aside, added by the
/// runtime).
fn same_template(entries: &[TemplateEntry], sdk: &Value) -> bool {
    let Some(sdk) = sdk.as_object() else { return false };
    let sdk: BTreeMap<&String, &Value> =
        sdk.iter().filter(|(k, _)| !matches!(k.as_str(), "client_id" | "client_secret")).collect();
    let ours: BTreeSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    let theirs: BTreeSet<&str> = sdk.keys().map(|k| k.as_str()).collect();
    ours == theirs
        && entries.iter().all(|e| {
            let theirs = sdk[&e.key];
            match &e.value {
                TemplateValue::Param { name } => theirs["arg"].as_str().is_some_and(|arg| loose(arg) == loose(name)),
                TemplateValue::Text { value } => theirs.as_str() == Some(value),
                TemplateValue::Setting { .. } => theirs.as_str().is_some_and(|s| s.starts_with('<')),
                TemplateValue::First { values } => values.iter().any(|v| match v {
                    TemplateValue::Param { name } => theirs["arg"].as_str().is_some_and(|a| loose(a) == loose(name)),
                    _ => false,
                }),
                TemplateValue::Object { entries } => same_template(entries, theirs),
            }
        })
}

#[derive(Debug, Default, PartialEq)]
struct Classes {
    direct: usize,
    wrappers: usize,
    protocol: usize,
    local: usize,
    /// Pages merged into another page's endpoint.
    merged_pages: BTreeSet<String>,
    unverified: usize,
}

/// Checks each operation; returns the classes and the problems found.
fn check(api: &Api, reference: &Value) -> (Classes, Vec<String>) {
    let endpoints = endpoints(reference);
    let local_paths: BTreeSet<&str> =
        reference["python"].as_array().into_iter().flatten().filter_map(|f| f["local_url"]["path"].as_str()).collect();
    let mut classes = Classes::default();
    let mut problems = Vec::new();
    for op in &api.operations {
        let stems: BTreeSet<&str> = op.sources.iter().filter_map(|s| stem_of(s)).collect();
        if stems.len() > 1 {
            classes.merged_pages.extend(stems.iter().map(|s| s.to_string()));
        }
        let what = format!("{} ({} {})", op.name, op.method.as_str(), op.path);
        if let Some(reason) = &op.unverified {
            classes.unverified += 1;
            if reason.trim().is_empty() {
                problems.push(format!("{what}: unverified without a reason"));
            }
            continue;
        }
        if let Shape::LocalUrl { .. } = &op.shape {
            classes.local += 1;
            if !local_paths.contains(op.path.as_str()) {
                problems.push(format!("{what}: no SDK builds a URL on this path"));
            }
            continue;
        }
        let key = (op.method.as_str().to_owned(), op.path.clone());
        let Some(sent) = endpoints.get(&key) else {
            problems.push(format!("{what}: no official SDK calls this"));
            continue;
        };
        match &op.shape {
            Shape::Direct => {
                classes.direct += 1;
                check_placement(op, sent, &what, &mut problems);
            }
            Shape::Wrapper { body } => {
                classes.wrappers += 1;
                if !sent.iter().any(|r| same_template(body, &r["json"])) {
                    problems.push(format!("{what}: no SDK sends this body"));
                }
            }
            Shape::Protocol { form } => {
                classes.protocol += 1;
                if !sent.iter().any(|r| same_template(form, &r["form"])) {
                    problems.push(format!("{what}: no SDK sends this form"));
                }
            }
            Shape::LocalUrl { .. } => unreachable!("handled above"),
        }
    }
    (classes, problems)
}

/// A parameter the SDK sends in the query is a query parameter here, and
/// one it sends in the body a body parameter.
fn check_placement(op: &Operation, sent: &[&Value], what: &str, problems: &mut Vec<String>) {
    for request in sent {
        let query: BTreeSet<&str> =
            request["query"].as_object().into_iter().flat_map(|q| q.keys()).map(String::as_str).collect();
        let body: BTreeSet<&str> =
            request["json"].as_object().into_iter().flat_map(|q| q.keys()).map(String::as_str).collect();
        for param in &op.params {
            let name = param.field.name.as_str();
            let agrees = match param.location {
                ParamLocation::Query | ParamLocation::Path => !body.contains(name),
                ParamLocation::Body => !query.contains(name),
            };
            if !agrees {
                problems
                    .push(format!("{what}: `{name}` is a {:?} parameter; the SDK puts it elsewhere", param.location));
            }
        }
    }
}

fn stem_of(source: &str) -> Option<&str> {
    let file = source.rsplit_once(':').map_or(source, |(file, _)| file).rsplit('/').next()?;
    let stem = file.split_once('.').map_or(file, |(stem, _)| stem);
    Some(stem)
}

#[test]
fn every_method_calls_an_endpoint_an_official_sdk_calls() {
    let Some(corpus) = corpus() else { return };
    let reference = reference();
    // Keyed by the page a method comes from: forms name some methods
    // differently (`pass_code`/`passcode`), which is not at issue here.
    let endpoint = |op: &Operation| {
        let pages: BTreeSet<String> = op.sources.iter().filter_map(|s| stem_of(s)).map(str::to_owned).collect();
        (op.client, pages, op.method, op.path.clone(), op.shape.clone())
    };
    let mut zh: Option<(Classes, Vec<_>)> = None;
    for form in ["zh", "html", "text"] {
        let api = run(&corpus.join(form)).api;
        let (classes, problems) = check(&api, &reference);
        eprintln!("{form}: {classes:?}");
        assert!(
            problems.is_empty(),
            "{form}: {} method(s) off the official SDKs:\n{}",
            problems.len(),
            problems.join("\n")
        );
        let endpoints: Vec<_> = api.operations.iter().map(endpoint).collect();
        match &zh {
            None => zh = Some((classes, endpoints)),
            // The corrections are keyed by what a page is: the rendered
            // pages (a subset of the Markdown set) get them too.
            Some((_, zh)) => {
                let differ: Vec<_> = endpoints.iter().filter(|e| !zh.contains(e)).collect();
                assert!(differ.is_empty(), "{form}: methods unlike their zh twins: {differ:?}");
            }
        }
    }
    let (zh, _) = zh.expect("zh");
    assert_eq!((zh.wrappers, zh.protocol, zh.local, zh.unverified), (12, 3, 2, 12));
    let merged: Vec<&str> = zh.merged_pages.iter().map(String::as_str).collect();
    assert_eq!(
        merged,
        [
            "-get-row-batch",
            "config-email-provider",
            "config-email-provier",
            "delete-device",
            "delete-device-by-user",
            "disable-device",
            "disable-device-by-user",
            "enable-device",
            "enable-device-by-user",
            "get-email-provider",
            "get-email-provier",
            "get-row-batch",
            "list-pipeline-function",
            "list-pipeline-functions",
            "suspend-device",
            "suspend-device-by-user",
        ]
    );
}

/// The misspelt page names stay as deprecated aliases of the one method of
/// their endpoint.
#[test]
fn misnamed_pages_call_their_endpoint_once() {
    let Some(corpus) = corpus() else { return };
    let api = run(&corpus.join("zh")).api;
    let find = |name: &str| api.operations.iter().find(|o| o.name == name);
    // The misspelt config page names the method right; only the get page
    // has a misspelt name.
    let config = find("config_email_provider").expect("config_email_provider");
    assert_eq!((config.path.as_str(), config.aliases.len()), ("/api/v3/config-email-provider", 0));
    let get = find("get_email_provider").expect("get_email_provider");
    assert_eq!(
        (get.path.as_str(), get.aliases.as_slice()),
        ("/api/v3/get-email-provider", &["get_email_provier".to_owned()][..])
    );
    assert!(find("config_email_provier").is_none() && find("get_email_provier").is_none());
    let batch: Vec<&Operation> = api.operations.iter().filter(|o| o.path.ends_with("get-row-batch")).collect();
    assert_eq!(batch.len(), 1);
    assert_eq!((batch[0].name.as_str(), batch[0].path.as_str()), ("get_row_batch", "/get-row-batch"));
    let delete = find("delete_device").expect("delete_device");
    assert_eq!(delete.path, "/api/v3/delete-device-by-user");
    assert!(delete.params.iter().any(|p| p.field.name == "userId"));
    assert!(find("delete_device_by_user").is_none());
}

/// The committed reference is what the published packages give today. CI
/// downloads them (`.ci/run` sets `GENAUTH_OFFICIAL_SDKS`); without that
/// variable the check is skipped.
#[test]
fn the_reference_is_what_the_published_sdks_give() {
    let Some(dir) = std::env::var_os("GENAUTH_OFFICIAL_SDKS") else {
        eprintln!("GENAUTH_OFFICIAL_SDKS is not set: the official SDK reference is not re-extracted");
        return;
    };
    let dir = Path::new(&dir);
    let wheel = dir.join("authing-5.1.0-py3-none-any.whl");
    let tgz = dir.join("authing-node-sdk-4.0.1.tgz");
    assert!(wheel.is_file() && tgz.is_file(), "{} must hold the downloaded SDK packages", dir.display());
    let output = Command::new("python3")
        .arg(repo().join("tests/official-sdk/extract.py"))
        .args([
            "--python-wheel".as_ref(),
            wheel.as_os_str(),
            "--node-tgz".as_ref(),
            tgz.as_os_str(),
            "--check".as_ref(),
        ])
        .arg(repo().join("docs/official-sdk-endpoints.json"))
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
