//! Signs a user in by QR code: gets a QR code for the application, waits
//! until the user scans and confirms it in the app, and prints the result.
//!
//! ```sh
//! GENAUTH_APP_ID=<app id> GENAUTH_APP_SECRET=<app secret> \
//!     cargo run -p genauth --example qr_login -- https://<your app>.genauth.ai [QRCODE_ID]
//! ```
//!
//! The host is the first argument, or `GENAUTH_HOST`; any server speaking
//! the V3 API works, e.g. `http://127.0.0.1:3000` for a local one. Without
//! `QRCODE_ID` a `MOBILE_APP` QR code is generated and its image URL
//! printed. Without `GENAUTH_APP_SECRET` the application is assumed to use
//! the `none` token-endpoint authentication method.

use std::env;
use std::time::Duration;

use genauth::qr_login::{QrCodeStatus, QrLogin, QrLoginEvent};
use genauth::{AuthenticationClient, Call, Method, TokenEndpointAuthMethod};
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = env::args().skip(1);
    let usage = "usage: qr_login <host> [qrcode-id] (or set GENAUTH_HOST), with GENAUTH_APP_ID set";
    let host = args.next().or_else(|| env::var("GENAUTH_HOST").ok()).ok_or(usage)?;
    let app_id = env::var("GENAUTH_APP_ID").map_err(|_| usage)?;
    let mut builder = AuthenticationClient::builder(host).app_id(app_id);
    builder = match env::var("GENAUTH_APP_SECRET") {
        Ok(secret) => builder.app_secret(secret),
        Err(_) => builder.token_endpoint_auth_method(TokenEndpointAuthMethod::None),
    };
    let client = builder.build()?;

    let qrcode_id = match args.next() {
        Some(id) => id,
        None => {
            // The committed docs have no page for this endpoint: call it directly.
            let call = Call::new(Method::POST, "/api/v3/gene-qrcode").body(json!({ "type": "MOBILE_APP" }));
            let response: Value = client.send(call).await?;
            println!("Scan this QR code with the app: {}", response["data"]["url"].as_str().unwrap_or("?"));
            response["data"]["qrcodeId"].as_str().ok_or("the response has no qrcodeId")?.to_owned()
        }
    };

    let mut login = QrLogin::new(&client, qrcode_id).interval(Duration::from_secs(2)).timeout(Duration::from_secs(300));
    while let Some(event) = login.next().await? {
        match event {
            QrLoginEvent::Status { status: QrCodeStatus::Scanned, user } => {
                let name = user.map(|user| user.display_name).unwrap_or_default();
                println!("Scanned by {name:?}; waiting for confirmation in the app");
            }
            QrLoginEvent::Status { status, .. } => println!("QR code status: {status}"),
            QrLoginEvent::Authorized { user, tokens } => {
                let name = user.map(|user| user.display_name).unwrap_or_default();
                let access_token = tokens.access_token.unwrap_or_default();
                // Enough of the token to recognise it, not enough to use it.
                let shown: String = access_token.chars().take(12).collect();
                println!(
                    "Signed in as {name:?}: {} token {shown}…, expires in {} s",
                    tokens.token_type, tokens.expire_in
                );
            }
        }
    }
    Ok(())
}
