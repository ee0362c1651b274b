//! Random schemas compile: names from a hostile alphabet (keywords, digits,
//! CJK, prelude and runtime names, quotes, comment markers), every type,
//! references between models with cycles and to models that do not exist,
//! enums with odd values, and hostile descriptions. Each schema becomes one
//! member of a scratch workspace, checked with one `cargo check` and
//! documented with one `cargo doc` (`-D warnings`); their JSON conversions
//! must keep the wire names. The seed is fixed, so every run
//! checks the same schemas.

use std::collections::{BTreeMap, BTreeSet};

use generator::emit::rust::{self, CrateKind};
use generator::schema::{
    Api, Client, EnumValue, Field, HttpMethod, HttpRule, Model, ModelBody, Operation, ParamLocation, Parameter, Tag,
    Type,
};
use proc_macro2::{TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::compile::{api_workspace, cargo};
use crate::support::{repo, run};

/// Schemas per run: enough variety, one `cargo check` of bounded length.
const CRATES: usize = 20;

const ATOMS: &[&str] = &[
    "type",
    "ref",
    "self",
    "Self",
    "crate",
    "gen",
    "async",
    "try",
    "super",
    "Super",
    "Crate",
    "SELF",
    "_",
    "1",
    "2fa",
    "-",
    ".",
    " ",
    "用户",
    "userId",
    "user_id",
    "UserID",
    "Result",
    "Option",
    "String",
    "Error",
    "Vec",
    "Box",
    "Call",
    "Method",
    "Default",
    "AuthenticationClient",
    "ManagementClient",
    "Request",
    "Dto",
    "Enum",
    "Unknown",
    "json",
    "models",
    "send",
    "builder",
    "a",
    "B",
    "__",
    "r#",
    "\"",
    "\\",
    "*/",
    "é",
    "\n",
    "\t",
    "\r",
    "\u{0}",
    "\u{2028}",
];

const TEXTS: &[&str] = &[
    "",
    "plain text",
    "*/ /* #[x] \"] #![deny(warnings)]",
    "```rust\nfn main() { panic!() }",
    "````\n```\n````",
    "</table> <div> <b>x</b> <!-- c -->",
    "[x] [Self] [`Vec`] https://example.com/a?b=[c]",
    "\\ {{x}} \t tab \u{7} bell \u{1b}[0m",
    "# heading\n    indented code",
    "- item\nlazy continuation",
    "`unclosed",
    "<script>alert(1)</script>",
    "用户信息 —— 中文描述。",
];

const VALUES: &[&str] = &[
    "", " ", "a b", "Unknown", "unknown", "1", "-", "\"", "\\", "*/", "type", "Self", "self", "A", "a", "a-b", "a_b",
    "值", "\n", "\r", "a\rb",
];

const SLUGS: &[&str] = &["login", "users", "a-b", "x1", "1", "tag-0badf00d"];
const PATHS: &[&str] = &["/api/v3/x", "/api/v3/{id}", "", "/a\"b\\c*/", "/用户"];

/// Mostly single atoms, so that names collide often.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(ATOMS).prop_map(str::to_string),
        1 => prop::collection::vec(prop::sample::select(ATOMS), 2..4).prop_map(|atoms| atoms.concat()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TEXTS), 0..3).prop_map(|parts| parts.join("\n"))
}

fn enum_values() -> impl Strategy<Value = Vec<EnumValue>> {
    // Lowering never gives one value (or field name) twice.
    let value = (prop::sample::select(VALUES), text())
        .prop_map(|(value, description)| EnumValue { value: value.to_string(), description });
    prop::collection::vec(value, 0..5).prop_map(|values| unique_by(values, |v| &v.value))
}

/// Types that may refer to `refs`: defined models and a few undefined names.
fn ty(refs: Vec<String>) -> impl Strategy<Value = Type> {
    let scalar =
        prop::sample::select(vec![Type::String, Type::Integer, Type::Number, Type::Boolean, Type::Object, Type::Any]);
    let leaf = prop_oneof![
        2 => scalar,
        3 => prop::sample::select(refs).prop_map(Type::reference),
        1 => enum_values().prop_map(|values| Type::Enum { values }),
    ];
    leaf.prop_recursive(2, 4, 1, |inner| inner.prop_map(Type::array))
}

fn example() -> impl Strategy<Value = Option<serde_json::Value>> {
    prop::option::of(prop_oneof![
        prop::sample::select(VALUES).prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        Just(serde_json::json!({"*/": ["\"]", 1.5]})),
    ])
}

/// Fields with unique wire names, as lowering gives them.
fn fields(refs: Vec<String>) -> impl Strategy<Value = Vec<Field>> {
    let field = (name(), ty(refs), any::<bool>(), text(), example(), example()).prop_map(
        |(name, ty, required, description, example, default)| Field {
            name,
            ty,
            required,
            default,
            description,
            example,
        },
    );
    prop::collection::vec(field, 0..8).prop_map(|fields| unique_by(fields, |f| &f.name))
}

/// The first item of each key.
fn unique_by<T>(mut items: Vec<T>, key: impl Fn(&T) -> &String) -> Vec<T> {
    let mut seen = BTreeSet::new();
    items.retain(|item| seen.insert(key(item).clone()));
    items
}

fn operation(refs: Vec<String>) -> impl Strategy<Value = Operation> {
    let location = prop::sample::select(vec![ParamLocation::Query, ParamLocation::Body, ParamLocation::Path]);
    let params = (fields(refs.clone()), prop::collection::vec(location, 6));
    let method = prop::sample::select(vec![
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
    ]);
    let head = (any::<bool>(), name(), name(), prop::sample::select(SLUGS), text(), text());
    let tail = (method, prop::sample::select(PATHS), params, prop::option::of(ty(refs)));
    (head, tail).prop_map(
        |((management, name, tag, slug, summary, description), (method, path, (fields, locations), response))| {
            Operation {
                client: if management { Client::Management } else { Client::Authentication },
                name,
                tag: Tag { name: tag, slug: slug.to_string() },
                summary,
                description,
                method,
                path: path.to_string(),
                http_rule: HttpRule::BodyRows,
                params: fields
                    .into_iter()
                    .zip(locations)
                    .map(|(field, location)| Parameter { field, location })
                    .collect(),
                response,
                response_example: None,
                sources: Vec::new(),
                shape: Default::default(),
                aliases: Vec::new(),
                unverified: None,
            }
        },
    )
}

fn api() -> impl Strategy<Value = Api> {
    prop::collection::btree_set(name(), 0..8).prop_flat_map(|names| {
        let mut refs: Vec<String> = names.iter().cloned().collect();
        refs.extend(["Ghost".to_string(), String::new()]);
        let models: Vec<_> = names
            .into_iter()
            .map(|name| {
                let body = prop_oneof![
                    3 => fields(refs.clone()).prop_map(|fields| ModelBody::Struct { fields }),
                    1 => enum_values().prop_map(|values| ModelBody::Enum { values }),
                ];
                (Just(name), body).prop_map(|(name, body)| Model { name, body, sources: Vec::new() })
            })
            .collect();
        // Links to the model itself or the next one make cycles likely.
        let links = prop::collection::vec((0..3u8, any::<bool>(), any::<bool>()), models.len());
        // Models come sorted by name (a `BTreeSet`), as the schema requires.
        (models, links, prop::collection::vec(operation(refs), 0..5)).prop_map(|(mut models, links, mut operations)| {
            let names: Vec<String> = models.iter().map(|m| m.name.clone()).collect();
            for (i, (model, (step, array, required))) in models.iter_mut().zip(links).enumerate() {
                let ModelBody::Struct { fields } = &mut model.body else { continue };
                if step < 2 && !fields.iter().any(|f| f.name == "link") {
                    let target = Type::reference(&names[(i + usize::from(step)) % names.len()]);
                    let ty = if array { Type::array(target) } else { target };
                    fields.push(Field {
                        name: "link".into(),
                        ty,
                        required,
                        default: None,
                        description: String::new(),
                        example: None,
                    });
                }
                // A twin that differs only in case collides after conversion.
                if let Some(first) = fields.first() {
                    let twin = Field { name: first.name.to_uppercase(), ..first.clone() };
                    if !fields.iter().any(|f| f.name == twin.name) {
                        fields.push(twin);
                    }
                }
            }
            operations.sort_by(|a, b| (a.client, &a.name).cmp(&(b.client, &b.name)));
            Api { operations, models }
        })
    })
}

#[test]
fn random_schemas_compile() {
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[42; 32]));
    let strategy = api();
    let members: Vec<(String, Api)> = (0..CRATES)
        .map(|i| (format!("random-{i:02}"), strategy.new_tree(&mut runner).expect("a schema").current()))
        .collect();
    for (name, api) in &members {
        assert_wire_names_kept(name, api);
    }
    let workspace = api_workspace("compile-proof", &members);
    cargo(&workspace, &["check", "--workspace", "--quiet"]);
    // Doc text must not open code blocks (doctests) or break rustdoc's lints.
    cargo(&workspace, &["doc", "--workspace", "--no-deps", "--quiet"]);
}

/// The hostile fixtures keep their wire names too (they are compiled with
/// the other fixtures by `compile.rs`).
#[test]
fn hostile_fixtures_keep_wire_names() {
    for fixture in ["hostile-names.md", "hostile-docs.md", "hostile-html.html", "hostile-types.md", "hostile-methods"] {
        assert_wire_names_kept(fixture, &run(&repo().join("tests/fixtures").join(fixture)).api);
    }
}

/// Every struct model's `ToJson` and `Fields` name exactly its fields'
/// wire names: the sets of string literals of the impls, compared as a
/// multiset over the file (the identifiers differ from the names).
fn assert_wire_names_kept(name: &str, api: &Api) {
    let mut expected: Vec<Vec<String>> = api
        .models
        .iter()
        .map(|m| match &m.body {
            ModelBody::Struct { fields } => fields.iter().map(|f| f.name.clone()).collect(),
            ModelBody::Enum { .. } => Vec::new(),
        })
        .map(sorted)
        .filter(|names| !names.is_empty())
        .collect();
    expected.sort();
    let files = rust::emit(api, CrateKind::Standalone);
    let models = files.iter().find(|f| f.path == "src/models.rs").expect("models.rs");
    let tokens: TokenStream = models.contents.parse().unwrap_or_else(|e| panic!("{name}: models.rs: {e}"));
    let impls = impl_literals(tokens);
    for conversion in ["ToJson", "Fields"] {
        // Enums convert through their own table: no literals here.
        let mut got: Vec<Vec<String>> =
            impls.get(conversion).into_iter().flatten().filter(|names| !names.is_empty()).cloned().collect();
        got.sort();
        assert_eq!(got, expected, "{name}: wire names of `{conversion}` impls");
    }
}

/// String literals of each `impl json::TRAIT for X { … }`, by trait.
fn impl_literals(tokens: TokenStream) -> BTreeMap<String, Vec<Vec<String>>> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for window in tokens.windows(4) {
        if let [TokenTree::Ident(t), TokenTree::Ident(f), TokenTree::Ident(_), TokenTree::Group(body)] = window
            && f == "for"
        {
            let mut literals = Vec::new();
            collect_literals(body.stream(), &mut literals);
            out.entry(t.to_string()).or_default().push(sorted(literals));
        }
    }
    out
}

fn collect_literals(tokens: TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            TokenTree::Group(group) => collect_literals(group.stream(), out),
            TokenTree::Literal(lit) => {
                if let Ok(s) = syn::parse_str::<syn::LitStr>(&lit.to_string()) {
                    out.push(s.value());
                }
            }
            _ => {}
        }
    }
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names.dedup();
    names
}
