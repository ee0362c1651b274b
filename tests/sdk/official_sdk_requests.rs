//! Wrapper, protocol and local-helper methods send exactly what the official
//! Python SDK (`authing` 5.1.0) sends for the same arguments. The
//! expectation is not written here: it is the SDK's recorded request in
//! `docs/official-sdk-endpoints.json` (extracted by
//! `tests/official-sdk/extract.py`), with its argument markers replaced by
//! this test's arguments and its client-setting markers by this client's.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use genauth::authentication::{
    BuildAuthorizeUrlRequest, BuildLogoutUrlRequest, GetAccessTokenByCodeRequest, IntrospectTokenRequest,
    RevokeTokenRequest, SignInByAccountPasswordRequest, SignInByAdRequest, SignInByEmailPassCodeRequest,
    SignInByEmailPasswordRequest, SignInByLdapRequest, SignInByPhonePassCodeRequest, SignInByPhonePasswordRequest,
    SignInByUsernamePasswordRequest, SignUpByEmailPassCodeRequest, SignUpByEmailPasswordRequest,
    SignUpByPhonePassCodeRequest, SignUpByUsernamePasswordRequest,
};
use genauth::{AuthenticationClient, TokenEndpointAuthMethod};
use serde_json::{Map, Value, json};

use crate::runtime_server::{APP_SECRET, Recorded, Reply, Server};

const REDIRECT_URI: &str = "https://app.example/callback";

/// What the Python SDK's `method` sends under client authentication `auth`.
struct Expected {
    verb: String,
    path: String,
    json: Option<Value>,
    form: Option<BTreeSet<(String, String)>>,
    query: Option<BTreeSet<(String, String)>>,
    authorization: Option<String>,
}

fn reference() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/official-sdk-endpoints.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("docs/official-sdk-endpoints.json"))
        .expect("the reference is JSON")
}

fn python_fact(method: &str, auth: &str) -> Value {
    let reference = reference();
    let fact = reference["python"]
        .as_array()
        .expect("python facts")
        .iter()
        .find(|f| f["client"] == "authentication" && f["name"] == method)
        .unwrap_or_else(|| panic!("the Python SDK has no `{method}`"))
        .clone();
    match fact.get("by_client_auth") {
        Some(by_auth) => by_auth[auth].clone(),
        None => fact,
    }
}

/// Replaces `{"arg": name}` by the argument (dropping it when not given,
/// as the SDK drops `None`) and the client-setting markers by ours.
fn fill(value: &Value, args: &Map<String, Value>) -> Option<Value> {
    match value {
        Value::Object(object) if object.len() == 1 && object.contains_key("arg") => {
            args.get(object["arg"].as_str().unwrap_or_default()).cloned()
        }
        Value::Object(object) => {
            Some(Value::Object(object.iter().filter_map(|(k, v)| Some((k.clone(), fill(v, args)?))).collect()))
        }
        Value::String(text) => Some(Value::String(
            text.replace("<app_id>", "app-1")
                .replace("<app_secret>", APP_SECRET)
                .replace("<redirect_uri>", REDIRECT_URI),
        )),
        other => Some(other.clone()),
    }
}

fn pairs(value: Option<Value>) -> Option<BTreeSet<(String, String)>> {
    let Value::Object(object) = value? else { return None };
    Some(object.into_iter().map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect())
}

fn expected(method: &str, auth: &str, args: Value) -> Expected {
    let args = args.as_object().cloned().unwrap_or_default();
    let fact = python_fact(method, auth);
    let request = &fact["requests"][0];
    Expected {
        verb: request["verb"].as_str().unwrap_or_default().to_owned(),
        path: request["path"].as_str().unwrap_or_default().to_owned(),
        json: request.get("json").and_then(|j| fill(j, &args)),
        form: pairs(request.get("form").and_then(|f| fill(f, &args))),
        query: None,
        authorization: request["authorization"].as_str().map(|a| {
            let credentials = fill(&json!(a), &args).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let inner = credentials.trim_start_matches("Basic base64(").trim_end_matches(')');
            format!("Basic {}", STANDARD.encode(inner))
        }),
    }
}

fn expected_url(method: &str, args: Value) -> Expected {
    let args = args.as_object().cloned().unwrap_or_default();
    let fact = python_fact(method, "client_secret_post");
    let url = &fact["local_url"];
    Expected {
        verb: String::new(),
        path: url["path"].as_str().unwrap_or_default().to_owned(),
        json: None,
        form: None,
        query: pairs(fill(&url["query"], &args)),
        authorization: None,
    }
}

fn form_pairs(text: &str) -> BTreeSet<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("percent escape"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("UTF-8")
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn assert_sent(request: &Recorded, expected: &Expected) {
    assert_eq!(request.method, expected.verb);
    assert_eq!(request.path, expected.path);
    assert_eq!(request.query, None);
    assert_eq!(request.header("x-authing-app-id"), Some("app-1"));
    assert_eq!(request.header("authorization").map(str::to_owned), expected.authorization);
    if let Some(json) = &expected.json {
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(&request.json(), json);
    }
    if let Some(form) = &expected.form {
        assert_eq!(request.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(&form_pairs(std::str::from_utf8(&request.body).expect("UTF-8 form")), form);
    }
}

async fn serve(auth: TokenEndpointAuthMethod, reply: Value) -> (Server, AuthenticationClient) {
    let server = Server::start(move |_| Reply::json(reply.clone())).await;
    let client = server.auth().token_endpoint_auth_method(auth).redirect_uri(REDIRECT_URI).build().unwrap();
    (server, client)
}

const AUTH_METHODS: [(TokenEndpointAuthMethod, &str); 3] = [
    (TokenEndpointAuthMethod::ClientSecretPost, "client_secret_post"),
    (TokenEndpointAuthMethod::ClientSecretBasic, "client_secret_basic"),
    (TokenEndpointAuthMethod::None, "none"),
];

fn object(value: Value) -> Option<Map<String, Value>> {
    value.as_object().cloned()
}

/// Calls `$method` with `$request` under each client authentication and
/// compares the request with the Python SDK's `$python` for `$args` (its
/// argument names).
macro_rules! assert_wrapper {
    ($python:literal, $args:expr, $method:ident, $request:expr) => {
        for (auth, name) in AUTH_METHODS {
            let reply = json!({ "statusCode": 200, "data": { "access_token": "at", "id_token": "it" } });
            let (server, client) = serve(auth, reply).await;
            client.$method(&$request).await.unwrap();
            let mut expected = expected($python, name, $args);
            if auth == TokenEndpointAuthMethod::ClientSecretBasic && expected.path == "/api/v3/signin" {
                // The Python SDK means to send HTTP Basic here but compares
                // the full URL with a list of paths and never does; the Node
                // SDK's client does, for /api/v3/signin, as for
                // sign_in_by_credentials.
                assert_eq!(expected.authorization, None);
                expected.authorization = Some(format!("Basic {}", STANDARD.encode(format!("app-1:{APP_SECRET}"))));
            }
            assert_sent(&server.last(), &expected);
        }
    };
}

#[tokio::test]
async fn sign_in_wrappers_post_the_signin_body_of_the_sdk() {
    let options = || object(json!({ "scope": "openid profile" }));
    let args = |pairs: Value| {
        let mut args = pairs;
        args["options"] = json!({ "scope": "openid profile" });
        args
    };
    assert_wrapper!(
        "sign_in_by_email_password",
        args(json!({ "email": "a@example.com", "password": "p ss&word" })),
        sign_in_by_email_password,
        SignInByEmailPasswordRequest {
            email: "a@example.com".into(),
            password: "p ss&word".into(),
            options: options()
        }
    );
    assert_wrapper!(
        "sign_in_by_phone_password",
        args(json!({ "phone": "188", "password": "pw" })),
        sign_in_by_phone_password,
        SignInByPhonePasswordRequest { phone: "188".into(), password: "pw".into(), options: options() }
    );
    assert_wrapper!(
        "sign_in_by_username_password",
        args(json!({ "username": "bob", "password": "pw" })),
        sign_in_by_username_password,
        SignInByUsernamePasswordRequest { username: "bob".into(), password: "pw".into(), options: options() }
    );
    assert_wrapper!(
        "sign_in_by_account_password",
        args(json!({ "account": "bob", "password": "pw" })),
        sign_in_by_account_password,
        SignInByAccountPasswordRequest { account: "bob".into(), password: "pw".into(), options: options() }
    );
    assert_wrapper!(
        "sign_in_by_email_passcode",
        args(json!({ "email": "a@example.com", "pass_code": "123456" })),
        sign_in_by_email_pass_code,
        SignInByEmailPassCodeRequest { email: "a@example.com".into(), pass_code: "123456".into(), options: options() }
    );
    assert_wrapper!(
        "sign_in_by_phone_passcode",
        args(json!({ "phone": "188", "pass_code": "123456", "phone_country_code": "+86" })),
        sign_in_by_phone_pass_code,
        SignInByPhonePassCodeRequest {
            phone: "188".into(),
            pass_code: "123456".into(),
            phone_country_code: Some("+86".into()),
            options: options(),
        }
    );
    assert_wrapper!(
        "sign_in_by_ldap",
        args(json!({ "sAMAccountName": "bob", "password": "pw" })),
        sign_in_by_ldap,
        SignInByLdapRequest { s_am_account_name: "bob".into(), password: "pw".into(), options: options() }
    );
    assert_wrapper!(
        "sign_in_by_ad",
        args(json!({ "sAMAccountName": "bob", "password": "pw" })),
        sign_in_by_ad,
        SignInByAdRequest { s_am_account_name: "bob".into(), password: "pw".into(), options: options() }
    );
}

#[tokio::test]
async fn sign_up_wrappers_post_the_signup_body_of_the_sdk() {
    let profile = || object(json!({ "nickname": "Z" }));
    assert_wrapper!(
        "sign_up_by_email_password",
        json!({ "email": "a@example.com", "password": "pw", "profile": { "nickname": "Z" } }),
        sign_up_by_email_password,
        SignUpByEmailPasswordRequest {
            email: "a@example.com".into(),
            password: "pw".into(),
            profile: profile(),
            options: None
        }
    );
    assert_wrapper!(
        "sign_up_by_username_password",
        json!({ "username": "bob", "password": "pw", "options": { "passwordEncryptType": "none" } }),
        sign_up_by_username_password,
        SignUpByUsernamePasswordRequest {
            username: "bob".into(),
            password: "pw".into(),
            profile: None,
            options: object(json!({ "passwordEncryptType": "none" })),
        }
    );
    assert_wrapper!(
        "sign_up_by_email_passcode",
        json!({ "email": "a@example.com", "pass_code": "123456" }),
        sign_up_by_email_pass_code,
        SignUpByEmailPassCodeRequest {
            email: "a@example.com".into(),
            pass_code: "123456".into(),
            profile: None,
            options: None
        }
    );
    // Sign-up sends no client credentials in any mode.
    assert_wrapper!(
        "sign_up_by_phone_passcode",
        json!({ "phone": "188xxxx8888", "pass_code": "123456", "phone_country_code": "+86", "profile": { "nickname": "Z" } }),
        sign_up_by_phone_pass_code,
        SignUpByPhonePassCodeRequest {
            phone: "188xxxx8888".into(),
            pass_code: "123456".into(),
            phone_country_code: Some("+86".into()),
            profile: profile(),
            options: None,
        }
    );
}

#[tokio::test]
async fn get_access_token_by_code_posts_the_token_form_of_the_sdk() {
    let tokens = json!({ "access_token": "at", "id_token": "it", "expires_in": 3600, "token_type": "Bearer" });
    let request = GetAccessTokenByCodeRequest { code: "c 1/é".into(), code_verifier: Some("v".repeat(43)) };
    let args = json!({ "code": "c 1/é", "code_verifier": "v".repeat(43) });
    for (method, name) in AUTH_METHODS {
        let (server, client) = serve(method, tokens.clone()).await;
        let response = client.get_access_token_by_code(&request).await.unwrap();
        assert_eq!(response.access_token, "at");
        assert_sent(&server.last(), &expected("get_access_token_by_code", name, args.clone()));
    }
}

#[tokio::test]
async fn introspect_token_posts_the_introspection_form_of_the_sdk() {
    for (method, name) in AUTH_METHODS {
        let (server, client) = serve(method, json!({ "active": true, "sub": "u1" })).await;
        let response = client.introspect_token(&IntrospectTokenRequest { token: "tok".into() }).await.unwrap();
        assert!(response.active);
        assert_sent(&server.last(), &expected("introspect_token", name, json!({ "token": "tok" })));
    }
}

#[tokio::test]
async fn revoke_token_posts_the_revocation_form_of_the_sdk_and_accepts_an_empty_answer() {
    for (method, name) in AUTH_METHODS {
        let server = Server::start(|_| Reply::text("text/plain", "")).await;
        let client = server.auth().token_endpoint_auth_method(method).build().unwrap();
        // The page's sample result is a bare `true`: the method returns it.
        let revoked: bool = client.revoke_token(&RevokeTokenRequest { token: "tok".into() }).await.unwrap();
        assert!(revoked);
        assert_sent(&server.last(), &expected("revoke_token", name, json!({ "token": "tok" })));
    }
}

#[tokio::test]
async fn build_authorize_url_is_the_sdk_url_and_sends_nothing() {
    let (server, client) = serve(TokenEndpointAuthMethod::ClientSecretPost, json!({})).await;
    let request = BuildAuthorizeUrlRequest {
        redirect_uri: Some("https://other.example/cb?x=1".into()),
        scope: Some("openid email".into()),
        response_type: None,
        response_mode: Some("form_post".into()),
        state: Some("s1".into()),
        nonce: Some("n1".into()),
    };
    let url = client.build_authorize_url(&request);
    let args = json!({ "redirect_uri": "https://other.example/cb?x=1", "scope": "openid email", "response_mode": "form_post", "state": "s1", "nonce": "n1" });
    let mut expected = expected_url("build_authorize_url", args);
    // The SDK fills an absent response type with its default.
    expected.query.get_or_insert_default().insert(("response_type".into(), "code".into()));
    let (path, query) = url.strip_prefix(&server.url).expect("on the host").split_once('?').expect("a query");
    assert_eq!(path, expected.path);
    assert_eq!(Some(form_pairs(query)), expected.query);
    assert!(server.requests().is_empty());

    // Without a redirect URI of its own, the configured one.
    let url = client.build_authorize_url(&BuildAuthorizeUrlRequest { redirect_uri: None, ..request });
    assert!(
        form_pairs(url.split_once('?').expect("a query").1).contains(&("redirect_uri".into(), REDIRECT_URI.into()))
    );
}

#[tokio::test]
async fn build_logout_url_is_the_sdk_url_and_sends_nothing() {
    let (server, client) = serve(TokenEndpointAuthMethod::ClientSecretPost, json!({})).await;
    let url = client.build_logout_url(&BuildLogoutUrlRequest {
        redirect_uri: Some("https://app.example/bye".into()),
        id_token: Some("idt".into()),
    });
    let expected =
        expected_url("build_logout_url", json!({ "redirect_uri": "https://app.example/bye", "id_token": "idt" }));
    let (path, query) = url.strip_prefix(&server.url).expect("on the host").split_once('?').expect("a query");
    assert_eq!(path, expected.path);
    assert_eq!(Some(form_pairs(query)), expected.query);
    assert!(server.requests().is_empty());
}
