//! The same page in each of its forms gives the same schema. Every corpus
//! page that exists as Markdown, rendered HTML and saved text (the 518
//! python pages) is lowered from each form on its own, and the schemas are
//! compared after removing only what a form cannot carry:
//!
//! * HTML and text lose the indentation of query-parameter rows, so they
//!   decide the HTTP method by rule 4 (name-and-types) where Markdown uses
//!   rules 1-2; verbs and parameter locations are compared on every page, and
//!   the pages where rule 4 decides otherwise are listed
//!   (`NAME_AND_TYPES_DIFFERS`): the same in both rendered forms, and with
//!   nothing but the verb and the locations that follow from it differing.
//!   Read together, the three forms give the Markdown page's verb and
//!   locations, which is what the corpus SDK gets;
//! * rendering loses markup and collapses spaces, so descriptions and
//!   examples are compared on their visible letters and digits;
//! * text cannot tell a bare example (an enum's first value) from a code
//!   one, nor always where a description ends and its example begins, so
//!   enum values, descriptions and examples are not compared for text
//!   fields, nor the kind of a scalar, which an example can decide;
//! * 15 HTML pages lost table rows to the renderer (`BROKEN_HTML_TABLES`).

use std::collections::BTreeMap;

use std::collections::BTreeSet;
use std::path::Path;

use generator::diag::{Diagnostics, Kind};
use generator::lower::{self, Overrides};
use generator::page::{Page, PageForm};
use generator::read::inline::strip_tags;
use generator::read::{read_page, resolve_include};
use generator::schema::{Api, Field, HttpMethod, HttpRule, ModelBody, ParamLocation, Type};
use serde_json::{Value, json};

use crate::support::{
    BROKEN_HTML_TABLES, corpus, files_with_extension, first_difference, lower_one, lower_one_with_diagnostics, repo,
};

/// Letters and digits only: what survives the loss of markup.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The visible letters of a Markdown description: link targets, HTML tags
/// and code-fence languages are markup, not text.
fn visible(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let text: String = Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Text(t) | Event::Code(t) => Some(t.into_string()),
            // Raw HTML (`<details><summary>…`) shows its text, not its tags.
            Event::Html(html) | Event::InlineHtml(html) => Some(strip_tags(&html)),
            _ => None,
        })
        .collect();
    letters(&text)
}

fn normalize_type(ty: &Type, form: PageForm) -> Value {
    match ty {
        // A scalar's kind follows an example of another kind (`errMsg |
        // boolean | … | \`Event is undefined\``), and an enum a bare example,
        // which text cannot tell from the description.
        Type::Enum { .. } | Type::String | Type::Boolean | Type::Integer | Type::Number if form == PageForm::Text => {
            json!("scalar")
        }
        Type::Enum { values } => json!({ "enum": values.iter().map(|v| &v.value).collect::<Vec<_>>() }),
        Type::Array { items } => json!({ "array": normalize_type(items, form) }),
        other => serde_json::to_value(other).unwrap_or(Value::Null),
    }
}

fn normalize_field(field: &Field, form: PageForm) -> Value {
    let mut out = json!({
        "name": field.name,
        "type": normalize_type(&field.ty, form),
        "required": field.required,
        "default": field.default,
    });
    if form != PageForm::Text {
        out["description"] = json!(visible(&field.description));
        // Renderers collapse runs of spaces, even inside code spans.
        out["example"] = json!(field.example.as_ref().map(|e| letters(&e.to_string())));
    }
    out
}

/// The comparable content of a one-page schema in `form`.
fn normalize(api: &Api, form: PageForm) -> Value {
    let operations: Vec<Value> = api
        .operations
        .iter()
        .map(|op| {
            json!({
                "client": op.client,
                "name": op.name,
                "tag": op.tag,
                "summary": letters(&op.summary),
                "description": visible(&op.description),
                "path": op.path,
                "params": op.params.iter().map(|p| normalize_field(&p.field, form)).collect::<Vec<_>>(),
                "response": op.response,
                "response_example": op.response_example,
            })
        })
        .collect();
    let models: BTreeMap<&str, Value> = api
        .models
        .iter()
        .map(|m| {
            let body = match &m.body {
                ModelBody::Struct { fields } => {
                    json!(fields.iter().map(|f| normalize_field(f, form)).collect::<Vec<_>>())
                }
                ModelBody::Enum { values } => json!(values.iter().map(|v| &v.value).collect::<Vec<_>>()),
            };
            (m.name.as_str(), body)
        })
        .collect();
    json!({ "operations": operations, "models": models })
}

/// What a caller of each operation sends: verb, path, and each parameter's
/// wire name and location.
type Calls = Vec<(HttpMethod, String, Vec<(String, ParamLocation)>)>;

fn calls(api: &Api) -> Calls {
    api.operations
        .iter()
        .map(|op| {
            let params = op.params.iter().map(|p| (p.field.name.clone(), p.location)).collect();
            (op.method, op.path.clone(), params)
        })
        .collect()
}

/// Python pages whose rendered forms get another verb from rule 4
/// (name-and-types) than the Markdown page's layout gives (rules 1-2): 43
/// of the 466 that rules 1-2 decide (see
/// `name_and_types_rule_mostly_agrees_with_the_layout_rules`).
const NAME_AND_TYPES_DIFFERS: &[&str] = &[
    "authentication/微信相关接口/get-wechat-access-token-info.md",
    "authentication/微信相关接口/get-wechat-access-token.md",
    "authentication/微信相关接口/get-wechat-miniprogram-phone.md",
    "authentication/登录/get-pushlogin-relation-apps.md",
    "authentication/账号绑定/generate-link-extidp-url.md",
    "authentication/账号绑定/link-extidp.md",
    "authentication/鉴权/check-permission-array-resource.md",
    "authentication/鉴权/check-permission-string-resource.md",
    "authentication/鉴权/check-permission-tree-resource.md",
    "authentication/鉴权/get-user-auth-resource-permission-list.md",
    "management/微信相关接口/get-wechat-access-token.md",
    "management/管理-webhook/get-webhook-logs.md",
    "management/管理多租户/list-tenant-admin.md",
    "management/管理多租户/list-tenant-users.md",
    "management/管理岗位/get-post-by-id.md",
    "management/管理应用/batch-applications-auth.md",
    "management/管理应用/check-domain-available.md",
    "management/管理应用/get-asa-accounts-batch.md",
    "management/管理应用/list-applications-auth.md",
    "management/管理应用/list-subject-auth.md",
    "management/管理数据对象/-get-row-batch.md",
    "management/管理数据对象/get-row-batch.md",
    "management/管理数据对象/metadata-all-operate.md",
    "management/管理数据对象/metadata-get-relation-info.md",
    "management/管理数据资源与权限/check-permission-namespace-exists.md",
    "management/管理数据资源与权限/get-external-user-resource-struct.md",
    "management/管理数据资源与权限/get-user-permission-list.md",
    "management/管理数据资源与权限/get-user-resource-permission-list.md",
    "management/管理数据资源与权限/get-user-resource-struct.md",
    "management/管理数据资源与权限/list-permission-view-data.md",
    "management/管理数据资源与权限/list-resource-targets.md",
    "management/管理用户/check-session-status.md",
    "management/管理用户/get-user-password-ciphertext.md",
    "management/管理用户/is-user-exists.md",
    "management/管理组织机构/search-departments.md",
    "management/管理角色/check-role-params.md",
    "management/管理资源与权限/get-resource-authorized-targets.md",
    "management/管理资源与权限/is-action-allowed.md",
    "management/管理身份源/ext-idp-conn-apps.md",
    "management/账号绑定/generate-link-extidp-url.md",
    "management/鉴权/check-permission-array-resource.md",
    "management/鉴权/check-permission-string-resource.md",
    "management/鉴权/check-permission-tree-resource.md",
];

/// Compares the calls of a Markdown page's schema with those of a rendered
/// form: equal, or (rule 4 against rules 1-2) differing only in the verb
/// and the parameter locations that follow from it, which returns true.
fn rendered_calls_differ(markdown: &Api, rendered: &Api) -> Result<bool, String> {
    let rules: Vec<(HttpRule, HttpRule)> =
        markdown.operations.iter().zip(&rendered.operations).map(|(a, b)| (a.http_rule, b.http_rule)).collect();
    let (a, b) = (calls(markdown), calls(rendered));
    if a == b {
        return Ok(false);
    }
    let layout_against_rule_4 = rules
        .iter()
        .all(|rules| matches!(rules, (HttpRule::IndentedRows | HttpRule::BodyRows, HttpRule::NameAndTypes)));
    let follows_verb = |(verb, _, params): &(HttpMethod, String, Vec<(String, ParamLocation)>)| {
        let location = if verb.uses_query() { ParamLocation::Query } else { ParamLocation::Body };
        params.iter().all(|(_, l)| *l == location)
    };
    let same_but_verb = a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            let names = |c: &(HttpMethod, String, Vec<(String, ParamLocation)>)| {
                (c.1.clone(), c.2.iter().map(|p| p.0.clone()).collect::<Vec<_>>())
            };
            names(x) == names(y) && follows_verb(x) && follows_verb(y)
        });
    if layout_against_rule_4 && same_but_verb {
        Ok(true)
    } else {
        Err(format!("calls differ beyond the verb: {a:?} != {b:?} (rules {rules:?})"))
    }
}

fn read(path: &Path, rel: &str, form: PageForm) -> Page {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let includes = |target: &str| resolve_include(path, target);
    read_page(rel, form, &bytes, &includes, &mut Diagnostics::default())
}

/// Compares the three forms of every python page of one language folder
/// (`zh` or `en`); returns the number of page pairs compared and, per
/// rendered form, the pages whose verb differs from the Markdown page's
/// only because rule 4 decides the rendered one.
fn compare_forms(corpus: &Path, lang: &str) -> (usize, BTreeMap<PageForm, BTreeSet<String>>) {
    let root = corpus.join(lang).join("python");
    let pages = files_with_extension(&root, "md");
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut differing: BTreeMap<PageForm, BTreeSet<String>> = BTreeMap::new();
    for md in &pages {
        let rel = md.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
        let html = corpus.join("html").join(lang).join("python").join(&rel).with_extension("html");
        let text = corpus.join("text").join(lang).join("python").join(&rel).with_extension("txt");
        let reference = lower_one(md, &rel, PageForm::Markdown);
        let mut together = vec![read(md, &rel, PageForm::Markdown)];
        for (other, form) in [(html, PageForm::Html), (text, PageForm::Text)] {
            if !other.exists() {
                continue;
            }
            compared += 1;
            let other_rel = Path::new(&rel).with_extension(other.extension().unwrap_or_default());
            together.push(read(&other, &other_rel.to_string_lossy(), form));
            if lang == "zh" && form == PageForm::Html && BROKEN_HTML_TABLES.iter().any(|(page, _)| *page == rel) {
                continue;
            }
            let api = lower_one(&other, &rel, form);
            let (expected, actual) = (normalize(&reference, form), normalize(&api, form));
            if expected != actual {
                failures.push(format!("{lang}/{rel} ({form:?}): {}", first_difference(&expected, &actual, "")));
            }
            match rendered_calls_differ(&reference, &api) {
                Ok(true) => {
                    differing.entry(form).or_default().insert(rel.clone());
                }
                Ok(false) => {}
                Err(message) => failures.push(format!("{lang}/{rel} ({form:?}): {message}")),
            }
        }
        // All forms read together: the Markdown page decides.
        let merged = lower::lower(&together, &Overrides::default(), &mut Diagnostics::default());
        if calls(&merged) != calls(&reference) {
            failures.push(format!("{lang}/{rel} (all forms): {:?} != {:?}", calls(&merged), calls(&reference)));
        }
    }
    assert!(failures.is_empty(), "{} pages differ between forms:\n{}", failures.len(), failures.join("\n"));
    (compared, differing)
}

#[test]
fn every_form_of_a_page_gives_the_same_schema() {
    let Some(corpus) = corpus() else { return };
    let (compared, differing) = compare_forms(&corpus, "zh");
    eprintln!("{compared} page pairs compared, {} known-broken HTML pages skipped", BROKEN_HTML_TABLES.len());
    assert!(compared >= 1000, "expected the python pages in three forms, compared {compared}");
    let known: BTreeSet<String> = NAME_AND_TYPES_DIFFERS.iter().map(|s| s.to_string()).collect();
    for (form, pages) in &differing {
        // Pages with broken HTML tables still differ in text.
        let broken: BTreeSet<String> = BROKEN_HTML_TABLES.iter().map(|(p, _)| p.to_string()).collect();
        let expected: BTreeSet<&String> =
            known.iter().filter(|p| *form != PageForm::Html || !broken.contains(*p)).collect();
        assert_eq!(pages.iter().collect::<BTreeSet<_>>(), expected, "{form:?}: pages whose verb differs");
    }
}

/// The real English pages (machine-translated, realigned, some broken) too.
#[test]
fn every_form_of_an_english_page_gives_the_same_schema() {
    let Some(corpus) = corpus() else { return };
    let (compared, differing) = compare_forms(&corpus, "en");
    eprintln!("{compared} English page pairs compared");
    assert_eq!(compared, 102, "the 51 English python pages, each as HTML and text");
    // Realigned English tables have no indentation in any form: rule 4
    // decides every form alike.
    assert!(differing.is_empty(), "{differing:?}");
}

/// Rule 4 (name-and-types) decides every rendered page and every English
/// Markdown page, whose tables a formatter realigned. Measured against the
/// layout rules (1-2, which agree with the published Python SDK on 389 of
/// 390 operations) on the pages that have both forms.
#[test]
fn name_and_types_rule_mostly_agrees_with_the_layout_rules() {
    let Some(corpus) = corpus() else { return };
    let root = corpus.join("zh/python");
    let (mut compared, mut agreed) = (0, 0);
    for md in files_with_extension(&root, "md") {
        let rel = md.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
        let html = corpus.join("html/zh/python").join(&rel).with_extension("html");
        if !html.exists() {
            continue;
        }
        let (layout, rendered) = (lower_one(&md, &rel, PageForm::Markdown), lower_one(&html, &rel, PageForm::Html));
        for (a, b) in layout.operations.iter().zip(&rendered.operations) {
            if matches!(a.http_rule, HttpRule::IndentedRows | HttpRule::BodyRows) {
                assert_eq!(b.http_rule, HttpRule::NameAndTypes, "{rel}");
                compared += 1;
                agreed += usize::from(a.method == b.method);
            }
        }
    }
    eprintln!("name-and-types agrees with the layout rules on {agreed} of {compared} operations");
    assert!(compared >= 400 && agreed * 100 >= compared * 90, "{agreed} of {compared}");
}

/// A table with an extra separator, or whose delimiter row a broken row
/// was glued to, is no table to the site's renderer: the rendered page and
/// its text show the table's source as a paragraph. Both still give the
/// Markdown page's schema, with a warning; rows after a row cut off with `…`
/// are realigned in every form.
#[test]
fn an_unrendered_table_reads_alike_in_every_form() {
    for (fixture, stem, model) in [
        ("unrendered-table", "get-demo-info", "GetDemoInfoRespDto"),
        ("english-cut-table", "sign-in-by-sms", "SmsCodeDto"),
    ] {
        let dir = repo().join("tests/fixtures").join(fixture);
        let rel = format!("{stem}.md");
        let markdown = lower_one(&dir.join(&rel), &rel, PageForm::Markdown);
        assert!(markdown.model(model).is_some(), "{fixture}");
        for (ext, form) in [("html", PageForm::Html), ("txt", PageForm::Text)] {
            let path = dir.join(format!("{stem}.{ext}"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let (api, diags) = lower_one_with_diagnostics(&path, &rel, form, &bytes);
            let (expected, actual) = (normalize(&markdown, form), normalize(&api, form));
            assert_eq!(expected, actual, "{fixture} {ext}: {}", first_difference(&expected, &actual, ""));
            assert!(diags.iter().any(|d| d.kind == Kind::BadMarkup && d.message.contains("left as text")), "{ext}");
        }
    }
    let cut = repo().join("tests/fixtures/english-cut-table/sign-in-by-sms.md");
    let api = lower_one(&cut, "sign-in-by-sms.md", PageForm::Markdown);
    let Some(ModelBody::Struct { fields }) = api.model("SmsCodeDto").map(|m| &m.body) else { panic!("SmsCodeDto") };
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["phone", "areaCode", "code"]);
}
