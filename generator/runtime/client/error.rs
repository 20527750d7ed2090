// Fixed code of every generated client: its `error.rs` (see
// `generator/src/emit/client/error.rs`), without the `InvalidHeader` variant
// and its arms when the client's code never constructs it. Plain `//`
// comments stay here; `///` docs go into the generated crate.

use std::fmt;

/// What can go wrong when calling the API. A response with a status
/// the operation declares is not an error: it is a variant of the
/// operation's `Response`.
///
/// Its `Debug` and `Display` output show a response body as its
/// length and its first few hundred characters, never all of it.
///
/// Which variants a client has depends on its spec (`InvalidHeader` only
/// where a response declares headers), so matching on it needs a `_`
/// arm: a spec change that adds one is not a breaking change.
#[non_exhaustive]
pub enum Error {
    /// The base URL is not an absolute `http` or `https` URL that can
    /// take a path.
    InvalidBaseUrl(String),
    /// The request cannot be built from the given parameters or body,
    /// e.g. a path parameter that is empty, `.` or `..`, or a header
    /// value with a line break. The message never shows a credential.
    InvalidRequest(String),
    /// The request could not be sent, or the response not be read,
    /// including when a timeout passed (`reqwest::Error::is_timeout`;
    /// see `ClientOptions`). Its message names the cause, down to the
    /// system's (e.g. `connection refused`); the URL in it has no query.
    Transport(reqwest::Error),
    /// A middleware (see `Middleware`), or the in-process service of
    /// `Client::with_service`, failed with this error (a call's timeout
    /// passing in process is an I/O `TimedOut` error here: test for
    /// either kind of timeout with [`Error::is_timeout`]).
    Middleware(Box<dyn std::error::Error + Send + Sync>),
    /// The server answered with a status the operation does not
    /// declare.
    UnexpectedStatus {
        /// The response's status code.
        status: u16,
        /// The raw response body.
        body: Vec<u8>,
    },
    /// The response body is not what the operation declares for its
    /// status.
    Decode {
        /// The response's status code.
        status: u16,
        /// The raw response body.
        body: Vec<u8>,
        /// Why decoding failed.
        source: serde_json::Error,
    },
    /// The response body is longer than the client's limit (see
    /// `Client::with_body_limit`). The call stopped reading it once
    /// past the limit, or did not read it when its `Content-Length`
    /// was over the limit.
    BodyTooLarge {
        /// The response's status code.
        status: u16,
        /// The client's limit, in bytes.
        limit: usize,
    },
    /// A header the operation declares for the response's status is
    /// missing (when required) or not of its type.
    InvalidHeader {
        /// The response's status code.
        status: u16,
        /// The header's name.
        name: String,
        /// The raw response body.
        body: Vec<u8>,
        /// What is wrong with the header.
        message: String,
    },
}

impl Error {
    /// The status of the response, when the error comes with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::BodyTooLarge { status, .. }
            | Error::InvalidHeader { status, .. } => Some(*status),
            Error::InvalidBaseUrl(_)
            | Error::InvalidRequest(_)
            | Error::Transport(_)
            | Error::Middleware(_) => None,
        }
    }

    /// Whether the call failed because a timeout passed: the client's
    /// (see `ClientOptions`) or the call's own (`Call::timeout`), over
    /// HTTP or in process (`Client::with_service`), or a middleware's
    /// error whose cause is an I/O timeout.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(error) => error.is_timeout(),
            Error::Middleware(error) => {
                let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error.as_ref());
                while let Some(error) = cause {
                    let timed_out = error
                        .downcast_ref::<std::io::Error>()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut);
                    if timed_out {
                        return true;
                    }
                    cause = error.source();
                }
                false
            }
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidBaseUrl(message) => write!(f, "invalid base URL: {message}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(error) => {
                f.write_str("HTTP request failed")?;
                write_causes(f, error)
            }
            Error::Middleware(error) => {
                f.write_str("middleware failed")?;
                write_causes(f, error.as_ref())
            }
            Error::UnexpectedStatus { status, body } => {
                write!(f, "unexpected response status {status}")?;
                write_body(f, body)
            }
            Error::Decode { status, body, .. } => {
                write!(f, "cannot decode the body of a response with status {status}")?;
                write_body(f, body)
            }
            Error::BodyTooLarge { status, limit } => {
                write!(
                    f,
                    "the body of a response with status {status} is longer than the limit of {limit} bytes"
                )
            }
            Error::InvalidHeader { status, name, message, .. } => {
                write!(
                    f,
                    "invalid header `{name}` in a response with status {status}: {message}"
                )
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidBaseUrl(message) => {
                f.debug_tuple("InvalidBaseUrl").field(message).finish()
            }
            Error::InvalidRequest(message) => {
                f.debug_tuple("InvalidRequest").field(message).finish()
            }
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
            Error::Middleware(error) => f.debug_tuple("Middleware").field(error).finish(),
            Error::UnexpectedStatus { status, body } => {
                f.debug_struct("UnexpectedStatus")
                    .field("status", status)
                    .field("body", &BodyPreview(body))
                    .finish()
            }
            Error::Decode { status, body, source } => {
                f.debug_struct("Decode")
                    .field("status", status)
                    .field("body", &BodyPreview(body))
                    .field("source", source)
                    .finish()
            }
            Error::BodyTooLarge { status, limit } => {
                f.debug_struct("BodyTooLarge")
                    .field("status", status)
                    .field("limit", limit)
                    .finish()
            }
            Error::InvalidHeader { status, name, body, message } => {
                f.debug_struct("InvalidHeader")
                    .field("status", status)
                    .field("name", name)
                    .field("body", &BodyPreview(body))
                    .field("message", message)
                    .finish()
            }
        }
    }
}

/// Writes `error` and its sources, each after `: `, so that the message
/// names the cause (`connection refused`, a timeout, a TLS failure)
/// without the caller walking `source()`. A source whose text its
/// parent already shows is skipped; at most eight are written.
fn write_causes(f: &mut fmt::Formatter<'_>, error: &(dyn std::error::Error + 'static)) -> fmt::Result {
    let mut shown = String::new();
    let mut cause = Some(error);
    for _ in 0..8 {
        let Some(error) = cause else { break };
        let text = error.to_string();
        if !text.is_empty() && !shown.contains(&text) {
            write!(f, ": {text}")?;
            shown = text;
        }
        cause = error.source();
    }
    Ok(())
}

/// The first characters of a response body as lossy UTF-8, and
/// whether the body goes on after them.
fn preview(body: &[u8]) -> (String, bool) {
    // A character takes at most four bytes, so this prefix holds the
    // preview, and the body goes on if it is longer than the prefix. 512
    // characters: a few lines of a message, enough to see what came back.
    let prefix = &body[..body.len().min(4 * 512)];
    let text = String::from_utf8_lossy(prefix);
    let preview: String = text.chars().take(512).collect();
    let cut = preview.len() < text.len() || prefix.len() < body.len();
    (preview, cut)
}

/// Writes a response body for a message: lossy UTF-8, quoted and
/// escaped, cut after a few hundred characters.
fn write_body(f: &mut fmt::Formatter<'_>, body: &[u8]) -> fmt::Result {
    if body.is_empty() {
        return f.write_str(" (empty body)");
    }
    let (preview, cut) = preview(body);
    if cut {
        write!(f, ": {preview:?}... ({} bytes)", body.len())
    } else {
        write!(f, ": {preview:?}")
    }
}

/// A response body in `Debug` output: quoted as lossy UTF-8, and cut
/// after a few hundred characters with its length.
struct BodyPreview<'a>(&'a [u8]);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (preview, cut) = preview(self.0);
        if cut {
            write!(f, "{preview:?}... ({} bytes)", self.0.len())
        } else {
            write!(f, "{preview:?}")
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::Middleware(error) => Some(error.as_ref()),
            Error::Decode { source, .. } => Some(source),
            Error::InvalidBaseUrl(_)
            | Error::InvalidRequest(_)
            | Error::UnexpectedStatus { .. }
            | Error::BodyTooLarge { .. }
            | Error::InvalidHeader { .. } => None,
        }
    }
}
