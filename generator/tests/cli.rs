//! The command line as users run it: subcommands, help, errors, message
//! formats, and the `diff` report on folders and git revisions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

fn generator(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator")).current_dir(dir).args(args).output().expect("generator runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn every_command_has_help_and_unknown_arguments_are_errors() {
    for command in ["generate", "check", "schema", "openapi", "diff"] {
        let output = generator(&repo(), &[command, "--help"]);
        assert!(output.status.success(), "{command} --help: {}", stderr(&output));
        assert!(stdout(&output).contains(&format!("Usage: generator {command}")), "{}", stdout(&output));
    }
    let help = stdout(&generator(&repo(), &["--help"]));
    for command in ["generate", "check", "schema", "openapi", "diff"] {
        assert!(help.contains(command), "{help}");
    }
    for args in [&["--bogus"][..], &["schema", "--bogus"], &["check", "extra"], &["diff", "only-one"], &["nonsense"]] {
        let output = generator(&repo(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("error:"), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn documented_invocations_keep_working() {
    let out = scratch("generate");
    let page = fixture("enums.md");
    let page = page.to_str().expect("utf-8 path");
    let crate_dir = out.join("crate");
    let generate = generator(&repo(), &["generate", "--docs", page, "--out", crate_dir.to_str().expect("utf-8"), "-q"]);
    assert!(generate.status.success(), "{}", stderr(&generate));
    assert!(crate_dir.join("Cargo.toml").is_file() && crate_dir.join("src/models.rs").is_file());
    // Options before the command, as the old hand-written parser took them.
    let schema = generator(&repo(), &["-q", "schema", "--docs", page]);
    assert!(schema.status.success(), "{}", stderr(&schema));
    let api: Value = serde_json::from_str(&stdout(&schema)).expect("schema JSON");
    assert_eq!(api["operations"][0]["name"], "list_users");
    let openapi = generator(&repo(), &["openapi", "--docs", page, "-q"]);
    let document: Value = serde_json::from_str(&stdout(&openapi)).expect("OpenAPI JSON");
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with("3.0")));
    let check = generator(&repo(), &["check"]);
    assert!(check.status.success(), "generated/ is stale: {}", stderr(&check));
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn json_message_format_is_one_diagnostic_per_line() {
    let output =
        generator(&repo(), &["schema", "--docs", "tests/fixtures/english-defects.md", "--message-format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let diagnostics: Vec<Value> = stderr(&output)
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).expect("each diagnostic line is JSON"))
        .collect();
    assert_eq!(diagnostics.len(), 3, "{}", stderr(&output));
    for d in &diagnostics {
        assert_eq!(d["file"], "tests/fixtures/english-defects.md");
        assert_eq!(d["severity"], "warning");
        assert!(d["line"].as_u64().is_some_and(|line| line > 0) && d["kind"].is_string() && d["message"].is_string());
        assert!(d["also"].is_array());
    }
    // The summary line stays text for people.
    assert!(stderr(&output).contains("1 pages, 1 operations"));
}

#[test]
fn github_message_format_annotates_pages_relative_to_the_working_folder() {
    let output = generator(
        &repo().join("tests"),
        &["schema", "--docs", "fixtures/english-defects.md", "--message-format", "github"],
    );
    let text = stderr(&output);
    let annotations: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 3, "{text}");
    assert!(annotations.iter().all(|a| a.starts_with("::warning file=fixtures/english-defects.md,line=")), "{text}");
    assert!(annotations.iter().any(|a| a.contains(",title=merged-row::row `owner` is merged")), "{text}");
}

fn diff_json(dir: &Path, old: &str, new: &str) -> Value {
    let output = generator(dir, &["diff", old, new, "--json", "-q"]);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("diff --json prints one JSON object")
}

/// `item (wire): detail` of each entry of a class.
fn entries(report: &Value, class: &str) -> Vec<String> {
    report[class]
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            format!(
                "{} ({}): {}",
                e["item"].as_str().unwrap_or("?"),
                e["wire"].as_str().unwrap_or("?"),
                e["detail"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

#[test]
fn diff_of_identical_folders_reports_nothing() {
    let report = diff_json(&repo(), "tests/fixtures/diff/old", "tests/fixtures/diff/old");
    assert_eq!(report, serde_json::json!({ "breaking": [], "additive": [], "documentation": [], "bump": "none" }));
    let output = generator(&repo(), &["diff", "docs", "docs", "--fail-on", "documentation"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("No change to the SDK."), "{}", stdout(&output));
    assert!(stdout(&output).contains("**Version bump: none.**"), "{}", stdout(&output));
}

/// The fixture folders differ in one known way per class.
#[test]
fn each_known_change_lands_in_its_class() {
    let report = diff_json(&repo(), "tests/fixtures/diff/old", "tests/fixtures/diff/new");
    let has = |class: &str, entry: &str| {
        assert!(
            entries(&report, class).iter().any(|e| e == entry),
            "{entry} not in {class}: {:#?}",
            entries(&report, class)
        )
    };
    // Operation removed, parameter made required, field type changed, enum value removed.
    has("breaking", "ManagementClient::delete_user (POST /api/v3/delete-user): operation removed");
    has("breaking", "GetUserRequest.with_custom_data (withCustomData): now required: `Option<bool>` → `bool`");
    has("breaking", "UserDto.age (age): type `i64` → `String`");
    has("breaking", "Status::Deactivated (Deactivated): value removed");
    has("breaking", "IsSuccessDto (IsSuccessDto): model removed");
    // Operation added, optional parameter added, field and value added.
    has("additive", "ManagementClient::list_users (GET /api/v3/list-users): new operation");
    has("additive", "CreateUserRequest.nickname (nickname): new optional parameter `Option<String>`");
    has("additive", "UserDto.created_at (createdAt): new required field `String`");
    has("additive", "Status::Archived (Archived): new value");
    has("additive", "UserListRespDto (UserListRespDto): new model");
    // Description changed.
    has("documentation", "ManagementClient::get_user (GET /api/v3/get-user): description changed");
    assert_eq!(report["bump"], "minor");
    // Nothing else: each class holds exactly the known changes.
    assert_eq!(entries(&report, "breaking").len(), 6, "{report:#}");
    assert_eq!(entries(&report, "additive").len(), 5, "{report:#}");
    assert_eq!(entries(&report, "documentation").len(), 3, "{report:#}");
}

#[test]
fn markdown_report_has_three_sections_and_the_bump() {
    let output = generator(&repo(), &["diff", "tests/fixtures/diff/old", "tests/fixtures/diff/new", "-q"]);
    let text = stdout(&output);
    for heading in [
        "### Breaking changes (6)",
        "### Additive changes (5)",
        "### Documentation changes (3)",
        "**Version bump: minor.**",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    assert!(
        text.contains("- `CreateUserRequest.nickname` (`nickname`): new optional parameter `Option<String>`\n"),
        "{text}"
    );
}

#[test]
fn fail_on_sets_the_exit_status() {
    let run = |fail_on: &str, new: &str| {
        generator(&repo(), &["diff", "tests/fixtures/diff/old", new, "-q", "--fail-on", fail_on]).status.code()
    };
    assert_eq!(run("breaking", "tests/fixtures/diff/new"), Some(1));
    assert_eq!(run("breaking", "tests/fixtures/diff/old"), Some(0));
    assert_eq!(run("bogus", "tests/fixtures/diff/new"), Some(2));
    // Without --fail-on the report alone decides nothing.
    assert_eq!(
        generator(&repo(), &["diff", "tests/fixtures/diff/old", "tests/fixtures/diff/new", "-q"]).status.code(),
        Some(0)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

fn copy_pages(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).expect("docs folder");
    for entry in std::fs::read_dir(from).expect("fixture folder").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("page copied");
    }
}

#[test]
fn diff_reads_git_revisions_of_the_docs_folder() {
    let repo_dir = scratch("git");
    git(&repo_dir, &["init", "-q"]);
    copy_pages(&fixture("diff/old"), &repo_dir.join("docs"));
    git(&repo_dir, &["add", "-A"]);
    git(&repo_dir, &["commit", "-q", "-m", "old"]);
    copy_pages(&fixture("diff/new"), &repo_dir.join("docs"));
    git(&repo_dir, &["add", "-A"]);
    git(&repo_dir, &["commit", "-q", "-m", "new"]);
    std::fs::copy(fixture("english-defects.md"), repo_dir.join("docs/english-defects.md")).expect("page copied");
    std::fs::write(repo_dir.join("docs/overrides.toml"), "[operations]\n").expect("overrides written");
    git(&repo_dir, &["add", "-A"]);
    git(&repo_dir, &["commit", "-q", "-m", "a page with defects"]);
    // The working tree differs from every revision: they are read from git.
    std::fs::remove_dir_all(repo_dir.join("docs")).expect("docs removed");

    let from_git = diff_json(&repo_dir, "HEAD~2", "HEAD~1");
    let from_folders = diff_json(&repo(), "tests/fixtures/diff/old", "tests/fixtures/diff/new");
    assert_eq!(from_git, from_folders);
    // Annotations name the new side's pages where they are in the repository.
    let output = generator(&repo_dir, &["diff", "HEAD~1", "HEAD", "--message-format", "github"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    let annotations: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 4, "{text}");
    let (overrides, pages): (Vec<&str>, Vec<&str>) = annotations
        .iter()
        .partition(|a| a.starts_with("::warning file=docs/overrides.toml,line=1,title=bad-override::"));
    assert_eq!(overrides.len(), 1, "{text}");
    assert!(pages.iter().all(|a| a.starts_with("::warning file=docs/english-defects.md,line=")), "{text}");
    let missing = generator(&repo_dir, &["diff", "HEAD", "no-such-revision"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("neither a folder nor a git revision"), "{}", stderr(&missing));
    let _ = std::fs::remove_dir_all(repo_dir);
}
