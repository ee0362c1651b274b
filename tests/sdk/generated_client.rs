//! The generated `AuthenticationClient` methods against a local server:
//! what they send, and how the documented responses decode.

use genauth::authentication::{CheckQrCodeStatusRequest, GeneFastpassQrcodeInfoRequest};
use genauth::json::{Map, ToJson};
use genauth::models::{
    CheckQrCodeStatusDataDto, CheckQrCodeStatusRespDto, FastpassUserInfoDto, GeneFastpassQrCodeInfoDto,
    QrCodeStatusBriefUserInfoDto, SignInFastpassOptionsDto, Status,
};
use genauth::{AuthenticationClient, Error};
use serde_json::{Value, json};

use crate::runtime_server::{Reply, Server, sample_token_set, sample_tokens};

/// The sample result of docs/check-qrcode-status.page.txt made valid: the
/// page puts the field's description, unquoted quotes included, where the
/// `briefUserInfo` object belongs.
fn check_qrcode_status_sample() -> Value {
    json!({
        "statusCode": 200,
        "message": "Operation successful",
        "requestId": "934108e5-9fbf-4d24-8da1-c330328abd6c",
        "data": {
            "status": "PENDING",
            "briefUserInfo": { "displayName": "Zhang San", "photo": "https://files.authing.co/avatar.png" },
            "tokenSet": sample_token_set()
        }
    })
}

/// The sample result of docs/gene-fastpass-qrcode-info.md, as is.
fn gene_fastpass_qrcode_info_sample() -> Value {
    json!({
        "statusCode": 200,
        "message": "Success",
        "requestId": "934108e5-9fbf-4d24-8da1-c330328abd6c",
        "data": {
            "qrcodeId": "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX",
            "apiHost": "https://example.genauth.ai",
            "user": {},
            "userpool": {}
        }
    })
}

async fn serve(body: Value) -> (Server, AuthenticationClient) {
    let server = Server::start(move |_| Reply::json(body.clone())).await;
    let client = server.auth().build().unwrap();
    (server, client)
}

fn check(qrcode_id: &str) -> CheckQrCodeStatusRequest {
    CheckQrCodeStatusRequest::new(qrcode_id)
}

#[tokio::test]
async fn check_qr_code_status_gets_with_the_id_in_the_query() {
    let (server, client) = serve(check_qrcode_status_sample()).await;

    let response = client.check_qr_code_status(&check("qr 1&x=é")).await.unwrap();

    let request = server.last();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/api/v3/check-qrcode-status");
    assert_eq!(request.query.as_deref(), Some("qrcodeId=qr+1%26x%3D%C3%A9"));
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
    // The call returns the envelope's `data`; the request id stays reachable.
    assert_eq!(response.request_id(), Some("934108e5-9fbf-4d24-8da1-c330328abd6c"));
    let data = response.into_inner();
    assert_eq!(
        data,
        CheckQrCodeStatusDataDto {
            status: Status::Pending,
            ticket: None,
            brief_user_info: Some(QrCodeStatusBriefUserInfoDto {
                display_name: "Zhang San".into(),
                photo: "https://files.authing.co/avatar.png".into(),
            }),
            token_set: Some(sample_tokens()),
        }
    );
    // Encoding gives the sample back: wire names, no `null` for absent options.
    assert_eq!(data.to_json(), check_qrcode_status_sample()["data"]);
}

#[tokio::test]
async fn gene_fastpass_qrcode_info_posts_the_nested_options() {
    let (server, client) = serve(gene_fastpass_qrcode_info_sample()).await;
    let mut context = Map::new();
    context.insert("source".into(), json!("utm"));
    let mut custom_data = Map::new();
    custom_data.insert("school".into(), json!("pku"));
    custom_data.insert("age".into(), json!("20"));
    let request = GeneFastpassQrcodeInfoRequest::new().options(SignInFastpassOptionsDto {
        scope: Some("openid profile".into()),
        context: Some(context),
        custom_data: Some(custom_data),
    });

    let response = client.gene_fastpass_qrcode_info(&request).await.unwrap();

    let sent = server.last();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/api/v3/gene-fastpass-qrcode-info");
    assert_eq!(sent.query, None);
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(
        sent.json(),
        json!({
            "options": {
                "scope": "openid profile",
                "context": { "source": "utm" },
                "customData": { "school": "pku", "age": "20" }
            }
        })
    );
    // Not a token-exchange endpoint: no client credentials are added.
    assert_eq!(sent.header("authorization"), None);
    // The sample leaves out required fields and has empty objects: defaults.
    assert_eq!(
        response.into_inner(),
        GeneFastpassQrCodeInfoDto {
            scene: String::new(),
            qrcode_id: "gQE-8TwAAAAAAAAAAS5odHRwOi8vd2VpeGluLnFxLmNvbS9xLzAyMGJjX".into(),
            api_host: "https://example.genauth.ai".into(),
            user: FastpassUserInfoDto::default(),
            app_id: String::new(),
            userpool: FastpassUserInfoDto::default(),
        }
    );
}

#[tokio::test]
async fn absent_options_are_left_out_of_the_body() {
    let (server, client) = serve(gene_fastpass_qrcode_info_sample()).await;
    let mut user = client.clone();
    user.set_access_token("user-token");

    user.gene_fastpass_qrcode_info(&GeneFastpassQrcodeInfoRequest::new()).await.unwrap();
    let partial = GeneFastpassQrcodeInfoRequest::new()
        .options(SignInFastpassOptionsDto { scope: Some("openid".into()), ..Default::default() });
    user.gene_fastpass_qrcode_info(&partial).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].json(), json!({}));
    assert_eq!(requests[0].header("authorization"), Some("user-token"));
    assert_eq!(requests[1].json(), json!({ "options": { "scope": "openid" } }));
}

#[tokio::test]
async fn unknown_status_values_are_kept() {
    let (_server, client) =
        serve(json!({ "statusCode": 200, "message": "ok", "data": { "status": "WAITING_FOR_MFA" } })).await;

    let status = client.check_qr_code_status(&check("q")).await.unwrap().into_inner().status;

    assert_eq!(status, Status::Unknown("WAITING_FOR_MFA".into()));
    assert_eq!(status.as_str(), "WAITING_FOR_MFA");
    assert_eq!(status.to_string(), "WAITING_FOR_MFA");
    assert_eq!(status.to_json(), json!("WAITING_FOR_MFA"));
}

#[tokio::test]
async fn every_documented_status_has_its_variant() {
    let statuses = [
        ("PENDING", Status::Pending),
        ("SCANNED", Status::Scanned),
        ("AUTHORIZED", Status::Authorized),
        ("CANCELLED", Status::Cancelled),
        ("EXPIRED", Status::Expired),
        ("ERROR", Status::Error),
    ];
    // The server answers with the status named by the QR code id.
    let server = Server::start(|request| {
        let wire = request.query.as_deref().unwrap().trim_start_matches("qrcodeId=").to_owned();
        Reply::data(json!({ "status": wire }))
    })
    .await;
    let client = server.auth().build().unwrap();
    for (wire, variant) in statuses {
        let status = client.check_qr_code_status(&check(wire)).await.unwrap().into_inner().status;
        assert_eq!(status, variant);
        assert_eq!(status.as_str(), wire);
    }
}

#[tokio::test]
async fn missing_required_fields_take_their_defaults() {
    // No `message`; `data` lacks the required `status`, and `briefUserInfo`
    // its required `displayName`.
    let (_server, client) =
        serve(json!({ "statusCode": 200, "data": { "briefUserInfo": { "photo": "p.png" } } })).await;

    let response = client.check_qr_code_status(&check("q")).await.unwrap();

    assert_eq!(response.request_id(), None);
    assert_eq!(response.status, Status::Unknown(String::new()));
    assert_eq!(
        response.brief_user_info,
        Some(QrCodeStatusBriefUserInfoDto { display_name: String::new(), photo: "p.png".into() })
    );
    assert_eq!(response.token_set, None);

    // A body without `data` at all gives the default data.
    let (_server, client) = serve(json!({ "statusCode": 200 })).await;
    let response = client.check_qr_code_status(&check("q")).await.unwrap();
    assert_eq!(response.into_inner(), CheckQrCodeStatusDataDto::default());
}

#[tokio::test]
async fn a_field_of_the_wrong_shape_fails_with_its_path() {
    let (_server, client) = serve(json!({
        "statusCode": 200,
        "data": { "status": "AUTHORIZED", "tokenSet": { "token_type": "bearer", "expire_in": [7200] } }
    }))
    .await;

    let error = client.check_qr_code_status(&check("q")).await.unwrap_err();

    let Error::Decode(decode) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "data.tokenSet.expire_in");
    assert_eq!(decode.message, "expected an integer, found an array");
}

#[tokio::test]
async fn api_errors_of_generated_methods_are_typed() {
    let (_server, client) = serve(json!({
        "statusCode": 400,
        "message": "二维码不存在",
        "apiCode": 2004,
        "requestId": "req-1",
        "data": null
    }))
    .await;

    let error = client.check_qr_code_status(&check("nope")).await.unwrap_err();

    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!((api.status_code, api.api_code, api.message.as_str()), (400, Some(2004), "二维码不存在"));
    assert_eq!(api.request_id.as_deref(), Some("req-1"));
}

/// The models' own `Deserialize` decodes straight from the text, with the
/// leniency of `FromJson` and the same result.
#[test]
fn models_deserialize_directly_like_from_json() {
    use genauth::json::FromJson;
    let sample = check_qrcode_status_sample();
    let direct: CheckQrCodeStatusRespDto = serde_json::from_str(&sample.to_string()).unwrap();
    assert_eq!(direct, CheckQrCodeStatusRespDto::from_json(sample).unwrap());
    // null and missing fields take their defaults; unknown ones are ignored.
    let lenient: CheckQrCodeStatusRespDto =
        serde_json::from_str(r#"{"statusCode": "200", "data": {"status": null, "extra": [1]}, "more": {}}"#).unwrap();
    assert_eq!(lenient.status_code, 200);
    assert_eq!(lenient.data.status, Status::Unknown(String::new()));
    let error = serde_json::from_str::<CheckQrCodeStatusRespDto>(r#"{"statusCode": [1]}"#).unwrap_err();
    assert!(error.to_string().starts_with("expected an integer, found an array"), "{error}");
}
