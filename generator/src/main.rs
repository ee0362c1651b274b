//! `cargo run -p generator [-- COMMAND]`: regenerates the SDK from `docs/`,
//! checks that it is up to date, exports the recovered API, or reports how
//! the API changed between two versions of the docs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use generator::diag::Diagnostics;
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

fn print_json(value: &impl serde::Serialize) -> Result<ExitCode, String> {
    println!("{}", serde_json::to_string_pretty(value).map_err(|e| e.to_string())?);
    Ok(ExitCode::SUCCESS)
}

/// Reads the pages and reports their diagnostics.
fn read(source: &Source, report: &ReportArgs) -> Result<Run, String> {
    let mut diags = Diagnostics::default();
    let docs = source.docs();
    let overrides_path = overrides_path(source.overrides.as_deref(), &docs);
    let overrides = load_overrides(overrides_path.as_deref(), &mut diags)?;
    let run = pipeline::run(&docs, &overrides, diags).map_err(|e| format!("cannot read {}: {e}", docs.display()))?;
    let locate = locator(&docs, overrides_path.as_deref());
    print_diagnostics(&run, report, &locate);
    Ok(run)
}

/// The overrides file to apply: the one given, else `overrides.toml` in the
/// docs folder when it exists.
fn overrides_path(given: Option<&Path>, docs: &Path) -> Option<PathBuf> {
    given.map(Path::to_path_buf).or_else(|| Some(docs.join("overrides.toml")).filter(|default| default.exists()))
}

fn load_overrides(path: Option<&Path>, diags: &mut Diagnostics) -> Result<Overrides, String> {
    let Some(path) = path else { return Ok(Overrides::default()) };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Overrides::parse(&text, &path.display().to_string(), diags))
}

/// Turns a diagnostic's file (a page relative to the docs root, or the
/// overrides file as given) into a path from the current directory, as CI
/// annotations need.
fn locator(docs: &Path, overrides: Option<&Path>) -> impl Fn(&str) -> String {
    let root = if docs.is_file() { docs.parent().unwrap_or(Path::new("")).to_path_buf() } else { docs.to_path_buf() };
    let overrides = overrides.map(|path| path.display().to_string());
    let cwd = std::env::current_dir().unwrap_or_default();
    move |file: &str| {
        let path = if overrides.as_deref() == Some(file) { PathBuf::from(file) } else { root.join(file) };
        path.strip_prefix(&cwd).unwrap_or(&path).display().to_string()
    }
}

/// Prints the diagnostics in the chosen format and the summary lines to stderr.
fn print_diagnostics(run: &Run, report: &ReportArgs, locate: &dyn Fn(&str) -> String) {
    if !report.quiet {
        for group in run.diags.grouped() {
            match report.message_format {
                MessageFormat::Human => eprintln!("{group}"),
                MessageFormat::Json => eprintln!("{}", group.to_json(locate)),
                MessageFormat::Github => group.to_github(locate).iter().for_each(|line| eprintln!("{line}")),
            }
        }
    }
    eprintln!("{}", pipeline::summary(run));
    eprintln!("{}", pipeline::http_rules(&run.api));
}
