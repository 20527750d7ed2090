/// How many of a struct's optional properties are present (`flags`, one
/// per property): with the required ones, the length its `Serialize` gives
/// `serialize_struct`, as the derive counts it.
fn present(flags: &[bool]) -> usize {
    flags.iter().filter(|flag| **flag).count()
}

/// Writes the optional property `name` of a struct, unless it is absent
/// (`None`): the written-out `Serialize` of `models.rs` calls this where a
/// derive would have `skip_serializing_if = "Option::is_none"`.
fn serialize_option<O, T>(object: &mut O, name: &'static str, value: &Option<T>) -> Result<(), O::Error>
where
    O: serde::ser::SerializeStruct,
    T: serde::Serialize,
{
    if value.is_none() {
        object.skip_field(name)
    } else {
        object.serialize_field(name, value)
    }
}

/// Writes the optional nullable property `name` of a struct, unless it is
/// absent: `null` and a value are written (see [`Nullable`]).
fn serialize_nullable<O, T>(object: &mut O, name: &'static str, value: &Nullable<T>) -> Result<(), O::Error>
where
    O: serde::ser::SerializeStruct,
    T: serde::Serialize,
{
    if value.is_absent() {
        object.skip_field(name)
    } else {
        object.serialize_field(name, value)
    }
}

/// A struct with a map of the properties its schema does not list, while
/// it is written: an object whose length is not known in advance (the map
/// is flattened into it), written property by property like a struct
/// without that map, and ended by [`FlattenedObject::end_with`].
struct FlattenedObject<M>(M);

impl<M> FlattenedObject<M>
where
    M: serde::ser::SerializeMap,
{
    /// Writes the properties the schema does not list, `others`, after
    /// those written so far, and ends the object.
    fn end_with<V>(mut self, others: &std::collections::BTreeMap<String, V>) -> Result<M::Ok, M::Error>
    where
        V: serde::Serialize,
    {
        for (name, value) in others {
            self.0.serialize_entry(name, value)?;
        }
        self.0.end()
    }
}

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

    /// Ends the object without further properties; [`FlattenedObject::end_with`]
    /// is how the structs end it.
    fn end(self) -> Result<M::Ok, M::Error> {
        self.0.end()
    }
}
