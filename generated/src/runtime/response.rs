//! What a generated method returns: the response's `data`, with the
//! envelope's request id.

use std::ops::{Deref, DerefMut};

/// The `data` of a successful API response, with the `requestId` of its
/// envelope (for logs and support requests).
///
/// It dereferences to the data, so the data's fields are read directly;
/// [`into_inner`](Self::into_inner) takes the data out:
///
/// ```no_run
/// # async fn example(auth: genauth::AuthenticationClient) -> Result<(), genauth::Error> {
/// # #[cfg(feature = "auth-login")] {
/// use genauth::authentication::CheckQrCodeStatusRequest;
///
/// let status = auth.check_qr_code_status(&CheckQrCodeStatusRequest::new("qrcode-id")).await?;
/// println!("{} (request {:?})", status.status, status.request_id());
/// let data = status.into_inner();
/// # let _ = data;
/// # }
/// # Ok(())
/// # }
/// ```
///
/// Operations whose documented response has no `data` (status-only
/// answers, OIDC token endpoints) return the decoded body itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    data: T,
    request_id: Option<String>,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, request_id: Option<String>) -> Self {
        Response { data, request_id }
    }

    /// The envelope's `requestId`, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The data, without the request id.
    pub fn into_inner(self) -> T {
        self.data
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.data
    }
}
