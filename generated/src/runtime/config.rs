//! Plain configuration values shared by both clients.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

/// Language of the `message` in API responses, sent as `x-authing-lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Language {
    /// Simplified Chinese, `zh-CN` (the API's default).
    #[default]
    ZhCn,
    /// English, `en-US`.
    EnUs,
    /// Japanese, `ja-JP`.
    JaJp,
    /// Traditional Chinese, `zh-TW`.
    ZhTw,
}

impl Language {
    /// The header value, e.g. `"en-US"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
            Language::JaJp => "ja-JP",
            Language::ZhTw => "zh-TW",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the application authenticates itself on token-exchange endpoints
/// (`/oidc/token`, `/api/v3/signin`, `/api/v3/signin-by-mobile`,
/// `/api/v3/exchange-tokenset-with-qrcode-ticket`). Must match the
/// application's "换取 token 身份验证方式" setting in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TokenEndpointAuthMethod {
    /// `client_id` and `client_secret` in the JSON body (the default).
    #[default]
    ClientSecretPost,
    /// `authorization: Basic base64(app_id:app_secret)`.
    ClientSecretBasic,
    /// No client authentication (single-page and native apps).
    None,
}

/// When and how often a failed request is repeated.
///
/// A request is retried only if it is idempotent — a `GET`, or a
/// [`Call::idempotent`](super::Call::idempotent) one — unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) is set, and only
/// after a connection error, HTTP 429 or HTTP 5xx. Timeouts are not
/// retried. The delay before retry *n* is a random value between half and
/// all of `initial_backoff * 2^(n-1)`, capped at `max_backoff`; a
/// `Retry-After: <seconds>` header replaces it, and one longer than
/// `max_backoff` ends retrying at once.
///
/// The default makes at most 3 attempts, starting at 200 ms and capped at
/// 5 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Total number of attempts, the first one included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Base delay before the first retry; it doubles for each further one.
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// Upper bound of any delay, including one asked for by `Retry-After`.
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Also retries non-idempotent requests such as `POST`. Off by default:
    /// repeating a write whose response was lost may apply it twice.
    pub fn retry_non_idempotent(mut self, enabled: bool) -> Self {
        self.retry_non_idempotent = enabled;
        self
    }

    /// Attempts allowed for a request; 1 means no retry.
    pub(crate) fn attempts_for(&self, idempotent: bool) -> u32 {
        if idempotent || self.retry_non_idempotent { self.max_attempts } else { 1 }
    }

    /// The delay before retrying after failed attempt number `attempt`
    /// (1-based) whose response asked for `retry_after`, or `None` if that
    /// is longer than allowed.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        match retry_after {
            Some(wait) => (wait <= self.max_backoff).then_some(wait),
            None => Some(self.backoff(attempt)),
        }
    }

    /// The jittered exponential delay after failed attempt `attempt`.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        let full = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(unit_random())
    }
}

/// A number in `[0, 1)`. `RandomState` is seeded randomly per instance,
/// which is plenty for jitter and needs no extra crate.
fn unit_random() -> f64 {
    let bits = RandomState::new().hash_one(Instant::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each delay lies in [half, all] of the doubled backoff, capped: the
    /// ranges of successive attempts do not overlap, whatever the jitter.
    #[test]
    fn backoff_doubles_within_its_jitter_range_up_to_the_cap() {
        let policy =
            RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(700));
        for _ in 0..50 {
            for (attempt, full) in [(1, 100), (2, 200), (3, 400), (4, 700), (30, 700)] {
                let delay = policy.backoff(attempt);
                let full = Duration::from_millis(full);
                assert!(delay >= full / 2 && delay <= full, "attempt {attempt}: {delay:?}");
            }
        }
        assert_eq!(policy.delay(1, Some(Duration::from_millis(300))), Some(Duration::from_millis(300)));
        assert_eq!(policy.delay(1, Some(Duration::from_secs(1))), None, "a longer Retry-After ends retrying");
    }

    #[test]
    fn jitter_spreads_delays() {
        let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(100));
        let delays: std::collections::BTreeSet<Duration> = (0..20).map(|_| policy.backoff(1)).collect();
        assert!(delays.len() > 1, "{delays:?}");
    }
}
