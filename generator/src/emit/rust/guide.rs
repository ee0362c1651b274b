//! The crate-level guide: how calls look, then the common flows, each shown
//! only when the API has its operations (the snippets are doctests).

use super::crate_root::fill_enum_names;
use super::plan::Plan;
use crate::schema::{Api, Client};

/// A section of the guide and the methods its snippet calls.
struct Section {
    needs: &'static [(Client, &'static str)],
    text: &'static str,
}

const CALLS: &str = r#"# Calls

A method takes a request built by `new` from the required parameters, in
documented order, and a method per optional parameter; leaving out a
required one does not compile. It returns the response's `data` in a
[`Response`], which dereferences to it and keeps the request id. Reads are
retried on 429, 5xx and connection errors, including those the API sends as
`POST`. Methods are grouped by API group, each behind its cargo feature."#;

const SECTIONS: &[Section] = &[
    Section {
        needs: &[(Client::Authentication, "sign_in_by_credentials")],
        text: r#"## Log in

```no_run
use genauth::authentication::SignInByCredentialsRequest;
use genauth::models::{SignInByPasswordPayloadDto, {enum:SignInByCredentialsRequest.connection}};

# async fn example(mut auth: genauth::AuthenticationClient) -> Result<(), genauth::Error> {
let payload = SignInByPasswordPayloadDto { account: Some("bob".into()), password: "secret".into(), ..Default::default() };
let request = SignInByCredentialsRequest::new({enum:SignInByCredentialsRequest.connection}::Password).password_payload(payload);
let tokens = auth.sign_in_by_credentials(&request).await?;
auth.set_access_token(tokens.access_token.clone().unwrap_or_default());
# Ok(())
# }
```"#,
    },
    Section {
        needs: &[(Client::Authentication, "get_profile")],
        text: r#"## Read the user's profile

```no_run
use genauth::authentication::GetProfileRequest;

# async fn example(auth: genauth::AuthenticationClient) -> Result<(), genauth::Error> {
let profile = auth.get_profile(&GetProfileRequest::new()).await?;
println!("{} (request {:?})", profile.user_id, profile.request_id());
# Ok(())
# }
```"#,
    },
    Section {
        needs: &[(Client::Management, "list_users")],
        text: r#"## List every user

Paginated operations have a `*_pages` method that fetches page after page
as items are read and stops after the last.

```no_run
use genauth::management::ListUsersRequest;

# async fn example(management: genauth::ManagementClient) -> Result<(), genauth::Error> {
let mut users = management.list_users_pages(&ListUsersRequest::new());
while let Some(user) = users.next().await {
    println!("{}", user?.user_id);
}
# Ok(())
# }
```"#,
    },
    Section {
        needs: &[(Client::Management, "create_user")],
        text: r#"## Create a user

```no_run
use genauth::management::CreateUserRequest;

# async fn example(management: genauth::ManagementClient) -> Result<(), genauth::Error> {
let user = management.create_user(&CreateUserRequest::new().username("bob")).await?;
println!("{}", user.user_id);
# Ok(())
# }
```"#,
    },
    Section {
        needs: &[(Client::Management, "assign_role")],
        text: r#"## Assign a role

```no_run
use genauth::management::AssignRoleRequest;
use genauth::models::{TargetDto, {enum:TargetDto.targetType}};

# async fn example(management: genauth::ManagementClient) -> Result<(), genauth::Error> {
let target = TargetDto { target_type: {enum:TargetDto.targetType}::User, target_identifier: "6229ffa".into() };
management.assign_role(&AssignRoleRequest::new(vec![target], "admin")).await?;
# Ok(())
# }
```"#,
    },
];

/// The guide for `api`: the sections whose operations it has.
pub(super) fn guide(api: &Api, plan: &Plan) -> String {
    let has =
        |(client, name): &(Client, &str)| api.operations.iter().any(|op| op.client == *client && op.name == *name);
    let mut text = CALLS.to_string();
    for section in SECTIONS.iter().filter(|s| s.needs.iter().all(has)) {
        let Some(section) = fill_enum_names(section.text, plan) else { continue };
        text.push_str("\n\n");
        text.push_str(&section);
    }
    text
}
