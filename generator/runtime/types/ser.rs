/// Writes the struct `name` through `serialize_struct`: its properties,
/// named by `names`, from `values` (a tuple of a [`WrittenProperty`] each, in
/// the order of `names`). The length given to the serializer counts the
/// properties written, as the derive counts them.
fn serialize_struct<S, P, const N: usize>(
    serializer: S,
    name: &'static str,
    names: &[&'static str; N],
    values: P,
) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    // `{ N }`, not `N`: a generic argument is looked up as a type first,
    // and a schema named `N` is a type of this module.
    P: WrittenProperties<{ N }>,
{
    use serde::ser::SerializeStruct;
    let written = (0..N).filter(|index| values.is_written(*index)).count();
    let mut object = serializer.serialize_struct(name, written)?;
    for (index, name) in names.iter().enumerate() {
        values.write(index, name, &mut object)?;
    }
    object.end()
}

/// Writes a struct that keeps the properties its schema does not list, as
/// [`serialize_struct`] writes one that does not, then `others` after its
/// own properties: a map whose length is not known in advance (the map is
/// flattened into it), as the derive's `flatten` writes it.
fn serialize_flattened<S, P, V, const N: usize>(
    serializer: S,
    names: &[&'static str; N],
    values: P,
    others: &std::collections::BTreeMap<String, V>,
) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    P: WrittenProperties<{ N }>,
    V: serde::Serialize,
{
    use serde::ser::SerializeMap;
    let mut object = FlattenedObject(serializer.serialize_map(None)?);
    for (index, name) in names.iter().enumerate() {
        values.write(index, name, &mut object)?;
    }
    for (name, value) in others {
        object.0.serialize_entry(name, value)?;
    }
    object.0.end()
}

/// The values of a struct's `N` properties as it writes them, by the index
/// of a property in its table of names: a tuple of a [`WrittenProperty`]
/// each, implemented once per number of properties in `models.rs`, not
/// once per struct.
trait WrittenProperties<const N: usize> {
    /// Whether the property at `index` is written (not left out as absent).
    /// Only indexes below `N` come here, so a `match` may end with `_` for
    /// the last.
    fn is_written(&self, index: usize) -> bool;

    /// Writes the property at `index` under `name`, or leaves it out.
    fn write<O>(&self, index: usize, name: &'static str, object: &mut O) -> Result<(), O::Error>
    where
        O: serde::ser::SerializeStruct;
}

/// One property's value as its struct writes it: a required property is
/// written as a reference to its field, an optional one through
/// [`UnlessNone`] or [`UnlessAbsent`].
trait WrittenProperty {
    /// Whether the property is written (not left out as absent).
    fn is_written(&self) -> bool;

    /// Writes the property `name`, or leaves it out.
    fn write<O>(&self, name: &'static str, object: &mut O) -> Result<(), O::Error>
    where
        O: serde::ser::SerializeStruct;
}

/// A required property: always written, `null` included.
impl<T> WrittenProperty for &T
where
    T: serde::Serialize,
{
    fn is_written(&self) -> bool {
        true
    }

    fn write<O>(&self, name: &'static str, object: &mut O) -> Result<(), O::Error>
    where
        O: serde::ser::SerializeStruct,
    {
        object.serialize_field(name, *self)
    }
}

/// An optional property, left out when `None`: where a derive would have
/// `skip_serializing_if = "Option::is_none"`.
struct UnlessNone<'a, T>(&'a Option<T>);

impl<T> WrittenProperty for UnlessNone<'_, T>
where
    T: serde::Serialize,
{
    fn is_written(&self) -> bool {
        self.0.is_some()
    }

    fn write<O>(&self, name: &'static str, object: &mut O) -> Result<(), O::Error>
    where
        O: serde::ser::SerializeStruct,
    {
        match self.0 {
            Some(_) => object.serialize_field(name, self.0),
            None => object.skip_field(name),
        }
    }
}

/// An optional nullable property, left out when absent: `null` and a
/// value are written (see [`Nullable`]).
struct UnlessAbsent<'a, T>(&'a Nullable<T>);

impl<T> WrittenProperty for UnlessAbsent<'_, T>
where
    T: serde::Serialize,
{
    fn is_written(&self) -> bool {
        !self.0.is_absent()
    }

    fn write<O>(&self, name: &'static str, object: &mut O) -> Result<(), O::Error>
    where
        O: serde::ser::SerializeStruct,
    {
        if self.0.is_absent() {
            object.skip_field(name)
        } else {
            object.serialize_field(name, self.0)
        }
    }
}

/// A struct with a map of the properties its schema does not list, while
/// it is written: its own properties go in as a struct's would
/// ([`serialize_flattened`] writes the map after them).
struct FlattenedObject<M>(M);

impl<M> serde::ser::SerializeStruct for FlattenedObject<M>
where
    M: serde::ser::SerializeMap,
{
    type Ok = M::Ok;
    type Error = M::Error;

    fn serialize_field<T>(&mut self, name: &'static str, value: &T) -> Result<(), M::Error>
    where
        T: serde::Serialize + ?Sized,
    {
        self.0.serialize_entry(name, value)
    }

    /// Ends the object without further properties; [`serialize_flattened`]
    /// ends it after the map.
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}
