/// A struct of `models.rs` while it is read from an object, property by
/// property: its `Deserialize` implementation holds one of these (its
/// properties so far) and hands it to [`deserialize_struct`], which reads
/// the names, so that each struct carries only what differs between them.
trait StructReader<'de> {
    /// The struct read.
    type Value;

    /// Reads the value of the property at `index` in the table of names
    /// given to [`deserialize_struct`]. Only indexes of that table come
    /// here, each at most once, so a `match` may end with `_` for the last.
    fn read<A>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>;

    /// Reads the value of a property the table does not list: skipped,
    /// unless the struct keeps such properties.
    fn read_other<A>(&mut self, key: std::borrow::Cow<'de, str>, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
    {
        let _ = key;
        map.next_value::<serde::de::IgnoredAny>().map(|_| ())
    }

    /// The struct, once the object ends; fails on a missing required
    /// property (see [`first_missing`]).
    fn finish<E>(self) -> Result<Self::Value, E>
    where
        E: serde::de::Error;
}

/// Reads the struct `name` (named in errors) from an object whose property
/// names are `fields`, starting from `reader` with nothing read. Properties
/// the table does not list go to [`StructReader::read_other`]; a listed
/// property sent twice is an error.
fn deserialize_struct<'de, D, R>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
    reader: R,
) -> Result<R::Value, D::Error>
where
    D: serde::Deserializer<'de>,
    R: StructReader<'de>,
{
    /// A property name: its index in the table, or the name itself.
    enum Key<'de> {
        Field(usize),
        Other(std::borrow::Cow<'de, str>),
    }

    /// Reads a property name, looking it up in the table from `next` on:
    /// properties usually come in the order of the table, so the search
    /// starts after the last one found.
    struct KeySeed {
        fields: &'static [&'static str],
        next: usize,
    }

    impl KeySeed {
        fn key<'de>(&self, name: &str) -> Option<Key<'de>> {
            let (before, after) = self.fields.split_at(self.next.min(self.fields.len()));
            let found = after
                .iter()
                .position(|field| *field == name)
                .map(|index| before.len() + index)
                .or_else(|| before.iter().position(|field| *field == name));
            found.map(Key::Field)
        }
    }

    impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
        type Value = Key<'de>;

        fn deserialize<K>(self, deserializer: K) -> Result<Key<'de>, K::Error>
        where
            K: serde::Deserializer<'de>,
        {
            deserializer.deserialize_identifier(self)
        }
    }

    impl<'de> serde::de::Visitor<'de> for KeySeed {
        type Value = Key<'de>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a property name")
        }

        fn visit_str<E>(self, name: &str) -> Result<Key<'de>, E>
        where
            E: serde::de::Error,
        {
            Ok(self
                .key(name)
                .unwrap_or_else(|| Key::Other(name.to_owned().into())))
        }

        fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Key<'de>, E>
        where
            E: serde::de::Error,
        {
            Ok(self.key(name).unwrap_or(Key::Other(name.into())))
        }

        fn visit_string<E>(self, name: String) -> Result<Key<'de>, E>
        where
            E: serde::de::Error,
        {
            Ok(self.key(&name).unwrap_or(Key::Other(name.into())))
        }

        fn visit_bytes<E>(self, name: &[u8]) -> Result<Key<'de>, E>
        where
            E: serde::de::Error,
        {
            self.visit_str(&String::from_utf8_lossy(name))
        }
    }

    struct StructVisitor<R> {
        name: &'static str,
        fields: &'static [&'static str],
        reader: R,
    }

    impl<'de, R> serde::de::Visitor<'de> for StructVisitor<R>
    where
        R: StructReader<'de>,
    {
        type Value = R::Value;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(formatter, "struct {}", self.name)
        }

        fn visit_map<A>(self, mut map: A) -> Result<R::Value, A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            let Self {
                fields, mut reader, ..
            } = self;
            // The properties read so far: a bit each, in one word for
            // structs of up to 128 properties (no allocation per object).
            let mut seen_few = 0u128;
            let mut seen_many = if fields.len() > 128 {
                vec![false; fields.len()]
            } else {
                Vec::new()
            };
            let mut next = 0;
            while let Some(key) = map.next_key_seed(KeySeed { fields, next })? {
                match key {
                    Key::Field(index) => {
                        let repeated = match seen_many.get_mut(index) {
                            Some(seen) => std::mem::replace(seen, true),
                            None => {
                                let bit = 1u128 << index;
                                let repeated = seen_few & bit != 0;
                                seen_few |= bit;
                                repeated
                            }
                        };
                        if repeated {
                            return Err(serde::de::Error::duplicate_field(fields[index]));
                        }
                        next = index + 1;
                        reader.read(index, &mut map)?;
                    }
                    Key::Other(key) => reader.read_other(key, &mut map)?,
                }
            }
            reader.finish()
        }
    }

    let visitor = StructVisitor {
        name,
        fields,
        reader,
    };
    deserializer.deserialize_struct(name, fields, visitor)
}

/// Reads a struct without properties (`name` in errors): an object, whose
/// properties are all skipped.
fn deserialize_empty_struct<'de, D>(deserializer: D, name: &'static str) -> Result<(), D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Nothing;

    impl<'de> StructReader<'de> for Nothing {
        type Value = ();

        // The table is empty: every property goes to `read_other`.
        fn read<A>(&mut self, _index: usize, _map: &mut A) -> Result<(), A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            Ok(())
        }

        fn finish<E>(self) -> Result<(), E>
        where
            E: serde::de::Error,
        {
            Ok(())
        }
    }

    deserialize_struct(deserializer, name, &[], Nothing)
}

/// Reads the value of a property into its field, of the type the field
/// is declared with: `read` of a `StructReader` calls this or
/// [`read_required`] for each property, so that the `?` is here once
/// rather than in every arm of every struct.
fn read_field<'de, A, T>(field: &mut T, map: &mut A) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    *field = map.next_value()?;
    Ok(())
}

/// Reads the value of a required property into its field, `None` until
/// read (see [`first_missing`]).
fn read_required<'de, A, T>(field: &mut Option<T>, map: &mut A) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    *field = Some(map.next_value()?);
    Ok(())
}

/// The error that names the first required property the object did not
/// have: `absent` tells which of the properties `names` are missing, both
/// in the spec's order. `finish` checks its required properties at once
/// and calls this when one is absent.
fn first_missing<E>(absent: &[bool], names: &[&'static str]) -> E
where
    E: serde::de::Error,
{
    let name = absent
        .iter()
        .zip(names)
        .find_map(|(absent, name)| absent.then_some(*name))
        .unwrap_or_default();
    E::missing_field(name)
}

/// Reads a string, borrowed from the input where the format allows: the
/// `Deserialize` of the string enums matches it against their values.
fn deserialize_str<'de, D>(deserializer: D) -> Result<std::borrow::Cow<'de, str>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct StrVisitor;

    impl<'de> serde::de::Visitor<'de> for StrVisitor {
        type Value = std::borrow::Cow<'de, str>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a string")
        }

        fn visit_str<E>(self, value: &str) -> Result<Self::Value, E>
        where
            E: serde::de::Error,
        {
            Ok(value.to_owned().into())
        }

        fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E>
        where
            E: serde::de::Error,
        {
            Ok(value.into())
        }

        fn visit_string<E>(self, value: String) -> Result<Self::Value, E>
        where
            E: serde::de::Error,
        {
            Ok(value.into())
        }
    }

    deserializer.deserialize_str(StrVisitor)
}
