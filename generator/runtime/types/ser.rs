/// How many of a struct's optional properties are present (`flags`, one
/// per property): with the required ones, the length its `Serialize` gives
/// `serialize_struct`, as the derive counts it.
fn present(flags: &[bool]) -> usize {
    flags.iter().filter(|flag| **flag).count()
}

/// A struct's object while its written-out `Serialize` writes it, one
/// method call per property: the first error ends the writing and is what
/// [`StructWriter::end`] returns, as a `?` after each property would, but
/// without the `?`, which costs rustc a `From` lookup per property
/// (thousands in a large spec).
struct StructWriter<O>
where
    O: serde::ser::SerializeStruct,
{
    object: Result<O, O::Error>,
}

impl<O> StructWriter<O>
where
    O: serde::ser::SerializeStruct,
{
    /// Writes into `object`, as `serialize_struct` returned it.
    fn new(object: Result<O, O::Error>) -> Self {
        Self { object }
    }

    /// Writes the property `name`, unless an earlier one failed.
    fn field<T>(&mut self, name: &'static str, value: &T)
    where
        T: serde::Serialize + ?Sized,
    {
        // Not `if let ... && let ...`: the crates also build in editions
        // without let chains, and clippy would ask for them in 2024.
        let Ok(object) = &mut self.object else {
            return;
        };
        if let Err(error) = object.serialize_field(name, value) {
            self.object = Err(error);
        }
    }

    /// Leaves the absent property `name` out.
    fn skip(&mut self, name: &'static str) {
        let Ok(object) = &mut self.object else {
            return;
        };
        if let Err(error) = object.skip_field(name) {
            self.object = Err(error);
        }
    }

    /// Writes the optional property `name`, unless it is absent (`None`):
    /// where a derive would have `skip_serializing_if = "Option::is_none"`.
    fn option<T>(&mut self, name: &'static str, value: &Option<T>)
    where
        T: serde::Serialize,
    {
        if value.is_none() {
            self.skip(name);
        } else {
            self.field(name, value);
        }
    }

    /// Writes the optional nullable property `name`, unless it is absent:
    /// `null` and a value are written (see [`Nullable`]).
    fn nullable<T>(&mut self, name: &'static str, value: &Nullable<T>)
    where
        T: serde::Serialize,
    {
        if value.is_absent() {
            self.skip(name);
        } else {
            self.field(name, value);
        }
    }

    /// Ends the object, or returns the first error.
    fn end(self) -> Result<O::Ok, O::Error> {
        self.object?.end()
    }
}

impl<M> StructWriter<FlattenedObject<M>>
where
    M: serde::ser::SerializeMap,
{
    /// Writes the properties the schema does not list, `others`, after the
    /// struct's own, and ends the object; or returns the first error.
    fn end_with<V>(self, others: &std::collections::BTreeMap<String, V>) -> Result<M::Ok, M::Error>
    where
        V: serde::Serialize,
    {
        self.object?.end_with(others)
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
