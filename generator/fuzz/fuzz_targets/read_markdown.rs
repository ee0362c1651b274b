#![no_main]

use generator::diag::Diagnostics;
use generator::page::PageForm;
use generator::read::read_page;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Includes resolve to their own target text, so expansion is exercised too.
    let includes = |target: &str| target.len().is_multiple_of(2).then(|| target.replace(';', "\n"));
    read_page("python/authentication/登录/fuzz.md", PageForm::Markdown, data, &includes, &mut Diagnostics::default());
});
