//! Schemas: named and inline schemas into types, hoisting what needs a name.

use super::*;

impl Resolver<'_> {
    /// Defines the named type for the schema at `pointer` (which already has
    /// a name in `self.named`), unless it is defined already.
    pub(super) fn define_named(&mut self, pointer: &str) -> Result<(), Error> {
        let name = self.named[pointer].clone();
        if self.types.contains_key(&name) {
            return Ok(());
        }
        let (schema, _) = self.deref_pointer::<Schema>(pointer, pointer)?;
        // Placeholder first: a schema that refers to itself finds its name
        // taken and stops there.
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                pointer: pointer.to_owned(),
                docs: None,
                example: None,
                kind: TypeKind::Alias(TypeRef::Any),
            },
        );
        let kind = self.type_kind(&schema, pointer, &name, 0)?;
        let def = TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            docs: schema_docs(&schema),
            example: schema.schema_data.example.clone(),
            kind,
        };
        self.types.insert(name, def);
        Ok(())
    }

    /// What a named schema becomes: a struct, an enum, or an alias.
    pub(super) fn type_kind(
        &mut self,
        schema: &Schema,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> Result<TypeKind, Error> {
        let view = SchemaView::of(schema);
        if let Some(values) = view.string_enum() {
            return Ok(TypeKind::Enum(self.enumeration(&values)));
        }
        if view.is_struct() {
            return Ok(TypeKind::Struct(
                self.structure(&view, pointer, name, depth)?,
            ));
        }
        Ok(TypeKind::Alias(self.inline(schema, pointer, name, depth)?))
    }

    /// The type of a schema used somewhere (a property, an item, a body).
    /// `hint` names the type if the schema has to be hoisted.
    pub(super) fn schema_ref<S>(
        &mut self,
        item: &ReferenceOr<S>,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef, Error>
    where
        S: std::borrow::Borrow<Schema>,
    {
        match item {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema.borrow(), pointer, hint, depth + 1),
        }
    }

    /// The type a `$ref` to a schema stands for: always a named type, so
    /// recursive schemas stay finite.
    pub(super) fn reference(&mut self, reference: &str, at: &str) -> Result<TypeRef, Error> {
        let mut target = self.local_pointer(reference, at)?;
        // A reference to a reference: name the last one.
        for _ in 0..MAX_REF_CHAIN {
            match self.doc.node(&target) {
                None => {
                    return Err(self
                        .doc
                        .error(at, format!("`$ref` to `{reference}`, which does not exist")))
                }
                Some(node) => match node.get("$ref").and_then(Value::as_str) {
                    Some(next) => {
                        if self.named.contains_key(&target) {
                            break;
                        }
                        target = self.local_pointer(next, &target)?;
                    }
                    None => break,
                },
            }
        }
        if !self.named.contains_key(&target) {
            // A schema outside components (e.g. under `#/paths/...`): name
            // it after the last token of its pointer.
            let last = target.rsplit('/').next().unwrap_or_default();
            let name = self.type_names.unique(&names::type_name(last, "Schema"));
            self.named.insert(target.clone(), name);
        }
        self.define_named(&target)?;
        Ok(TypeRef::Named(self.named[&target].clone()))
    }

    /// The type of an inline schema.
    pub(super) fn inline(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef, Error> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(self.doc.error(
                pointer,
                format!("schemas nested more than {MAX_SCHEMA_DEPTH} deep are not supported"),
            ));
        }
        let view = SchemaView::of(schema);
        if view.string_enum().is_some() || view.is_struct() {
            let name = self.type_names.unique(&names::type_name(hint, "Schema"));
            self.named.insert(pointer.to_owned(), name.clone());
            let kind = self.type_kind(schema, pointer, &name, depth)?;
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    pointer: pointer.to_owned(),
                    docs: schema_docs(schema),
                    example: schema.schema_data.example.clone(),
                    kind,
                },
            );
            return Ok(TypeRef::Named(name));
        }
        if let Some(ty) = self.composition(schema, pointer, hint, depth)? {
            return Ok(ty);
        }
        let ty = match view.typ {
            Some("string") => match view.format {
                Some("uuid") => TypeRef::Uuid,
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                _ => TypeRef::String,
            },
            Some("integer") => match view.format {
                Some("int32") => TypeRef::Integer(IntegerFormat::I32),
                _ => TypeRef::Integer(IntegerFormat::I64),
            },
            Some("number") => match view.format {
                Some("float") => TypeRef::Number(NumberFormat::F32),
                _ => TypeRef::Number(NumberFormat::F64),
            },
            Some("boolean") => TypeRef::Bool,
            Some("array") => match view.items {
                Some(items) => {
                    let items = items.clone();
                    let item = self.schema_ref(
                        &items,
                        &pointer_push(pointer, "items"),
                        &format!("{hint}Item"),
                        depth,
                    )?;
                    TypeRef::Array(Box::new(item))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            Some("object") | None if view.properties.is_empty() => {
                match view.additional_properties {
                    Some(extra) => {
                        let extra = extra.clone();
                        let value = self.additional(&extra, pointer, hint, depth)?;
                        TypeRef::Map(Box::new(value.unwrap_or(TypeRef::Any)))
                    }
                    None if view.typ == Some("object") => TypeRef::Map(Box::new(TypeRef::Any)),
                    None => TypeRef::Any,
                }
            }
            Some(other) => {
                let other = other.to_owned();
                self.warn(
                    pointer,
                    "unknown-type",
                    format!("unknown schema type `{other}`; using serde_json::Value"),
                );
                TypeRef::Any
            }
            None => TypeRef::Any,
        };
        Ok(ty)
    }

    /// `allOf`, `oneOf`, `anyOf` and `not`. A composition of exactly one
    /// schema is that schema (specs use `allOf: [$ref]` to add a description
    /// or `nullable` to a reference). The rest is not supported yet: it falls
    /// back to `serde_json::Value` with a warning.
    pub(super) fn composition(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<Option<TypeRef>, Error> {
        let (keyword, parts): (&str, &[ReferenceOr<Schema>]) = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => ("allOf", all_of),
            SchemaKind::OneOf { one_of } => ("oneOf", one_of),
            SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
            SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "unsupported-not",
                    "`not` is not supported; using serde_json::Value",
                );
                return Ok(Some(TypeRef::Any));
            }
            SchemaKind::Any(any) if !any.all_of.is_empty() => ("allOf", &any.all_of),
            SchemaKind::Any(any) if !any.one_of.is_empty() => ("oneOf", &any.one_of),
            SchemaKind::Any(any) if !any.any_of.is_empty() => ("anyOf", &any.any_of),
            _ => return Ok(None),
        };
        if let [only] = parts {
            let at = pointer_push(&pointer_push(pointer, keyword), "0");
            return self.schema_ref(only, &at, hint, depth).map(Some);
        }
        self.warn(
            pointer,
            "unsupported-composition",
            format!(
                "`{keyword}` with {} schemas is not supported yet; using serde_json::Value",
                parts.len()
            ),
        );
        Ok(Some(TypeRef::Any))
    }

    /// The value type of `additionalProperties`; `None` for `false`.
    pub(super) fn additional(
        &mut self,
        extra: &AdditionalProperties,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<Option<TypeRef>, Error> {
        match extra {
            AdditionalProperties::Any(false) => Ok(None),
            AdditionalProperties::Any(true) => Ok(Some(TypeRef::Any)),
            AdditionalProperties::Schema(schema) => self
                .schema_ref(
                    schema,
                    &pointer_push(pointer, "additionalProperties"),
                    &format!("{hint}Value"),
                    depth,
                )
                .map(Some),
        }
    }

    pub(super) fn structure(
        &mut self,
        view: &SchemaView<'_>,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> Result<Struct, Error> {
        let mut field_names = Namespace::new();
        let additional_properties = match view.additional_properties {
            Some(extra) => {
                let extra = extra.clone();
                field_names.reserve("additional_properties");
                self.additional(&extra, pointer, name, depth)?
            }
            None => None,
        };
        let mut fields = Vec::new();
        for (wire_name, property) in view.properties {
            let at = pointer_push(&pointer_push(pointer, "properties"), wire_name);
            let field_name = field_names.unique(&names::field_name(wire_name, "field"));
            let hint = format!("{name}{}", wire_name.to_upper_camel_case());
            let ty = self.schema_ref(property, &at, &hint, depth)?;
            let (docs, nullable) = match property {
                ReferenceOr::Item(schema) => (schema_docs(schema), schema.schema_data.nullable),
                ReferenceOr::Reference { reference } => {
                    let (target, _) = self.deref_pointer::<Schema>(reference, &at)?;
                    (None, target.schema_data.nullable)
                }
            };
            fields.push(Field {
                name: field_name,
                wire_name: wire_name.clone(),
                docs,
                ty,
                required: view.required.contains(wire_name),
                nullable,
            });
        }
        Ok(Struct {
            fields,
            additional_properties,
        })
    }

    pub(super) fn enumeration(&mut self, values: &[String]) -> Enum {
        let mut variant_names = Namespace::new();
        let variants = values
            .iter()
            .map(|value| EnumVariant {
                name: variant_names.unique(&names::variant_name(value, "Empty")),
                wire_value: value.clone(),
            })
            .collect();
        Enum {
            variants,
            unknown_variant: variant_names.unique("Unknown"),
        }
    }
}

/// The parts of a schema the resolver looks at, whether `openapiv3` could
/// type the schema or left it as `SchemaKind::Any`.
pub(super) struct SchemaView<'s> {
    typ: Option<&'s str>,
    format: Option<&'s str>,
    properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional_properties: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    /// Enum values, as JSON.
    enumeration: Vec<Value>,
}

static NO_PROPERTIES: std::sync::OnceLock<indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::OnceLock::new();

impl<'s> SchemaView<'s> {
    pub(super) fn of(schema: &'s Schema) -> Self {
        let empty = NO_PROPERTIES.get_or_init(indexmap::IndexMap::new);
        let mut view = SchemaView {
            typ: None,
            format: None,
            properties: empty,
            required: &[],
            additional_properties: None,
            items: None,
            enumeration: Vec::new(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = variant_format(&s.format);
                view.enumeration = s
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|v| Value::String(v.clone()))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = variant_format(&i.format);
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.format = variant_format(&n.format);
            }
            SchemaKind::Type(Type::Boolean(_)) => view.typ = Some("boolean"),
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = &o.properties;
                view.required = &o.required;
                view.additional_properties = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
            }
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.as_deref();
                view.properties = &any.properties;
                view.required = &any.required;
                view.additional_properties = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.enumeration = any.enumeration.clone();
            }
            _ => {}
        }
        view
    }

    /// The values of a string enum (nulls dropped: they make the type
    /// nullable, which `nullable` already says).
    pub(super) fn string_enum(&self) -> Option<Vec<String>> {
        if self.typ != Some("string") || self.enumeration.is_empty() {
            return None;
        }
        let values: Vec<String> = self
            .enumeration
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        (!values.is_empty()).then_some(values)
    }

    /// Whether the schema becomes a struct: an object with properties.
    pub(super) fn is_struct(&self) -> bool {
        matches!(self.typ, Some("object") | None) && !self.properties.is_empty()
    }
}

fn variant_format<T: serde::Serialize>(
    format: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<&'static str> {
    // Only the formats the model distinguishes matter; anything else reads
    // as the plain type.
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => match serde_json::to_value(item) {
            Ok(Value::String(s)) => KNOWN_FORMATS.iter().find(|f| **f == s).copied(),
            _ => None,
        },
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => {
            KNOWN_FORMATS.iter().find(|f| **f == s).copied()
        }
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

const KNOWN_FORMATS: &[&str] = &[
    "uuid",
    "date-time",
    "date",
    "int32",
    "int64",
    "float",
    "double",
];

/// A schema's docs: its description, else its title.
pub(super) fn schema_docs(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .filter(|d| !d.trim().is_empty())
}
