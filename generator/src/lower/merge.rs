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

use std::collections::{BTreeMap, BTreeSet};

use super::names::{self, tag_for};
use super::{DraftBody, Located, ModelDraft, OperationDraft, Overrides, PageDraft};
use crate::diag::{Diagnostics, Kind};
use crate::page::PageForm;
use crate::schema::{
    Api, Client, Field, HttpMethod, HttpRule, Model, ModelBody, Operation, ParamLocation, Parameter, Tag, Type,
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
            op_defs.entry(&draft.location.stem).or_default().push((t, draft, op));
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

    for (model, path) in &mut models {
        let ModelBody::Struct { fields } = &mut model.body else { continue };
        for field in fields {
            replace_undefined(&mut field.ty, &known, &field.name, path, diags);
        }
    }
    let mut api = Api {
        operations: operations.into_iter().map(|(op, _)| op).collect(),
        models: models.into_iter().map(|(m, _)| m).collect(),
    };
    api.operations.sort_by(|a, b| (a.client, &a.name).cmp(&(b.client, &b.name)));
    api.models.sort_by(|a, b| a.name.cmp(&b.name));
    api
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
    (model_of(name, &defs, &winners), representative.1.path.clone())
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

    let params = op
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
    let mut sources: Vec<String> = defs.iter().map(|(_, p, o)| format!("{}:{}", p.path, o.line)).collect();
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
