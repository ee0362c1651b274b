//! Pages → schema. Each page is lowered on its own into a draft (an
//! operation and the models it defines); `merge` then joins the drafts of all
//! pages into one [`Api`].

pub mod enums;
pub mod http;
mod merge;
pub mod names;
pub mod table;
pub mod types;

use std::collections::BTreeSet;

pub use http::Overrides;

use crate::diag::{Diagnostics, Kind};
use crate::page::{Page, PageForm, Table};
use crate::schema::{Api, Client, EnumValue, Field, HttpMethod, HttpRule, Type};
use names::PageLocation;
use table::{FieldRow, field_rows};
use types::{Context, TableKind, lower_field};

/// Lowers and merges pages into the schema.
pub fn lower(pages: &[Page], overrides: &Overrides, diags: &mut Diagnostics) -> Api {
    // Pages are lowered independently, each with its own diagnostics.
    let lowered = crate::par::map(pages, |page| {
        let mut page_diags = Diagnostics::default();
        (lower_page(page, &mut page_diags), page_diags)
    });
    let mut drafts: Vec<PageDraft> = Vec::with_capacity(pages.len());
    for (draft, page_diags) in lowered {
        drafts.push(draft);
        diags.extend(page_diags);
    }
    merge::merge(drafts, overrides, diags)
}

/// What one page contributes.
#[derive(Debug, Clone)]
pub struct PageDraft {
    pub path: String,
    pub location: PageLocation,
    pub form: PageForm,
    pub operation: Option<OperationDraft>,
    pub models: Vec<ModelDraft>,
}

#[derive(Debug, Clone)]
pub struct OperationDraft {
    pub client: Client,
    pub name: String,
    pub summary: String,
    pub description: String,
    pub method: HttpMethod,
    pub rule: HttpRule,
    pub params: Vec<Located<Field>>,
    pub response: Option<String>,
    pub response_example: Option<serde_json::Value>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct ModelDraft {
    pub name: String,
    pub body: DraftBody,
    pub line: u32,
    /// The table has a required column (response tables do not: their
    /// required flags are inferred from descriptions).
    pub required_documented: bool,
}

#[derive(Debug, Clone)]
pub enum DraftBody {
    Struct(Vec<Located<Field>>),
    Enum(Vec<EnumValue>),
}

/// A field with the line of its row, for diagnostics found after merging.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub line: u32,
    pub value: T,
}

pub fn lower_page(page: &Page, diags: &mut Diagnostics) -> PageDraft {
    let path = page.path.as_str();
    let location = PageLocation::of(path);
    let mut draft =
        PageDraft { path: page.path.clone(), location, form: page.form, operation: None, models: Vec::new() };
    if page.request.is_none() && page.response.is_none() {
        let what = if page.title.is_some() { "prose page" } else { "page without a title" };
        diags.note(
            Kind::NonApiPage,
            path,
            0,
            format!("{what} with no request or response section; not an API operation"),
        );
        return draft;
    }
    let examples_marked = page.form != PageForm::Text;
    let ctx = |table| Context { path, table, examples_marked };

    let rows = page.request.as_ref().map(|t| field_rows(t, path, diags)).unwrap_or_default();
    let params: Vec<Located<Field>> =
        rows.iter().map(|r| Located { line: r.line, value: lower_field(r, &ctx(TableKind::Request), diags) }).collect();
    if page.request.is_none() {
        diags.warn(Kind::MissingSection, path, 0, "no request-parameter section; the operation takes no parameters");
    }

    for section in &page.models {
        let model = section
            .table
            .as_ref()
            .map(|table| lower_model(&section.name.value, section.name.line, table, &ctx(TableKind::Model), diags));
        // A table cut off or broken so badly that no row is left.
        let unreadable = match (&section.table, &model) {
            (Some(table), Some(ModelDraft { body: DraftBody::Struct(fields), .. })) => {
                fields.is_empty() && !table.rows.is_empty()
            }
            (None, _) => true,
            _ => false,
        };
        match model_from_example(&section.name.value, section.name.line, &params, &draft.models).filter(|_| unreadable)
        {
            Some((model, from)) => {
                diags.warn(
                    Kind::MissingSection,
                    path,
                    section.name.line,
                    format!(
                        "DTO section `{}` has no readable table; its fields are taken from the example of `{from}`",
                        section.name.value
                    ),
                );
                draft.models.push(model);
            }
            None => match model {
                Some(model) => draft.models.push(model),
                None => diags.warn(
                    Kind::MissingSection,
                    path,
                    section.name.line,
                    format!("DTO section `{}` has no table; it defines nothing", section.name.value),
                ),
            },
        }
    }

    let response = page.response.as_ref();
    let mut response_name = response.and_then(|r| r.type_name.as_ref()).map(|t| t.value.clone());
    if let Some(table) = response.and_then(|r| r.table.as_ref()) {
        let line = table.line;
        let name = response_name.get_or_insert_with(|| {
            let name = format!("{}RespDto", heck::ToUpperCamelCase::to_upper_camel_case(draft.location.stem.as_str()));
            diags.warn(Kind::MissingSection, path, line, format!("response table without a type name; named `{name}`"));
            name
        });
        let model = lower_model(name, line, table, &ctx(TableKind::Response), diags);
        draft.models.push(model);
    }
    recover_array_items(&mut draft, response_name.as_deref(), diags);

    let (client, name) = operation_name(page, &draft.location, diags);
    let title = page.title.as_ref().map(|t| t.value.clone()).unwrap_or_default();
    let plain_params: Vec<Field> = params.iter().map(|p| p.value.clone()).collect();
    // Rendered pages lose the indentation of query-parameter rows, and so
    // may Markdown tables that a formatter realigned: there, only indented
    // rows tell.
    let indentation_known = page.form == PageForm::Markdown
        && page.request.as_ref().is_some_and(|t| !t.aligned || t.rows.iter().any(|r| r.indented));
    let (method, rule) = http::infer_method(&draft.location.stem, &title, indentation_known, &rows, &plain_params);
    let response_example =
        response.and_then(|r| r.example.as_ref()).and_then(|example| match serde_json::from_str(&example.value) {
            Ok(value) => Some(value),
            Err(err) => {
                diags.warn(Kind::BadExample, path, example.line, format!("sample result is not valid JSON: {err}"));
                None
            }
        });
    draft.operation = Some(OperationDraft {
        client,
        name,
        summary: title,
        description: page.description.clone(),
        method,
        rule,
        params,
        response: response_name,
        response_example,
        line: page.method_name.as_ref().map_or(1, |m| m.line),
    });
    draft
}

/// A DTO that the page shows only by example: the first parameter or field
/// of type `name` whose example is a JSON object gives its keys, typed by
/// their values and optional. Returns the model and the field it came from.
fn model_from_example(
    name: &str,
    line: u32,
    params: &[Located<Field>],
    models: &[ModelDraft],
) -> Option<(ModelDraft, String)> {
    let model_fields = models.iter().filter_map(|m| match &m.body {
        DraftBody::Struct(fields) => Some(fields),
        DraftBody::Enum(_) => None,
    });
    let (field, object) = params.iter().chain(model_fields.flatten()).find_map(|f| {
        let value = f.value.example.as_ref()?;
        let object = match value {
            serde_json::Value::Array(items) => items.first()?.as_object()?,
            other => other.as_object()?,
        };
        (f.value.ty.referenced_model() == Some(name)).then_some((f, object))
    })?;
    let fields = object
        .iter()
        .map(|(key, value)| Located {
            line: field.line,
            value: Field {
                name: key.clone(),
                ty: types::type_of_value(value).unwrap_or(Type::Any),
                required: false,
                default: None,
                description: String::new(),
                example: Some(value.clone()),
            },
        })
        .collect();
    let model = ModelDraft { name: name.to_string(), body: DraftBody::Struct(fields), line, required_documented: true };
    Some((model, field.value.name.clone()))
}

fn lower_model(name: &str, line: u32, table: &Table, ctx: &Context, diags: &mut Diagnostics) -> ModelDraft {
    let rows = field_rows(table, ctx.path, diags);
    // A DTO whose rows are all typed `enum` lists the values of an enumeration.
    if !rows.is_empty() && rows.iter().all(|r| r.ty.plain().eq_ignore_ascii_case("enum")) {
        let values =
            rows.iter().map(|r| EnumValue { value: r.name.clone(), description: r.description.markdown() }).collect();
        return ModelDraft { name: name.to_string(), body: DraftBody::Enum(values), line, required_documented: true };
    }
    let fields = rows.iter().map(|r: &FieldRow| Located { line: r.line, value: lower_field(r, ctx, diags) }).collect();
    let required_documented = table.columns.iter().any(|c| c.kind == crate::page::ColumnKind::Required);
    ModelDraft { name: name.to_string(), body: DraftBody::Struct(fields), line, required_documented }
}

/// A response `data | array` names no item type; on such pages exactly one
/// DTO section is referenced by no table, and that is the item type.
fn recover_array_items(draft: &mut PageDraft, response: Option<&str>, diags: &mut Diagnostics) {
    let referenced: BTreeSet<String> = draft
        .models
        .iter()
        .filter_map(|m| match &m.body {
            DraftBody::Struct(fields) => Some(fields),
            DraftBody::Enum(_) => None,
        })
        .flatten()
        .filter_map(|f| f.value.ty.referenced_model().map(str::to_string))
        .chain(
            draft
                .operation
                .iter()
                .flat_map(|o| o.params.iter())
                .filter_map(|p| p.value.ty.referenced_model().map(str::to_string)),
        )
        .collect();
    let unreferenced: Vec<String> = draft
        .models
        .iter()
        .map(|m| m.name.clone())
        .filter(|name| Some(name.as_str()) != response && !referenced.contains(name))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let path = draft.path.clone();
    for model in &mut draft.models {
        let DraftBody::Struct(fields) = &mut model.body else { continue };
        for field in fields {
            let Type::Array { items } = &mut field.value.ty else { continue };
            if **items != Type::Any {
                continue;
            }
            if Some(model.name.as_str()) == response && unreferenced.len() == 1 {
                **items = Type::reference(&unreferenced[0]);
                diags.note(
                    Kind::RecoveredItemType,
                    &path,
                    field.line,
                    format!(
                        "`{}` is an array of `{}`, the one DTO on the page that no table references",
                        field.value.name, unreferenced[0]
                    ),
                );
            } else {
                diags.warn(
                    Kind::UnknownItemType,
                    &path,
                    field.line,
                    format!(
                        "item type of array `{}.{}` is not documented; items are any JSON value",
                        model.name, field.value.name
                    ),
                );
            }
        }
    }
}

/// The client and snake_case method name: from the method-name line, else
/// from the sample code, else from the file name.
fn operation_name(page: &Page, location: &PageLocation, diags: &mut Diagnostics) -> (Client, String) {
    let path = page.path.as_str();
    let parsed = page.method_name.as_ref().and_then(|line| {
        let parsed = names::parse_method_name(&line.value);
        if parsed.is_none() {
            diags.warn(
                Kind::BadMethodName,
                path,
                line.line,
                format!("method name `{}` is not `Client.method`; ignored", line.value),
            );
        }
        parsed
    });
    let (class, name) = match parsed {
        Some((class, name)) => (class, name),
        None => {
            let from_sample = page
                .code_samples
                .iter()
                .find_map(|s| names::method_from_sample(&s.code, &location.stem).map(|n| (s.line, n)));
            match from_sample {
                Some((line, name)) => {
                    diags.note(
                        Kind::MissingMethodName,
                        path,
                        line,
                        format!("no method name on the page; `{name}` taken from the sample code"),
                    );
                    (None, name)
                }
                None => {
                    let name = names::method_from_stem(&location.stem);
                    diags.note(
                        Kind::MissingMethodName,
                        path,
                        0,
                        format!("no method name on the page; `{name}` derived from the file name"),
                    );
                    (None, name)
                }
            }
        }
    };
    let client = match (location.client, class) {
        (Some(folder), Some(class)) if folder != class => {
            let line = page.method_name.as_ref().map_or(0, |m| m.line);
            diags.warn(
                Kind::BadMethodName,
                path,
                line,
                format!(
                    "method name says `{}` but the page sits under the {} folder; the folder wins",
                    class.class_name(),
                    folder.class_name()
                ),
            );
            folder
        }
        (Some(folder), _) => folder,
        (None, Some(class)) => class,
        (None, None) => {
            diags.warn(
                Kind::BadMethodName,
                path,
                0,
                "neither the method name nor the folder names the client; taken as AuthenticationClient",
            );
            Client::Authentication
        }
    };
    (client, name)
}
