//! The QR-code login flow against a server scripted with a sequence of
//! statuses.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use genauth::models::QrCodeStatusBriefUserInfoDto;
use genauth::qr_login::{QrCodeStatus, QrLogin, QrLoginError, QrLoginEvent};
use genauth::{AuthenticationClient, Error};
use serde_json::{Value, json};

use crate::runtime_server::{APP_SECRET, Reply, Server, sample_token_set, sample_tokens};

const STATUS_PATH: &str = "/api/v3/check-qrcode-status";
const EXCHANGE_PATH: &str = "/api/v3/exchange-tokenset-with-qrcode-ticket";
const INTERVAL: Duration = Duration::from_millis(5);

/// A status response envelope.
fn status(status: &str) -> Value {
    json!({ "statusCode": 200, "message": "ok", "data": { "status": status } })
}

/// A status response with the user's brief info, and more `data` fields.
fn status_with_user(status: &str, more: Value) -> Value {
    let mut body = self::status(status);
    body["data"]["briefUserInfo"] = json!({ "displayName": "Zhang San", "photo": "https://example.com/a.png" });
    for (key, value) in more.as_object().unwrap() {
        body["data"][key] = value.clone();
    }
    body
}

fn user() -> Option<QrCodeStatusBriefUserInfoDto> {
    Some(QrCodeStatusBriefUserInfoDto { display_name: "Zhang San".into(), photo: "https://example.com/a.png".into() })
}

/// Answers status requests with `script` in turn, repeating its last entry,
/// and the ticket exchange with `exchange`.
async fn scripted(script: Vec<Value>, exchange: Value) -> Server {
    let polls = AtomicUsize::new(0);
    Server::start(move |request| match request.path.as_str() {
        STATUS_PATH => {
            let index = polls.fetch_add(1, Ordering::SeqCst).min(script.len() - 1);
            Reply::json(script[index].clone())
        }
        EXCHANGE_PATH => Reply::json(exchange.clone()),
        _ => Reply::text("text/plain", "not found").status(404),
    })
    .await
}

fn exchanged() -> Value {
    json!({ "statusCode": 200, "message": "ok", "data": sample_token_set() })
}

fn login(server: &Server) -> QrLogin {
    let client: AuthenticationClient = server.auth().build().unwrap();
    QrLogin::new(&client, "qr-1").interval(INTERVAL).timeout(Duration::from_secs(10))
}

/// Every event until the end.
async fn events(login: &mut QrLogin) -> Vec<QrLoginEvent> {
    let mut events = Vec::new();
    while let Some(event) = login.next().await.unwrap() {
        events.push(event);
    }
    events
}

fn changed(status: QrCodeStatus, user: Option<QrCodeStatusBriefUserInfoDto>) -> QrLoginEvent {
    QrLoginEvent::Status { status, user }
}

#[tokio::test]
async fn one_event_per_change_then_the_ticket_is_exchanged() {
    let server = scripted(
        vec![
            status("PENDING"),
            status("PENDING"),
            status_with_user("SCANNED", json!({})),
            status_with_user("AUTHORIZED", json!({ "ticket": "ticket-1" })),
        ],
        exchanged(),
    )
    .await;
    let mut login = login(&server);
    let started = Instant::now();

    // In a task: the login is `Send + 'static`.
    let (events, mut login) = tokio::spawn(async move { (events(&mut login).await, login) }).await.unwrap();

    assert_eq!(
        events,
        [
            changed(QrCodeStatus::Pending, None),
            changed(QrCodeStatus::Scanned, user()),
            QrLoginEvent::Authorized { user: user(), tokens: sample_tokens() },
        ]
    );
    assert!(started.elapsed() >= 3 * INTERVAL, "polls are an interval apart");
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    for poll in &requests[..4] {
        assert_eq!((poll.method.as_str(), poll.path.as_str()), ("GET", STATUS_PATH));
        assert_eq!(poll.query.as_deref(), Some("qrcodeId=qr-1"));
    }
    let exchange = &requests[4];
    assert_eq!((exchange.method.as_str(), exchange.path.as_str()), ("POST", EXCHANGE_PATH));
    assert_eq!(exchange.json(), json!({ "ticket": "ticket-1", "client_id": "app-1", "client_secret": APP_SECRET }));

    // Finished: nothing more is sent.
    assert_eq!(login.next().await.unwrap(), None);
    assert_eq!(server.requests().len(), 5);
}

#[tokio::test]
async fn a_token_set_in_the_status_is_used_without_exchange() {
    let server = scripted(
        vec![
            status("SCANNED"),
            status_with_user("AUTHORIZED", json!({ "ticket": "t", "tokenSet": sample_token_set() })),
        ],
        exchanged(),
    )
    .await;

    let events = events(&mut login(&server)).await;

    assert_eq!(
        events,
        [changed(QrCodeStatus::Scanned, None), QrLoginEvent::Authorized { user: user(), tokens: sample_tokens() }]
    );
    assert_eq!(server.hits(EXCHANGE_PATH), 0);
}

#[tokio::test]
async fn cancelled_expired_and_error_end_the_login() {
    for (wire, last) in [
        ("CANCELLED", changed(QrCodeStatus::Cancelled, user())),
        ("EXPIRED", changed(QrCodeStatus::Expired, user())),
        ("ERROR", changed(QrCodeStatus::Error, user())),
    ] {
        // The script would authorize next: it must not be asked.
        let script = vec![
            status("PENDING"),
            status_with_user(wire, json!({})),
            status_with_user("AUTHORIZED", json!({ "ticket": "t" })),
        ];
        let server = scripted(script, exchanged()).await;
        let mut login = login(&server);

        let events = events(&mut login).await;

        assert_eq!(events, [changed(QrCodeStatus::Pending, None), last], "{wire}");
        assert_eq!(login.next().await.unwrap(), None, "{wire}");
        assert_eq!(server.hits(STATUS_PATH), 2, "{wire}");
        assert_eq!(server.hits(EXCHANGE_PATH), 0, "{wire}");
    }
}

#[tokio::test]
async fn unknown_statuses_are_reported_and_polling_goes_on() {
    let server = scripted(
        vec![
            status("PENDING"),
            status("WAITING_FOR_MFA"),
            status("WAITING_FOR_MFA"),
            status_with_user("AUTHORIZED", json!({ "ticket": "t" })),
        ],
        exchanged(),
    )
    .await;

    let events = events(&mut login(&server)).await;

    assert_eq!(
        events,
        [
            changed(QrCodeStatus::Pending, None),
            changed(QrCodeStatus::Unknown("WAITING_FOR_MFA".into()), None),
            QrLoginEvent::Authorized { user: user(), tokens: sample_tokens() },
        ]
    );
}

#[tokio::test]
async fn the_deadline_ends_the_wait() {
    let server = scripted(vec![status("PENDING")], exchanged()).await;
    let timeout = Duration::from_millis(50);
    let mut login = login(&server).timeout(timeout);
    let started = Instant::now();

    assert_eq!(login.next().await.unwrap(), Some(changed(QrCodeStatus::Pending, None)));
    let error = login.next().await.unwrap_err();

    let elapsed = started.elapsed();
    assert!(elapsed >= timeout && elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert!(matches!(error, QrLoginError::DeadlineExceeded(after) if after == timeout), "{error:?}");
    assert_eq!(error.to_string(), "the QR-code login did not finish within 50ms");
    assert!(server.hits(STATUS_PATH) >= 2);
    // Still past the deadline: no more requests.
    let polls = server.hits(STATUS_PATH);
    assert!(matches!(login.next().await, Err(QrLoginError::DeadlineExceeded(_))));
    assert_eq!(server.hits(STATUS_PATH), polls);
}

#[tokio::test]
async fn the_deadline_cuts_a_hanging_status_request() {
    let server = Server::start(|_| Reply::json(status("PENDING")).delay(Duration::from_secs(30))).await;
    let started = Instant::now();

    let error = login(&server).timeout(Duration::from_millis(100)).next().await.unwrap_err();

    assert!(matches!(error, QrLoginError::DeadlineExceeded(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_failed_poll_is_an_error_and_next_polls_again() {
    let refused = json!({ "statusCode": 400, "message": "二维码不存在", "apiCode": 2004, "data": null });
    let server = scripted(vec![refused, status("PENDING")], exchanged()).await;
    let mut login = login(&server);

    let error = login.next().await.unwrap_err();

    let QrLoginError::Request(Error::Api(api)) = &error else { panic!("{error:?}") };
    assert_eq!((api.status_code, api.api_code), (400, Some(2004)));
    assert_eq!(error.to_string(), "API error 400 (apiCode 2004): 二维码不存在");
    assert_eq!(login.next().await.unwrap(), Some(changed(QrCodeStatus::Pending, None)));
}

#[tokio::test]
async fn an_authorization_without_ticket_is_an_error() {
    let server = scripted(vec![status("AUTHORIZED")], exchanged()).await;

    let error = login(&server).next().await.unwrap_err();

    assert!(matches!(error, QrLoginError::MissingTicket), "{error:?}");
    assert_eq!(server.hits(EXCHANGE_PATH), 0);
}

#[tokio::test]
async fn a_refused_exchange_is_an_api_error() {
    let refused = json!({ "statusCode": 400, "message": "ticket 无效", "requestId": "req-2" });
    let server = scripted(vec![status_with_user("AUTHORIZED", json!({ "ticket": "used" }))], refused).await;

    let error = login(&server).next().await.unwrap_err();

    let QrLoginError::Request(Error::Api(api)) = &error else { panic!("{error:?}") };
    assert_eq!(api.message, "ticket 无效");
    assert_eq!(api.request_id.as_deref(), Some("req-2"));
    assert_eq!(server.hits(EXCHANGE_PATH), 1);
}

#[tokio::test]
async fn a_malformed_token_set_is_a_decode_error_with_its_path() {
    let malformed = json!({ "statusCode": 200, "data": { "token_type": "bearer", "expire_in": "soon" } });
    let server = scripted(vec![status_with_user("AUTHORIZED", json!({ "ticket": "t" }))], malformed).await;

    let error = login(&server).next().await.unwrap_err();

    let QrLoginError::Request(Error::Decode(decode)) = &error else { panic!("{error:?}") };
    assert_eq!(decode.path, "data.expire_in");
}
