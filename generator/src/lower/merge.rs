//! Joins the drafts of all pages into one schema.
//!
//! The same operation is documented in up to six languages and three forms,
//! and the same DTO on up to 392 pages. Where definitions disagree, one wins
//! by this rule, and each resolution is reported:
//!
//! 1. **Freshness tier.** Pages of python, node, java and go (and pages of no
//!    known language) come first; php and csharp pages are an older snapshot;
//!    `management/` pages in authentication tag folders (`登录`, `鉴权`, …) are
//!    stale copies of `authentication/` pages and come last.
//! 2. **Majority.** Within the freshest tier present, the variant defined by
//!    the most pages wins.
//! 3. **Richness, then order.** Ties go to the variant with more fields, then
//!    to the one whose first page path sorts first.
//!
//! Variants are compared on field names, types, required flags and nested
//! targets, not on descriptions or examples. Enum values of a field are the
//! union over all pages that document the winning variant.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

use super::names::{self, tag_for};
use super::{DraftBody, Located, ModelDraft, OperationDraft, Overrides, PageDraft};
use crate::diag::{Diagnostics, Kind};
use crate::page::PageForm;
use crate::schema::{
    Api, Client, Field, HttpMethod, HttpRule, MismatchKind, Model, ModelBody, Operation, ParamLocation, Parameter, Tag,
    Type,
};

pub fn merge(drafts: Vec<PageDraft>, overrides: &Overrides, diags: &mut Diagnostics) -> Api {
    let auth_tags: BTreeSet<&str> = drafts
        .iter()
        .filter(|d| d.location.client == Some(Client::Authentication))
        .filter_map(|d| d.location.tag.as_deref())
        .collect();
    let tier = |d: &PageDraft| -> u8 {
        let stale = d.location.client == Some(Client::Management)
            && d.location.tag.as_deref().is_some_and(|t| auth_tags.contains(t));
        if stale {
            2
        } else if matches!(d.location.lang.as_deref(), Some("php" | "csharp")) {
            1
        } else {
            0
        }
    };

    let mut model_defs: BTreeMap<&str, Vec<(u8, &PageDraft, &ModelDraft)>> = BTreeMap::new();
    let mut op_defs: BTreeMap<&str, Vec<(u8, &PageDraft, &OperationDraft)>> = BTreeMap::new();
    for draft in &drafts {
        let t = tier(draft);
        for model in &draft.models {
            model_defs.entry(&model.name).or_default().push((t, draft, model));
        }
        if let Some(op) = &draft.operation {
            // A page documenting another page's endpoint joins that page's group.
            let stem = draft.location.stem.as_str();
            let group = overrides.get(stem).and_then(|o| o.same_as.as_deref()).unwrap_or(stem);
            op_defs.entry(group).or_default().push((t, draft, op));
        }
    }

    let mut models: Vec<(Model, String)> =
        model_defs.into_iter().map(|(name, defs)| merge_model(name, defs, diags)).collect();
    let known: BTreeSet<String> = models.iter().map(|(m, _)| m.name.clone()).collect();

    let mut operations = Vec::new();
    for (stem, defs) in op_defs {
        for group in split_by_client(stem, defs, diags) {
            operations.push(merge_operation(stem, group, overrides, &known, diags));
        }
    }
    unique_method_names(&mut operations, diags);
    let names: BTreeSet<(Client, String)> = operations.iter().map(|(op, _)| (op.client, op.name.clone())).collect();
    for (op, _) in &mut operations {
        let (client, sources) = (op.client, op.sources.clone());
        op.aliases.retain(|alias| {
            let free = !names.contains(&(client, alias.clone()));
            if !free {
                let (file, line) = split_source(sources.first().map_or("", String::as_str));
                diags.warn(
                    Kind::NameCollision,
                    file,
                    line,
                    format!("alias `{alias}` is another method's name; dropped"),
                );
            }
            free
        });
    }

    for (model, source) in &mut models {
        let ModelBody::Struct { fields } = &mut model.body else { continue };
        for field in fields {
            replace_undefined(&mut field.ty, &known, &field.name, source, diags);
        }
    }
    let mut api = Api {
        operations: operations.into_iter().map(|(op, _)| op).collect(),
        models: models.into_iter().map(|(m, _)| m).collect(),
    };
    api.operations.sort_by(|a, b| (a.client, &a.name).cmp(&(b.client, &b.name)));
    api.models.sort_by(|a, b| a.name.cmp(&b.name));
    check_examples(&mut api, diags);
    api
}

/// Examples that are no value of their documented type (see
/// [`Api::example_mismatches`]). A field documented as a scalar that an
/// example shows as an object or array takes any JSON value: the value
/// shown is what the API sends. Text where a model is documented is kept
/// as the page shows it. Both are reported.
fn check_examples(api: &mut Api, diags: &mut Diagnostics) {
    let examples = |api: &Api| -> Vec<(String, Type, Value, String)> {
        let models = api.models.iter().filter_map(|m| {
            let source = m.sources.first().cloned().unwrap_or_default();
            Some((format!("the field examples of `{}`", m.name), Type::reference(&m.name), m.example_object()?, source))
        });
        let responses = api.operations.iter().filter_map(|op| {
            let (response, example) = (op.response.clone()?, op.response_example.clone()?);
            let source = op.sources.first().cloned().unwrap_or_default();
            Some((format!("the sample result of `{}`", op.name), response, example, source))
        });
        models.chain(responses).collect()
    };
    let warn = |diags: &mut Diagnostics, source: &str, message: String| {
        let (file, line) = split_source(source);
        diags.warn(Kind::ExampleMismatch, file, line, message);
    };
    let mut widened = BTreeSet::new();
    for (what, ty, example, source) in examples(api) {
        for mismatch in api.example_mismatches(&ty, &example) {
            let MismatchKind::StructureForScalar { model, field } = mismatch.kind else { continue };
            warn(
                diags,
                &source,
                format!(
                    "{} at `{}` in {what}, where `{model}.{field}` is documented as a scalar; typed as any JSON value",
                    if example.pointer(&mismatch.pointer).is_some_and(Value::is_array) {
                        "an array"
                    } else {
                        "an object"
                    },
                    mismatch.path
                ),
            );
            widened.insert((model, field));
        }
    }
    for model in &mut api.models {
        let ModelBody::Struct { fields } = &mut model.body else { continue };
        for field in fields.iter_mut().filter(|f| widened.contains(&(model.name.clone(), f.name.clone()))) {
            field.ty = match field.ty {
                Type::Array { .. } => Type::array(Type::Any),
                _ => Type::Any,
            };
        }
    }
    for (what, ty, example, source) in examples(api) {
        let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for mismatch in api.example_mismatches(&ty, &example) {
            if let MismatchKind::TextForModel { model } = mismatch.kind {
                texts.entry(model).or_default().push(format!("`{}`", mismatch.path));
            }
        }
        for (model, paths) in texts {
            warn(
                diags,
                &source,
                format!(
                    "text at {} in {what}, where `{model}` is documented: no value of it (kept in the docs; decoding it fails)",
                    paths.join(", ")
                ),
            );
        }
    }
}

/// Stale `management/` copies of an authentication page are dropped in
/// favour of it; otherwise each client documenting the path gets its own
/// operation.
fn split_by_client<'a>(
    stem: &str,
    defs: Vec<(u8, &'a PageDraft, &'a OperationDraft)>,
    diags: &mut Diagnostics,
) -> Vec<Vec<(u8, &'a PageDraft, &'a OperationDraft)>> {
    let fresh = defs.iter().any(|(t, _, _)| *t < 2);
    let mut by_client: BTreeMap<Client, Vec<_>> = BTreeMap::new();
    for def in defs {
        if fresh && def.0 == 2 {
            diags.note(
                Kind::Duplicate,
                &def.1.path,
                def.2.line,
                format!("older copy of the AuthenticationClient page for `{stem}`; merged into it"),
            );
            continue;
        }
        by_client.entry(def.2.client).or_default().push(def);
    }
    by_client.into_values().collect()
}

/// A comparable shape of a field list: what the pages document (names,
/// type cells, nested targets, required cells), not what was inferred from
/// examples or descriptions, which may differ from page to page.
fn field_signature(fields: &[Located<Field>], required_documented: bool) -> Vec<(String, Type, Option<bool>)> {
    fields
        .iter()
        .map(|f| (f.value.name.clone(), documented_type(&f.value.ty), required_documented.then_some(f.value.required)))
        .collect()
}

/// The type as documented: enums are strings, every number is `number`, and
/// every array is `array` (item types are often recovered from page context,
/// which differs from page to page).
fn documented_type(ty: &Type) -> Type {
    match ty {
        Type::Enum { .. } => Type::String,
        Type::Number => Type::Integer,
        Type::Array { .. } => Type::array(Type::Any),
        other => other.clone(),
    }
}

/// Picks the winning variant: freshest tier, then majority, then more
/// fields, then first path. Returns the indexes of the winning definitions
/// (the representative first) and a description of the losing variants.
fn pick<K: Ord + Clone>(defs: &[(u8, &str, usize, K)]) -> (Vec<usize>, Vec<(K, Vec<usize>)>) {
    let best_tier = defs.iter().map(|d| d.0).min().unwrap_or(0);
    let mut variants: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, d) in defs.iter().enumerate() {
        variants.entry(d.3.clone()).or_default().push(i);
    }
    let score = |members: &Vec<usize>| {
        let in_tier = members.iter().filter(|&&i| defs[i].0 == best_tier).count();
        let size = defs[members[0]].2;
        let first_path = members.iter().map(|&i| defs[i].1).min().unwrap_or("");
        (in_tier, size, std::cmp::Reverse(first_path.to_string()))
    };
    let winner = variants.iter().max_by_key(|(_, members)| score(members)).map(|(k, _)| k.clone());
    let mut winners = Vec::new();
    let mut losers = Vec::new();
    for (key, mut members) in variants {
        members.sort_by_key(|&i| (defs[i].0, defs[i].1));
        if Some(&key) == winner.as_ref() {
            winners = members;
        } else {
            losers.push((key, members));
        }
    }
    (winners, losers)
}

fn merge_model(name: &str, defs: Vec<(u8, &PageDraft, &ModelDraft)>, diags: &mut Diagnostics) -> (Model, String) {
    #[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
    enum Shape {
        Struct(Vec<(String, Type, Option<bool>)>),
        Enum(Vec<String>),
    }
    // Required flags are compared only where every definition documents them.
    let required_documented = defs.iter().all(|(_, _, model)| model.required_documented);
    let keyed: Vec<(u8, &str, usize, Shape)> = defs
        .iter()
        .map(|(tier, page, model)| match &model.body {
            DraftBody::Struct(fields) => {
                (*tier, page.path.as_str(), fields.len(), Shape::Struct(field_signature(fields, required_documented)))
            }
            DraftBody::Enum(values) => {
                (*tier, page.path.as_str(), values.len(), Shape::Enum(values.iter().map(|v| v.value.clone()).collect()))
            }
        })
        .collect();
    let (winners, losers) = pick(&keyed);
    let representative = &defs[winners[0]];
    let source = |i: usize| format!("{}:{}", defs[i].1.path, defs[i].2.line);
    if !losers.is_empty() {
        let details = losers.iter().map(|(shape, members)| {
            let detail = match (&keyed[winners[0]].3, shape) {
                (Shape::Struct(chosen), Shape::Struct(other)) => describe_difference(chosen, other),
                _ => "struct versus enumeration".to_string(),
            };
            (source(members[0]), members.len(), detail)
        });
        report_conflict(name, &source(winners[0]), winners.len(), details, representative, diags);
    }
    (model_of(name, &defs, &winners), format!("{}:{}", representative.1.path, representative.2.line))
}

fn describe_difference(chosen: &[(String, Type, Option<bool>)], other: &[(String, Type, Option<bool>)]) -> String {
    let chosen_names: BTreeSet<&str> = chosen.iter().map(|f| f.0.as_str()).collect();
    let other_names: BTreeSet<&str> = other.iter().map(|f| f.0.as_str()).collect();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(other_names.difference(&chosen_names).map(|n| format!("+{n}")));
    parts.extend(chosen_names.difference(&other_names).map(|n| format!("-{n}")));
    for (name, ty, required) in other {
        if let Some((_, chosen_ty, chosen_required)) = chosen.iter().find(|c| &c.0 == name) {
            if chosen_ty != ty {
                parts.push(format!("{name}: type differs"));
            }
            if chosen_required != required {
                parts.push(format!("{name}: required differs"));
            }
        }
    }
    parts.join(", ")
}

fn report_conflict(
    name: &str,
    chosen: &str,
    chosen_count: usize,
    others: impl Iterator<Item = (String, usize, String)>,
    representative: &(u8, &PageDraft, &ModelDraft),
    diags: &mut Diagnostics,
) {
    let others: Vec<String> = others
        .map(|(source, count, detail)| {
            let detail = if detail.is_empty() { String::new() } else { format!(": {detail}") };
            format!("{source} ({count} page(s){detail})")
        })
        .collect();
    diags.note(
        Kind::Conflict,
        &representative.1.path,
        representative.2.line,
        format!(
            "`{name}` is defined differently across pages; using {chosen} ({chosen_count} page(s)) over {}",
            others.join("; ")
        ),
    );
}

/// The model of the winning definitions, refined with what each of them
/// adds (see [`refine`]).
fn model_of(name: &str, defs: &[(u8, &PageDraft, &ModelDraft)], winners: &[usize]) -> Model {
    let representative = defs[winners[0]].2;
    let mut sources: Vec<String> =
        defs.iter().map(|(_, page, model)| format!("{}:{}", page.path, model.line)).collect();
    sources.sort();
    sources.dedup();
    let body = match &representative.body {
        DraftBody::Enum(values) => ModelBody::Enum { values: values.clone() },
        DraftBody::Struct(fields) => {
            let mut fields: Vec<Field> = fields.iter().map(|f| f.value.clone()).collect();
            for &i in &winners[1..] {
                if let DraftBody::Struct(other) = &defs[i].2.body {
                    refine_fields(&mut fields, other);
                }
            }
            ModelBody::Struct { fields }
        }
    };
    Model { name: name.to_string(), body, sources }
}

/// Joins what another definition of the same variant adds to each field.
fn refine_fields(fields: &mut [Field], other: &[Located<Field>]) {
    for (field, other) in fields.iter_mut().zip(other) {
        refine(&mut field.ty, &other.value.ty);
        // Inferred flags (response tables): required only if every page says so.
        field.required &= other.value.required;
        if field.example.is_none() {
            field.example.clone_from(&other.value.example);
        }
    }
}

/// Joins two types of one documented field: a known array item type beats
/// an unknown one, a fraction beats an integer, and enum values add up.
fn refine(into: &mut Type, from: &Type) {
    match (into, from) {
        (Type::Enum { values }, Type::Enum { values: more }) => {
            for v in more {
                if !values.iter().any(|existing| existing.value == v.value) {
                    values.push(v.clone());
                }
            }
        }
        (Type::Array { items }, Type::Array { items: more }) => refine(items, more),
        (into @ (Type::String | Type::Any), from @ Type::Enum { .. }) => *into = from.clone(),
        (into @ Type::Any, from) => *into = from.clone(),
        (into @ Type::Integer, Type::Number) => *into = Type::Number,
        _ => {}
    }
}

/// Makes the parameters the overrides file names optional; a name the
/// operation does not have is reported.
fn relax_required(
    mut params: Vec<Parameter>,
    optional: &[String],
    stem: &str,
    page: &PageDraft,
    diags: &mut Diagnostics,
) -> Vec<Parameter> {
    for name in optional {
        match params.iter_mut().find(|p| &p.field.name == name) {
            Some(param) => param.field.required = false,
            None => diags.warn(
                Kind::BadOverride,
                &page.path,
                0,
                format!("override of `{stem}`: no parameter `{name}` to make optional"),
            ),
        }
    }
    params
}

fn merge_operation(
    stem: &str,
    defs: Vec<(u8, &PageDraft, &OperationDraft)>,
    overrides: &Overrides,
    known: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> (Operation, String) {
    type Signature = (String, Vec<(String, Type, Option<bool>)>, Option<String>);
    // Pages merged in by `same_as` name aliases at most; the endpoint's own
    // pages decide parameters and name when there are any.
    let (own, merged_in): (Vec<_>, Vec<_>) = defs.into_iter().partition(|d| d.1.location.stem == stem);
    let mut aliases: BTreeSet<String> = BTreeSet::new();
    for (_, page, draft) in &merged_in {
        diags.note(
            Kind::Duplicate,
            &page.path,
            draft.line,
            format!("documents the endpoint of `{stem}` (overrides file); merged into it"),
        );
        if overrides.get(&page.location.stem).is_some_and(|o| o.alias) {
            aliases.insert(draft.name.clone());
        }
    }
    let (defs, merged_in_sources): (_, Vec<String>) = if own.is_empty() {
        (merged_in, Vec::new())
    } else {
        (own, merged_in.iter().map(|(_, p, o)| format!("{}:{}", p.path, o.line)).collect())
    };
    let keyed: Vec<(u8, &str, usize, Signature)> = defs
        .iter()
        .map(|(tier, page, op)| {
            (
                *tier,
                page.path.as_str(),
                op.params.len(),
                (op.name.clone(), field_signature(&op.params, true), op.response.clone()),
            )
        })
        .collect();
    let (winners, losers) = pick(&keyed);
    let (_, page, op) = defs[winners[0]];
    let path_of = |i: usize| format!("{}:{}", defs[i].1.path, defs[i].2.line);
    // The method name most pages of the freshest tier use, whatever variant
    // of parameters wins (hand-written pages differ in both).
    let best_tier = defs.iter().map(|d| d.0).min().unwrap_or(0);
    let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
    for (tier, _, draft) in &defs {
        if *tier == best_tier {
            *votes.entry(&draft.name).or_default() += 1;
        }
    }
    let top = votes.values().copied().max().unwrap_or(0);
    let name = if votes.get(op.name.as_str()) == Some(&top) {
        op.name.clone()
    } else {
        votes.iter().find(|(_, n)| **n == top).map_or_else(|| op.name.clone(), |(name, _)| name.to_string())
    };
    if !losers.is_empty() {
        let others: Vec<String> = losers
            .iter()
            .map(|(key, members)| {
                let what = if key.0 != op.name {
                    format!("method `{}`", key.0)
                } else if key.2 != op.response {
                    "another response type".to_string()
                } else {
                    "other parameters".to_string()
                };
                format!("{} ({} page(s), {what})", path_of(members[0]), members.len())
            })
            .collect();
        diags.note(
            Kind::Conflict,
            &page.path,
            op.line,
            format!(
                "`{stem}` is documented differently across pages; using {} ({} page(s)) over {}",
                path_of(winners[0]),
                winners.len(),
                others.join("; ")
            ),
        );
    }

    // Markdown pages carry the indentation cue; prefer their decision.
    let (mut method, mut rule) = (op.method, op.rule);
    if rule == HttpRule::NameAndTypes {
        let markdown = defs
            .iter()
            .filter(|(_, p, o)| p.form == PageForm::Markdown && o.rule != HttpRule::NameAndTypes)
            .min_by_key(|(t, p, _)| (*t, &p.path));
        if let Some((_, _, md)) = markdown {
            (method, rule) = (md.method, md.rule);
        }
    }
    let mut path = format!("{}{}", super::http::PATH_PREFIX, stem);
    let mut tag = page.location.tag.as_deref().map(|t| {
        let (tag, known_slug) = tag_for(t);
        if !known_slug {
            diags.warn(
                Kind::BadMethodName,
                &page.path,
                0,
                format!("tag folder `{t}` has no English slug; using `{}`", tag.slug),
            );
        }
        tag
    });
    if let Some(entry) = overrides.get(stem) {
        if let Some(m) = entry.method.as_deref().and_then(HttpMethod::parse) {
            method = m;
        }
        if let Some(p) = &entry.path {
            path = p.clone();
        }
        if let Some(slug) = &entry.tag {
            tag = Some(Tag { name: tag.map(|t| t.name).unwrap_or_default(), slug: slug.clone() });
        }
        if entry.method.is_some() || entry.path.is_some() {
            rule = HttpRule::Override;
        }
    }
    let entry = overrides.get(stem);
    if let [verb] = overrides.sdk_verbs(&path)
        && entry.is_none_or(|e| e.method.is_none())
        && *verb != method
    {
        (method, rule) = (*verb, HttpRule::OfficialSdk);
    }
    let shape = entry.map(|e| e.shape.clone()).unwrap_or_default();
    let unverified = entry.and_then(|e| e.unverified.clone());
    aliases.remove(&name);

    let params: Vec<Parameter> = op
        .params
        .iter()
        .map(|p| {
            let mut field = p.value.clone();
            replace_undefined(&mut field.ty, known, &field.name, &format!("{}:{}", page.path, p.line), diags);
            let location = if path.contains(&format!("{{{}}}", field.name)) {
                ParamLocation::Path
            } else if method.uses_query() {
                ParamLocation::Query
            } else {
                ParamLocation::Body
            };
            Parameter { field, location }
        })
        .collect();
    let params = relax_required(params, overrides.get(stem).map_or(&[], |o| o.optional.as_slice()), stem, page, diags);
    let response = op.response.as_deref().and_then(|name| {
        if known.contains(name) {
            return Some(Type::reference(name));
        }
        let scalar = super::types::scalar_type(name);
        if scalar.is_none() {
            diags.warn(
                Kind::UndefinedModel,
                &page.path,
                op.line,
                format!("response type `{name}` is not defined by any page; the raw JSON is returned"),
            );
        }
        scalar
    });
    // A bare scalar sample result where a DTO is documented (revoke-token:
    // `true`, under a table of `IntrospectTokenResult { success }`) is what
    // the method returns, as the official SDKs return it.
    let response = match (response, &op.response_example) {
        (Some(Type::Ref { name }), Some(example @ (Value::Bool(_) | Value::Number(_) | Value::String(_)))) => {
            let ty = super::types::type_of_value(example);
            diags.warn(
                Kind::ExampleMismatch,
                &page.path,
                op.line,
                format!("the sample result is a bare `{example}`, not the documented `{name}`; the method returns that kind of value"),
            );
            ty
        }
        (response, _) => response,
    };
    for name in shape.param_names() {
        if !params.iter().any(|p| p.field.name == name) {
            diags.note(
                Kind::BadOverride,
                &page.path,
                op.line,
                format!("the overrides file sends parameter `{name}` for `{stem}`, which the page does not document; left out"),
            );
        }
    }
    let mut sources: Vec<String> = defs.iter().map(|(_, p, o)| format!("{}:{}", p.path, o.line)).collect();
    sources.extend(merged_in_sources);
    sources.sort();
    let operation = Operation {
        client: op.client,
        name,
        tag: tag.unwrap_or_else(names::untagged),
        summary: op.summary.clone(),
        description: op.description.clone(),
        method,
        path,
        http_rule: rule,
        params,
        response,
        response_example: op.response_example.clone(),
        sources,
        shape,
        aliases: aliases.into_iter().collect(),
        unverified,
    };
    (operation, stem.to_string())
}

/// A reference to a DTO no page defines becomes any JSON value.
fn replace_undefined(ty: &mut Type, known: &BTreeSet<String>, field: &str, at: &str, diags: &mut Diagnostics) {
    match ty {
        Type::Ref { name } if !known.contains(name.as_str()) => {
            let (file, line) = split_source(at);
            let message = if name.is_empty() {
                format!("`{field}` links to no DTO; typed as any JSON value")
            } else {
                format!("`{field}` refers to `{name}`, which no page defines; typed as any JSON value")
            };
            diags.warn(Kind::UndefinedModel, file, line, message);
            *ty = Type::Any;
        }
        Type::Array { items } => replace_undefined(items, known, field, at, diags),
        _ => {}
    }
}

fn split_source(at: &str) -> (&str, u32) {
    match at.rsplit_once(':') {
        Some((file, line)) if line.parse::<u32>().is_ok() => (file, line.parse().unwrap_or(0)),
        _ => (at, 0),
    }
}

/// Two operations of one client may not share a method name. The one whose
/// file name gives that name keeps it; the others are named after their file.
fn unique_method_names(operations: &mut [(Operation, String)], diags: &mut Diagnostics) {
    let mut taken: BTreeMap<(Client, String), usize> = BTreeMap::new();
    let mut order: Vec<usize> = (0..operations.len()).collect();
    order.sort_by_key(|&i| {
        let (op, stem) = &operations[i];
        // The path that gives the name keeps it; a stray leading `-` loses.
        (op.client, op.name.clone(), names::method_from_stem(stem) != op.name, stem.starts_with('-'), stem.clone())
    });
    for i in order {
        let (op, stem) = &mut operations[i];
        let mut name = op.name.clone();
        if taken.contains_key(&(op.client, name.clone())) {
            name = names::method_from_stem(stem);
            let mut n = 2;
            while taken.contains_key(&(op.client, name.clone())) {
                name = format!("{}_{n}", names::method_from_stem(stem));
                n += 1;
            }
            let (file, line) = split_source(op.sources.first().map_or("", String::as_str));
            diags.warn(
                Kind::NameCollision,
                file,
                line,
                format!(
                    "method `{}` is documented for another path too; this one (`{}`) is named `{name}`",
                    op.name, op.path
                ),
            );
            op.name = name.clone();
        }
        taken.insert((op.client, name), i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::read::read_page;

    /// A Markdown page in the docs generator's layout: `rows` are
    /// `(name, type, required)`, indented (query template) or not (body).
    fn page(method: &str, rows: &[(&str, &str, bool)], indented: bool, dto_fields: &[&str]) -> String {
        let indent = if indented { " " } else { "" };
        let rows: String = rows
            .iter()
            .map(|(name, ty, required)| {
                format!("{indent}| {name} | {ty} | {} | - | text | - |\n", if *required { "是" } else { "否" })
            })
            .collect();
        let dto: String = dto_fields.iter().map(|f| format!("| {f} | string | 是 | text | - |\n")).collect();
        format!(
            "# Title\n\n## 方法名称\n\n`AuthenticationClient.{method}`\n\n## 请求参数\n\n\
             | 名称 | 类型 | 是否必填 | 默认值 | 描述 | 示例值 |\n| ---- | ---- | ---- | ---- | ---- | ---- |\n{rows}\n\
             ## 请求响应\n\n类型： `ThingRespDto`\n\n| 名称 | 类型 | 描述 |\n| ---- | ---- | ---- |\n\
             | data | <a href=\"#ThingDto\">ThingDto</a> | 数据 |\n\n## 数据结构\n\n### <a id=\"ThingDto\"></a> ThingDto\n\n\
             | 名称 | 类型 | 是否必填 | 描述 | 示例值 |\n| ---- | ---- | ---- | ---- | ---- |\n{dto}"
        )
    }

    fn lower_pages(pages: &[(&str, String)], overrides: &str) -> (Api, Diagnostics) {
        let mut diags = Diagnostics::default();
        let pages: Vec<_> = pages
            .iter()
            .map(|(path, text)| read_page(path, PageForm::Markdown, text.as_bytes(), &|_| None, &mut diags))
            .collect();
        let overrides = Overrides::parse(overrides, "overrides.toml", &mut diags);
        let api = super::super::lower(&pages, &overrides, &mut diags);
        (api, diags)
    }

    fn thing_fields(api: &Api) -> Vec<&str> {
        match &api.model("ThingDto").expect("ThingDto").body {
            ModelBody::Struct { fields } => fields.iter().map(|f| f.name.as_str()).collect(),
            ModelBody::Enum { .. } => panic!("ThingDto is a struct"),
        }
    }

    const PARAMS: &[(&str, &str, bool)] = &[("email", "string", true)];

    #[test]
    fn fresh_languages_win_over_older_php_and_csharp_pages_even_outnumbered() {
        let fresh = page("signUpByEmailPassCode", PARAMS, false, &["id", "tenantId"]);
        let old = page("signUpByEmailCode", &[("mail", "string", true)], false, &["id"]);
        let (api, diags) = lower_pages(
            &[
                ("csharp/authentication/注册/sign-up.md", old.clone()),
                ("php/authentication/注册/sign-up.md", old.clone()),
                ("python/authentication/注册/sign-up.md", fresh),
            ],
            "",
        );
        let op = &api.operations[0];
        assert_eq!(op.name, "sign_up_by_email_pass_code");
        assert_eq!(op.params[0].field.name, "email");
        assert_eq!(thing_fields(&api), ["id", "tenantId"]);
        let conflicts: Vec<&str> =
            diags.iter().filter(|d| d.kind == Kind::Conflict).map(|d| d.message.as_str()).collect();
        assert_eq!(conflicts.len(), 2, "{conflicts:?}");
        assert!(conflicts.iter().all(|m| m.contains("using python/authentication/注册/sign-up.md")), "{conflicts:?}");
        assert!(conflicts.iter().any(|m| m.contains("(2 page(s), method `sign_up_by_email_code`)")), "{conflicts:?}");
        assert!(conflicts.iter().any(|m| m.contains("(2 page(s): -tenantId)")), "{conflicts:?}");
    }

    #[test]
    fn php_and_csharp_beat_stale_management_copies() {
        let old = page("listThings", PARAMS, true, &["id"]);
        let stale = page("getThings", PARAMS, true, &["id", "extra"]);
        let (api, diags) = lower_pages(
            &[
                ("php/authentication/登录/list-things.md", old),
                ("python/management/登录/list-things.md", stale.clone()),
                ("node/management/登录/list-things.md", stale),
            ],
            "",
        );
        assert_eq!(api.operations.len(), 1, "the management copies merge into the authentication operation");
        assert_eq!(
            (api.operations[0].client, api.operations[0].name.as_str()),
            (Client::Authentication, "list_things")
        );
        assert_eq!(thing_fields(&api), ["id"]);
        assert_eq!(diags.iter().filter(|d| d.kind == Kind::Duplicate).count(), 2);
    }

    #[test]
    fn a_management_page_in_an_authentication_tag_stays_when_it_is_the_only_one() {
        let (api, diags) = lower_pages(
            &[
                ("python/authentication/登录/list-things.md", page("listThings", PARAMS, true, &["id"])),
                ("python/management/登录/get-other.md", page("getOther", PARAMS, true, &["id"])),
            ],
            "",
        );
        let ops: Vec<(Client, &str)> = api.operations.iter().map(|o| (o.client, o.name.as_str())).collect();
        assert_eq!(ops, [(Client::Authentication, "list_things"), (Client::Management, "get_other")]);
        assert!(diags.iter().all(|d| d.kind != Kind::Duplicate));
    }

    #[test]
    fn a_conflict_note_names_the_fields_that_differ() {
        let a = page("getThing", PARAMS, true, &["id", "n", "flag"]).replacen("| flag | string", "| flag | boolean", 1);
        let b = a.replacen("| n | string | 是 |", "| n | number | 否 |", 1);
        let (_, diags) =
            lower_pages(&[("go/authentication/t/get-thing.md", a), ("python/authentication/t/get-thing.md", b)], "");
        let note = diags.iter().find(|d| d.kind == Kind::Conflict).expect("a conflict note");
        assert!(
            note.message.ends_with(
                "over python/authentication/t/get-thing.md:23 (1 page(s): n: type differs, n: required differs)"
            ),
            "{}",
            note.message
        );
    }

    #[test]
    fn the_method_name_most_pages_use_wins_over_the_winning_parameters_name() {
        let (api, _) = lower_pages(
            &[
                (
                    "go/authentication/t/get-thing.md",
                    page(
                        "fetchThing",
                        &[("a", "string", true), ("b", "string", true), ("c", "string", true)],
                        true,
                        &["id"],
                    ),
                ),
                ("java/authentication/t/get-thing.md", page("getThing", &[("a", "string", true)], true, &["id"])),
                (
                    "node/authentication/t/get-thing.md",
                    page("getThing", &[("a", "string", true), ("b", "string", true)], true, &["id"]),
                ),
            ],
            "",
        );
        let op = &api.operations[0];
        assert_eq!((op.name.as_str(), op.params.len()), ("get_thing", 3));
    }

    #[test]
    fn operation_conflicts_say_what_differs() {
        let one = page("getThing", PARAMS, true, &["id"]);
        let two = page("getThing", &[("email", "string", true), ("x", "string", true)], true, &["id"]);
        let other_response = one.replace("`ThingRespDto`", "`OtherRespDto`");
        let (_, diags) = lower_pages(
            &[
                ("go/authentication/t/get-thing.md", one),
                ("java/authentication/t/get-thing.md", other_response),
                ("python/authentication/t/get-thing.md", two),
            ],
            "",
        );
        let note =
            diags.iter().find(|d| d.kind == Kind::Conflict && d.message.starts_with("`get-thing`")).expect("note");
        assert!(note.message.contains("using python/authentication/t/get-thing.md:5 (1 page(s))"), "{}", note.message);
        assert!(
            note.message.contains("go/authentication/t/get-thing.md:5 (1 page(s), other parameters)"),
            "{}",
            note.message
        );
        assert!(
            note.message.contains("java/authentication/t/get-thing.md:5 (1 page(s), another response type)"),
            "{}",
            note.message
        );
    }

    #[test]
    fn a_markdown_page_decides_the_verb_of_its_rendered_copies() {
        let row = |cells: &[&str], tag: &str| -> String {
            cells.iter().map(|c| format!("<{tag}>{c}</{tag}>")).collect::<String>()
        };
        let html = format!(
            "<div class=\"theme-default-content\"><h1>Title</h1><h2>方法名称</h2>\
             <p><code>AuthenticationClient.getThing</code></p><h2>请求参数</h2><table><thead><tr>{}</tr></thead>\
             <tbody><tr>{}</tr></tbody></table><h2>请求响应</h2><p>类型： <code>ThingRespDto</code></p></div>",
            row(&["名称", "类型", "是否必填", "默认值", "描述", "示例值"], "th"),
            row(&["email", "string", "是", "-", "text", "-"], "td"),
        );
        let mut diags = Diagnostics::default();
        let rendered = read_page("t/get-thing.html", PageForm::Html, html.as_bytes(), &|_| None, &mut diags);
        let markdown = page("getThing", PARAMS, false, &["id"]);
        let source = read_page("t/get-thing.md", PageForm::Markdown, markdown.as_bytes(), &|_| None, &mut diags);
        let decision = |pages: &[crate::page::Page]| {
            let api = super::super::lower(pages, &Overrides::default(), &mut Diagnostics::default());
            (api.operations[0].method, api.operations[0].http_rule, api.operations[0].params[0].location)
        };
        assert_eq!(
            decision(std::slice::from_ref(&rendered)),
            (HttpMethod::Get, HttpRule::NameAndTypes, ParamLocation::Query)
        );
        let body = (HttpMethod::Post, HttpRule::BodyRows, ParamLocation::Body);
        assert_eq!(decision(&[rendered.clone(), source.clone()]), body);
        assert_eq!(decision(&[source, rendered]), body);
    }

    #[test]
    fn response_fields_are_required_only_if_every_page_of_the_variant_says_so() {
        let always = page("getThing", PARAMS, true, &["id"]);
        let sometimes = always.replace(
            "| data | <a href=\"#ThingDto\">ThingDto</a> | 数据 |",
            "| data | <a href=\"#ThingDto\">ThingDto</a> | 当请求失败时会返回 |",
        );
        assert_ne!(always, sometimes);
        let (api, _) = lower_pages(
            &[("go/authentication/t/get-thing.md", always), ("python/authentication/t/get-thing.md", sometimes)],
            "",
        );
        let ModelBody::Struct { fields } = &api.model("ThingRespDto").expect("ThingRespDto").body else {
            panic!("struct")
        };
        assert_eq!(fields.iter().map(|f| (f.name.as_str(), f.required)).collect::<Vec<_>>(), [("data", false)]);
    }

    #[test]
    fn tag_folders_without_an_english_slug_are_reported() {
        let (api, diags) = lower_pages(
            &[
                ("python/authentication/登录/get-a.md", page("getA", PARAMS, true, &["id"])),
                ("python/authentication/奇怪的组/get-b.md", page("getB", PARAMS, true, &["id"])),
            ],
            "",
        );
        assert_eq!(api.operations[0].tag.slug, "login");
        let warned: Vec<&str> =
            diags.iter().filter(|d| d.kind == Kind::BadMethodName).map(|d| d.file.as_str()).collect();
        assert_eq!(warned, ["python/authentication/奇怪的组/get-b.md"]);
    }

    #[test]
    fn management_pages_outside_authentication_tags_are_not_stale() {
        let fresh = page("listThings", PARAMS, true, &["id"]);
        let old = page("listThings", PARAMS, true, &["id", "more"]);
        let (api, diags) = lower_pages(
            &[("php/management/管理物品/list-things.md", old), ("python/management/管理物品/list-things.md", fresh)],
            "",
        );
        assert_eq!(thing_fields(&api), ["id"], "python outranks php, though php has more fields");
        assert!(diags.iter().all(|d| d.kind != Kind::Duplicate));
    }

    #[test]
    fn overrides_accept_tags_of_letters_digits_and_dashes_and_report_bad_entries_on_their_line() {
        let mut diags = Diagnostics::default();
        let text = "[operation.a]\ntag = \"two-2fa\"\n\n[operation.b]\ntag = \"Bad Tag\"\n\n\
                    [operation.c]\npath = \"no-slash\"\n\n[operation.\"d.e\"]\nmethod = \"FETCH\"\n";
        let overrides = Overrides::parse(text, "o.toml", &mut diags);
        assert_eq!((overrides.len(), overrides.is_empty()), (1, false));
        assert_eq!(overrides.get("a").and_then(|o| o.tag.as_deref()), Some("two-2fa"));
        let lines: Vec<(u32, bool)> =
            diags.iter().map(|d| (d.line, d.kind == Kind::BadOverride && d.file == "o.toml")).collect();
        assert_eq!(lines, [(4, true), (7, true), (10, true)]);
        assert_eq!((Overrides::default().len(), Overrides::default().is_empty()), (0, true));
    }

    #[test]
    fn within_a_tier_the_majority_then_more_fields_then_the_first_path_wins() {
        let a = page("getThing", PARAMS, true, &["id"]);
        let b = page("getThing", PARAMS, true, &["id", "name"]);
        let (api, _) = lower_pages(
            &[
                ("go/authentication/t/get-thing.md", a.clone()),
                ("java/authentication/t/get-thing.md", a.clone()),
                ("node/authentication/t/get-thing.md", b.clone()),
            ],
            "",
        );
        assert_eq!(thing_fields(&api), ["id"], "majority");
        let (api, _) = lower_pages(
            &[("go/authentication/t/get-thing.md", a.clone()), ("node/authentication/t/get-thing.md", b.clone())],
            "",
        );
        assert_eq!(thing_fields(&api), ["id", "name"], "more fields");
        let c = page("getThing", PARAMS, true, &["id", "other"]);
        let (api, _) =
            lower_pages(&[("node/authentication/t/get-thing.md", c), ("go/authentication/t/get-thing.md", b)], "");
        assert_eq!(thing_fields(&api), ["id", "name"], "first path");
        let (api, diags) = lower_pages(&[("go/authentication/t/get-thing.md", a)], "");
        assert_eq!(thing_fields(&api), ["id"]);
        assert!(diags.iter().all(|d| d.kind != Kind::Conflict), "one page, no conflict");
    }

    #[test]
    fn layout_decides_verb_and_parameter_location_and_overrides_win() {
        let (api, _) = lower_pages(
            &[
                ("python/authentication/t/get-thing.md", page("getThing", PARAMS, true, &["id"])),
                ("python/authentication/t/make-thing.md", page("makeThing", PARAMS, false, &["id"])),
                ("python/authentication/t/drop-thing.md", page("dropThing", PARAMS, false, &["id"])),
                (
                    "python/authentication/t/thing-by-id.md",
                    page("thingById", &[("id", "string", true), ("full", "boolean", false)], true, &["id"]),
                ),
            ],
            "[operation.drop-thing]\nmethod = \"DELETE\"\n\n[operation.thing-by-id]\npath = \"/api/v3/things/{id}\"\n",
        );
        let op = |name: &str| api.operations.iter().find(|o| o.name == name).expect(name);
        let get = op("get_thing");
        assert_eq!(
            (get.method, get.http_rule, get.params[0].location),
            (HttpMethod::Get, HttpRule::IndentedRows, ParamLocation::Query)
        );
        let make = op("make_thing");
        assert_eq!(
            (make.method, make.http_rule, make.params[0].location),
            (HttpMethod::Post, HttpRule::BodyRows, ParamLocation::Body)
        );
        assert_eq!(make.path, "/api/v3/make-thing");
        let drop = op("drop_thing");
        assert_eq!(
            (drop.method, drop.http_rule, drop.params[0].location),
            (HttpMethod::Delete, HttpRule::Override, ParamLocation::Query)
        );
        let by_id = op("thing_by_id");
        assert_eq!((by_id.path.as_str(), by_id.http_rule), ("/api/v3/things/{id}", HttpRule::Override));
        let locations: Vec<ParamLocation> = by_id.params.iter().map(|p| p.location).collect();
        assert_eq!(locations, [ParamLocation::Path, ParamLocation::Query]);
        assert_eq!(get.sources, ["python/authentication/t/get-thing.md:5"]);
    }

    #[test]
    fn query_rows_must_be_the_majority() {
        let half = page("getThing", &[("a", "string", true), ("b", "string", true)], true, &["id"])
            .replacen(" | b |", "| b |", 1);
        let (api, _) = lower_pages(&[("python/authentication/t/get-thing.md", half)], "");
        assert_eq!((api.operations[0].method, api.operations[0].http_rule), (HttpMethod::Post, HttpRule::BodyRows));
    }

    #[test]
    fn one_method_name_for_two_paths_keeps_it_where_the_file_name_gives_it() {
        let (api, diags) = lower_pages(
            &[
                ("python/authentication/t/get-thing-by-user.md", page("getThing", PARAMS, true, &["id"])),
                ("python/authentication/t/get-thing.md", page("getThing", PARAMS, true, &["id"])),
            ],
            "",
        );
        let names: Vec<(&str, &str)> = api.operations.iter().map(|o| (o.name.as_str(), o.path.as_str())).collect();
        assert_eq!(names, [("get_thing", "/api/v3/get-thing"), ("get_thing_by_user", "/api/v3/get-thing-by-user")]);
        let collision = diags.iter().find(|d| d.kind == Kind::NameCollision).expect("a name-collision warning");
        assert_eq!((collision.file.as_str(), collision.line), ("python/authentication/t/get-thing-by-user.md", 5));
        assert_eq!(collision.severity, Severity::Warning);
    }

    #[test]
    fn a_renamed_method_takes_the_next_free_number() {
        let (api, _) = lower_pages(
            &[
                ("python/authentication/t/x.md", page("x", PARAMS, true, &["id"])),
                ("python/authentication/t/c.md", page("x", PARAMS, true, &["id"])),
                ("python/authentication/t/c-one.md", page("c", PARAMS, true, &["id"])),
                ("python/authentication/t/c-two.md", page("c_2", PARAMS, true, &["id"])),
            ],
            "",
        );
        let names: Vec<(&str, &str)> = api.operations.iter().map(|o| (o.path.as_str(), o.name.as_str())).collect();
        assert_eq!(names, [("/api/v3/c-one", "c"), ("/api/v3/c-two", "c_2"), ("/api/v3/c", "c_3"), ("/api/v3/x", "x")]);
    }

    #[test]
    fn undefined_references_become_any_json_value_with_a_warning() {
        let params = [("filter", "<a href=\"#FilterDto\">FilterDto</a>", false), ("filters", "FilterDto[]", false)];
        let text = page("getThing", &params, true, &["id"]);
        let (api, diags) = lower_pages(&[("python/authentication/t/get-thing.md", text)], "");
        assert_eq!(api.operations[0].params[0].field.ty, Type::Any);
        assert_eq!(api.operations[0].params[1].field.ty, Type::array(Type::Any));
        let ModelBody::Struct { fields } = &api.model("ThingRespDto").expect("ThingRespDto").body else { panic!() };
        assert_eq!(fields[0].ty, Type::reference("ThingDto"), "a defined DTO stays a reference");
        let warning = diags.iter().find(|d| d.kind == Kind::UndefinedModel).expect("undefined-model");
        assert!(warning.message.contains("`FilterDto`"), "{}", warning.message);
        assert_eq!(warning.file, "python/authentication/t/get-thing.md");
        assert!(warning.line > 1, "the row's line, not the page's: {}", warning.line);
    }

    #[test]
    fn a_name_listed_twice_is_one_parameter_from_its_first_row() {
        let text = page("makeThing", &[("email", "string", true), ("email", "number", false)], false, &["id"]);
        let (api, diags) = lower_pages(&[("python/authentication/t/make-thing.md", text.clone())], "");
        let params: Vec<(&str, &Type, bool)> =
            api.operations[0].params.iter().map(|p| (p.field.name.as_str(), &p.field.ty, p.field.required)).collect();
        assert_eq!(params, [("email", &Type::String, true)]);
        let warning = diags.iter().find(|d| d.kind == Kind::BadRow).expect("a bad-row warning");
        let second_row = text.lines().position(|l| l.starts_with("| email | number")).expect("row") as u32 + 1;
        assert_eq!(
            (warning.line, warning.message.as_str()),
            (second_row, "`email` is listed twice; the first row is used")
        );
    }

    #[test]
    fn refining_joins_what_pages_of_the_winning_variant_add() {
        let mut ty = Type::array(Type::Any);
        refine(&mut ty, &Type::array(Type::String));
        assert_eq!(ty, Type::array(Type::String));
        let mut ty = Type::Integer;
        refine(&mut ty, &Type::Number);
        assert_eq!(ty, Type::Number);
        let mut ty = Type::Number;
        refine(&mut ty, &Type::Integer);
        assert_eq!(ty, Type::Number);
        let value = |v: &str| crate::schema::EnumValue { value: v.into(), description: String::new() };
        let mut ty = Type::Enum { values: vec![value("A")] };
        refine(&mut ty, &Type::Enum { values: vec![value("A"), value("B")] });
        assert_eq!(ty, Type::Enum { values: vec![value("A"), value("B")] });
        let mut ty = Type::String;
        refine(&mut ty, &Type::Enum { values: vec![value("A")] });
        assert_eq!(ty, Type::Enum { values: vec![value("A")] });
        let mut ty = Type::String;
        refine(&mut ty, &Type::Integer);
        assert_eq!(ty, Type::String, "a documented type is not replaced");
    }

    #[test]
    fn split_source_reads_the_line_after_the_last_colon() {
        assert_eq!(split_source("a/b.md:12"), ("a/b.md", 12));
        assert_eq!(split_source("a/b.md"), ("a/b.md", 0));
        assert_eq!(split_source("c:/x.md:y"), ("c:/x.md:y", 0));
    }
}
