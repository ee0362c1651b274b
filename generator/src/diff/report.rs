//! The change report as Markdown for a PR comment, or as one JSON object.

use super::{Bump, Change, Changes};
use crate::emit::rust::code_span;

/// Sections longer than this are folded (`<details>`), so that a large
/// change keeps the comment readable.
const FOLD_AFTER: usize = 25;

/// The report: a headline, the three sections and the version bump.
/// `old` and `new` name the two versions compared.
pub fn markdown(changes: &Changes, old: &str, new: &str) -> String {
    let mut out = format!("## API changes: {} → {}\n\n", code_span(old), code_span(new));
    if changes.is_empty() {
        out.push_str("No change to the SDK.\n");
    } else {
        out.push_str(&format!(
            "{} breaking, {} additive, {} documentation.\n",
            changes.breaking.len(),
            changes.additive.len(),
            changes.documentation.len()
        ));
        section(&mut out, "Breaking changes", &changes.breaking);
        section(&mut out, "Additive changes", &changes.additive);
        section(&mut out, "Documentation changes", &changes.documentation);
    }
    out.push_str(&format!("\n**Version bump: {}.** {}\n", bump_name(changes.bump()), BUMP_RULE));
    out
}

/// How the bump follows from the changes (Cargo's rules for a 0.x crate).
const BUMP_RULE: &str = "The generated crate is 0.x, where Cargo treats the minor number as the major one: \
                         a breaking change needs a minor release (0.1.4 → 0.2.0), any other change a patch \
                         release (0.1.4 → 0.1.5).";

fn bump_name(bump: Bump) -> &'static str {
    match bump {
        Bump::None => "none",
        Bump::Patch => "patch",
        Bump::Minor => "minor",
    }
}

fn section(out: &mut String, title: &str, changes: &[Change]) {
    out.push_str(&format!("\n### {title} ({})\n\n", changes.len()));
    if changes.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let fold = changes.len() > FOLD_AFTER;
    if fold {
        out.push_str(&format!("<details><summary>{} changes</summary>\n\n", changes.len()));
    }
    for change in changes {
        out.push_str(&format!("- {} ({}): {}\n", code_span(&change.item), code_span(&change.wire), change.detail));
    }
    if fold {
        out.push_str("\n</details>\n");
    }
}

/// The report as one JSON object: `breaking`, `additive` and
/// `documentation` (arrays of `{item, wire, detail}`) and `bump`.
pub fn json(changes: &Changes) -> serde_json::Value {
    serde_json::json!({
        "breaking": changes.breaking,
        "additive": changes.additive,
        "documentation": changes.documentation,
        "bump": changes.bump(),
    })
}
