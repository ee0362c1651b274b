//! Calls missing a required parameter do not compile: a query parameter, a
//! body field and an enum (`compile_fail/*.rs`, with the expected compiler
//! messages in the `.stderr` files; `TRYBUILD=overwrite` rewrites them after
//! a compiler change).

#[test]
fn calls_missing_a_required_parameter_do_not_compile() {
    trybuild::TestCases::new().compile_fail("sdk/compile_fail/*.rs");
}
