//! The five calls most applications start with: sign a user in, read their
//! profile, list every user, create a user and give them a role.
//!
//! ```sh
//! GENAUTH_APP_ID=<app id> GENAUTH_APP_SECRET=<app secret> \
//! GENAUTH_ACCESS_KEY_ID=<user pool id> GENAUTH_ACCESS_KEY_SECRET=<user pool secret> \
//!     cargo run -p genauth --example quickstart -- https://my-app.genauth.ai ACCOUNT PASSWORD NEW_USERNAME ROLE_CODE
//! ```
//!
//! The management API is reached at `https://api.authing.cn` unless
//! `GENAUTH_MANAGEMENT_HOST` says otherwise.

use std::error::Error;

use genauth::authentication::{GetProfileRequest, SignInByCredentialsRequest};
use genauth::management::{AssignRoleRequest, CreateUserRequest, ListUsersRequest};
use genauth::models::{SignInByPasswordPayloadDto, TargetDto};
use genauth::{AuthenticationClient, ManagementClient};

// Enum names depend on the documentation set the crate is generated from.
use genauth::models::{enum:SignInByCredentialsRequest.connection} as LoginConnection;

use genauth::models::{enum:TargetDto.targetType} as RoleTargetType;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [host, account, password, new_username, role_code] = args.as_slice() else {
        eprintln!("usage: quickstart HOST ACCOUNT PASSWORD NEW_USERNAME ROLE_CODE");
        std::process::exit(2);
    };
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let mut auth = AuthenticationClient::builder(host.as_str())
        .app_id(env("GENAUTH_APP_ID")?)
        .app_secret(env("GENAUTH_APP_SECRET")?)
        .build()?;
    let management =
        ManagementClient::builder(env("GENAUTH_MANAGEMENT_HOST").unwrap_or("https://api.authing.cn".into()))
            .access_key(env("GENAUTH_ACCESS_KEY_ID")?, env("GENAUTH_ACCESS_KEY_SECRET")?)
            .build()?;

    // 1. Log in. `connection` is required, so `new` takes it.
    let payload =
        SignInByPasswordPayloadDto { account: Some(account.clone()), password: password.clone(), ..Default::default() };
    let request = SignInByCredentialsRequest::new(LoginConnection::Password).password_payload(payload);
    let tokens = auth.sign_in_by_credentials(&request).await?;
    println!("signed in (request id {})", tokens.request_id().unwrap_or("-"));
    auth.set_access_token(tokens.access_token.clone().unwrap_or_default());

    // 2. Read the profile: the call returns the user itself.
    let profile = auth.get_profile(&GetProfileRequest::new()).await?;
    println!("profile: {} {}", profile.user_id, profile.username.as_deref().unwrap_or("-"));

    // 3. List every user, page after page, until the last.
    let mut users = management.list_users_pages(&ListUsersRequest::new());
    while let Some(user) = users.next().await {
        let user = user?;
        println!("user: {} {}", user.user_id, user.username.as_deref().unwrap_or("-"));
    }

    // 4. Create a user: every parameter is optional, set by name.
    let created = management.create_user(&CreateUserRequest::new().username(new_username.as_str())).await?;
    println!("created: {}", created.user_id);

    // 5. Assign a role: the targets and the role code are required.
    let target = TargetDto { target_type: RoleTargetType::User, target_identifier: created.user_id.clone() };
    let assigned = management.assign_role(&AssignRoleRequest::new(vec![target], role_code.as_str())).await?;
    println!("role assigned: {}", assigned.success);
    Ok(())
}
