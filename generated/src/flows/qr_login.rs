//! QR-code login: wait until the user scans a login QR code with the app and
//! confirms, then get their tokens.
//!
//! [`QrLogin`] starts from the id of a QR code generated for the application
//! (e.g. by `POST /api/v3/gene-qrcode` with type `MOBILE_APP`). It polls
//! [`check_qr_code_status`](crate::AuthenticationClient::check_qr_code_status)
//! and reports each change of status; once the user authorizes, it exchanges
//! the returned ticket for the user's tokens with
//! `POST /api/v3/exchange-tokenset-with-qrcode-ticket`, which the client
//! authenticates with the application's credentials as configured
//! ([`TokenEndpointAuthMethod`](crate::TokenEndpointAuthMethod)).
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use genauth::AuthenticationClient;
//! use genauth::qr_login::{QrCodeStatus, QrLogin, QrLoginError, QrLoginEvent};
//!
//! # async fn example(client: AuthenticationClient, qrcode_id: String) -> Result<(), QrLoginError> {
//! let mut login = QrLogin::new(&client, qrcode_id).interval(Duration::from_secs(2)).timeout(Duration::from_secs(120));
//! while let Some(event) = login.next().await? {
//!     match event {
//!         QrLoginEvent::Status { status: QrCodeStatus::Scanned, user: Some(user) } => {
//!             println!("scanned by {}, waiting for confirmation", user.display_name);
//!         }
//!         QrLoginEvent::Status { status, .. } => println!("status: {status}"),
//!         QrLoginEvent::Authorized { tokens, .. } => println!("signed in for {} s", tokens.expire_in),
//!     }
//! }
//! # Ok(())
//! # }
//! ```

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use tokio::time::{Instant, sleep_until, timeout_at};

use crate::authentication::CheckQrCodeStatusRequest;
use crate::models::{LoginTokenResponseDataDto, QrCodeStatusBriefUserInfoDto};
use crate::{AuthenticationClient, Call, Error, Method};

/// The status of a QR code: the generated enum of
/// [`CheckQrCodeStatusDataDto::status`](crate::models::CheckQrCodeStatusDataDto::status),
/// whatever its name in [`models`](crate::models).
pub use crate::qr_login_enums::QrCodeStatus;

const EXCHANGE_PATH: &str = "/api/v3/exchange-tokenset-with-qrcode-ticket";

/// Longest wait honoured; longer ones (e.g. `Duration::MAX` for "no
/// deadline") are cut to it so that adding them to a clock cannot overflow.
const LONGEST_WAIT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Waits for a QR-code login to finish, reporting each change of status.
///
/// Built with [`QrLogin::new`], configured with [`interval`](Self::interval)
/// and [`timeout`](Self::timeout), then driven by [`next`](Self::next) (see
/// the [module documentation](self) for an example). It owns a clone of the
/// client, so it can be moved into a task.
#[derive(Debug, Clone)]
#[must_use = "nothing is polled until `next` is awaited"]
pub struct QrLogin {
    client: AuthenticationClient,
    request: CheckQrCodeStatusRequest,
    interval: Duration,
    timeout: Duration,
    /// Fixed by the first `next`.
    deadline: Option<Instant>,
    /// When the next status request may be sent; `None` before the first.
    next_poll: Option<Instant>,
    /// The last status reported, to report changes only.
    last: Option<QrCodeStatus>,
    finished: bool,
}

/// A change of the QR code's status, from [`QrLogin::next`].
#[derive(Debug, Clone, PartialEq)]
pub enum QrLoginEvent {
    /// The status changed to `status`, which is not `AUTHORIZED`.
    ///
    /// `CANCELLED`, `EXPIRED` and `ERROR` are final: `next` returns `None`
    /// after them. `PENDING`, `SCANNED` and values the documentation does
    /// not list ([`QrCodeStatus::Unknown`]) are not: polling goes on.
    Status {
        /// The new status.
        status: QrCodeStatus,
        /// The user's display name and avatar, once the code is scanned (if
        /// the server sends them).
        user: Option<QrCodeStatusBriefUserInfoDto>,
    },
    /// The user authorized the login (final).
    Authorized {
        /// The user's display name and avatar, if the server sent them.
        user: Option<QrCodeStatusBriefUserInfoDto>,
        /// The user's tokens: from the ticket, or the status response's own
        /// token set when the application is configured to return it.
        tokens: LoginTokenResponseDataDto,
    },
}

/// Why [`QrLogin::next`] failed.
///
/// None of them ends the login: calling `next` again polls again (and fails
/// again with [`DeadlineExceeded`](Self::DeadlineExceeded) once the deadline
/// has passed).
#[derive(Debug)]
#[non_exhaustive]
pub enum QrLoginError {
    /// No final status arrived within the [timeout](QrLogin::timeout), which
    /// it holds.
    DeadlineExceeded(Duration),
    /// The status is `AUTHORIZED` but the response has neither a ticket nor
    /// a token set.
    MissingTicket,
    /// A status request or the token exchange failed: transport, timeout,
    /// [`Error::Api`] for an error reported by the API, etc.
    Request(Error),
}

impl QrLogin {
    /// Prepares to wait for the login with QR code `qrcode_id`, polling
    /// every second for at most five minutes.
    pub fn new(client: &AuthenticationClient, qrcode_id: impl Into<String>) -> QrLogin {
        QrLogin {
            client: client.clone(),
            request: CheckQrCodeStatusRequest::new(qrcode_id),
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(5 * 60),
            deadline: None,
            next_poll: None,
            last: None,
            finished: false,
        }
    }

    /// Time between the end of a status request and the start of the next
    /// (default 1 s).
    pub fn interval(mut self, interval: Duration) -> QrLogin {
        self.interval = interval;
        self
    }

    /// How long to wait for a final status, counted from the first call to
    /// [`next`](Self::next) (default 5 min). The deadline also cuts a status
    /// request short, but not the token exchange once the user authorized.
    pub fn timeout(mut self, timeout: Duration) -> QrLogin {
        self.timeout = timeout;
        self
    }

    /// Polls until the status changes and returns the change, or `None`
    /// once a final status was returned.
    ///
    /// The first call reports the first status seen. When it is
    /// `AUTHORIZED`, the ticket is exchanged for the user's tokens before
    /// returning [`QrLoginEvent::Authorized`].
    ///
    /// # Errors
    ///
    /// [`QrLoginError::DeadlineExceeded`] when the timeout passes first,
    /// [`QrLoginError::Request`] when a request fails and
    /// [`QrLoginError::MissingTicket`] for an authorization without ticket.
    pub async fn next(&mut self) -> Result<Option<QrLoginEvent>, QrLoginError> {
        if self.finished {
            return Ok(None);
        }
        let deadline = *self.deadline.get_or_insert_with(|| later(self.timeout));
        loop {
            if let Some(at) = self.next_poll {
                sleep_until(at.min(deadline)).await;
            }
            if Instant::now() >= deadline {
                return Err(QrLoginError::DeadlineExceeded(self.timeout));
            }
            let polled = timeout_at(deadline, self.client.check_qr_code_status(&self.request)).await;
            // Set before handling errors so that a retry waits too.
            self.next_poll = Some(later(self.interval));
            let data = polled.map_err(|_| QrLoginError::DeadlineExceeded(self.timeout))??.into_inner();
            if self.last.as_ref() == Some(&data.status) {
                continue;
            }
            let user = data.brief_user_info;
            if data.status == QrCodeStatus::Authorized {
                let tokens = match (data.token_set, data.ticket) {
                    (Some(tokens), _) => tokens,
                    (None, Some(ticket)) if !ticket.is_empty() => self.exchange(ticket).await?,
                    _ => return Err(QrLoginError::MissingTicket),
                };
                self.finished = true;
                return Ok(Some(QrLoginEvent::Authorized { user, tokens }));
            }
            self.finished =
                matches!(data.status, QrCodeStatus::Cancelled | QrCodeStatus::Expired | QrCodeStatus::Error);
            self.last = Some(data.status.clone());
            return Ok(Some(QrLoginEvent::Status { status: data.status, user }));
        }
    }

    async fn exchange(&self, ticket: String) -> Result<LoginTokenResponseDataDto, Error> {
        let call = Call::new(Method::POST, EXCHANGE_PATH).body(serde_json::json!({ "ticket": ticket }));
        Ok(self.client.send_data::<LoginTokenResponseDataDto>(call).await?.into_inner())
    }
}

/// `wait` from now, capped at [`LONGEST_WAIT`].
fn later(wait: Duration) -> Instant {
    Instant::now() + wait.min(LONGEST_WAIT)
}

impl From<Error> for QrLoginError {
    fn from(error: Error) -> Self {
        QrLoginError::Request(error)
    }
}

impl fmt::Display for QrLoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrLoginError::DeadlineExceeded(timeout) => {
                write!(f, "the QR-code login did not finish within {timeout:?}")
            }
            QrLoginError::MissingTicket => {
                f.write_str("the QR code is authorized but the response has neither a ticket nor a token set")
            }
            QrLoginError::Request(error) => error.fmt(f),
        }
    }
}

impl StdError for QrLoginError {
    // `Request` is transparent: its message is the request error's own.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            QrLoginError::Request(error) => error.source(),
            _ => None,
        }
    }
}
