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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOptions {
    connect_timeout: Duration,
    read_timeout: Duration,
    timeout: Option<Duration>,
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
        }
    }
}
