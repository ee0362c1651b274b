#![no_main]

use generator::diag::Diagnostics;
use generator::page::PageForm;
use generator::read::read_page;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    read_page("python/authentication/登录/fuzz.txt", PageForm::Text, data, &|_| None, &mut Diagnostics::default());
});
