//! Times the generator's stages over a docs folder and prints a table.
//!
//! ```sh
//! cargo bench -p generator --bench pipeline -- [--docs DIR] [--runs N]
//! ```
//!
//! `--docs` defaults to the real corpus (`../shared/corpus/zh` beside the
//! checkout), else `docs/`. Each stage runs `--runs` times (default 5); the
//! table shows the median wall time, throughput over the page bytes, the
//! mean CPU time of all threads (wall time on an idle machine lies between
//! it and CPU time divided by the cores), and the peak resident memory of a
//! fresh process running the stages up to that one. For comparison, the same
//! Markdown files are parsed by a bare pulldown-cmark pass (text already in
//! memory, default options, every event consumed).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use generator::diag::Diagnostics;
use generator::emit::openapi;
use generator::emit::rust::{self, CrateKind};
use generator::lower::{self, Overrides};
use generator::page::{Page, PageForm};
use generator::pipeline;
use generator::read;
use generator::schema::Api;

// The same allocator as the generator binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    docs: PathBuf,
    runs: usize,
    /// Internal: run up to this stage once and print the peak memory.
    peak_of: Option<Stage>,
}

/// The rows of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    Read,
    Resolve,
    EmitRust,
    EmitOpenapi,
    Generate,
    Whole,
    Pulldown,
}

impl Stage {
    const ALL: [Stage; 7] = [
        Stage::Read,
        Stage::Resolve,
        Stage::EmitRust,
        Stage::EmitOpenapi,
        Stage::Generate,
        Stage::Whole,
        Stage::Pulldown,
    ];

    fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Resolve => "resolve",
            Stage::EmitRust => "emit-rust",
            Stage::EmitOpenapi => "emit-openapi",
            Stage::Generate => "generate",
            Stage::Whole => "whole",
            Stage::Pulldown => "pulldown",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Stage::Read => "read + parse pages",
            Stage::Resolve => "resolve (lower + merge)",
            Stage::EmitRust => "emit Rust",
            Stage::EmitOpenapi => "emit OpenAPI",
            Stage::Generate => "whole: pages → Rust",
            Stage::Whole => "whole: pages → Rust, OpenAPI",
            Stage::Pulldown => "bare pulldown-cmark",
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = repo.join("../shared/corpus/zh");
    let docs = if corpus.is_dir() { corpus } else { repo.join("docs") };
    let mut args = Args { docs, runs: 5, peak_of: None };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--docs" => {
                // `cargo bench` runs in `generator/`; paths may also be given
                // from the workspace root.
                let docs = PathBuf::from(iter.next().ok_or("--docs needs a value")?);
                args.docs = if docs.exists() { docs } else { repo.join(docs) };
            }
            "--runs" => {
                args.runs =
                    iter.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0).ok_or("--runs needs a number")?
            }
            "--peak-of" => {
                let name = iter.next().unwrap_or_default();
                args.peak_of = Some(Stage::ALL.into_iter().find(|s| s.name() == name).ok_or("unknown stage")?);
            }
            // `cargo bench` passes `--bench` to harness-less benches.
            "--bench" => {}
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(args)
}

/// Median wall time of `runs` calls, and their mean CPU time (all threads).
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Option<Duration>) {
    let mut times = Vec::with_capacity(runs);
    let cpu_start = cpu_time();
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        drop(out);
    }
    let cpu = cpu_start.zip(cpu_time()).map(|(start, end)| end.saturating_sub(start) / runs as u32);
    times.sort();
    (times[times.len() / 2], cpu)
}

/// User plus system time of this process so far, from `/proc/self/stat`
/// (clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesized command name; utime and stime are the
    // 14th and 15th of the whole line.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// `VmHWM` of this process: its peak resident set size, in bytes.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// Peak memory of a fresh process that runs the stages up to `stage` once.
/// A process of its own, because freed memory stays resident.
fn peak_of(docs: &Path, stage: Stage) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let out =
        std::process::Command::new(exe).arg("--docs").arg(docs).args(["--peak-of", stage.name()]).output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

fn overrides_of(docs: &Path) -> Overrides {
    match std::fs::read_to_string(docs.join("overrides.toml")) {
        Ok(text) => Overrides::parse(&text, "overrides.toml", &mut Diagnostics::default()),
        Err(_) => Overrides::default(),
    }
}

/// What `generate` does, without writing: pages → schema → Rust files.
fn generate(docs: &Path, overrides: &Overrides) -> Vec<rust::File> {
    let run = pipeline::run(docs, overrides, Diagnostics::default()).expect("docs folder is readable");
    let mut files = rust::emit(&run.api, CrateKind::Standalone);
    files.extend(rust::handwritten_files(&run.api));
    files
}

/// Pages → schema → Rust files and the OpenAPI document.
fn whole(docs: &Path, overrides: &Overrides) -> (Vec<rust::File>, String) {
    let run = pipeline::run(docs, overrides, Diagnostics::default()).expect("docs folder is readable");
    let mut files = rust::emit(&run.api, CrateKind::Standalone);
    files.extend(rust::handwritten_files(&run.api));
    (files, emit_openapi(&run.api))
}

fn emit_openapi(api: &Api) -> String {
    serde_json::to_string_pretty(&openapi::document(api)).unwrap_or_default()
}

/// Parses every text with pulldown-cmark and consumes the events.
fn bare_pulldown(texts: &[String]) -> usize {
    texts.iter().map(|text| pulldown_cmark::Parser::new(text).count()).sum()
}

/// The inputs every stage may need, prepared outside the timings.
struct Inputs {
    docs: PathBuf,
    overrides: Overrides,
    markdown: Vec<String>,
    pages: Vec<Page>,
    api: Api,
}

impl Inputs {
    /// Prepares what `stage` needs (all when `None`).
    fn new(docs: &Path, stage: Option<Stage>) -> Inputs {
        let wants = |stages: &[Stage]| stage.is_none_or(|s| stages.contains(&s));
        let overrides = overrides_of(docs);
        let markdown = if wants(&[Stage::Pulldown]) {
            let files = read::list_pages(docs).unwrap_or_default();
            files
                .iter()
                .filter(|f| f.form == PageForm::Markdown)
                .filter_map(|f| std::fs::read_to_string(&f.path).ok())
                .collect()
        } else {
            Vec::new()
        };
        let later = [Stage::Resolve, Stage::EmitRust, Stage::EmitOpenapi];
        let pages = if wants(&later) { read_pages(docs) } else { Vec::new() };
        let api = if wants(&later[1..]) {
            lower::lower(&pages, &overrides, &mut Diagnostics::default())
        } else {
            Api::default()
        };
        Inputs { docs: docs.to_path_buf(), overrides, markdown, pages, api }
    }

    /// Runs one stage; returns its output so that the work is not optimized away.
    fn run(&self, stage: Stage) -> Box<dyn std::any::Any> {
        match stage {
            Stage::Read => Box::new(read_pages(&self.docs)),
            Stage::Resolve => Box::new(lower::lower(&self.pages, &self.overrides, &mut Diagnostics::default())),
            Stage::EmitRust => Box::new(rust::emit(&self.api, CrateKind::Standalone)),
            Stage::EmitOpenapi => Box::new(emit_openapi(&self.api)),
            Stage::Generate => Box::new(generate(&self.docs, &self.overrides)),
            Stage::Whole => Box::new(whole(&self.docs, &self.overrides)),
            Stage::Pulldown => Box::new(bare_pulldown(&self.markdown)),
        }
    }
}

fn read_pages(docs: &Path) -> Vec<Page> {
    pipeline::read_pages(docs, &mut Diagnostics::default()).expect("docs folder is readable").1
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\nusage: cargo bench -p generator --bench pipeline -- [--docs DIR] [--runs N]");
            std::process::exit(2);
        }
    };
    let docs = &args.docs;
    if let Some(stage) = args.peak_of {
        let inputs = Inputs::new(docs, Some(stage));
        drop(inputs.run(stage));
        println!("{}", peak_memory().unwrap_or(0));
        return;
    }
    let files = read::list_pages(docs).unwrap_or_else(|e| panic!("cannot list {}: {e}", docs.display()));
    let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(&f.path).ok()).map(|m| m.len()).sum();
    let mb = bytes as f64 / 1e6;
    let inputs = Inputs::new(docs, None);
    println!(
        "docs: {} — {} pages ({} Markdown), {mb:.1} MB; median of {} runs",
        docs.display(),
        files.len(),
        inputs.markdown.len(),
        args.runs
    );
    println!("{:<30} {:>10} {:>9} {:>10} {:>10}", "stage", "median", "MB/s", "CPU", "peak RSS");
    let mut times = Vec::new();
    for stage in Stage::ALL {
        if stage == Stage::Pulldown && inputs.markdown.is_empty() {
            continue;
        }
        let (time, cpu) = measure(args.runs, || inputs.run(stage));
        let cpu = cpu.map_or("-".to_string(), |c| format!("{:.0} ms", c.as_secs_f64() * 1e3));
        let ms = time.as_secs_f64() * 1e3;
        let rate = mb / time.as_secs_f64();
        let peak = peak_of(docs, stage).map_or("-".to_string(), |p| format!("{:.0} MB", p as f64 / 1e6));
        println!("{:<30} {ms:>7.1} ms {rate:>9.1} {cpu:>10} {peak:>10}", stage.label());
        times.push((stage, time.as_secs_f64()));
    }
    let time_of = |stage| times.iter().find(|(s, _)| *s == stage).map(|(_, t)| *t);
    if let (Some(generate), Some(whole), Some(bare)) =
        (time_of(Stage::Generate), time_of(Stage::Whole), time_of(Stage::Pulldown))
    {
        println!("whole / bare pulldown-cmark: {:.1}× (Rust), {:.1}× (Rust, OpenAPI)", generate / bare, whole / bare);
    }
}
