// `qrcodeId` is a required query parameter: there is no request without it.
use genauth::AuthenticationClient;
use genauth::authentication::CheckQrCodeStatusRequest;

async fn poll(auth: AuthenticationClient) -> Result<(), genauth::Error> {
    auth.check_qr_code_status(&CheckQrCodeStatusRequest::new()).await?;
    auth.check_qr_code_status(&CheckQrCodeStatusRequest::default()).await?;
    Ok(())
}

fn main() {
    let _ = poll;
}
