// Fixed helper of every generated server's `extract.rs` that reads
// `application/x-www-form-urlencoded` bodies or `deepObject` parameters: a
// form as a tree of values with a serde `Deserializer`. Spliced into
// `extract.rs` (see `generator/src/emit/server/extract.rs`), which keeps the
// items the handlers reach. Plain `//` comments stay here; `///` docs go into
// the generated crate.

/// A value of a form: the text of a field, the values of a repeated
/// field (`key=1&key=2`, `key[]=1`, `key[0]=1`), or the fields of an
/// object (`key[name]=...`). It deserializes into any serde type,
/// reading text as the type asks (numbers, booleans, enums; objects
/// sent as one JSON text too).
pub(crate) enum FormValue {
    /// One value.
    Text(String),
    /// Several values.
    List(Vec<FormValue>),
    /// Named values.
    Map(Vec<(String, FormValue)>),
}

/// Why a form value cannot be read as a type.
type FormError = serde::de::value::Error;

/// The path of a form key: `a[b][]` is `a`, `b`, ``; a key that is not
/// such a path is itself.
fn key_path(key: &str) -> Vec<&str> {
    let Some(open) = key.find('[').filter(|open| *open > 0) else {
        return vec![key];
    };
    let (head, mut rest) = key.split_at(open);
    let mut path = vec![head];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return vec![key];
        };
        path.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    if rest.is_empty() {
        path
    } else {
        vec![key]
    }
}

impl FormValue {
    /// The object of `key=value` pairs.
    pub(crate) fn from_pairs(pairs: Vec<(String, String)>) -> FormValue {
        let mut object = FormValue::Map(Vec::new());
        for (key, value) in pairs {
            object.insert(&key_path(&key), value);
        }
        object
    }

    /// A value holding `value` at `path`.
    fn new(path: &[&str], value: String) -> FormValue {
        let mut node = match path.first() {
            None => return FormValue::Text(value),
            Some(key) if key.bytes().all(|b| b.is_ascii_digit()) => FormValue::List(Vec::new()),
            Some(_) => FormValue::Map(Vec::new()),
        };
        node.insert(path, value);
        node
    }

    /// Adds `value` at `path` below this value. A key that is already
    /// text does not become an object (`a=1&a[b]=2` keeps `a=1`).
    pub(crate) fn insert(&mut self, path: &[&str], value: String) {
        let Some((key, rest)) = path.split_first() else {
            return;
        };
        match self {
            FormValue::Map(entries) => match entries.iter_mut().find(|(k, _)| k == key) {
                Some((_, child)) if rest.is_empty() => child.push(value),
                Some((_, child)) => child.insert(rest, value),
                None => entries.push(((*key).to_owned(), FormValue::new(rest, value))),
            },
            // `key[]` appends; `key[n]` is the n-th item, or a new one.
            FormValue::List(items) => {
                match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) if rest.is_empty() => item.push(value),
                    Some(item) => item.insert(rest, value),
                    None => items.push(FormValue::new(rest, value)),
                }
            }
            FormValue::Text(_) => {}
        }
    }

    /// Adds another value for the same key: the values become a list.
    fn push(&mut self, value: String) {
        match self {
            FormValue::List(items) => items.push(FormValue::Text(value)),
            FormValue::Text(first) => {
                let first = FormValue::Text(std::mem::take(first));
                *self = FormValue::List(vec![first, FormValue::Text(value)]);
            }
            FormValue::Map(_) => {}
        }
    }
}

impl FormValue {
    /// The text of a single value.
    fn text(&self) -> Result<&str, FormError> {
        match self {
            FormValue::Text(text) => Ok(text),
            FormValue::List(_) => Err(serde::de::Error::custom(
                "expected one value, found several",
            )),
            FormValue::Map(_) => Err(serde::de::Error::custom(
                "expected a value, found named values",
            )),
        }
    }

    /// The text of a single value, parsed.
    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, FormError> {
        let text = self.text()?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not {what}")))
    }
}

impl<'de> serde::de::IntoDeserializer<'de, FormError> for &'de FormValue {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> serde::Deserializer<'de> for &'de FormValue {
    type Error = FormError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        match self {
            FormValue::Text(text) => visitor.visit_borrowed_str(text),
            FormValue::List(items) => {
                visitor.visit_seq(serde::de::value::SeqDeserializer::new(items.iter()))
            }
            FormValue::Map(entries) => visitor.visit_map(serde::de::value::MapDeserializer::new(
                entries.iter().map(|(key, value)| (key.as_str(), value)),
            )),
        }
    }

    fn deserialize_i8<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_i8(self.parse("an integer")?)
    }

    fn deserialize_i16<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_i16(self.parse("an integer")?)
    }

    fn deserialize_i32<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_i32(self.parse("an integer")?)
    }

    fn deserialize_i64<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_i64(self.parse("an integer")?)
    }

    fn deserialize_u8<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_u8(self.parse("an integer")?)
    }

    fn deserialize_u16<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_u16(self.parse("an integer")?)
    }

    fn deserialize_u32<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_u32(self.parse("an integer")?)
    }

    fn deserialize_u64<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_u64(self.parse("an integer")?)
    }

    fn deserialize_f32<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_f32(self.parse("a number")?)
    }

    fn deserialize_f64<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_f64(self.parse("a number")?)
    }

    fn deserialize_bool<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_bool(self.parse("a boolean")?)
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_newtype_struct(self)
    }

    /// A single value is a list of one; named values are a list of their values.
    fn deserialize_seq<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        match self {
            FormValue::Text(_) => visitor.visit_seq(serde::de::value::SeqDeserializer::new(
                std::iter::once(self),
            )),
            FormValue::List(items) => {
                visitor.visit_seq(serde::de::value::SeqDeserializer::new(items.iter()))
            }
            FormValue::Map(entries) => visitor.visit_seq(serde::de::value::SeqDeserializer::new(
                entries.iter().map(|(_, value)| value),
            )),
        }
    }

    fn deserialize_tuple<V: serde::de::Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        self.deserialize_seq(visitor)
    }

    /// Named values, or one JSON text.
    fn deserialize_map<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        match self {
            FormValue::Text(text) => serde_json::from_str::<serde_json::Value>(text)
                .and_then(|json| serde::Deserializer::deserialize_map(json, visitor))
                .map_err(serde::de::Error::custom),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_enum(serde::de::IntoDeserializer::into_deserializer(self.text()?))
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct tuple_struct identifier ignored_any
    }
}
