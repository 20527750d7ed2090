//! Where a node is in the text: [`location_of`] reads the text again with
//! the parser that read it, walking along a JSON pointer and skipping
//! everything else, and stops with a marker error at the node; the parser's
//! position of that error is the answer. So JSON, block and flow YAML,
//! quoted keys and aliases are located exactly as the parsers read them.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::looks_like_json;
use crate::error::pointer_tokens;

/// The line and column (1-based) of the node a JSON pointer (`#/a/b`)
/// names in `text`, or of its nearest ancestor that is there; `None` for the
/// document root. A node that is a mapping's value is located at its key.
///
/// Costs two parses of the text: meant for errors, not for every node.
pub fn location_of(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens = pointer_tokens(pointer);
    if tokens.is_empty() {
        return None;
    }
    if looks_like_json(text) {
        if let Ok(found) = seek_json(text, &tokens) {
            return found;
        }
    }
    seek_yaml(text, &tokens)
}

/// `Err` when the text is not JSON after all (a YAML flow mapping).
fn seek_json(text: &str, tokens: &[String]) -> Result<Option<(usize, usize)>, ()> {
    let depth = Seek::probe(tokens)
        .deserialize(&mut serde_json::Deserializer::from_str(text))
        .map_err(|_| ())?;
    let Some(seek) = Seek::find(&tokens[..depth]) else {
        return Ok(None);
    };
    let Err(e) = seek.deserialize(&mut serde_json::Deserializer::from_str(text)) else {
        return Ok(None);
    };
    if !e.to_string().starts_with(FOUND) {
        return Ok(None);
    }
    Ok(json_token_start(text, e.line(), e.column()))
}

/// serde_json's position is the last byte it read: the end of a key or a
/// scalar, or the whitespace after a container's opening bracket. The node
/// starts at that bracket, or at the start of that token.
fn json_token_start(text: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let bytes = text.as_bytes();
    let mut at = (line_start + column)
        .checked_sub(1)?
        .min(bytes.len().checked_sub(1)?);
    while at > 0 && bytes[at].is_ascii_whitespace() {
        at -= 1;
    }
    match bytes[at] {
        b'{' | b'[' => {}
        b'"' => {
            // Back to the opening quote: one not escaped by a backslash.
            at = at.saturating_sub(1);
            while at > 0 {
                let backslashes = bytes[..at]
                    .iter()
                    .rev()
                    .take_while(|b| **b == b'\\')
                    .count();
                if bytes[at] == b'"' && backslashes % 2 == 0 {
                    break;
                }
                at -= 1;
            }
        }
        _ => {
            while at > 0
                && (bytes[at - 1].is_ascii_alphanumeric() || b".+-".contains(&bytes[at - 1]))
            {
                at -= 1;
            }
        }
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    Some((line, text.get(line_start..at)?.chars().count() + 1))
}

fn seek_yaml(text: &str, tokens: &[String]) -> Option<(usize, usize)> {
    let depth = Seek::probe(tokens)
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .ok()?;
    let seek = Seek::find(&tokens[..depth])?;
    let e = seek
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .err()?;
    let location = e.location()?;
    e.to_string()
        .contains(FOUND)
        .then_some((location.line(), location.column()))
}

/// The message of the error [`Seek`] stops with at its node.
const FOUND: &str = "apiforge: the node is here";

/// Walks a document along reference tokens. A probe returns how many tokens
/// lead to existing nodes; a find stops at its last token's node with the
/// [`FOUND`] error, which the parser marks with its position.
#[derive(Clone, Copy)]
struct Seek<'t> {
    tokens: &'t [String],
    stop: bool,
}

impl<'t> Seek<'t> {
    fn probe(tokens: &'t [String]) -> Self {
        Seek {
            tokens,
            stop: false,
        }
    }

    fn find(tokens: &'t [String]) -> Option<Self> {
        (!tokens.is_empty()).then_some(Seek { tokens, stop: true })
    }

    /// The walk one level down.
    fn rest(self) -> Self {
        Seek {
            tokens: &self.tokens[1..],
            stop: self.stop,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    /// How many tokens were found.
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let Some(token) = self.tokens.first() else {
            return Ok(0);
        };
        let key = Key {
            token,
            stop: self.stop && self.tokens.len() == 1,
        };
        while let Some(matched) = map.next_key_seed(key)? {
            if matched {
                let found = if self.tokens.len() == 1 {
                    map.next_value::<IgnoredAny>()?;
                    0
                } else {
                    map.next_value_seed(self.rest())?
                };
                // The parser insists on reading a mapping to its end.
                while map.next_key::<IgnoredAny>()?.is_some() {
                    map.next_value::<IgnoredAny>()?;
                }
                return Ok(found + 1);
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let Some(index) = self.tokens.first().and_then(|t| t.parse::<usize>().ok()) else {
            return Ok(0);
        };
        for _ in 0..index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(0);
            }
        }
        let found = match (self.tokens.len(), self.stop) {
            (1, true) => seq.next_element_seed(Here)?.map(|()| 0),
            (1, false) => seq.next_element::<IgnoredAny>()?.map(|_| 0),
            _ => seq.next_element_seed(self.rest())?,
        };
        // The parser insists on reading a sequence to its end.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(found.map_or(0, |n| n + 1))
    }

    // A scalar has nothing inside: no token leads further.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_unit<E: de::Error>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        self.deserialize(deserializer)
    }
}

/// A mapping key: whether it is `token`; stops there when `stop`.
#[derive(Clone, Copy)]
struct Key<'t> {
    token: &'t str,
    stop: bool,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        if key != self.token {
            Ok(false)
        } else if self.stop {
            Err(E::custom(FOUND))
        } else {
            Ok(true)
        }
    }
    fn visit_bool<E: de::Error>(self, key: bool) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_i64<E: de::Error>(self, key: i64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_u64<E: de::Error>(self, key: u64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
    fn visit_f64<E: de::Error>(self, key: f64) -> Result<bool, E> {
        self.visit_str(&key.to_string())
    }
}

/// The node [`Seek`] was looking for: stops with [`FOUND`].
struct Here;

impl<'de> DeserializeSeed<'de> for Here {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Here {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_some<D: Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(de::Error::custom(FOUND))
    }
}
