//! Names recovered from page locations and method-name lines: client, tag,
//! SDK language, and the snake_case method name.

use heck::{ToKebabCase, ToSnakeCase};

use crate::schema::{Client, Tag};

/// SDK languages whose pages the docs have, newest snapshot first.
pub const LANGUAGES: &[&str] = &["python", "node", "java", "go", "php", "csharp"];

/// Where a page sits: `<lang>/<client>/<tag>/<api-path>.<ext>`, each part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLocation {
    pub lang: Option<String>,
    pub client: Option<Client>,
    pub tag: Option<String>,
    /// File name without extension: the API path after `/api/v3/`.
    pub stem: String,
}

impl PageLocation {
    pub fn of(rel_path: &str) -> PageLocation {
        let parts: Vec<&str> = rel_path.split('/').collect();
        let file = parts.last().copied().unwrap_or_default();
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        // A browser saves page text as `NAME.page.txt`.
        let stem = stem.strip_suffix(".page").unwrap_or(stem).to_string();
        let dirs = &parts[..parts.len().saturating_sub(1)];
        let lang = dirs.iter().find(|d| LANGUAGES.contains(d)).map(|d| d.to_string());
        let client_at = dirs.iter().rposition(|d| matches!(*d, "authentication" | "management"));
        let client = client_at.map(|i| match dirs[i] {
            "management" => Client::Management,
            _ => Client::Authentication,
        });
        // The tag is the folder right below the client folder.
        let tag = client_at.and_then(|i| dirs.get(i + 1)).map(|t| t.to_string());
        PageLocation { lang, client, tag, stem }
    }
}

/// Parses a method-name line such as `AuthenticationClient.checkQrCodeStatus`
/// into the client and the snake_case method name.
pub fn parse_method_name(line: &str) -> Option<(Option<Client>, String)> {
    let text = line.trim().trim_matches('`').trim().trim_end_matches("()").trim_end_matches(';');
    let (class, method) = match text.rsplit_once('.') {
        Some((class, method)) => (Some(class.trim()), method.trim()),
        None => (None, text),
    };
    if method.is_empty() || !method.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let client = match class {
        Some(c) if c.ends_with("AuthenticationClient") => Some(Client::Authentication),
        Some(c) if c.ends_with("ManagementClient") => Some(Client::Management),
        Some(_) => return None,
        None => None,
    };
    Some((client, method_to_snake(method)))
}

/// `checkQrCodeStatus`, `CheckQrCodeStatus` and `check_qr_code_status` are one
/// method: `check_qr_code_status`.
pub fn method_to_snake(name: &str) -> String {
    name.to_snake_case()
}

/// Snake-case method name derived from an API path's file stem.
pub fn method_from_stem(stem: &str) -> String {
    let name = stem.trim_matches('-').replace(['-', '.', '/'], "_");
    method_to_snake(&name)
}

/// Finds the SDK client call in sample code (`authenticationClient.signUpByEmailCode(`)
/// that the page documents: of the calls that do not only set up the client,
/// the one sharing most words with the page's file name (samples may first
/// call, say, `SendEmail` for a verification code), else the first.
pub fn method_from_sample(code: &str, stem: &str) -> Option<String> {
    const SETUP: &[&str] = &["set_access_token", "set_lang", "set_tenant_id"];
    let words: Vec<String> = stem.split(['-', '_']).filter(|w| w.len() > 1).map(str::to_ascii_lowercase).collect();
    let score = |snake: &str| {
        let joined = snake.replace('_', "");
        words.iter().filter(|w| joined.contains(w.as_str())).count()
    };
    let mut best: Option<(usize, String)> = None;
    let mut rest = code;
    while let Some(dot) = rest.find('.') {
        // The receiver starts after the last character that cannot be in it
        // (which may take several bytes).
        let receiver_start = rest[..dot]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |(p, c)| p + c.len_utf8());
        let receiver = rest[receiver_start..dot].to_ascii_lowercase();
        let after = &rest[dot + 1..];
        let name_len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        let name = &after[..name_len];
        rest = after;
        let is_client = receiver.ends_with("client") && receiver != "httpclient";
        if is_client && !name.is_empty() && after[name_len..].trim_start().starts_with('(') {
            let snake = method_to_snake(name);
            if !SETUP.contains(&snake.as_str()) && best.as_ref().is_none_or(|(s, _)| score(&snake) > *s) {
                best = Some((score(&snake), snake));
            }
        }
    }
    best.map(|(_, name)| name)
}

/// English slugs of the docs' Chinese tag folders. Management folders carry a
/// `管理` ("manage") prefix that the slug drops.
const TAG_SLUGS: &[(&str, &str)] = &[
    ("mfa-要素管理", "mfa"),
    ("公开信息端点", "public-info"),
    ("其他", "other"),
    ("微信相关接口", "wechat"),
    ("注册", "signup"),
    ("消息服务", "messaging"),
    ("用户相关资源", "user-resources"),
    ("用户资料", "profile"),
    ("登出", "logout"),
    ("登录", "login"),
    ("token", "token"),
    ("账号绑定", "account-binding"),
    ("鉴权", "permission-check"),
    ("pipeline", "pipeline"),
    ("webhook", "webhook"),
    ("事件", "events"),
    ("公共账号", "public-accounts"),
    ("同步中心", "sync"),
    ("多租户", "tenants"),
    ("安全配置", "security"),
    ("审计日志", "audit-logs"),
    ("获取审计日志", "audit-logs"),
    ("岗位", "posts"),
    ("应用", "applications"),
    ("数据对象", "data-objects"),
    ("数据资源与权限", "data-permissions"),
    ("注册白名单", "whitelist"),
    ("用户", "users"),
    ("用户分组", "groups"),
    ("组织机构", "organizations"),
    ("终端设备", "devices"),
    ("自定义字段", "custom-fields"),
    ("角色", "roles"),
    ("计量计费", "billing"),
    ("资源与权限", "resources"),
    ("身份源", "identity-providers"),
    ("风险名单", "risk-lists"),
];

/// The slug of a tag folder name: the table above for the docs' Chinese
/// names, kebab-case for ASCII names (English pages), `None` otherwise.
pub fn tag_slug(name: &str) -> Option<String> {
    let bare = name.strip_prefix("管理").unwrap_or(name).trim_start_matches('-');
    if let Some((_, slug)) = TAG_SLUGS.iter().find(|(n, _)| *n == bare || *n == name) {
        return Some(slug.to_string());
    }
    if name.is_ascii() {
        let slug = name.to_kebab_case();
        return (!slug.is_empty()).then_some(slug);
    }
    None
}

/// A tag for a folder name, with a stable fallback slug for names the table
/// does not know (the caller reports those).
pub fn tag_for(name: &str) -> (Tag, bool) {
    match tag_slug(name) {
        Some(slug) => (Tag { name: name.to_string(), slug }, true),
        None => {
            let hash =
                name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            (Tag { name: name.to_string(), slug: format!("tag-{:08x}", hash as u32) }, false)
        }
    }
}

/// The tag of pages that sit in no tag folder.
pub fn untagged() -> Tag {
    Tag { name: String::new(), slug: "other".to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        let loc = PageLocation::of("python/authentication/登录/check-qrcode-status.md");
        assert_eq!(loc.lang.as_deref(), Some("python"));
        assert_eq!(loc.client, Some(Client::Authentication));
        assert_eq!(loc.tag.as_deref(), Some("登录"));
        assert_eq!(loc.stem, "check-qrcode-status");
        let loc = PageLocation::of("gene-fastpass-qrcode-info.md");
        assert_eq!(loc, PageLocation { stem: "gene-fastpass-qrcode-info".into(), ..PageLocation::default() });
        assert_eq!(PageLocation::of("check-qrcode-status.page.txt").stem, "check-qrcode-status");
    }

    #[test]
    fn method_names_in_every_casing_agree() {
        for line in [
            "`AuthenticationClient.check_qr_code_status`",
            "AuthenticationClient.checkQrCodeStatus",
            "AuthenticationClient.CheckQrCodeStatus",
        ] {
            assert_eq!(
                parse_method_name(line),
                Some((Some(Client::Authentication), "check_qr_code_status".to_string()))
            );
        }
        assert_eq!(parse_method_name("ManagementClient.list"), Some((Some(Client::Management), "list".into())));
        assert_eq!(parse_method_name("not a method name"), None);
        assert_eq!(method_from_stem("-get-row-batch"), "get_row_batch");
    }

    #[test]
    fn methods_from_sample_code() {
        let code = "client.setAccessToken('x');\nconst r = await authenticationClient.signUpByEmailCode({";
        assert_eq!(method_from_sample(code, "signup-by-email-passcode").as_deref(), Some("sign_up_by_email_code"));
        let code = "await authenticationClient.SendEmail(x);\nawait authenticationClient.SignUpByEmailPassCode(y);";
        assert_eq!(method_from_sample(code, "signup-by-email-passcode").as_deref(), Some("sign_up_by_email_pass_code"));
        assert_eq!(method_from_sample("print(x)", "x"), None);
        // A multi-byte character right before the receiver (found by fuzzing).
        assert_eq!(method_from_sample("用client.signUp()", "sign-up").as_deref(), Some("sign_up"));
    }

    #[test]
    fn tag_slugs() {
        assert_eq!(tag_slug("登录").as_deref(), Some("login"));
        assert_eq!(tag_slug("管理用户").as_deref(), Some("users"));
        assert_eq!(tag_slug("管理-token").as_deref(), Some("token"));
        assert_eq!(tag_slug("Manage Users").as_deref(), Some("manage-users"));
        assert_eq!(tag_slug("未知"), None);
        assert!(tag_for("未知").0.slug.starts_with("tag-"));
    }
}
