//! The change report as Markdown for a PR comment, or as one JSON object.

use super::{Bump, Change, Changes};
use crate::emit::rust::code_span;

/// Sections longer than this are folded (`<details>`), so that a large
/// change keeps the comment readable.
const FOLD_AFTER: usize = 25;

/// Room each section needs besides its entries: heading, folding, and the
/// line that counts left-out entries.
const SECTION_ROOM: usize = 300;

/// The report: a headline, the three sections and the version bump.
/// `old` and `new` name the two versions compared. With `max_len`, entries
/// are left out (documentation first, then additive, then breaking; each
/// section's last ones first) so that the report stays within that many
/// bytes, and each section says how many it leaves out.
pub fn markdown(changes: &Changes, old: &str, new: &str, max_len: Option<usize>) -> String {
    let head = format!("## API changes: {} → {}\n\n", code_span(old), code_span(new));
    let tail = format!("\n**Version bump: {}.** {}\n", bump_name(changes.bump()), BUMP_RULE);
    if changes.is_empty() {
        return format!("{head}No change to the SDK.\n{tail}");
    }
    let sections = [
        ("Breaking changes", &changes.breaking),
        ("Additive changes", &changes.additive),
        ("Documentation changes", &changes.documentation),
    ];
    let counts = format!(
        "{} breaking, {} additive, {} documentation.\n",
        changes.breaking.len(),
        changes.additive.len(),
        changes.documentation.len()
    );
    let mut budget = max_len.map_or(usize::MAX, |max| {
        max.saturating_sub(head.len() + counts.len() + tail.len() + sections.len() * SECTION_ROOM)
    });
    let mut out = head + &counts;
    for (title, changes) in sections {
        let lines: Vec<String> = changes
            .iter()
            .map(entry_line)
            .take_while(|line| {
                let fits = line.len() <= budget;
                if fits {
                    budget -= line.len();
                } else {
                    budget = 0;
                }
                fits
            })
            .collect();
        section(&mut out, title, changes.len(), &lines);
    }
    out + &tail
}

fn entry_line(change: &Change) -> String {
    format!("- {} ({}): {}\n", code_span(&change.item), code_span(&change.wire), change.detail)
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

/// A section of `total` entries, of which `lines` are shown.
fn section(out: &mut String, title: &str, total: usize, lines: &[String]) {
    out.push_str(&format!("\n### {title} ({total})\n\n"));
    if total == 0 {
        out.push_str("None.\n");
        return;
    }
    let fold = total > FOLD_AFTER;
    if fold {
        out.push_str(&format!("<details><summary>{total} changes</summary>\n\n"));
    }
    lines.iter().for_each(|line| out.push_str(line));
    if lines.len() < total {
        out.push_str(&format!("- … {} more, left out for length (all of them: `diff --json`)\n", total - lines.len()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(n: usize) -> Vec<Change> {
        (0..n)
            .map(|i| Change {
                item: format!("UserDto.field_{i}"),
                wire: format!("field{i}"),
                detail: "new field".into(),
            })
            .collect()
    }

    #[test]
    fn a_long_report_leaves_out_documentation_first_and_says_so() {
        let changes = Changes { breaking: changes(3), additive: changes(30), documentation: changes(400) };
        let full = markdown(&changes, "a", "b", None);
        assert!(full.len() > 10_000 && !full.contains("left out"));
        assert_eq!(full.matches("<details>").count(), 2, "sections over {FOLD_AFTER} entries fold");
        let short = markdown(&changes, "a", "b", Some(5_000));
        assert!(short.len() <= 5_000, "{}", short.len());
        assert!(short.contains("- `UserDto.field_29` (`field29`): new field\n"), "additive kept whole: {short}");
        assert!(short.contains(" more, left out for length (all of them: `diff --json`)\n"), "{short}");
        assert!(short.contains("### Documentation changes (400)") && short.ends_with(&format!("{BUMP_RULE}\n")));
    }

    #[test]
    fn no_change_is_said_and_needs_no_release() {
        let report = markdown(&Changes::default(), "origin/main", "HEAD", Some(10));
        assert!(report.starts_with("## API changes: `origin/main` → `HEAD`\n\nNo change to the SDK.\n"), "{report}");
        assert!(report.contains("**Version bump: none.**"));
        assert_eq!(json(&Changes::default())["bump"], "none");
    }
}
