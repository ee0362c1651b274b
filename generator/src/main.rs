//! `cargo run -p generator [-- COMMAND]`: regenerates the SDK from `docs/`,
//! checks that it is up to date, or exports the recovered API.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

const USAGE: &str = "\
usage: cargo run -p generator [-- COMMAND] [OPTIONS]

commands:
  (none)                      regenerate generated/ from docs/
  check                       exit 1, naming stale files, if generated/ is not what docs/ produce
  generate --docs DIR --out DIR
                              write a complete crate (manifest, runtime, generated code) to --out
  schema --docs DIR           print the recovered schema as JSON
  openapi --docs DIR          print the recovered API as an OpenAPI 3.0 document

options:
  --docs DIR                  documentation pages (default: docs/ of this repository)
  --overrides FILE            HTTP method/path corrections (default: DIR/overrides.toml when present),
                              with the official SDKs' official-sdk-endpoints.json beside it
  -q, --quiet                 print only the summary line, not each diagnostic
";

struct Args {
    command: String,
    docs: PathBuf,
    out: Option<PathBuf>,
    overrides: Option<PathBuf>,
    quiet: bool,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn parse_args() -> Result<Args, String> {
    let mut args =
        Args { command: String::new(), docs: repo_root().join("docs"), out: None, overrides: None, quiet: false };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().map(PathBuf::from).ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--docs" => args.docs = value("--docs")?,
            "--out" => args.out = Some(value("--out")?),
            "--overrides" => args.overrides = Some(value("--overrides")?),
            "-q" | "--quiet" => args.quiet = true,
            "-h" | "--help" => return Err(String::new()),
            command if args.command.is_empty() && !command.starts_with('-') => args.command = command.to_string(),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    let mut diags = Diagnostics::default();
    let overrides = load_overrides(args, &mut diags)?;
    let run = pipeline::run(&args.docs, &overrides, diags)
        .map_err(|e| format!("cannot read {}: {e}", args.docs.display()))?;
    report(&run, args.quiet);
    match args.command.as_str() {
        "" => {
            let generated = repo_root().join("generated");
            let changed = output::write(&generated, &rust::emit(&run.api, CrateKind::WorkspaceMember))?;
            eprintln!("{} file(s) updated in {}", changed, generated.display());
        }
        "check" => {
            let generated = repo_root().join("generated");
            let stale = output::stale(&generated, &rust::emit(&run.api, CrateKind::WorkspaceMember));
            if !stale.is_empty() {
                for path in &stale {
                    eprintln!("stale: generated/{path}");
                }
                eprintln!("generated/ is not what the docs produce; run `{}`", rust::REGENERATE);
                return Ok(ExitCode::FAILURE);
            }
            eprintln!("generated/ is up to date");
        }
        "generate" => {
            let out = args.out.as_ref().ok_or("generate needs --out DIR")?;
            let mut files = rust::emit(&run.api, CrateKind::Standalone);
            files.extend(rust::handwritten_files(&run.api));
            let changed = output::write(out, &files)?;
            eprintln!("{} file(s) written to {}", changed, out.display());
        }
        "schema" => println!("{}", serde_json::to_string_pretty(&run.api).map_err(|e| e.to_string())?),
        "openapi" => {
            println!("{}", serde_json::to_string_pretty(&openapi::document(&run.api)).map_err(|e| e.to_string())?)
        }
        other => return Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
    Ok(ExitCode::SUCCESS)
}

fn load_overrides(args: &Args, diags: &mut Diagnostics) -> Result<Overrides, String> {
    let path = match &args.overrides {
        Some(path) => path.clone(),
        None => {
            let default = args.docs.join("overrides.toml");
            if !default.exists() {
                return Ok(Overrides::default());
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut overrides = Overrides::parse(&text, &path.display().to_string(), diags);
    let reference = path.with_file_name(SDK_REFERENCE);
    if let Ok(text) = std::fs::read_to_string(&reference) {
        overrides.add_sdk_reference(&text, &reference.display().to_string(), diags);
    }
    Ok(overrides)
}

/// The official SDKs' verbs and paths, read beside the overrides file.
const SDK_REFERENCE: &str = "official-sdk-endpoints.json";

/// Prints the diagnostics and the summary line to stderr.
fn report(run: &Run, quiet: bool) {
    if !quiet {
        for group in run.diags.grouped() {
            eprintln!("{group}");
        }
    }
    eprintln!("{}", pipeline::summary(run));
    eprintln!("{}", pipeline::http_rules(&run.api));
}
