//! The error every stage returns: what went wrong, and where in the spec.

use std::fmt;

/// A failure that stops generation. It names the place in the spec: a JSON
/// pointer, and the line and column of that node in the text when it is
/// there; in a spec split over several files, also the file.
///
/// Its `Debug` is its `Display`: a build script's `main` that returns
/// `Result<(), apiforge::Error>` then fails the build with the message, the
/// pointer and the line rather than a struct dump.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    /// The file the pointer, line and column are in, relative to the root
    /// spec's directory (`schemas/order.yaml`), when it is another file than
    /// the root spec (a `$ref` led there); `None` for the root spec.
    pub file: Option<String>,
    /// JSON pointer of the offending node (`#` for the whole document), or
    /// `None` when the error is not about the spec (e.g. a file system
    /// error).
    pub pointer: Option<String>,
    /// 1-based line in the input, when known.
    pub line: Option<usize>,
    /// 1-based column in the input, when known. Real JSON specs are often
    /// one long line, where only the column says where.
    pub column: Option<usize>,
    /// What is wrong, without the place.
    pub message: String,
}

impl Error {
    /// An error about the node at `pointer`.
    pub(crate) fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            file: None,
            pointer: Some(pointer.into()),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error that is not about a place in the spec.
    pub fn other(message: impl Into<String>) -> Self {
        Error {
            file: None,
            pointer: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = Printable(&self.message);
        let Some(pointer) = &self.pointer else {
            return write!(f, "{message}");
        };
        match &self.file {
            // `schemas/order.yaml#/Order`, or the file alone for its root.
            Some(file) if pointer.is_empty() || pointer == "#" => {
                write!(f, "at {}", Printable(file))?;
            }
            Some(file) => write!(f, "at {}{}", Printable(file), Printable(pointer))?,
            None => write!(f, "at {}", Printable(display_pointer(pointer)))?,
        }
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, " (line {line}, column {column})")?,
            (Some(line), None) => write!(f, " (line {line})")?,
            (None, _) => {}
        }
        write!(f, ": {message}")
    }
}

/// Text from the spec as a terminal shows it safely: control characters
/// (but line feeds and tabs) and bidirectional formatting characters are
/// written as `\u{..}` escapes. Errors and warnings quote the spec, and an
/// escape sequence in it must not recolour, move or hide what the terminal
/// (or a CI log) shows.
pub(crate) struct Printable<'a>(pub(crate) &'a str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unsafe_char = |c: char| {
            (c.is_control() && c != '\n' && c != '\t') || crate::emit::text::is_bidi_control(c)
        };
        let mut rest = self.0;
        while let Some(at) = rest.find(unsafe_char) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            write!(f, "\\u{{{:x}}}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() || pointer == "#" {
        "the document root"
    } else {
        pointer
    }
}

impl std::error::Error for Error {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/`
/// (RFC 6901).
pub fn pointer_push(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The reference tokens of a JSON pointer (`#/a/b~1c` or `/a/b~1c`),
/// unescaped: `["a", "b/c"]`; none for the root.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    pointer
        .trim_start_matches('#')
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_push("#/paths", "/a/{b}~"), "#/paths/~1a~1{b}~0");
        assert_eq!(pointer_tokens("#/paths/~1a~1{b}~0"), ["paths", "/a/{b}~"]);
        assert!(pointer_tokens("#").is_empty());
    }

    #[test]
    fn display_names_the_place() {
        let e = Error::at("#/components/schemas/Pet", "bad");
        assert_eq!(e.to_string(), "at #/components/schemas/Pet: bad");
        let e = Error {
            line: Some(3),
            column: Some(7),
            ..Error::at("#", "empty")
        };
        assert_eq!(
            e.to_string(),
            "at the document root (line 3, column 7): empty"
        );
        let e = Error {
            file: Some("schemas/order.yaml".to_owned()),
            line: Some(4),
            ..Error::at("#/Order/properties/id", "bad")
        };
        assert_eq!(
            e.to_string(),
            "at schemas/order.yaml#/Order/properties/id (line 4): bad"
        );
        let e = Error {
            file: Some("common.json".to_owned()),
            ..Error::at("#", "empty")
        };
        assert_eq!(e.to_string(), "at common.json: empty");
    }
}

#[cfg(test)]
mod printable_tests {
    use super::{Error, Printable};

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(
            Printable("a\u{1b}[31mred\r\u{202e}b\nc\td").to_string(),
            "a\\u{1b}[31mred\\u{d}\\u{202e}b\nc\td"
        );
        let error = Error::at("#/paths/~1a\u{1b}", "bad \u{7}");
        assert_eq!(error.to_string(), "at #/paths/~1a\\u{1b}: bad \\u{7}");
    }
}
