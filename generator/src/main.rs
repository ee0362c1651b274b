fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = std::path::Path::new(&args[1]);
    let bytes = std::fs::read(path).unwrap();
    let mut diags = generator::diag::Diagnostics::default();
    let form = generator::read::form_of(path).unwrap();
    let page = generator::read::read_page(&args[1], form, &bytes, &|t| generator::read::resolve_include(path, t), &mut diags);
    println!("{}", serde_json::to_string_pretty(&page).unwrap());
    for d in diags.sorted() { eprintln!("{d}"); }
}
