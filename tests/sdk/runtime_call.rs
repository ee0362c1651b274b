//! Requests as sent by `AuthenticationClient::send`: verbs, paths, query,
//! body, headers, decoding.

use genauth::json::{self, FromJson, JsonError, Map};
use genauth::{AuthenticationClient, Call, Error, Language, Method, QueryValue, RetryPolicy};
use serde_json::{Value, json};

use crate::runtime_server::{Reply, Server};

/// Decoded the way generated models are: by hand, one field at a time.
#[derive(Debug, PartialEq)]
struct StatusResp {
    status_code: i64,
    data: StatusData,
}

#[derive(Debug, PartialEq)]
struct StatusData {
    status: String,
    ticket: Option<String>,
}

impl FromJson for StatusResp {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut map = json::object(value)?;
        Ok(StatusResp {
            status_code: json::field(map.remove("statusCode").unwrap_or_default(), "statusCode")?,
            data: json::field(map.remove("data").unwrap_or_default(), "data")?,
        })
    }
}

impl FromJson for StatusData {
    fn from_json(value: Value) -> Result<Self, JsonError> {
        let mut map = json::object(value)?;
        Ok(StatusData {
            status: json::field(map.remove("status").unwrap_or_default(), "status")?,
            ticket: json::field(map.remove("ticket").unwrap_or_default(), "ticket")?,
        })
    }
}

#[tokio::test]
async fn get_sends_path_and_encoded_query() {
    let server = Server::start(|_| {
        Reply::json(json!({
            "statusCode": 200,
            "message": "ok",
            "requestId": "r-1",
            "undocumented": [1, 2],
            "data": { "status": "PENDING", "briefUserInfo": { "photo": "x" } }
        }))
    })
    .await;
    let client = server.auth().build().unwrap();
    let none: Option<String> = None;
    let call = Call::new(Method::GET, "/api/v3/check-qrcode-status")
        .query("qrcodeId", &"a b&c=d/é".to_owned())
        .query("literal", "x")
        .query("missing", &none)
        .query("present", &Some(7i64))
        .query("tags", &vec!["t1", "t2"])
        .query("slice", &[1i32, 2][..])
        .query("nested", &Some(vec![true, false]))
        .query("flag", &true)
        .query("big", &u64::MAX)
        .query("ratio", &1.5f64)
        .query("whole", &2.0f64)
        .query("any", &json!({ "k": [1] }))
        .query("anyText", &json!("plain"))
        .query("anyNull", &Value::Null);

    let resp: StatusResp = client.send(call).await.unwrap();

    assert_eq!(resp, StatusResp { status_code: 200, data: StatusData { status: "PENDING".into(), ticket: None } });
    let request = server.last();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/api/v3/check-qrcode-status");
    assert_eq!(
        request.query.as_deref(),
        Some(
            "qrcodeId=a+b%26c%3Dd%2F%C3%A9&literal=x&present=7&tags=t1&tags=t2&slice=1&slice=2\
             &nested=true&nested=false&flag=true&big=18446744073709551615&ratio=1.5&whole=2\
             &any=%7B%22k%22%3A%5B1%5D%7D&anyText=plain"
        )
    );
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[tokio::test]
async fn no_query_means_no_question_mark() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let client = server.auth().build().unwrap();
    let _: Value = client.send(Call::new(Method::GET, "/api/v3/get-profile")).await.unwrap();
    assert_eq!(server.last().query, None);
}

#[test]
fn query_values_append_pairs() {
    let mut pairs = Vec::new();
    Some(vec![Some(1i32), None, Some(3)]).append_to("n", &mut pairs);
    (&&"deref").append_to("s", &mut pairs);
    3u32.append_to("u", &mut pairs);
    assert_eq!(
        pairs,
        vec![("n", "1".to_owned()), ("n", "3".to_owned()), ("s", "deref".to_owned()), ("u", "3".to_owned()),]
    );
}

#[tokio::test]
async fn post_sends_json_body() {
    let server = Server::start(|_| Reply::data(json!({ "ok": true }))).await;
    let client = server.auth().build().unwrap();
    let body = json!({ "email": "a@example.com", "options": { "scope": "openid" } });

    let resp: Value = client
        .send(Call::new(Method::POST, "/api/v3/update-profile").query("q", "1").json(&body).unwrap())
        .await
        .unwrap();

    assert_eq!(resp["data"]["ok"], true);
    let request = server.last();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/api/v3/update-profile");
    assert_eq!(request.query.as_deref(), Some("q=1"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), body);
}

#[tokio::test]
async fn body_sends_a_json_value() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let client = server.auth().build().unwrap();
    let body = json!({ "code": "admin", "options": { "tags": ["a", "ü"], "n": 1.5, "none": null } });

    let _: Value = client.send(Call::new(Method::POST, "/api/v3/create-role").body(body.clone())).await.unwrap();

    let request = server.last();
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), body);
    // Compact, as `json` writes it.
    assert_eq!(request.body, serde_json::to_vec(&body).unwrap());
}

#[tokio::test]
async fn own_serde_types_are_decoded_through_value() {
    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Mine {
        user_id: String,
        tags: Vec<String>,
    }
    let server = Server::start(|_| Reply::data(json!({ "userId": "u1", "tags": ["a"], "extra": 1 }))).await;
    let client = server.auth().build().unwrap();
    let mut body: Value = client.send(Call::new(Method::GET, "/api/v3/get-user")).await.unwrap();
    let mine: Mine = serde_json::from_value(body["data"].take()).unwrap();
    assert_eq!(mine, Mine { user_id: "u1".into(), tags: vec!["a".into()] });
}

#[tokio::test]
async fn other_verbs_are_sent_as_is() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let client = server.auth().build().unwrap();
    for method in [Method::PUT, Method::DELETE, Method::PATCH] {
        let _: Value = client.send(Call::new(method.clone(), "/api/v3/thing")).await.unwrap();
        assert_eq!(server.last().method, method.as_str());
    }
}

#[tokio::test]
async fn host_path_prefix_and_trailing_slash_are_kept() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let client = AuthenticationClient::builder(format!("{}/prefix/", server.url))
        .app_id("app-1")
        .app_secret("s")
        .build()
        .unwrap();
    let _: Value = client.send(Call::new(Method::GET, "/api/v3/get-profile")).await.unwrap();
    assert_eq!(server.last().path, "/prefix/api/v3/get-profile");
}

/// The version in the SDK's manifest, which the SDK must report.
fn sdk_version() -> &'static str {
    include_str!("../../generated/Cargo.toml")
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap()
}

#[tokio::test]
async fn authentication_headers_and_access_token() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let app = server.auth().language(Language::EnUs).build().unwrap();
    let call = || Call::new(Method::GET, "/api/v3/get-profile");

    let _: Value = app.send(call()).await.unwrap();
    let request = server.last();
    assert_eq!(request.header("x-authing-app-id"), Some("app-1"));
    assert_eq!(request.header("x-authing-lang"), Some("en-US"));
    assert_eq!(request.header("x-authing-request-from"), Some("sdk"));
    assert_eq!(request.header("x-authing-sdk-version"), Some(sdk_version()));
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.header("x-authing-userpool-id"), None);

    let mut user = app.clone();
    user.set_access_token("user-token-1");
    let _: Value = user.send(call()).await.unwrap();
    assert_eq!(server.last().header("authorization"), Some("user-token-1"));

    // The clone's token is its own.
    let _: Value = app.send(call()).await.unwrap();
    assert_eq!(server.last().header("authorization"), None);

    user.clear_access_token();
    let _: Value = user.send(call()).await.unwrap();
    assert_eq!(server.last().header("authorization"), None);
}

#[tokio::test]
async fn default_language_is_zh_cn() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let client = server.auth().build().unwrap();
    let _: Value = client.send(Call::new(Method::GET, "/api/v3/x")).await.unwrap();
    assert_eq!(server.last().header("x-authing-lang"), Some("zh-CN"));
}

#[tokio::test]
async fn custom_http_client_is_used() {
    let server = Server::start(|_| Reply::data(json!(null))).await;
    let mut headers = genauth::reqwest::header::HeaderMap::new();
    headers.insert("x-custom", "yes".parse().unwrap());
    let http = genauth::reqwest::Client::builder().default_headers(headers).build().unwrap();
    let client = server.auth().http_client(http).build().unwrap();
    let _: Value = client.send(Call::new(Method::GET, "/api/v3/x")).await.unwrap();
    let request = server.last();
    assert_eq!(request.header("x-custom"), Some("yes"));
    assert_eq!(request.header("x-authing-app-id"), Some("app-1"));
}

#[tokio::test]
async fn non_envelope_bodies_are_decoded_as_is() {
    let server = Server::start(|request| match request.path.as_str() {
        "/array" => Reply::json(json!([1, 2, 3])),
        _ => Reply::json(json!({ "access_token": "t", "expires_in": 60 })),
    })
    .await;
    let client = server.auth().build().unwrap();

    let numbers: Vec<i64> = client.send(Call::new(Method::GET, "/array")).await.unwrap();
    assert_eq!(numbers, [1, 2, 3]);

    let token: Map<String, Value> = client.send(Call::new(Method::POST, "/oidc/token")).await.unwrap();
    assert_eq!(token["expires_in"], 60);

    // Scalars, options and any JSON are decoded from the whole body too.
    let whole: Value = client.send(Call::new(Method::GET, "/array")).await.unwrap();
    assert_eq!(whole, json!([1, 2, 3]));
    let first: Option<Vec<String>> = client.send(Call::new(Method::GET, "/array")).await.unwrap();
    assert_eq!(first, Some(vec!["1".to_owned(), "2".to_owned(), "3".to_owned()]));
}

#[tokio::test]
async fn calls_can_be_spawned() {
    let server = Server::start(|_| Reply::data(json!(1))).await;
    let client = server.auth().build().unwrap();
    let task = tokio::spawn(async move { client.send::<Value>(Call::new(Method::GET, "/api/v3/x")).await });
    assert_eq!(task.await.unwrap().unwrap()["data"], 1);
}

#[test]
fn clients_are_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<AuthenticationClient>();
    check::<genauth::ManagementClient>();
    check::<Call>();
    check::<RetryPolicy>();
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    error::<Error>();
}

#[tokio::test]
async fn path_parameters_fill_their_segment_percent_encoded() {
    let server = Server::start(|_| Reply::data(json!(true))).await;
    let client = server.auth().build().unwrap();
    let call = Call::new(Method::DELETE, "/api/v3/users/{userId}/roles/{code}")
        .path_param("userId", "a b/c?d#e%f.g")
        .path_param("code", &vec![1, 2])
        .query("force", &true);
    assert_eq!(
        format!("{call:?}"),
        "Call { method: DELETE, path: \"/api/v3/users/{userId}/roles/{code}\", path_params: [\"userId\", \"code\"], \
         query: [\"force\"], body_len: None, idempotent: false }",
        "values stay out of Debug"
    );
    let _: Value = client.send(call).await.unwrap();
    let request = server.last();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, "/api/v3/users/a%20b%2Fc%3Fd%23e%25f.g/roles/1%2C2");
    assert_eq!(request.query.as_deref(), Some("force=true"));
}

#[tokio::test]
async fn path_parameters_that_no_segment_can_carry_are_refused_unsent() {
    let server = Server::start(|_| Reply::data(json!(true))).await;
    let client = server.auth().build().unwrap();
    for value in ["", ".", ".."] {
        let call = Call::new(Method::GET, "/api/v3/users/{userId}").path_param("userId", value);
        let error = client.send::<Value>(call).await.unwrap_err();
        assert!(matches!(&error, Error::Config(m) if m.contains("`userId`")), "{value:?}: {error:?}");
    }
    assert!(server.requests().is_empty());
}
