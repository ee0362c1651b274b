//! Freshly generated code on the wire, independent of the committed crate:
//! the crate generated from `tests/fixtures/path-parameter` (an override
//! path with a `{thingId}` segment, camelCase query parameters) calls a
//! one-shot HTTP server on loopback, which prints the request line it got.

use std::process::Command;

use crate::compile::api_workspace;
use crate::support::{repo, run};

/// The example program: serves one request, calls `get_thing`, prints the
/// request line and the decoded `thingId`.
const PROGRAM: &str = r##"
use std::io::{BufRead, BufReader, Write};

use wire_fixture::AuthenticationClient;
use wire_fixture::authentication::GetThingRequest;

fn main() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut header = String::new();
        while reader.read_line(&mut header).unwrap() > 2 {
            header.clear();
        }
        let body = r#"{"statusCode":200,"message":"ok","data":{"thingId":"thing-1"}}"#;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close";
        write!(&stream, "{head}\r\ncontent-length: {}\r\n\r\n{body}", body.len()).unwrap();
        request_line
    });
    let client = AuthenticationClient::builder(url).app_id("app").app_secret("secret").build().unwrap();
    let request = GetThingRequest::new("a b/c").with_details(true).page_size(5);
    let response = tokio::runtime::Runtime::new().unwrap().block_on(client.get_thing(&request)).unwrap();
    print!("{}", server.join().unwrap());
    println!("{}", response.thing_id);
}
"##;

#[test]
fn generated_method_fills_the_path_and_sends_wire_names_in_the_query() {
    let api = run(&repo().join("tests/fixtures/path-parameter")).api;
    let workspace = api_workspace("wire", &[("wire-fixture".to_string(), api)]);
    let examples = workspace.join("crates/wire-fixture/examples");
    std::fs::create_dir_all(&examples).expect("examples/");
    std::fs::write(examples.join("wire.rs"), PROGRAM).expect("examples/wire.rs");
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "wire-fixture", "--example", "wire"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", repo().join("target/generated-crates/target"))
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout, "GET /api/v3/things/a%20b%2Fc?withDetails=true&pageSize=5 HTTP/1.1\r\nthing-1\n");
}
