//! The overrides file's `optional` key: parameters the pages over-require.

use generator::diag::{Diagnostics, Kind};
use generator::lower::Overrides;
use generator::pipeline;

use crate::support::repo;

#[test]
fn optional_override_relaxes_named_parameters_and_reports_unknown_names() {
    let mut diags = Diagnostics::default();
    let text = "[operation.assign-role]\ntag = \"roles\"\noptional = [\"code\", \"roleCode\"]\n";
    let overrides = Overrides::parse(text, "overrides.toml", &mut diags);
    assert!(diags.is_empty());

    let run = pipeline::run(&repo().join("docs/assign-role.md"), &overrides, diags).unwrap();

    let op = &run.api.operations[0];
    let required = |name: &str| op.params.iter().find(|p| p.field.name == name).map(|p| p.field.required);
    assert_eq!(required("code"), Some(false));
    // Parameters the override does not name keep what the page says.
    assert_eq!(required("targets"), Some(true));
    let unknown: Vec<&str> =
        run.diags.iter().filter(|d| d.kind == Kind::BadOverride).map(|d| d.message.as_str()).collect();
    assert_eq!(unknown, ["override of `assign-role`: no parameter `roleCode` to make optional"]);
}
