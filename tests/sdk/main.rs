//! Tests of the generated SDK against a local HTTP server.

mod compile_fail;
mod generated_client;
mod generated_surface;
mod official_sdk_requests;
mod qr_login;
mod runtime_call;
mod runtime_client_auth;
mod runtime_errors;
mod runtime_json;
mod runtime_management;
mod runtime_retry;
mod runtime_secrets;
mod runtime_server;
