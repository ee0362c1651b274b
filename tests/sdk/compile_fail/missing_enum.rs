// `connection` is a required enum: no `Unknown("")` stands in for it.
use genauth::AuthenticationClient;
use genauth::authentication::SignInByCredentialsRequest;

async fn sign_in(auth: AuthenticationClient) -> Result<(), genauth::Error> {
    auth.sign_in_by_credentials(&SignInByCredentialsRequest::default()).await?;
    auth.sign_in_by_credentials(&SignInByCredentialsRequest::new()).await?;
    Ok(())
}

fn main() {
    let _ = sign_in;
}
