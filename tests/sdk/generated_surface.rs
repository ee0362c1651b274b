//! The generated call surface against a local server: paginated operations
//! streamed page by page in each request shape, and reads sent as `POST`
//! retried like `GET`s.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use genauth::Error;
use genauth::management::{CreateUserRequest, GetUserActionLogsRequest, ListRolesRequest, ListUsersRequest};
use genauth::models::{ListUsersOptionsDto, ListWebhooksDto, PaginationDto, RoleDto};
use serde_json::{Value, json};

use crate::runtime_management::{api_requests, builder, server};
use crate::runtime_retry::fast;
use crate::runtime_server::{Recorded, Reply};

/// The page number a request asks for, from its query or JSON body.
fn page_of(request: &Recorded) -> i64 {
    let query = request.query.as_deref().unwrap_or("");
    if let Some(page) = query.split('&').find_map(|pair| pair.strip_prefix("page=")) {
        return page.parse().unwrap();
    }
    let body = request.json();
    let page = body.pointer("/options/pagination/page").or(body.pointer("/pagination/page"));
    page.and_then(Value::as_i64).expect("no page number in the request")
}

/// Items `first..` of `total`, at most `limit`, named `prefix-N`.
fn items(prefix: &str, page: i64, limit: i64, total: i64, key: &str) -> Vec<Value> {
    let first = (page - 1) * limit;
    (first..(first + limit).min(total)).map(|n| json!({ key: format!("{prefix}-{n}") })).collect()
}

#[tokio::test]
async fn top_level_page_streams_every_item_and_stops_at_the_total_count() {
    let server = server(3600, Duration::ZERO, |request| {
        let page = page_of(request);
        Reply::data(json!({ "totalCount": 5, "list": items("role", page, 2, 5, "code") }))
    })
    .await;
    let management = builder(&server).build().unwrap();

    let mut roles = management.list_roles_pages(&ListRolesRequest::new().limit(2).namespace("default"));
    let mut codes = Vec::new();
    while let Some(role) = roles.next().await {
        let RoleDto { code, .. } = role.unwrap();
        codes.push(code);
    }

    assert_eq!(codes, ["role-0", "role-1", "role-2", "role-3", "role-4"]);
    let queries: Vec<String> = api_requests(&server).into_iter().map(|r| r.query.unwrap()).collect();
    // Three pages hold the five roles: no fourth request.
    assert_eq!(
        queries,
        ["page=1&limit=2&namespace=default", "page=2&limit=2&namespace=default", "page=3&limit=2&namespace=default"]
    );
    assert!(roles.next().await.is_none());
}

#[tokio::test]
async fn options_pagination_streams_until_an_empty_page() {
    // The total is wrong: the third page is empty and ends the stream.
    let server = server(3600, Duration::ZERO, |request| {
        let page = page_of(request);
        Reply::data(json!({ "totalCount": 100, "list": items("user", page, 2, 4, "userId") }))
    })
    .await;
    let management = builder(&server).build().unwrap();
    let options =
        ListUsersOptionsDto { pagination: Some(PaginationDto { page: Some(9), limit: Some(2) }), ..Default::default() };

    let users = management.list_users_pages(&ListUsersRequest::new().options(options)).collect().await.unwrap();

    let ids: Vec<&str> = users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["user-0", "user-1", "user-2", "user-3"]);
    let bodies: Vec<Value> = api_requests(&server).iter().map(Recorded::json).collect();
    // The request's own page number is replaced; its page size is kept.
    assert_eq!(
        bodies,
        [1, 2, 3].map(|page| json!({ "options": { "pagination": { "page": page, "limit": 2 } } })).to_vec()
    );
}

#[tokio::test]
async fn pagination_parameter_gives_pages_with_their_request_ids() {
    let server = server(3600, Duration::ZERO, |request| {
        let page = page_of(request);
        Reply::json(json!({
            "statusCode": 200,
            "requestId": format!("req-{page}"),
            "data": { "totalCount": 3, "list": items("log", page, 2, 3, "action") }
        }))
    })
    .await;
    let management = builder(&server).build().unwrap();
    // Without a `pagination` object in the request, the stream adds one.
    let mut pages = management.get_user_action_logs_pages(&GetUserActionLogsRequest::new());

    let first = pages.next_page().await.unwrap().unwrap();
    let second = pages.next_page().await.unwrap().unwrap();

    assert!(pages.next_page().await.is_none());
    assert_eq!((first.items.len(), first.total_count, first.request_id.as_deref()), (2, Some(3), Some("req-1")));
    assert_eq!((second.items.len(), second.request_id.as_deref()), (1, Some("req-2")));
    assert_eq!(second.items[0].action, "log-2");
    let bodies: Vec<Value> = api_requests(&server).iter().map(Recorded::json).collect();
    assert_eq!(bodies, [json!({ "pagination": { "page": 1 } }), json!({ "pagination": { "page": 2 } })]);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_after_its_error() {
    let server =
        server(3600, Duration::ZERO, |_| Reply::json(json!({ "statusCode": 400, "message": "bad page" }))).await;
    let management = builder(&server).build().unwrap();
    let request = GetUserActionLogsRequest::new().pagination(ListWebhooksDto { page: None, limit: Some(10) });
    let mut logs = management.get_user_action_logs_pages(&request);

    assert!(matches!(logs.next().await, Some(Err(Error::Api(_)))));
    assert!(logs.next().await.is_none());
    assert_eq!(api_requests(&server).len(), 1);
}

/// A server whose first answer to an API call is a 502.
async fn failing_once() -> (crate::runtime_server::Server, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = server(3600, Duration::ZERO, move |_| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::text("text/plain", "bad gateway").status(502)
        } else {
            Reply::data(json!({ "totalCount": 0, "list": [], "userId": "u1" }))
        }
    })
    .await;
    (server, calls)
}

#[tokio::test]
async fn a_read_sent_as_post_is_retried() {
    let (server, calls) = failing_once().await;
    let management = builder(&server).retry_policy(fast(3)).build().unwrap();

    let users = management.list_users(&ListUsersRequest::new()).await.unwrap();

    assert_eq!(users.total_count, 0);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(api_requests(&server).iter().all(|r| r.method == "POST" && r.path == "/api/v3/list-users"));
}

#[tokio::test]
async fn a_write_sent_as_post_is_not_retried() {
    let (server, calls) = failing_once().await;
    let management = builder(&server).retry_policy(fast(3)).build().unwrap();

    let error = management.create_user(&CreateUserRequest::new().username("bob")).await.unwrap_err();

    assert!(matches!(error, Error::Status(_)), "{error:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
