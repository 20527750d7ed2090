/// A struct of `models.rs` as it is read from an object: its
/// `Deserialize` implementation hands the table of its property names to
/// [`deserialize_struct`], which reads the names and values into the
/// struct's slots, so that each struct carries only what differs between
/// them: the types of its slots and how it is built from them.
trait FromProperties: Sized {
    /// The properties read so far, a [`PropertySlot`] each in the order of
    /// the table: a tuple, read by [`PropertySlots`], which is written once
    /// for all the structs of a number of properties.
    type Slots;

    /// The properties the table does not list: skipped
    /// ([`SkippedProperties`]) or kept ([`KeptProperties`]).
    type Others;

    /// The struct, once the object ends; fails on a missing required
    /// property (see [`first_missing`]).
    fn finish<E>(slots: Self::Slots, others: Self::Others) -> Result<Self, E>
    where
        E: serde::de::Error;
}

/// Where the value of one property goes while its struct is read.
trait PropertySlot<'de> {
    /// The slot before its property is read.
    fn start() -> Self;

    /// Reads the value of the property into the slot.
    fn read<A>(&mut self, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>;
}

/// The slot of a required property that cannot be `null`: `None` until
/// read (see [`first_missing`]).
struct RequiredSlot<T>(Option<T>);

impl<'de, T> PropertySlot<'de> for RequiredSlot<T>
where
    T: serde::Deserialize<'de>,
{
    fn start() -> Self {
        RequiredSlot(None)
    }

    fn read<A>(&mut self, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
    {
        self.0 = Some(map.next_value()?);
        Ok(())
    }
}

/// The slot of any other property: a value of the type its field is
/// declared with, absent (its type's default) until read.
struct OptionalSlot<T>(T);

impl<'de, T> PropertySlot<'de> for OptionalSlot<T>
where
    T: serde::Deserialize<'de> + Default,
{
    fn start() -> Self {
        OptionalSlot(T::default())
    }

    fn read<A>(&mut self, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
    {
        self.0 = map.next_value()?;
        Ok(())
    }
}

/// The slots of a struct, by the index of a property in the table given
/// to [`deserialize_struct`]: implemented for the tuples of slots, once per
/// number of properties, in `models.rs`.
trait PropertySlots<'de> {
    /// The slots before any property is read.
    fn start() -> Self;

    /// Reads the value of the property at `index`. Only indexes of the
    /// table come here, each at most once, so a `match` may end with `_`
    /// for the last.
    fn read<A>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>;
}

/// What a struct does with the properties its table does not list.
trait OtherProperties<'de> {
    /// Before any property is read.
    fn start() -> Self;

    /// Reads the value of the property `key`.
    fn read<A>(&mut self, key: std::borrow::Cow<'de, str>, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>;
}

/// The properties a struct does not list, skipped.
struct SkippedProperties;

impl<'de> OtherProperties<'de> for SkippedProperties {
    fn start() -> Self {
        SkippedProperties
    }

    fn read<A>(&mut self, key: std::borrow::Cow<'de, str>, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
    {
        let _ = key;
        map.next_value::<serde::de::IgnoredAny>().map(|_| ())
    }
}

/// The properties a struct does not list, kept by name (its
/// `additional_properties`).
struct KeptProperties<V>(std::collections::BTreeMap<String, V>);

impl<'de, V> OtherProperties<'de> for KeptProperties<V>
where
    V: serde::Deserialize<'de>,
{
    fn start() -> Self {
        KeptProperties(std::collections::BTreeMap::new())
    }

    fn read<A>(&mut self, key: std::borrow::Cow<'de, str>, map: &mut A) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
    {
        self.0.insert(key.into_owned(), map.next_value()?);
        Ok(())
    }
}

/// Reads the struct `name` (named in errors) from an object whose property
/// names are `fields`, into the slots of `R`. Properties the table does not
/// list go to its [`OtherProperties`]; a listed property sent twice is an
/// error.
fn deserialize_struct<'de, D, R>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
) -> Result<R, D::Error>
where
    D: serde::Deserializer<'de>,
    R: FromProperties,
    R::Slots: PropertySlots<'de>,
    R::Others: OtherProperties<'de>,
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
        read: std::marker::PhantomData<R>,
    }

    impl<'de, R> serde::de::Visitor<'de> for StructVisitor<R>
    where
        R: FromProperties,
        R::Slots: PropertySlots<'de>,
        R::Others: OtherProperties<'de>,
    {
        type Value = R;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(formatter, "struct {}", self.name)
        }

        fn visit_map<A>(self, mut map: A) -> Result<R, A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            let fields = self.fields;
            let mut slots = R::Slots::start();
            let mut others = R::Others::start();
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
                        slots.read(index, &mut map)?;
                    }
                    Key::Other(key) => others.read(key, &mut map)?,
                }
            }
            R::finish(slots, others)
        }
    }

    let visitor = StructVisitor {
        name,
        fields,
        read: std::marker::PhantomData,
    };
    deserializer.deserialize_struct(name, fields, visitor)
}

/// Reads a struct without properties (`name` in errors): an object, whose
/// properties are all skipped.
fn deserialize_empty_struct<'de, D>(deserializer: D, name: &'static str) -> Result<(), D::Error>
where
    D: serde::Deserializer<'de>,
{
    /// A struct without properties, and its (empty) slots.
    struct Nothing;

    impl FromProperties for Nothing {
        type Slots = Nothing;
        type Others = SkippedProperties;

        fn finish<E>(_: Nothing, _: SkippedProperties) -> Result<Nothing, E>
        where
            E: serde::de::Error,
        {
            Ok(Nothing)
        }
    }

    impl<'de> PropertySlots<'de> for Nothing {
        fn start() -> Self {
            Nothing
        }

        // The table is empty: every property goes to the others.
        fn read<A>(&mut self, _index: usize, _map: &mut A) -> Result<(), A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            Ok(())
        }
    }

    deserialize_struct::<D, Nothing>(deserializer, name, &[]).map(|Nothing| ())
}

/// The error that names the first required property the object did not
/// have: `absent` tells which of the properties `names` are missing, both
/// in the spec's order. [`FromProperties::finish`] checks its required
/// properties at once and calls this when one is absent.
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
