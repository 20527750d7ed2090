// Fixed code of every generated client: spliced into its `client.rs` after
// the `Client` (see `generator/src/emit/client.rs`). Plain `//` comments stay
// here; `///` docs go into the generated crate.

use std::time::Duration;

/// How [`Client::with_options`] builds its HTTP client: the timeouts that
/// keep a call from waiting forever on a server that accepts a connection
/// and never answers, or stops sending halfway.
///
/// [`ClientOptions::default()`] is what [`Client::new`] uses:
///
/// - connect timeout: [`ClientOptions::DEFAULT_CONNECT_TIMEOUT`] (10 s) to
///   establish a connection (TCP and TLS);
/// - read timeout: [`ClientOptions::DEFAULT_READ_TIMEOUT`] (30 s) of silence,
///   while waiting for the response's headers and between two reads of its
///   body; a slow body that keeps arriving is not cut;
/// - whole-request timeout: none, unless set with [`ClientOptions::timeout`].
///
/// A timeout that passes fails the call with [`Error::Transport`], whose
/// `reqwest::Error::is_timeout` is true. To wait without any limit (e.g. a
/// long poll), build a `reqwest::Client` yourself and pass it to
/// [`Client::with_http_client`].
///
/// Calls are retried as [`RetryPolicy::default()`] says unless set with
/// [`ClientOptions::retry`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOptions {
    connect_timeout: Duration,
    read_timeout: Duration,
    timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl ClientOptions {
    /// How long establishing a connection may take by default: 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// How long the server may stay silent by default, before the response's
    /// headers or within its body: 30 s.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

    /// Returns the options with `timeout` to establish a connection.
    #[must_use]
    pub fn connect_timeout(self, timeout: Duration) -> ClientOptions {
        ClientOptions {
            connect_timeout: timeout,
            ..self
        }
    }

    /// Returns the options with `timeout` as the longest silence while
    /// waiting for a response's headers or for the next part of its body.
    #[must_use]
    pub fn read_timeout(self, timeout: Duration) -> ClientOptions {
        ClientOptions {
            read_timeout: timeout,
            ..self
        }
    }

    /// Returns the options with `timeout` for a whole call: from connecting
    /// until the last byte of the response body.
    #[must_use]
    pub fn timeout(self, timeout: Duration) -> ClientOptions {
        ClientOptions {
            timeout: Some(timeout),
            ..self
        }
    }

    /// Returns the options with `policy` for retries.
    #[must_use]
    pub fn retry(self, policy: RetryPolicy) -> ClientOptions {
        ClientOptions {
            retry: policy,
            ..self
        }
    }

    /// A `reqwest` client with these timeouts that does not follow
    /// redirects, so that a redirect is seen as its own status and never
    /// carries credentials to another host.
    fn http_client(&self) -> Result<reqwest::Client, reqwest::Error> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout);
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        builder.build()
    }
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            connect_timeout: ClientOptions::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: ClientOptions::DEFAULT_READ_TIMEOUT,
            timeout: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// When a call is sent again: only a call that may be retried (by
/// default those of idempotent methods, `GET`, `HEAD`, `PUT`, `DELETE`,
/// `OPTIONS`; see `Call::retry`), and only after a connection error
/// (nothing reached the server) or a `429`, `503` or `504` response.
///
/// Before each new attempt the client waits what the response's
/// `Retry-After` header asks (seconds or an HTTP date), else an
/// exponential backoff with jitter: between half and all of
/// `initial_backoff` × 2^(attempt − 1), at most `max_backoff`. A call
/// makes at most `max_attempts` attempts and waits at most
/// `max_total_wait` in all: when the next wait would pass it, the last
/// response (or error) is the call's. A request whose body is a stream
/// is sent once.
///
/// [`RetryPolicy::default()`]: 3 attempts, 200 ms initial backoff, 5 s
/// longest backoff, 10 s of waiting in all. [`RetryPolicy::none()`]
/// sends every call once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_wait: Duration,
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Returns the policy with at most `attempts` attempts per call (the
    /// first included; 0 counts as 1).
    #[must_use]
    pub fn max_attempts(self, attempts: u32) -> RetryPolicy {
        RetryPolicy {
            max_attempts: attempts,
            ..self
        }
    }

    /// Returns the policy with `backoff` as the wait before the first
    /// retry when the response does not say (`Retry-After`).
    #[must_use]
    pub fn initial_backoff(self, backoff: Duration) -> RetryPolicy {
        RetryPolicy {
            initial_backoff: backoff,
            ..self
        }
    }

    /// Returns the policy with `backoff` as the longest computed wait.
    #[must_use]
    pub fn max_backoff(self, backoff: Duration) -> RetryPolicy {
        RetryPolicy {
            max_backoff: backoff,
            ..self
        }
    }

    /// Returns the policy with `wait` as the most a call waits between
    /// attempts in all, `Retry-After` included.
    #[must_use]
    pub fn max_total_wait(self, wait: Duration) -> RetryPolicy {
        RetryPolicy {
            max_total_wait: wait,
            ..self
        }
    }

    /// The wait before attempt `attempt + 1` when the response does not
    /// say: the exponential backoff, between half and all of it.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let full = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        // A fresh `RandomState` hashes with new keys: jitter without a
        // dependency, so that clients that failed together do not retry
        // together.
        let random = {
            use std::hash::{BuildHasher, Hasher};
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u32(attempt);
            hasher.finish()
        };
        let half = full / 2;
        let jitter_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(random % jitter_nanos.saturating_add(1))
    }
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_total_wait: Duration::from_secs(10),
        }
    }
}
