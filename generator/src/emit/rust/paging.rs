//! Which operations page their results, by one rule over the schema, so a
//! new paginated page needs no code:
//!
//! - the request has a `page` (an integer, or numeric text on a few
//!   pages): at its top (`list-roles`), inside
//!   its `pagination` object (`get-user-action-logs`), or inside
//!   `options.pagination` (`list-users`); and
//! - the response's `data` is `{list, totalCount}` (`totalCount` an
//!   integer or numeric text) or is the list itself.
//!
//! Such an operation gets a `*_pages` method returning the runtime's
//! `Pages`, which sets the page number and reads the items of each page.

use super::plan::{FieldPlan, OperationPlan, Plan};
use crate::schema::Type;

/// How an operation pages.
pub(super) struct Paging<'p> {
    /// The request fields leading to the page number, the last being `page`.
    pub page: Vec<&'p FieldPlan<'p>>,
    /// The response's `data`.
    pub data: &'p FieldPlan<'p>,
    /// The item type on the wire.
    pub item: &'p Type,
    pub items: Items<'p>,
}

/// Where the items of a page are in the response's `data`.
pub(super) enum Items<'p> {
    /// `data` is `{list, totalCount}`.
    List { list: &'p FieldPlan<'p>, total: &'p FieldPlan<'p> },
    /// `data` is the list.
    Bare,
}

/// Objects the page number may sit in, from the request's top down.
const CONTAINERS: [&str; 2] = ["options", "pagination"];

/// How `o` pages, if it does.
pub(super) fn paging<'p>(o: &'p OperationPlan<'p>, plan: &'p Plan<'p>) -> Option<Paging<'p>> {
    let page = page_path(&o.params, plan, &CONTAINERS)?;
    let data = data_field(o, plan)?;
    let (item, items) = match &data.field.ty {
        Type::Array { items } => (&**items, Items::Bare),
        ty => {
            let fields = model_fields(ty, plan)?;
            let list = fields.iter().find(|f| f.field.name == "list" && f.enum_type.is_none())?;
            let total = fields.iter().find(|f| f.field.name == "totalCount" && is_number(&f.field.ty))?;
            let Type::Array { items } = &list.field.ty else { return None };
            (&**items, Items::List { list, total })
        }
    };
    Some(Paging { page, data, item, items })
}

/// The fields from `fields` down to `page`, looking into the
/// objects named by `containers` in that order.
fn page_path<'p>(
    fields: &'p [FieldPlan<'p>],
    plan: &'p Plan<'p>,
    containers: &[&str],
) -> Option<Vec<&'p FieldPlan<'p>>> {
    if let Some(page) = fields.iter().find(|f| f.field.name == "page" && is_number(&f.field.ty)) {
        return Some(vec![page]);
    }
    containers.iter().enumerate().find_map(|(i, name)| {
        let container = fields.iter().find(|f| f.field.name == *name)?;
        let mut path = page_path(model_fields(&container.field.ty, plan)?, plan, &containers[i + 1..])?;
        path.insert(0, container);
        Some(path)
    })
}

/// The `data` field of the operation's response envelope. A `data` of an
/// inline enum type is left out: its type lives in the models module.
pub(super) fn data_field<'p>(o: &OperationPlan<'p>, plan: &'p Plan<'p>) -> Option<&'p FieldPlan<'p>> {
    let fields = model_fields(o.op.response.as_ref()?, plan)?;
    fields.iter().find(|f| f.field.name == "data" && f.enum_type.is_none())
}

/// A number: an integer, or text holding one.
fn is_number(ty: &Type) -> bool {
    matches!(ty, Type::Integer | Type::String)
}

/// The fields of the struct model `ty` refers to.
fn model_fields<'p>(ty: &Type, plan: &'p Plan<'p>) -> Option<&'p [FieldPlan<'p>]> {
    let Type::Ref { name } = ty else { return None };
    plan.models.iter().find(|m| m.name == name).map(|m| m.fields.as_slice())
}
