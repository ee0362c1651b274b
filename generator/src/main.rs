use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let docs = PathBuf::from(&args[1]);
    let diags = generator::diag::Diagnostics::default();
    let overrides = generator::lower::Overrides::default();
    let run = generator::pipeline::run(&docs, &overrides, diags).unwrap();
    println!("{}", serde_json::to_string_pretty(&run.api).unwrap());
    for d in run.diags.sorted() {
        eprintln!("{d}");
    }
    eprintln!("pages {} operations {} models {}", run.pages, run.api.operations.len(), run.api.models.len());
}
