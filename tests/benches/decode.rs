//! Decoding speed and peak memory of the generated models against a
//! `#[derive(Deserialize)]` twin of the same types, on a list-users
//! response of 10,000 users (about 20 MB).
//!
//! ```sh
//! cargo bench -p integration-tests --bench decode
//! cargo bench -p integration-tests --bench decode -- --users 10000 --runs 7 --rounds 9
//! ```
//!
//! Each decoder runs in a process of its own (this binary, run again with
//! `--decoder NAME`), so that its peak memory (`VmHWM`) is its own: the
//! input text plus what decoding it takes. Release build, system allocator.
//! A process decodes `--runs` times and reports its median; the decoders'
//! processes take turns for `--rounds` rounds, and each figure is the
//! median over the rounds. Decoding is timed apart from dropping the
//! result, which is reported on its own. The decoders:
//!
//! * `generated`: `serde_json::from_str` into the generated
//!   `UserPaginatedRespDto` (its plain-code `Deserialize`);
//! * `twin`: `serde_json::from_str` into the derive twin below;
//! * `send`: what a client does with a response body: a skim of the
//!   envelope (`statusCode`, `requestId`), then the generated decode;
//! * `value`: `serde_json::Value` first, then `FromJson`, as responses
//!   were decoded before the models had their own `Deserialize`.

#![recursion_limit = "256"]

use std::process::Command;
use std::time::Instant;

use genauth::json::FromJson;
use genauth::models::UserPaginatedRespDto;
use serde::de::IgnoredAny;
use serde_json::{Map, Value, json};

const DECODERS: [&str; 4] = ["generated", "twin", "send", "value"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let users: usize = option("--users").and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let runs: usize = option("--runs").and_then(|n| n.parse().ok()).unwrap_or(7);
    let rounds: usize = option("--rounds").and_then(|n| n.parse().ok()).unwrap_or(5);
    if let Some(decoder) = option("--decoder") {
        return measure(&decoder, users, runs);
    }
    let exe = std::env::current_exe().expect("the bench binary");
    // Rounds interleave the decoders, so that a slow spell of a shared
    // machine falls on all of them rather than on one.
    let mut figures: Vec<Vec<[f64; 3]>> = vec![Vec::new(); DECODERS.len()];
    for _ in 0..rounds {
        for (decoder, figures) in DECODERS.iter().zip(&mut figures) {
            let output = Command::new(&exe)
                .args(["--decoder", decoder, "--users", &users.to_string(), "--runs", &runs.to_string()])
                .output()
                .expect("run the bench binary");
            assert!(output.status.success(), "{decoder}: {}", String::from_utf8_lossy(&output.stderr));
            let line = String::from_utf8_lossy(&output.stdout).to_string();
            let fields: Vec<f64> = line.split_whitespace().filter_map(|field| field.parse().ok()).collect();
            figures.push([fields[0], fields[1], fields[2]]);
        }
    }
    let megabytes = response(users).len() as f64 / 1e6;
    println!("{users} users, {megabytes:.1} MB of JSON; medians of {rounds} processes x {runs} runs");
    println!("decoder      decode MB/s   peak RSS   drop of the result");
    let medians: Vec<[f64; 3]> =
        figures.iter().map(|figures| std::array::from_fn(|i| median(figures.iter().map(|f| f[i]).collect()))).collect();
    for (decoder, [speed, memory, drop]) in DECODERS.iter().zip(&medians) {
        println!("{decoder:<12} {speed:>11.1}   {memory:>5.1} MB   {drop:>6.1} ms");
    }
    let (generated, twin) = (medians[0], medians[1]);
    println!(
        "generated / twin: {:.2}x the decode speed (target >= 0.8x), {:.2}x the peak memory (target <= 1.3x)",
        generated[0] / twin[0],
        generated[1] / twin[1]
    );
    let with_drop = |[speed, _, drop]: [f64; 3]| megabytes / (megabytes / speed + drop / 1e3);
    println!(
        "decode and drop: generated {:.1} MB/s, twin {:.1} MB/s, {:.2}x",
        with_drop(generated),
        with_drop(twin),
        with_drop(generated) / with_drop(twin)
    );
}

fn median(mut figures: Vec<f64>) -> f64 {
    figures.sort_by(f64::total_cmp);
    figures[figures.len() / 2]
}

/// Decodes the response `runs` times with one decoder and prints its
/// median throughput and this process's peak memory. Only decoding is
/// timed: each result is dropped after the clock stops.
fn measure(decoder: &str, users: usize, runs: usize) {
    let text = response(users);
    let megabytes = text.len() as f64 / 1e6;
    let (mut times, mut drops) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let decoded = match decoder {
            "generated" => serde_json::from_str::<UserPaginatedRespDto>(&text).map(Decoded::Generated),
            "twin" => serde_json::from_str::<twin::UserPaginatedRespDto>(&text).map(Decoded::Twin),
            // What a client's `send_data` does: a skim of the envelope for
            // `statusCode` and `requestId`, then `data` decoded from the text.
            "send" => serde_json::from_str::<IgnoredAny>(&text)
                .and_then(|_| serde_json::from_str::<UserPaginatedRespDto>(&text))
                .map(Decoded::Generated),
            "value" => serde_json::from_str::<Value>(&text)
                .map(|v| Decoded::Generated(UserPaginatedRespDto::from_json(v).expect("decodes"))),
            other => panic!("unknown decoder `{other}`"),
        };
        times.push(start.elapsed().as_secs_f64());
        let decoded = decoded.expect("decodes");
        assert_eq!(decoded.users(), users, "{decoder}");
        let start = Instant::now();
        drop(decoded);
        drops.push(start.elapsed().as_secs_f64());
    }
    println!("{:.1} {:.1} {:.1}", megabytes / median(times), peak_rss_mb(), median(drops) * 1e3);
}

enum Decoded {
    Generated(UserPaginatedRespDto),
    Twin(twin::UserPaginatedRespDto),
}

impl Decoded {
    fn users(&self) -> usize {
        match self {
            Decoded::Generated(response) => response.data.list.len(),
            Decoded::Twin(response) => response.data.list.len(),
        }
    }
}

/// This process's peak resident memory, from `/proc/self/status`.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1e3
}

/// A list-users response: `users` users with every documented field set,
/// deterministic. Written user by user, so that building it does not
/// raise the peak memory above the text's own size.
fn response(users: usize) -> String {
    let mut text = format!(
        r#"{{"statusCode":200,"message":"ok","requestId":"934108e5-9fbf-4d24-8da1-c330328abd6c","data":{{"totalCount":{users},"list":["#
    );
    for i in 0..users {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&user(i).to_string());
    }
    text.push_str("]}}");
    text.shrink_to_fit();
    text
}

fn user(i: usize) -> Value {
    let time = format!("2022-07-{:02}T03:20:{:02}.000Z", 1 + i % 28, i % 60);
    let statuses = ["Activated", "Suspended", "Deactivated", "Resigned", "Archived"];
    let genders = ["M", "F", "U"];
    let sources = ["excel", "register", "adminCreated", "syncTask"];
    let providers = ["wechat", "github", "dingtalk", "lark"];
    let identity = |n: usize| {
        json!({
            "identityId": format!("62299d8b866d2dab79a8{n:04x}"),
            "extIdpId": format!("6076bac{i:08x}d80d993b5"),
            "provider": providers[n % 4],
            "type": "openid",
            "userIdInIdp": format!("oj7Nq05R-RRaqak0_YlMLnn{i:06}"),
            "userInfoInIdp": { "nickname": format!("user {i}"), "sex": n % 2 },
            "originConnIds": [format!("605492ac41{i:06x}e0362f0707")],
        })
    };
    let mut custom = Map::new();
    custom.insert("school".into(), json!(format!("School {}", i % 97)));
    custom.insert("age".into(), json!(18 + i % 60));
    json!({
        "userId": format!("6229ffa{i:08x}cade3e3d9"),
        "createdAt": time,
        "updatedAt": time,
        "status": statuses[i % statuses.len()],
        "workStatus": "Active",
        "externalId": format!("{}", 10_000 + i),
        "email": format!("user{i}@example.com"),
        "phone": format!("188{:08}", i),
        "phoneCountryCode": "+86",
        "username": format!("user{i}"),
        "name": format!("User Number {i}"),
        "nickname": format!("nick{i}"),
        "photo": "https://files.authing.co/authing-console/default-user-avatar.png",
        "loginsCount": i % 1000,
        "lastLogin": time,
        "lastIp": format!("10.0.{}.{}", i / 256 % 256, i % 256),
        "gender": genders[i % 3],
        "emailVerified": i.is_multiple_of(2),
        "phoneVerified": i.is_multiple_of(3),
        "passwordLastSetAt": time,
        "birthdate": "1990-06-03",
        "country": "CN",
        "province": "BJ",
        "city": "BJ",
        "address": "Chaoyang, Beijing",
        "streetAddress": format!("{} Some Street, Chaoyang District", i % 500),
        "postalCode": "438100",
        "company": "steamory",
        "browser": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "device": "iOS",
        "givenName": "Number",
        "familyName": "User",
        "middleName": "James",
        "profile": format!("https://example.com/u/{i}"),
        "preferredUsername": format!("user{i}"),
        "website": "https://my-website.com",
        "zoneinfo": "GMT+08:00",
        "locale": "zh-CN",
        "formatted": "132, My Street, Kingston, New York 12401.",
        "region": "Beijing",
        "userSourceType": sources[i % sources.len()],
        "userSourceId": format!("app-{}", i % 13),
        "lastLoginApp": format!("app-{}", i % 7),
        "mainDepartmentId": format!("dep-{}", i % 50),
        "lastMfaTime": time,
        "passwordSecurityLevel": i % 3,
        "resetPasswordOnNextLogin": false,
        "registerSource": ["import:manual"],
        "departmentIds": [format!("624d930c3{i:06x}5c08dd4986e"), "624d93102xxxx012f33cd2fe"],
        "identities": (0..1 + i % 2).map(identity).collect::<Vec<_>>(),
        "identityNumber": format!("420421{i:08}1234"),
        "customData": custom,
        "postIdList": [format!("post-{}", i % 20)],
        "statusChangedAt": time,
        "tenantId": format!("tenant-{}", i % 5),
    })
}

/// The same types with `#[derive(Deserialize)]` (field for field, enums
/// with a catch-all), for comparison.
mod twin {
    use serde::Deserialize;
    use serde_json::{Map, Value};

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub enum Gender {
        #[serde(rename = "M")]
        M,
        #[serde(rename = "F")]
        F,
        #[serde(rename = "U")]
        U,
        #[default]
        #[serde(other)]
        Unknown,
    }

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub struct IdentityDto {
        #[serde(rename = "identityId", default)]
        pub identity_id: String,
        #[serde(rename = "extIdpId", default)]
        pub ext_idp_id: String,
        #[serde(rename = "provider", default)]
        pub provider: Provider,
        #[serde(rename = "type", default)]
        pub r#type: String,
        #[serde(rename = "userIdInIdp", default)]
        pub user_id_in_idp: String,
        #[serde(rename = "userInfoInIdp", default)]
        pub user_info_in_idp: Map<String, Value>,
        #[serde(rename = "accessToken", default)]
        pub access_token: Option<String>,
        #[serde(rename = "refreshToken", default)]
        pub refresh_token: Option<String>,
        #[serde(rename = "originConnIds", default)]
        pub origin_conn_ids: Vec<String>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub enum Provider {
        #[serde(rename = "wechat")]
        Wechat,
        #[serde(rename = "qq")]
        Qq,
        #[serde(rename = "wechatwork")]
        Wechatwork,
        #[serde(rename = "dingtalk")]
        Dingtalk,
        #[serde(rename = "weibo")]
        Weibo,
        #[serde(rename = "github")]
        Github,
        #[serde(rename = "alipay")]
        Alipay,
        #[serde(rename = "baidu")]
        Baidu,
        #[serde(rename = "lark")]
        Lark,
        #[serde(rename = "welink")]
        Welink,
        #[serde(rename = "yidun")]
        Yidun,
        #[serde(rename = "qingcloud")]
        Qingcloud,
        #[serde(rename = "google")]
        Google,
        #[serde(rename = "gitlab")]
        Gitlab,
        #[serde(rename = "gitee")]
        Gitee,
        #[serde(rename = "twitter")]
        Twitter,
        #[serde(rename = "facebook")]
        Facebook,
        #[serde(rename = "slack")]
        Slack,
        #[serde(rename = "linkedin")]
        Linkedin,
        #[serde(rename = "instagram")]
        Instagram,
        #[serde(rename = "oidc")]
        Oidc,
        #[serde(rename = "oauth2")]
        Oauth2,
        #[serde(rename = "saml")]
        Saml,
        #[serde(rename = "ldap")]
        Ldap,
        #[serde(rename = "ad")]
        Ad,
        #[serde(rename = "cas")]
        Cas,
        #[serde(rename = "azure-ad")]
        AzureAd,
        #[default]
        #[serde(other)]
        Unknown,
    }

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub struct UserDto {
        #[serde(rename = "userId", default)]
        pub user_id: String,
        #[serde(rename = "createdAt", default)]
        pub created_at: String,
        #[serde(rename = "updatedAt", default)]
        pub updated_at: String,
        #[serde(rename = "status", default)]
        pub status: UserDtoStatus,
        #[serde(rename = "workStatus", default)]
        pub work_status: String,
        #[serde(rename = "externalId", default)]
        pub external_id: Option<String>,
        #[serde(rename = "email", default)]
        pub email: Option<String>,
        #[serde(rename = "phone", default)]
        pub phone: Option<String>,
        #[serde(rename = "phoneCountryCode", default)]
        pub phone_country_code: Option<String>,
        #[serde(rename = "username", default)]
        pub username: Option<String>,
        #[serde(rename = "name", default)]
        pub name: Option<String>,
        #[serde(rename = "nickname", default)]
        pub nickname: Option<String>,
        #[serde(rename = "photo", default)]
        pub photo: Option<String>,
        #[serde(rename = "loginsCount", default)]
        pub logins_count: Option<i64>,
        #[serde(rename = "lastLogin", default)]
        pub last_login: Option<String>,
        #[serde(rename = "lastIp", default)]
        pub last_ip: Option<String>,
        #[serde(rename = "gender", default)]
        pub gender: Gender,
        #[serde(rename = "emailVerified", default)]
        pub email_verified: bool,
        #[serde(rename = "phoneVerified", default)]
        pub phone_verified: bool,
        #[serde(rename = "passwordLastSetAt", default)]
        pub password_last_set_at: Option<String>,
        #[serde(rename = "birthdate", default)]
        pub birthdate: Option<String>,
        #[serde(rename = "country", default)]
        pub country: Option<String>,
        #[serde(rename = "province", default)]
        pub province: Option<String>,
        #[serde(rename = "city", default)]
        pub city: Option<String>,
        #[serde(rename = "address", default)]
        pub address: Option<String>,
        #[serde(rename = "streetAddress", default)]
        pub street_address: Option<String>,
        #[serde(rename = "postalCode", default)]
        pub postal_code: Option<String>,
        #[serde(rename = "company", default)]
        pub company: Option<String>,
        #[serde(rename = "browser", default)]
        pub browser: Option<String>,
        #[serde(rename = "device", default)]
        pub device: Option<String>,
        #[serde(rename = "givenName", default)]
        pub given_name: Option<String>,
        #[serde(rename = "familyName", default)]
        pub family_name: Option<String>,
        #[serde(rename = "middleName", default)]
        pub middle_name: Option<String>,
        #[serde(rename = "profile", default)]
        pub profile: Option<String>,
        #[serde(rename = "preferredUsername", default)]
        pub preferred_username: Option<String>,
        #[serde(rename = "website", default)]
        pub website: Option<String>,
        #[serde(rename = "zoneinfo", default)]
        pub zoneinfo: Option<String>,
        #[serde(rename = "locale", default)]
        pub locale: Option<String>,
        #[serde(rename = "formatted", default)]
        pub formatted: Option<String>,
        #[serde(rename = "region", default)]
        pub region: Option<String>,
        #[serde(rename = "userSourceType", default)]
        pub user_source_type: UserSourceType,
        #[serde(rename = "userSourceId", default)]
        pub user_source_id: Option<String>,
        #[serde(rename = "lastLoginApp", default)]
        pub last_login_app: Option<String>,
        #[serde(rename = "mainDepartmentId", default)]
        pub main_department_id: Option<String>,
        #[serde(rename = "lastMfaTime", default)]
        pub last_mfa_time: Option<String>,
        #[serde(rename = "passwordSecurityLevel", default)]
        pub password_security_level: Option<i64>,
        #[serde(rename = "resetPasswordOnNextLogin", default)]
        pub reset_password_on_next_login: Option<bool>,
        #[serde(rename = "registerSource", default)]
        pub register_source: Option<Vec<Value>>,
        #[serde(rename = "departmentIds", default)]
        pub department_ids: Option<Vec<String>>,
        #[serde(rename = "identities", default)]
        pub identities: Option<Vec<IdentityDto>>,
        #[serde(rename = "identityNumber", default)]
        pub identity_number: Option<String>,
        #[serde(rename = "customData", default)]
        pub custom_data: Option<Map<String, Value>>,
        #[serde(rename = "postIdList", default)]
        pub post_id_list: Option<Vec<Value>>,
        #[serde(rename = "statusChangedAt", default)]
        pub status_changed_at: Option<String>,
        #[serde(rename = "tenantId", default)]
        pub tenant_id: Option<String>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub enum UserDtoStatus {
        #[serde(rename = "Activated")]
        Activated,
        #[serde(rename = "Suspended")]
        Suspended,
        #[serde(rename = "Deactivated")]
        Deactivated,
        #[serde(rename = "Resigned")]
        Resigned,
        #[serde(rename = "Archived")]
        Archived,
        #[default]
        #[serde(other)]
        Unknown,
    }

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub struct UserPaginatedRespDto {
        #[serde(rename = "statusCode", default)]
        pub status_code: i64,
        #[serde(rename = "message", default)]
        pub message: String,
        #[serde(rename = "apiCode", default)]
        pub api_code: i64,
        #[serde(rename = "requestId", default)]
        pub request_id: String,
        #[serde(rename = "data", default)]
        pub data: UserPagingDto,
    }

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub struct UserPagingDto {
        #[serde(rename = "totalCount", default)]
        pub total_count: i64,
        #[serde(rename = "list", default)]
        pub list: Vec<UserDto>,
    }

    #[derive(Debug, Default, Deserialize)]
    #[allow(dead_code)]
    pub enum UserSourceType {
        #[serde(rename = "excel")]
        Excel,
        #[serde(rename = "register")]
        Register,
        #[serde(rename = "adminCreated")]
        AdminCreated,
        #[serde(rename = "syncTask")]
        SyncTask,
        #[default]
        #[serde(other)]
        Unknown,
    }
}
