//! `cargo run -p generator [-- COMMAND]`: regenerates the SDK from `docs/`,
//! checks that it is up to date, exports the recovered API, or reports how
//! the API changed between two versions of the docs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use generator::diag::Diagnostics;
use generator::diff::Class;
use generator::diff::revision::{self, Checkout};
use generator::emit::openapi;
use generator::emit::rust::{self, CrateKind};
use generator::lower::Overrides;
use generator::output;
use generator::pipeline::{self, Run};

// Emitting allocates millions of small syntax-tree nodes; mimalloc makes
// that a quarter cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Reads GenAuth V3 API documentation pages and generates the Rust SDK.
///
/// Without a command, regenerates `generated/` from `docs/` (as `generate`).
#[derive(Parser)]
#[command(name = "generator")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Write the SDK: into generated/ of this repository, or, with --out, a
    /// complete crate of its own (manifest, runtime, generated code).
    Generate {
        /// Write a standalone crate to this folder instead of generated/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Exit 1, naming stale files, if generated/ is not what the docs produce.
    Check,
    /// Print the recovered schema as JSON on stdout.
    Schema,
    /// Print the recovered API as an OpenAPI 3.0 document on stdout.
    Openapi,
    /// Report how the API changed between two versions of the docs, for SDK
    /// users: breaking, additive and documentation changes, and the version
    /// bump they imply (Markdown on stdout, ready for a PR comment).
    ///
    /// OLD and NEW are docs folders, or git revisions (`origin/main`, `HEAD`)
    /// whose folder --docs (default `docs`, from the repository's top) is
    /// read. Each side uses its own overrides.toml unless --overrides is
    /// given. Diagnostics are printed for NEW only.
    Diff(DiffArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// The older docs: a folder, or a git revision.
    old: String,
    /// The newer docs: a folder, or a git revision.
    new: String,
    /// Print the report as one JSON object instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Keep the Markdown report within this many bytes by leaving out entries,
    /// documentation ones first (a GitHub comment holds 65536 characters).
    #[arg(long, value_name = "BYTES")]
    max_length: Option<usize>,
    /// Exit with status 1 when there is a change of this class or a stronger one.
    #[arg(long, value_enum, value_name = "CLASS")]
    fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Breaking changes only.
    Breaking,
    /// Breaking or additive: any change of the SDK's API.
    Additive,
    /// Any change, documentation included.
    Documentation,
}

impl FailOn {
    fn class(self) -> Class {
        match self {
            FailOn::Breaking => Class::Breaking,
            FailOn::Additive => Class::Additive,
            FailOn::Documentation => Class::Documentation,
        }
    }
}

/// Where the pages come from; accepted by every command.
#[derive(Args)]
struct Source {
    /// Documentation pages: a folder (read recursively) or one page [default: docs/ of this repository].
    #[arg(long, value_name = "DIR", global = true)]
    docs: Option<PathBuf>,
    /// HTTP method/path/tag corrections [default: DIR/overrides.toml when present].
    #[arg(long, value_name = "FILE", global = true)]
    overrides: Option<PathBuf>,
}

impl Source {
    fn docs(&self) -> PathBuf {
        self.docs.clone().unwrap_or_else(|| repo_root().join("docs"))
    }
}

/// How diagnostics are reported; accepted by every command.
#[derive(Args)]
struct ReportArgs {
    /// Print only the summary, not each diagnostic.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// How diagnostics are printed on stderr.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human, global = true)]
    message_format: MessageFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum MessageFormat {
    /// `file:line: severity[kind]: message`, for people.
    Human,
    /// One JSON object per diagnostic and line.
    Json,
    /// GitHub Actions workflow commands (`::warning file=…,line=…::…`), one per place.
    Github,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (source, report) = (&cli.source, &cli.report);
    let result = match &cli.command {
        None => generate(source, None, report),
        Some(Command::Generate { out }) => generate(source, out.as_deref(), report),
        Some(Command::Check) => check(source, report),
        Some(Command::Schema) => read(source, report).and_then(|run| print_json(&run.api)),
        Some(Command::Openapi) => read(source, report).and_then(|run| print_json(&openapi::document(&run.api))),
        Some(Command::Diff(args)) => diff(args, source, report),
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::FAILURE
    })
}

fn generate(source: &Source, out: Option<&Path>, report: &ReportArgs) -> Result<ExitCode, String> {
    let run = read(source, report)?;
    match out {
        Some(out) => {
            let mut files = rust::emit(&run.api, CrateKind::Standalone);
            files.extend(rust::handwritten_files(&run.api));
            let changed = output::write(out, &files)?;
            eprintln!("{} file(s) written to {}", changed, out.display());
        }
        None => {
            let generated = repo_root().join("generated");
            let changed = output::write(&generated, &rust::emit(&run.api, CrateKind::WorkspaceMember))?;
            eprintln!("{} file(s) updated in {}", changed, generated.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(source: &Source, report: &ReportArgs) -> Result<ExitCode, String> {
    let run = read(source, report)?;
    let generated = repo_root().join("generated");
    let stale = output::stale(&generated, &rust::emit(&run.api, CrateKind::WorkspaceMember));
    if stale.is_empty() {
        eprintln!("generated/ is up to date");
        return Ok(ExitCode::SUCCESS);
    }
    for path in &stale {
        eprintln!("stale: generated/{path}");
    }
    eprintln!("generated/ is not what the docs produce; run `{}`", rust::REGENERATE);
    Ok(ExitCode::FAILURE)
}

fn diff(args: &DiffArgs, source: &Source, report: &ReportArgs) -> Result<ExitCode, String> {
    let folder = source.docs.as_deref().unwrap_or(Path::new("docs"));
    let old = DocsVersion::open(&args.old, folder, "old")?;
    let new = DocsVersion::open(&args.new, folder, "new")?;
    let quiet = ReportArgs { quiet: true, message_format: report.message_format };
    let overrides = source.overrides.as_deref();
    let old_run = read_docs(old.dir(), &old.shown_as, overrides, &quiet, &format!("old ({}): ", args.old))?;
    let new_run = read_docs(new.dir(), &new.shown_as, overrides, report, &format!("new ({}): ", args.new))?;
    let changes = generator::diff::compare(&old_run.api, &new_run.api);
    if args.json {
        print_json(&generator::diff::json(&changes))?;
    } else {
        print(&generator::diff::markdown(&changes, &args.old, &args.new, args.max_length))?;
    }
    let failed = args.fail_on.is_some_and(|fail_on| changes.strongest().is_some_and(|class| class >= fail_on.class()));
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// One side of `diff`: a docs folder, or one extracted from a git revision.
struct DocsVersion {
    folder: PathBuf,
    checkout: Option<Checkout>,
    /// Where its pages are for people and CI annotations.
    shown_as: PathBuf,
}

impl DocsVersion {
    /// A path that exists is a folder (or page); anything else a revision
    /// whose `folder` is extracted.
    fn open(arg: &str, folder: &Path, label: &str) -> Result<DocsVersion, String> {
        if Path::new(arg).exists() {
            return Ok(DocsVersion { folder: PathBuf::from(arg), checkout: None, shown_as: PathBuf::from(arg) });
        }
        let checkout = revision::checkout(arg, &folder.to_string_lossy(), label)
            .map_err(|e| format!("`{arg}` is neither a folder nor a git revision with {}: {e}", folder.display()))?;
        Ok(DocsVersion { folder: PathBuf::new(), checkout: Some(checkout), shown_as: folder.to_path_buf() })
    }

    fn dir(&self) -> &Path {
        self.checkout.as_ref().map_or(&self.folder, Checkout::dir)
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<ExitCode, String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    print(&format!("{text}\n"))
}

/// Writes to stdout; a closed pipe (`| head`) is an error, not a panic.
fn print(text: &str) -> Result<ExitCode, String> {
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| format!("cannot write to stdout: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Reads the pages of `--docs` and reports their diagnostics.
fn read(source: &Source, report: &ReportArgs) -> Result<Run, String> {
    let docs = source.docs();
    read_docs(&docs, &docs, source.overrides.as_deref(), report, "")
}

/// Reads the pages in `docs` and reports their diagnostics, with pages
/// located in `shown_as`, and the summary after `label`.
fn read_docs(
    docs: &Path,
    shown_as: &Path,
    overrides: Option<&Path>,
    report: &ReportArgs,
    label: &str,
) -> Result<Run, String> {
    let mut diags = Diagnostics::default();
    let overrides_path = overrides_path(overrides, docs);
    let overrides = load_overrides(overrides_path.as_deref(), &mut diags)?;
    let run = pipeline::run(docs, &overrides, diags).map_err(|e| format!("cannot read {}: {e}", docs.display()))?;
    let locate = locator(docs, shown_as, overrides_path.as_deref());
    print_diagnostics(&run, report, &locate, label);
    Ok(run)
}

/// The overrides file to apply: the one given, else `overrides.toml` in the
/// docs folder when it exists.
fn overrides_path(given: Option<&Path>, docs: &Path) -> Option<PathBuf> {
    given.map(Path::to_path_buf).or_else(|| Some(docs.join("overrides.toml")).filter(|default| default.exists()))
}

fn load_overrides(path: Option<&Path>, diags: &mut Diagnostics) -> Result<Overrides, String> {
    let Some(path) = path else { return Ok(Overrides::default()) };
    Overrides::load(path, diags).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Turns a diagnostic's file (a page relative to the docs root, or the
/// overrides file as read) into a path from the current directory, as CI
/// annotations need: pages, and an overrides file inside `docs`, are shown
/// in `shown_as` (where a git revision's folder is in the repository).
fn locator(docs: &Path, shown_as: &Path, overrides: Option<&Path>) -> impl Fn(&str) -> String {
    let root = if docs.is_file() { shown_as.parent().unwrap_or(Path::new("")) } else { shown_as }.to_path_buf();
    let overrides = overrides.map(|path| {
        let shown = path.strip_prefix(docs).map_or_else(|_| path.to_path_buf(), |rel| root.join(rel));
        (path.display().to_string(), shown)
    });
    let cwd = std::env::current_dir().unwrap_or_default();
    move |file: &str| {
        let path = match &overrides {
            Some((read, shown)) if read == file => shown.clone(),
            _ => root.join(file),
        };
        let path = path.strip_prefix(&cwd).unwrap_or(&path);
        // `./docs/x.md` is `docs/x.md` to an annotation.
        let path: PathBuf = path.components().filter(|c| *c != std::path::Component::CurDir).collect();
        path.display().to_string()
    }
}

/// Prints the diagnostics in the chosen format and the summary lines to stderr.
fn print_diagnostics(run: &Run, report: &ReportArgs, locate: &dyn Fn(&str) -> String, label: &str) {
    if !report.quiet {
        for group in run.diags.grouped() {
            match report.message_format {
                MessageFormat::Human => eprintln!("{group}"),
                MessageFormat::Json => eprintln!("{}", group.to_json(locate)),
                MessageFormat::Github => group.to_github(locate).iter().for_each(|line| eprintln!("{line}")),
            }
        }
    }
    eprintln!("{label}{}", pipeline::summary(run));
    eprintln!("{}", pipeline::http_rules(&run.api));
}
