//! Schemas: named and inline schemas into types, hoisting what needs a name.
//!
//! A schema is first read into a [`SchemaView`]: its keywords, whichever way
//! `openapiv3` parsed it (typed, or `SchemaKind::Any` for schemas that mix
//! keywords), with the parts of an `allOf` merged in. The view decides what
//! the schema becomes: a string enum, a struct, a union (`oneOf`/`anyOf`)
//! or a plain type (`String`, `Vec<T>`, a map, ...).

use std::borrow::Borrow;
use std::cmp::Reverse;
use std::collections::BTreeSet;

use openapiv3::{AnySchema, Discriminator, SchemaData};

use super::renames;
use super::*;
use crate::model::{Union, UnionVariant};

/// How early an untagged union variant is tried (lower first), and among
/// structs, how many required properties it has (more first).
type Specificity = (u8, Reverse<usize>);

impl<'a> Resolver<'a> {
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
        self.insert_placeholder(&name, pointer);
        let view = self.view(&schema, pointer)?;
        let kind = self.type_kind(&view, pointer, &name, 0)?;
        let constraints = self.type_constraints(&kind, pointer);
        let def = TypeDef {
            name: name.clone(),
            pointer: pointer.to_owned(),
            docs: view.docs(),
            example: schema.schema_data.example.clone(),
            kind,
            derives: Vec::new(),
            attributes: Vec::new(),
            constraints,
        };
        self.types.insert(name, def);
        Ok(())
    }

    /// The constraints of the named type of `kind` defined at `pointer`;
    /// for a union, the warnings about its alternatives' constraints,
    /// which no variant carries.
    fn type_constraints(&mut self, kind: &TypeKind, pointer: &str) -> Constraints {
        if let (TypeKind::Union(_), Some(node)) = (kind, self.doc.node(pointer)) {
            let warnings = super::constraints::union_warnings(node, pointer);
            self.warnings.extend(warnings);
        }
        self.constraints_at(pointer)
    }

    fn insert_placeholder(&mut self, name: &str, pointer: &str) {
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                pointer: pointer.to_owned(),
                docs: None,
                example: None,
                kind: TypeKind::Alias(TypeRef::Any),
                derives: Vec::new(),
                attributes: Vec::new(),
                constraints: Constraints::default(),
            },
        );
    }

    /// What a named schema becomes: an enum, a struct, a union, or an alias.
    fn type_kind(
        &mut self,
        view: &SchemaView,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> Result<TypeKind, Error> {
        self.warn_ignored(view, pointer);
        if let Some((part, at)) = &view.same {
            return Ok(match part {
                // The type is the part itself, under this name.
                ReferenceOr::Item(schema) => {
                    let inner = self.view(schema, at)?;
                    self.type_kind(&inner, at, name, depth + 1)?
                }
                ReferenceOr::Reference { reference } => {
                    TypeKind::Alias(self.reference(reference, at)?)
                }
            });
        }
        if let Some(values) = view.string_enum() {
            if view.typ == Some(JsonType::String) {
                self.warn_non_string_values(view, pointer);
            }
            return Ok(TypeKind::Enum(self.enumeration(&values, pointer)?));
        }
        if view.is_struct() {
            return Ok(TypeKind::Struct(
                self.structure(view, pointer, name, depth)?,
            ));
        }
        if let Some(alternatives) = &view.alternatives {
            return self.union(view, alternatives, pointer, name, depth);
        }
        Ok(TypeKind::Alias(self.plain(view, pointer, name, depth)?))
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
        S: Borrow<Schema>,
    {
        match item {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => match self.replaced(pointer) {
                Some(replacement) => Ok(replacement),
                None => self.inline(schema.borrow(), pointer, hint, depth + 1),
            },
        }
    }

    /// The type a `$ref` to a schema stands for: always a named type, so
    /// recursive schemas stay finite.
    pub(super) fn reference(&mut self, reference: &str, at: &str) -> Result<TypeRef, Error> {
        let mut target = self.local_pointer(reference, at)?;
        // A reference to a reference: name the last one.
        for _ in 0..MAX_REF_CHAIN {
            if let Some(replacement) = self.replaced(&target) {
                return Ok(replacement);
            }
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
        if self.defining < MAX_NESTED_DEFINITIONS {
            self.defining += 1;
            let defined = self.define_named(&target);
            self.defining -= 1;
            defined?;
        } else {
            self.pending.push(target.clone());
        }
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
        let view = self.view(schema, pointer)?;
        if let Some((part, at)) = &view.same {
            self.warn_ignored(&view, pointer);
            return self.schema_ref(part, at, hint, depth);
        }
        if view.needs_name() {
            if let Some(name) = self.named.get(pointer) {
                // The same schema reached again (a property of an `allOf`
                // part merged into several schemas): one type for it.
                return Ok(TypeRef::Named(name.clone()));
            }
            // `$ref`s are document-wide, so equal content means an equal
            // type wherever the schema appears.
            // (A schema that does not serialize is never shared.)
            let content = content_key(schema, &self.content_keys);
            if let Some(shared) = content.as_ref().and_then(|c| self.inline_types.get(c)) {
                let name = shared.name.clone();
                let copies = relocated(&shared.warnings, &shared.pointer, pointer);
                self.warnings.extend(copies);
                self.named.insert(pointer.to_owned(), name.clone());
                return Ok(TypeRef::Named(name));
            }
            let name = self.type_names.unique(&names::type_name(hint, "Schema"));
            self.named.insert(pointer.to_owned(), name.clone());
            self.insert_placeholder(&name, pointer);
            let warned = self.warnings.len();
            let kind = self.type_kind(&view, pointer, &name, depth)?;
            if let Some(content) = content {
                let inside = relocated(&self.warnings[warned..], pointer, pointer);
                self.inline_types.insert(
                    content,
                    SharedInline {
                        name: name.clone(),
                        pointer: pointer.to_owned(),
                        warnings: inside,
                    },
                );
            }
            let constraints = self.type_constraints(&kind, pointer);
            self.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    pointer: pointer.to_owned(),
                    docs: view.docs(),
                    example: schema.schema_data.example.clone(),
                    kind,
                    derives: Vec::new(),
                    attributes: Vec::new(),
                    constraints,
                },
            );
            return Ok(TypeRef::Named(name));
        }
        self.warn_ignored(&view, pointer);
        self.plain(&view, pointer, hint, depth)
    }

    /// The type of a schema that needs no name of its own: a scalar, an
    /// array, a map, or any value.
    fn plain(
        &mut self,
        view: &SchemaView,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef, Error> {
        if view.conflict {
            // Already warned about where the parts were merged.
            return Ok(TypeRef::Any);
        }
        let typ = view.value_type();
        let ty = match &typ {
            Some(JsonType::String) => match view.format.as_deref() {
                Some("uuid") => self.shaping.uuid(),
                Some("date-time") => self.shaping.date_time(),
                Some("date") => self.shaping.date(),
                Some("decimal") => self.shaping.decimal().unwrap_or(TypeRef::String),
                _ => TypeRef::String,
            },
            Some(JsonType::Integer) => match view.format.as_deref() {
                Some("int32") => TypeRef::Integer(IntegerFormat::I32),
                Some("decimal") => self
                    .shaping
                    .decimal()
                    .unwrap_or(TypeRef::Integer(IntegerFormat::I64)),
                _ => TypeRef::Integer(IntegerFormat::I64),
            },
            Some(JsonType::Number) => match view.format.as_deref() {
                Some("float") => TypeRef::Number(NumberFormat::F32),
                Some("decimal") => self
                    .shaping
                    .decimal()
                    .unwrap_or(TypeRef::Number(NumberFormat::F64)),
                _ => TypeRef::Number(NumberFormat::F64),
            },
            Some(JsonType::Boolean) => TypeRef::Bool,
            Some(JsonType::Array) => match &view.items {
                Some((items, at)) => {
                    let item = self.schema_ref(items, at, &format!("{hint}Item"), depth)?;
                    TypeRef::Array(Box::new(self.or_null(item, items, at)?))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            Some(JsonType::Object) | None => match &view.additional_properties {
                Some((extra, at)) => {
                    let value = self.additional(extra, at, hint, depth)?;
                    TypeRef::Map(Box::new(value.unwrap_or(TypeRef::Any)))
                }
                None if typ == Some(JsonType::Object) => TypeRef::Map(Box::new(TypeRef::Any)),
                None => TypeRef::Any,
            },
            // OpenAPI 3.1's null type: `serde_json::Value` holds the null.
            Some(JsonType::Null) => TypeRef::Any,
            Some(JsonType::Unknown(other)) => {
                self.warn(
                    pointer,
                    WarningKind::UnknownType,
                    format!("unknown schema type `{other}`; using serde_json::Value"),
                );
                TypeRef::Any
            }
        };
        Ok(ty)
    }

    /// Warns about keywords a view leaves out.
    fn warn_ignored(&mut self, view: &SchemaView, pointer: &str) {
        if view.not {
            let message = if view.typ.is_none()
                && !view.shapes_value()
                && view.alternatives.is_none()
            {
                "`not` is not supported; using serde_json::Value"
            } else {
                "`not` is not supported; the schema is read without it (accepting values it excludes)"
            };
            self.warn(pointer, WarningKind::UnsupportedNot, message);
        }
        if view.discriminator.is_some() && view.alternatives.is_none() {
            self.warn(
                pointer,
                WarningKind::UnsupportedDiscriminator,
                "a `discriminator` without `oneOf`/`anyOf` (polymorphism through `allOf`) is not supported; the schema is read as itself",
            );
        }
    }

    /// Warns that a `type: string` enum lists values that are not strings.
    fn warn_non_string_values(&mut self, view: &SchemaView, pointer: &str) {
        let others: Vec<String> = view
            .enumeration
            .iter()
            .filter(|v| !v.is_string() && !v.is_null())
            .map(|v| format!("`{v}`"))
            .collect();
        if !others.is_empty() {
            self.warn(
                pointer,
                WarningKind::EnumValueType,
                format!(
                    "the string enum lists {} which {} not strings; kept as the strings of their JSON text",
                    others.join(", "),
                    if others.len() == 1 { "is" } else { "are" }
                ),
            );
        }
    }

    /// The value type of `additionalProperties` (at `pointer`'s schema);
    /// `None` for `false`.
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
            AdditionalProperties::Schema(schema) => {
                let at = pointer_push(pointer, "additionalProperties");
                let value = self.schema_ref(schema, &at, &format!("{hint}Value"), depth)?;
                Ok(Some(self.or_null(value, schema, &at)?))
            }
        }
    }

    /// The type of an item or value of a container, `ty`, as an `Option`
    /// when its schema admits `null` (a property's `null` is the field's
    /// [`Field::nullable`] instead).
    fn or_null<S: Borrow<Schema>>(
        &self,
        ty: TypeRef,
        schema: &ReferenceOr<S>,
        at: &str,
    ) -> Result<TypeRef, Error> {
        // `serde_json::Value` holds a `null` already.
        if ty == TypeRef::Any || !self.nullable(schema, at, 0)? {
            return Ok(ty);
        }
        Ok(TypeRef::OrNull(Box::new(ty)))
    }

    fn structure(
        &mut self,
        view: &SchemaView,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> Result<Struct, Error> {
        let mut field_names = Namespace::new();
        let mut additional_properties = match &view.additional_properties {
            Some((extra, at)) => {
                field_names.reserve("additional_properties");
                self.additional(extra, at, name, depth)?
            }
            None => None,
        };
        if let Some(alternatives) = &view.alternatives {
            self.warn(
                pointer,
                WarningKind::UnsupportedComposition,
                format!(
                    "`{}` next to `properties` is not supported yet; the properties become fields and any other property is kept in `additional_properties`",
                    alternatives.keyword
                ),
            );
            if additional_properties.is_none() {
                field_names.reserve("additional_properties");
                additional_properties = Some(TypeRef::Any);
            }
        }
        // Names the configuration gives take their place first; a derived
        // name equal to one is an error rather than a silent `name2`.
        let mut renamed = self.field_renames(pointer).cloned();
        if let Some(renamed) = &renamed {
            for rename in renamed.values() {
                if field_names.contains(&rename.name) {
                    return Err(renames::error(
                        self.config,
                        renames::Section::Fields,
                        &rename.key,
                        &format!("`{}` is a name the generated struct uses", rename.name),
                    ));
                }
                field_names.reserve(&rename.name);
            }
        }
        let mut fields = Vec::new();
        for property in &view.properties {
            let wire_name = &property.wire_name;
            let field_name = renames::given_or_derived(
                self.config,
                renames::Section::Fields,
                &mut renamed,
                &mut field_names,
                wire_name,
                names::field_name(wire_name, "field"),
            )?;
            let hint = format!("{name}{}", wire_name.to_upper_camel_case());
            let ty = self.schema_ref(&property.schema, &property.pointer, &hint, depth)?;
            let docs = match &property.schema {
                ReferenceOr::Item(schema) => SchemaView::own(schema, &property.pointer).0.docs(),
                ReferenceOr::Reference { .. } => None,
            };
            let nullable = self.nullable(&property.schema, &property.pointer, 0)?;
            let constraints = self.constraints_at(&property.pointer);
            fields.push(Field {
                name: field_name,
                wire_name: wire_name.clone(),
                docs,
                ty,
                required: view.required.contains(wire_name),
                nullable,
                constraints,
            });
        }
        if let (Some(renamed), Some(stored)) = (renamed, self.field_renames(pointer)) {
            *stored = renamed;
        }
        Ok(Struct {
            fields,
            additional_properties,
        })
    }

    /// The enum of `values`, for the schema at `pointer` (whose variant
    /// renames it applies).
    pub(super) fn enumeration(&mut self, values: &[String], pointer: &str) -> Result<Enum, Error> {
        let mut variant_names = Namespace::new();
        let mut renamed = self.variant_renames(pointer).cloned();
        for rename in renamed.iter().flat_map(|r| r.values()) {
            variant_names.reserve(&rename.name);
        }
        // A value listed twice is one variant.
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for value in values.iter().filter(|value| seen.insert(value.as_str())) {
            let name = renames::given_or_derived(
                self.config,
                renames::Section::Variants,
                &mut renamed,
                &mut variant_names,
                value,
                names::variant_name(value, "Empty"),
            )?;
            variants.push(EnumVariant {
                name,
                wire_value: value.clone(),
            });
        }
        if let (Some(renamed), Some(stored)) = (renamed, self.variant_renames(pointer)) {
            *stored = renamed;
        }
        Ok(Enum {
            variants,
            unknown_variant: variant_names.unique("Unknown"),
        })
    }

    /// Whether a schema admits `null`: `nullable: true`, a `oneOf`/`anyOf`
    /// with a null or nullable alternative, or an `allOf` whose parts all
    /// are. Reads the schema as written: a view would read (and name the
    /// pointers of) every property.
    pub(super) fn nullable<S: Borrow<Schema>>(
        &self,
        item: &ReferenceOr<S>,
        at: &str,
        depth: usize,
    ) -> Result<bool, Error> {
        if depth > MAX_REF_CHAIN {
            return Ok(false);
        }
        let (schema, at) = self.deref_part(as_part(item), at)?;
        if schema.schema_data.nullable || is_null_schema(&schema) {
            return Ok(true);
        }
        let (alternatives, all_of) = compositions(&schema);
        if let Some((keyword, parts)) = alternatives {
            if parts
                .iter()
                .any(|part| matches!(part, ReferenceOr::Item(s) if is_null_schema(s)))
            {
                return Ok(true);
            }
            for (i, part) in parts.iter().enumerate() {
                let part_at = pointer_push(&pointer_push(&at, keyword), &i.to_string());
                if self.nullable(part, &part_at, depth + 1)? {
                    return Ok(true);
                }
            }
        }
        if all_of.is_empty() {
            return Ok(false);
        }
        for (i, part) in all_of.iter().enumerate() {
            let part_at = pointer_push(&pointer_push(&at, "allOf"), &i.to_string());
            if !self.nullable(part, &part_at, depth + 1)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Follows `$ref`s from a part until a schema, returning it with the
    /// pointer it was found at. `at` is where `part` itself sits.
    pub(super) fn deref_part<'p>(
        &self,
        part: Part<'p>,
        at: &str,
    ) -> Result<(Cow<'p, Schema>, String), Error>
    where
        'a: 'p,
    {
        match part {
            ReferenceOr::Item(schema) => Ok((schema, at.to_owned())),
            ReferenceOr::Reference { reference } => self.deref_pointer(&reference, at),
        }
    }

    // ---- views -------------------------------------------------------------

    /// The view of `schema` (at `pointer`), with its `allOf` parts merged in.
    fn view<'s>(&mut self, schema: &'s Schema, pointer: &str) -> Result<SchemaView<'s>, Error>
    where
        'a: 's,
    {
        let outer = std::mem::replace(&mut self.merged_parts, 0);
        let view = self.merged_view(schema, pointer, &mut Vec::new());
        self.merged_parts = outer;
        view
    }

    /// Whether `view` requires a property that `part` (at `at`), the one
    /// schema it is composed of, does not require itself.
    fn requires_more(
        &self,
        view: &SchemaView<'_>,
        part: Part<'_>,
        at: &str,
    ) -> Result<bool, Error> {
        if view.required.is_empty() {
            return Ok(false);
        }
        let (schema, at) = self.deref_part(part, at)?;
        let (target, _) = SchemaView::own(&schema, &at);
        Ok(view
            .required
            .iter()
            .any(|name| !target.required.contains(name)))
    }

    /// [`Self::view`], with the pointers of the schemas whose `allOf` is
    /// being merged (a schema that is its own part stops there).
    fn merged_view<'s>(
        &mut self,
        schema: &'s Schema,
        pointer: &str,
        merging: &mut Vec<String>,
    ) -> Result<SchemaView<'s>, Error>
    where
        'a: 's,
    {
        let (mut view, all_of) = SchemaView::own(schema, pointer);
        // A composition of one schema next to nothing that shapes the value
        // is that schema (specs use `allOf: [$ref]` to add a description or
        // `nullable` to a reference). A `required` that the schema does not
        // already have shapes it (`{allOf: [$ref: Pet], required: [name]}`,
        // or 3.1's `{$ref: Pet, required: [name]}`): the parts are merged
        // into a type of its own, with those properties required.
        if !view.shapes_value() {
            match (all_of, &view.alternatives) {
                ([only], None) => {
                    let at = pointer_push(&pointer_push(pointer, "allOf"), "0");
                    if !self.requires_more(&view, as_part(only), &at)? {
                        view.same = Some((as_part(only), at));
                        return Ok(view);
                    }
                }
                ([], Some(alternatives)) if alternatives.parts.len() == 1 => {
                    view.same = alternatives.parts.first().cloned();
                    view.alternatives = None;
                    return Ok(view);
                }
                _ => {}
            }
        }
        if all_of.is_empty() {
            return Ok(view);
        }
        if merging.len() >= MAX_REF_CHAIN {
            return Err(self.doc.error(
                pointer,
                format!("`allOf` parts nest more than {MAX_REF_CHAIN} deep"),
            ));
        }
        // Parts that share parts (`A: allOf [B, C]`, both `allOf [D]`, ...)
        // are merged again each time: a few levels of that multiply.
        self.merged_parts += all_of.len();
        if self.merged_parts > MAX_MERGED_PARTS {
            return Err(self.doc.error(
                merging.first().map_or(pointer, String::as_str),
                format!(
                    "`allOf` parts, and theirs, add up to more than {MAX_MERGED_PARTS} schemas"
                ),
            ));
        }
        merging.push(pointer.to_owned());
        for (i, part) in all_of.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            if let Some(part) = self.followed_view(as_part(part), &at, merging)? {
                self.merge(&mut view, part, pointer)?;
            }
        }
        merging.pop();
        Ok(view)
    }

    /// The merged view of the schema `item` stands for, through `$ref`s and
    /// compositions of one schema. `None` for a schema that is already being
    /// merged (an `allOf` that contains itself), with a warning.
    fn followed_view<'p>(
        &mut self,
        item: Part<'p>,
        at: &str,
        merging: &mut Vec<String>,
    ) -> Result<Option<SchemaView<'p>>, Error>
    where
        'a: 'p,
    {
        let mut current = (item, at.to_owned());
        for _ in 0..MAX_REF_CHAIN {
            let (schema, schema_at) = self.deref_part(current.0, &current.1)?;
            if merging.contains(&schema_at) {
                self.warn(
                    at,
                    WarningKind::RecursiveAllof,
                    format!("`{schema_at}` is a part of its own `allOf`; that part is skipped"),
                );
                return Ok(None);
            }
            let mut view = match schema {
                Cow::Borrowed(schema) => self.merged_view(schema, &schema_at, merging)?,
                // A schema read from the raw tree, or synthesized: it ends
                // here, so the view takes copies of what it would borrow.
                Cow::Owned(schema) => self.merged_view(&schema, &schema_at, merging)?.into_owned(),
            };
            match view.same.take() {
                Some(next) => current = next,
                None => return Ok(Some(view)),
            }
        }
        Err(self.doc.error(
            at,
            "compositions of one schema nest without end (a reference cycle)",
        ))
    }

    /// Adds an `allOf` part to the view of the schema at `pointer`: the
    /// properties and `required` of both, the rest from the first that has
    /// it.
    fn merge<'s>(
        &mut self,
        view: &mut SchemaView<'s>,
        part: SchemaView<'s>,
        pointer: &str,
    ) -> Result<(), Error> {
        view.typ = match (view.typ.take(), part.typ) {
            (None, typ) | (typ, None) => typ,
            (Some(a), Some(b)) if a == b => Some(a),
            (Some(a), Some(b)) if a.is_numeric() && b.is_numeric() => Some(JsonType::Integer),
            (Some(a), Some(b)) => {
                self.warn(
                    pointer,
                    WarningKind::AllofConflict,
                    format!("the parts of `allOf` have different types (`{a}` and `{b}`); using serde_json::Value"),
                );
                view.conflict = true;
                Some(a)
            }
        };
        if view.format.is_none() {
            view.format = part.format;
        }
        for property in part.properties {
            match view
                .properties
                .iter()
                .position(|p| p.wire_name == property.wire_name)
            {
                None => view.properties.push(property),
                Some(i) => {
                    if let Some(merged) =
                        self.merge_property(&view.properties[i], property, pointer)?
                    {
                        view.properties[i] = merged;
                    }
                }
            }
        }
        for name in part.required {
            if !view.required.contains(&name) {
                view.required.push(name);
            }
        }
        if view.additional_properties.is_none() {
            view.additional_properties = part.additional_properties;
        }
        if view.items.is_none() {
            view.items = part.items;
        }
        if view.enumeration.is_empty() {
            view.enumeration = part.enumeration;
        }
        match (&view.alternatives, part.alternatives) {
            (_, None) => {}
            (None, Some(alternatives)) => {
                view.alternatives = Some(alternatives);
                if view.discriminator.is_none() {
                    view.discriminator = part.discriminator;
                }
            }
            (Some(_), Some(alternatives)) => self.warn(
                pointer,
                WarningKind::UnsupportedComposition,
                format!(
                    "`allOf` of several `oneOf`/`anyOf` is not supported yet; only the first is used, `{}` is ignored",
                    alternatives.keyword
                ),
            ),
        }
        view.not |= part.not;
        view.conflict |= part.conflict;
        Ok(())
    }

    /// A property two `allOf` parts both define: `None` keeps the first
    /// one's schema, `Some` replaces it. Schemas that differ in more than
    /// constraints give the more general type, with a warning.
    fn merge_property<'s>(
        &mut self,
        existing: &Property<'s>,
        new: Property<'s>,
        pointer: &str,
    ) -> Result<Option<Property<'s>>, Error> {
        if existing.schema == new.schema {
            return Ok(None);
        }
        let old_class = self.property_class(existing)?;
        let new_class = self.property_class(&new)?;
        let general = match (&old_class, &new_class) {
            (PropertyClass::Free, _) => return Ok(Some(new)),
            (_, PropertyClass::Free) => return Ok(None),
            (PropertyClass::Schema(a), PropertyClass::Schema(b)) if a == b => return Ok(None),
            (PropertyClass::Scalar(a), PropertyClass::Scalar(b))
                if a == b && *a != Scalar::Enum =>
            {
                return Ok(None)
            }
            (PropertyClass::Scalar(a), PropertyClass::Scalar(b)) => a.general(*b),
            _ => None,
        };
        let described = match general {
            Some(scalar) => format!("the more general `{}`", scalar.describe()),
            None => "serde_json::Value".to_owned(),
        };
        self.warn(
            pointer,
            WarningKind::AllofConflict,
            format!(
                "property `{}` has different schemas in the parts of `allOf` (`{}` and `{}`); using {described}",
                existing.wire_name, existing.pointer, new.pointer
            ),
        );
        if let Some(scalar) = general {
            if old_class == PropertyClass::Scalar(scalar) {
                return Ok(None);
            }
            if new_class == PropertyClass::Scalar(scalar) {
                return Ok(Some(new));
            }
        }
        let description = self
            .property_docs(existing)
            .or_else(|| self.property_docs(&new));
        Ok(Some(Property {
            wire_name: existing.wire_name.clone(),
            schema: ReferenceOr::Item(Cow::Owned(synthesized(general, description))),
            pointer: existing.pointer.clone(),
        }))
    }

    /// What a property's schema says about its value, for merging.
    fn property_class(&self, property: &Property) -> Result<PropertyClass, Error> {
        let (schema, at) = self.deref_part(as_part(&property.schema), &property.pointer)?;
        let (view, all_of) = SchemaView::own(&schema, &at);
        Ok(if view.is_free() && all_of.is_empty() {
            PropertyClass::Free
        } else if let Some(scalar) = view.scalar().filter(|_| all_of.is_empty()) {
            PropertyClass::Scalar(scalar)
        } else {
            PropertyClass::Schema(at)
        })
    }

    fn property_docs(&self, property: &Property) -> Option<String> {
        match &property.schema {
            ReferenceOr::Item(schema) => schema_docs(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    // ---- unions ------------------------------------------------------------

    /// `oneOf`/`anyOf` of several schemas: an enum with a variant per
    /// alternative (an alias when they all come to the same type).
    fn union(
        &mut self,
        view: &SchemaView,
        alternatives: &Alternatives,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> Result<TypeKind, Error> {
        let mut variant_names = Namespace::new();
        if let Some((property, entries)) = self.tagging(view, alternatives, pointer)? {
            let mut types = Vec::new();
            for entry in &entries {
                let hint = format!("{name}{}", names::variant_name(&entry.value, "Variant"));
                types.push(self.schema_ref(&entry.part, &entry.pointer, &hint, depth)?);
            }
            let mut variants = Vec::new();
            for (entry, ty) in entries.iter().zip(&types) {
                // A schema the mapping lists under several values gets a
                // variant per value, named after the value.
                let shared = types.iter().filter(|t| *t == ty).count() > 1;
                let base = match (&entry.part, ty) {
                    (ReferenceOr::Reference { .. }, TypeRef::Named(target)) if !shared => {
                        target.clone()
                    }
                    _ => names::variant_name(&entry.value, "Variant"),
                };
                variants.push(UnionVariant {
                    name: variant_names.unique(&base),
                    docs: Some(format!("`{property}` is `{}`.", entry.value)),
                    ty: ty.clone(),
                    tag_value: Some(entry.value.clone()),
                });
            }
            return Ok(TypeKind::Union(Union {
                tag: Some(property),
                variants,
            }));
        }

        let mut variants: Vec<UnionVariant> = Vec::new();
        for (part, at) in &alternatives.parts {
            let derived = match part {
                ReferenceOr::Item(schema) => inline_variant_name(schema),
                ReferenceOr::Reference { .. } => "Variant".to_owned(),
            };
            let ty = self.schema_ref(part, at, &format!("{name}{derived}"), depth)?;
            // Two alternatives of the same type: the second could never be
            // chosen.
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let (base, docs) = match (part, &ty) {
                (ReferenceOr::Reference { .. }, TypeRef::Named(target)) => {
                    (target.clone(), Some(kind_docs(&ty)))
                }
                // An inline composition of one referenced schema.
                (ReferenceOr::Item(schema), TypeRef::Named(target))
                    if self.named.get(at) != Some(target) =>
                {
                    (
                        target.clone(),
                        schema_docs(schema).or_else(|| Some(kind_docs(&ty))),
                    )
                }
                (ReferenceOr::Item(schema), _) => (
                    derived,
                    schema_docs(schema).or_else(|| Some(kind_docs(&ty))),
                ),
                (ReferenceOr::Reference { .. }, _) => (derived, Some(kind_docs(&ty))),
            };
            variants.push(UnionVariant {
                name: variant_names.unique(&base),
                docs,
                ty,
                tag_value: None,
            });
        }
        match variants.as_slice() {
            [] => return Ok(TypeKind::Alias(TypeRef::Any)),
            [only] => return Ok(TypeKind::Alias(only.ty.clone())),
            _ => {}
        }
        // serde tries untagged variants in order and takes the first that
        // reads the value: the more specific go first.
        variants.sort_by_cached_key(|v| self.specificity(&v.ty, 0));
        Ok(TypeKind::Union(Union {
            tag: None,
            variants,
        }))
    }

    /// How early an untagged variant of type `ty` is tried. Formats and
    /// integers before plain strings and numbers, objects with more required
    /// properties before those with fewer, maps and any value last.
    fn specificity(&self, ty: &TypeRef, depth: usize) -> Specificity {
        match ty {
            TypeRef::Any => (4, Reverse(0)),
            TypeRef::Map(_) => (3, Reverse(0)),
            TypeRef::String | TypeRef::Number(_) => (2, Reverse(0)),
            TypeRef::Array(item) | TypeRef::OrNull(item) if depth < MAX_REF_CHAIN => {
                self.specificity(item, depth + 1)
            }
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => match s.fields.iter().filter(|f| f.required).count() {
                    0 => (3, Reverse(0)),
                    required => (1, Reverse(required)),
                },
                // Unknown values make a string enum read any string.
                Some(TypeKind::Enum(_)) => (2, Reverse(0)),
                Some(TypeKind::Alias(target) | TypeKind::Newtype(target))
                    if depth < MAX_REF_CHAIN =>
                {
                    self.specificity(target, depth + 1)
                }
                _ => (1, Reverse(0)),
            },
            _ => (0, Reverse(0)),
        }
    }

    /// How the alternatives of a union are told apart on the wire: by the
    /// `discriminator`, else by a constant property, else (`None`) by shape.
    fn tagging<'s>(
        &mut self,
        view: &SchemaView<'s>,
        alternatives: &Alternatives<'s>,
        pointer: &str,
    ) -> Result<Option<(String, Vec<TagEntry<'s>>)>, Error> {
        let Some(discriminator) = &view.discriminator else {
            return self.constant_tag(alternatives, None);
        };
        let warned = match self.discriminated(discriminator, alternatives, pointer)? {
            Discriminated::Tagged(entries) => {
                return Ok(Some((discriminator.property_name.clone(), entries)))
            }
            Discriminated::Unsupported => true,
            Discriminated::Untagged => false,
        };
        // Inline alternatives have no schema name: the values are the
        // constants they give the property.
        let property = discriminator.property_name.as_str();
        let constant = self.constant_tag(alternatives, Some(property))?;
        if constant.is_none() && !warned {
            self.warn(
                pointer,
                WarningKind::UnsupportedDiscriminator,
                format!("the `discriminator` needs every alternative to be an object with a value for `{property}` (a `$ref`, or a one-value `enum`); the variants are told apart by their shape instead"),
            );
        }
        Ok(constant)
    }

    /// The tag values of a union with a `discriminator`: the `mapping`'s
    /// values, and for an alternative the mapping does not name, the name of
    /// its schema (OpenAPI's implicit mapping).
    fn discriminated<'s>(
        &mut self,
        discriminator: &Discriminator,
        alternatives: &Alternatives<'s>,
        pointer: &str,
    ) -> Result<Discriminated<'s>, Error> {
        let mapping_at = pointer_push(&pointer_push(pointer, "discriminator"), "mapping");
        let mut mapped: Vec<(String, String)> = Vec::new();
        for (value, target) in &discriminator.mapping {
            let at = pointer_push(&mapping_at, value);
            let target = if target.starts_with('#') {
                self.local_pointer(target, &at)?
            } else if target.contains(['/', '#']) {
                self.warn(
                    &at,
                    WarningKind::UnsupportedDiscriminator,
                    format!("mapping to `{target}` (another document) is not supported"),
                );
                return Ok(Discriminated::Unsupported);
            } else {
                pointer_push("#/components/schemas", target)
            };
            mapped.push((value.clone(), target));
        }
        let mut entries: Vec<TagEntry<'s>> = Vec::new();
        let mut targets = Vec::new();
        for (part, at) in &alternatives.parts {
            let ReferenceOr::Reference { reference } = part else {
                return Ok(Discriminated::Untagged);
            };
            let target = self.local_pointer(reference, at)?;
            let values: Vec<String> = mapped
                .iter()
                .filter(|(_, t)| *t == target)
                .map(|(value, _)| value.clone())
                .collect();
            let values = if values.is_empty() {
                vec![pointer_token(&target)]
            } else {
                values
            };
            for value in values {
                entries.push(TagEntry {
                    value,
                    part: part.clone(),
                    pointer: at.clone(),
                });
            }
            targets.push(target);
        }
        // Mapped schemas that are not alternatives still name valid values.
        for (value, target) in &mapped {
            if !targets.contains(target) {
                entries.push(TagEntry {
                    value: value.clone(),
                    part: ReferenceOr::Reference {
                        reference: target.clone(),
                    },
                    pointer: pointer_push(&mapping_at, value),
                });
            }
        }
        let mut seen = BTreeSet::new();
        entries.retain(|entry| seen.insert(entry.value.clone()));
        for entry in &entries {
            let view = self.followed_view(as_part(&entry.part), &entry.pointer, &mut Vec::new())?;
            if !view.is_some_and(|v| v.is_object()) {
                return Ok(Discriminated::Untagged);
            }
        }
        Ok(Discriminated::Tagged(entries))
    }

    /// A property every alternative requires with one constant string value
    /// (`enum: [value]`), a different one in each: it tags the union without
    /// a `discriminator`. With `named`, the discriminator's property: only
    /// that one, required or not (the discriminator says it is sent).
    fn constant_tag<'s>(
        &mut self,
        alternatives: &Alternatives<'s>,
        named: Option<&str>,
    ) -> Result<Option<(String, Vec<TagEntry<'s>>)>, Error> {
        if alternatives.parts.len() < 2 {
            return Ok(None);
        }
        // Per alternative: its required properties with a constant value.
        let mut constants: Vec<Vec<(String, String)>> = Vec::new();
        for (part, at) in &alternatives.parts {
            let Some(view) = self.followed_view(as_part(part), at, &mut Vec::new())? else {
                return Ok(None);
            };
            if !view.is_struct() {
                return Ok(None);
            }
            let mut found = Vec::new();
            for property in &view.properties {
                let candidate = match named {
                    Some(name) => property.wire_name == name,
                    None => view.required.contains(&property.wire_name),
                };
                if !candidate {
                    continue;
                }
                let value = self
                    .followed_view(
                        as_part(&property.schema),
                        &property.pointer,
                        &mut Vec::new(),
                    )?
                    .and_then(|v| v.string_enum())
                    .and_then(|values| match values.as_slice() {
                        [value] => Some(value.clone()),
                        _ => None,
                    });
                if let Some(value) = value {
                    found.push((property.wire_name.clone(), value));
                }
            }
            constants.push(found);
        }
        let Some(first) = constants.first() else {
            return Ok(None);
        };
        for (property, _) in first {
            let values: Option<Vec<String>> = constants
                .iter()
                .map(|found| {
                    found
                        .iter()
                        .find(|(p, _)| p == property)
                        .map(|(_, value)| value.clone())
                })
                .collect();
            let Some(values) = values else { continue };
            if values.iter().collect::<BTreeSet<_>>().len() == values.len() {
                let entries = alternatives
                    .parts
                    .iter()
                    .zip(values)
                    .map(|((part, at), value)| TagEntry {
                        value,
                        part: part.clone(),
                        pointer: at.clone(),
                    })
                    .collect();
                return Ok(Some((property.clone(), entries)));
            }
        }
        Ok(None)
    }

    // ---- recursion -----------------------------------------------------------

    /// Aliases that contain themselves (`A: {type: array, items: {$ref: A}}`)
    /// become newtypes: Rust rejects a recursive `type A = Vec<A>;`. One
    /// that is itself with nothing in between (`A: {allOf: [{$ref: A}]}`)
    /// describes no value: `serde_json::Value`, with a warning.
    pub(super) fn break_alias_cycles(&mut self) {
        // An alias names at most one type (through containers), so aliases
        // form chains, and a chain that comes back is a cycle. Each alias is
        // walked once, without recursion: a chain of thousands stays linear.
        let mut next: BTreeMap<&str, (&str, bool)> = BTreeMap::new();
        for (name, def) in &self.types {
            let TypeKind::Alias(ty) = &def.kind else {
                continue;
            };
            let (mut ty, mut contained) = (ty, false);
            while let TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OrNull(inner) = ty {
                contained = true;
                ty = inner;
            }
            if let TypeRef::Named(target) = ty {
                next.insert(name, (target.as_str(), contained));
            }
        }
        // Walks in name order; the first alias of each cycle breaks it, as
        // every other one of the cycle then ends there.
        let mut walked: BTreeSet<&str> = BTreeSet::new();
        let mut breaks: Vec<(String, bool)> = Vec::new();
        for &start in next.keys() {
            let mut path: Vec<&str> = Vec::new();
            let mut on_path: BTreeMap<&str, usize> = BTreeMap::new();
            let mut node = start;
            while let Some(&(target, _)) = next.get(node).filter(|_| !walked.contains(node)) {
                if let Some(&at) = on_path.get(node) {
                    let cycle = &path[at..];
                    let contained = cycle.iter().any(|n| next[n].1);
                    let first = cycle.iter().min().copied().unwrap_or(node);
                    breaks.push((first.to_owned(), contained));
                    break;
                }
                on_path.insert(node, path.len());
                path.push(node);
                node = target;
            }
            walked.extend(path);
        }
        for (name, contained) in breaks {
            let Some(def) = self.types.get_mut(&name) else {
                continue;
            };
            if contained {
                if let TypeKind::Alias(ty) = &def.kind {
                    def.kind = TypeKind::Newtype(ty.clone());
                }
            } else {
                def.kind = TypeKind::Alias(TypeRef::Any);
                let pointer = def.pointer.clone();
                self.warn(
                    &pointer,
                    WarningKind::RecursiveAlias,
                    format!("`{name}` is defined as itself; using serde_json::Value"),
                );
            }
        }
    }
}

/// A schema or a `$ref` as a view holds it: borrowed from the document, or
/// owned where the resolver made it (a property schema synthesized from
/// `allOf` parts that disagree, a `$ref` target read from the raw tree).
type Part<'s> = ReferenceOr<Cow<'s, Schema>>;

/// `item` borrowed as a [`Part`].
pub(super) fn as_part<S: Borrow<Schema>>(item: &ReferenceOr<S>) -> Part<'_> {
    match item {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Cow::Borrowed(schema.borrow())),
    }
}

/// `part` with a copy of the schema it borrows.
fn owned_part(part: Part<'_>) -> Part<'static> {
    match part {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(Cow::Owned(schema.into_owned())),
    }
}

/// What a union's `discriminator` tells of its alternatives.
enum Discriminated<'s> {
    /// The tag value of each alternative.
    Tagged(Vec<TagEntry<'s>>),
    /// Nothing usable, and the reason is warned about already (a mapping
    /// into another document).
    Unsupported,
    /// Nothing usable as written: an alternative is inline or not an
    /// object (its constants may still tag it).
    Untagged,
}

/// One value of a tagged union's tag, and the alternative it selects.
struct TagEntry<'s> {
    value: String,
    part: Part<'s>,
    pointer: String,
}

/// The alternatives of a `oneOf` or `anyOf`, null ones left out.
#[derive(Debug, Clone)]
struct Alternatives<'s> {
    keyword: &'static str,
    /// Each with its pointer.
    parts: Vec<(Part<'s>, String)>,
}

/// A property of a view, with the pointer of its schema (which may be in an
/// `allOf` part).
#[derive(Debug, Clone)]
struct Property<'s> {
    wire_name: String,
    schema: Part<'s>,
    pointer: String,
}

/// The keywords of a schema the resolver reads, whether `openapiv3` could
/// type the schema or left it as `SchemaKind::Any`, with `allOf` parts
/// merged in. It borrows the schemas inside from the document.
#[derive(Debug, Clone, Default)]
struct SchemaView<'s> {
    typ: Option<JsonType>,
    format: Option<String>,
    properties: Vec<Property<'s>>,
    required: Vec<String>,
    /// With the pointer of the schema that has it.
    additional_properties: Option<(Cow<'s, AdditionalProperties>, String)>,
    /// With its pointer.
    items: Option<(Part<'s>, String)>,
    /// Enum values, as JSON (nulls included).
    enumeration: Vec<Value>,
    /// `oneOf` / `anyOf` with at least one alternative that is not null and
    /// does more than constrain.
    alternatives: Option<Alternatives<'s>>,
    /// A `oneOf`/`anyOf` alternative is null.
    null_alternative: bool,
    discriminator: Option<Discriminator>,
    /// The schema is exactly another one (with its pointer): a composition
    /// of one schema next to nothing that shapes the value.
    same: Option<(Part<'s>, String)>,
    /// Has a `not` (not supported).
    not: bool,
    /// `allOf` parts of different types: no type fits.
    conflict: bool,
    /// Description (or title) of the schema itself.
    description: Option<String>,
}

impl<'s> SchemaView<'s> {
    /// The schema's own keywords, and its `allOf` parts (not merged yet).
    fn own(schema: &'s Schema, pointer: &str) -> (SchemaView<'s>, &'s [ReferenceOr<Schema>]) {
        let mut view = SchemaView {
            typ: JsonType::of(schema),
            description: schema_docs(schema),
            discriminator: schema.schema_data.discriminator.clone(),
            ..SchemaView::default()
        };
        let properties = |props: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>| {
            let properties_at = pointer_push(pointer, "properties");
            props
                .iter()
                .map(|(wire_name, schema)| Property {
                    wire_name: wire_name.clone(),
                    schema: as_part(schema),
                    pointer: pointer_push(&properties_at, wire_name),
                })
                .collect()
        };
        let items = |items: &'s Option<ReferenceOr<Box<Schema>>>| {
            items
                .as_ref()
                .map(|i| (as_part(i), pointer_push(pointer, "items")))
        };
        let (alternatives, all_of) = compositions(schema);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.format = variant_format(&s.format);
                view.enumeration = enum_values(&s.enumeration, Value::String);
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.format = variant_format(&i.format);
                view.enumeration = enum_values(&i.enumeration, Value::from);
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.format = variant_format(&n.format);
                view.enumeration = enum_values(&n.enumeration, Value::from);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.enumeration = enum_values(&b.enumeration, Value::Bool);
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.properties = properties(&o.properties);
                view.required = o.required.clone();
                view.additional_properties = o
                    .additional_properties
                    .as_ref()
                    .map(|a| (Cow::Borrowed(a), pointer.to_owned()));
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.items = items(&a.items);
            }
            // Read by `compositions` above.
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => {}
            SchemaKind::Not { .. } => view.not = true,
            SchemaKind::Any(any) => {
                view.format = any.format.clone();
                view.properties = properties(&any.properties);
                view.required = any.required.clone();
                view.additional_properties = any
                    .additional_properties
                    .as_ref()
                    .map(|a| (Cow::Borrowed(a), pointer.to_owned()));
                view.items = items(&any.items);
                view.enumeration = any.enumeration.clone();
                view.not = any.not.is_some();
            }
        }
        if let Some((keyword, parts)) = alternatives {
            let mut kept = Vec::new();
            for (i, part) in parts.iter().enumerate() {
                if matches!(part, ReferenceOr::Item(s) if is_null_schema(s)) {
                    view.null_alternative = true;
                    continue;
                }
                let at = pointer_push(&pointer_push(pointer, keyword), &i.to_string());
                kept.push((as_part(part), at));
            }
            let constraints: Option<Vec<Vec<String>>> = kept
                .iter()
                .map(|(part, _)| match part {
                    ReferenceOr::Item(schema) => constraint_only(schema).cloned(),
                    ReferenceOr::Reference { .. } => None,
                })
                .collect();
            match constraints {
                // Alternatives that only constrain the value (e.g. which
                // properties it requires): a property every alternative
                // requires is required.
                Some(required) => {
                    let common = required.first().cloned().unwrap_or_default();
                    for name in common {
                        if required.iter().all(|r| r.contains(&name))
                            && !view.required.contains(&name)
                        {
                            view.required.push(name);
                        }
                    }
                }
                None => {
                    view.alternatives = Some(Alternatives {
                        keyword,
                        parts: kept,
                    })
                }
            }
        }
        (view, all_of)
    }

    /// The view with copies of the schemas it borrows, for a schema that
    /// does not outlive it.
    fn into_owned(self) -> SchemaView<'static> {
        let owned_at = |(part, at): (Part<'_>, String)| (owned_part(part), at);
        SchemaView {
            typ: self.typ,
            format: self.format,
            properties: self
                .properties
                .into_iter()
                .map(|property| Property {
                    wire_name: property.wire_name,
                    schema: owned_part(property.schema),
                    pointer: property.pointer,
                })
                .collect(),
            required: self.required,
            additional_properties: self
                .additional_properties
                .map(|(extra, at)| (Cow::Owned(extra.into_owned()), at)),
            items: self.items.map(owned_at),
            enumeration: self.enumeration,
            alternatives: self.alternatives.map(|alternatives| Alternatives {
                keyword: alternatives.keyword,
                parts: alternatives.parts.into_iter().map(owned_at).collect(),
            }),
            null_alternative: self.null_alternative,
            discriminator: self.discriminator,
            same: self.same.map(owned_at),
            not: self.not,
            conflict: self.conflict,
            description: self.description,
        }
    }

    /// Whether the schema says anything about the value's shape besides
    /// compositions: properties, items, a map, enum values.
    fn shapes_value(&self) -> bool {
        !self.properties.is_empty()
            || self.additional_properties.is_some()
            || self.items.is_some()
            || !self.enumeration.is_empty()
    }

    /// Whether the schema says nothing about the value at all.
    fn is_free(&self) -> bool {
        self.typ.is_none()
            && !self.shapes_value()
            && self.alternatives.is_none()
            && self.same.is_none()
            && !self.not
    }

    /// The JSON type: `type`, else what `items`, a format the model knows
    /// or the enum values imply.
    fn value_type(&self) -> Option<JsonType> {
        if let Some(typ) = &self.typ {
            return Some(typ.clone());
        }
        if self.items.is_some() {
            return Some(JsonType::Array);
        }
        match self.format.as_deref() {
            Some("uuid" | "date-time" | "date") => return Some(JsonType::String),
            Some("int32" | "int64") => return Some(JsonType::Integer),
            Some("float" | "double") => return Some(JsonType::Number),
            _ => {}
        }
        let values: Vec<&Value> = self.enumeration.iter().filter(|v| !v.is_null()).collect();
        let all = |f: fn(&Value) -> bool| !values.is_empty() && values.iter().copied().all(f);
        if all(Value::is_string) {
            Some(JsonType::String)
        } else if all(Value::is_i64) || all(Value::is_u64) {
            Some(JsonType::Integer)
        } else if all(Value::is_number) {
            Some(JsonType::Number)
        } else if all(Value::is_boolean) {
            Some(JsonType::Boolean)
        } else {
            None
        }
    }

    /// The values of a string enum: `type: string` (or no type and only
    /// string values) with `enum`. Nulls are dropped (they make the type
    /// nullable, which `nullable` already says); other values of a
    /// `type: string` enum are kept as their JSON text.
    fn string_enum(&self) -> Option<Vec<String>> {
        if self.conflict || self.value_type() != Some(JsonType::String) {
            return None;
        }
        let values: Vec<String> = self
            .enumeration
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        (!values.is_empty()).then_some(values)
    }

    /// The scalar type of the schema, for merging.
    fn scalar(&self) -> Option<Scalar> {
        if self.string_enum().is_some() {
            return Some(Scalar::Enum);
        }
        if self.alternatives.is_some() || !self.properties.is_empty() {
            return None;
        }
        let format = self.format.as_deref();
        Some(match self.value_type()? {
            JsonType::String => {
                Scalar::String(KNOWN_FORMATS.iter().copied().find(|f| Some(*f) == format))
            }
            JsonType::Integer if format == Some("int32") => Scalar::Integer(IntegerFormat::I32),
            JsonType::Integer => Scalar::Integer(IntegerFormat::I64),
            JsonType::Number if format == Some("float") => Scalar::Number(NumberFormat::F32),
            JsonType::Number => Scalar::Number(NumberFormat::F64),
            JsonType::Boolean => Scalar::Bool,
            _ => return None,
        })
    }

    /// Whether the schema becomes a struct: an object with properties.
    fn is_struct(&self) -> bool {
        !self.conflict
            && matches!(self.typ, Some(JsonType::Object) | None)
            && !self.properties.is_empty()
    }

    /// Whether values of the schema are JSON objects (a tag can be read
    /// from them).
    fn is_object(&self) -> bool {
        self.is_struct()
            || self.alternatives.is_some()
            || (self.value_type() == Some(JsonType::Object) && !self.conflict)
    }

    /// Whether an inline schema becomes a named type of its own.
    fn needs_name(&self) -> bool {
        !self.conflict
            && (self.string_enum().is_some() || self.is_struct() || self.alternatives.is_some())
    }

    /// The docs of the type or field: the description, and the allowed
    /// values of an enum that is not a string enum (which has a variant per
    /// value instead).
    fn docs(&self) -> Option<String> {
        let values: Vec<String> = self.enumeration.iter().map(|v| format!("`{v}`")).collect();
        let values = (!values.is_empty() && self.string_enum().is_none())
            .then(|| format!("One of {}.", values.join(", ")));
        match (self.description.clone(), values) {
            (Some(description), Some(values)) => Some(format!("{description}\n\n{values}")),
            (description, values) => description.or(values),
        }
    }
}

/// What a property's schema says about its value, for merging `allOf` parts.
#[derive(Debug, Clone, PartialEq)]
enum PropertyClass {
    /// Nothing (a description, constraints): the other part decides.
    Free,
    Scalar(Scalar),
    /// Anything else, by the pointer of the schema (after `$ref`s).
    Schema(String),
}

/// A scalar type, for merging `allOf` parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    Bool,
    Integer(IntegerFormat),
    Number(NumberFormat),
    /// A string, with its format when the model distinguishes it.
    String(Option<&'static str>),
    /// A string enum.
    Enum,
}

impl Scalar {
    /// The type that holds the values of both, if any.
    fn general(self, other: Scalar) -> Option<Scalar> {
        use Scalar::*;
        match (self, other) {
            (Bool, Bool) => Some(Bool),
            (Integer(a), Integer(b)) => Some(Integer(a.max(b))),
            (Number(a), Number(b)) => Some(Number(a.max(b))),
            (Integer(_), Number(_)) | (Number(_), Integer(_)) => Some(Number(NumberFormat::F64)),
            (String(a), String(b)) if a == b => Some(String(a)),
            (String(_) | Enum, String(_) | Enum) => Some(String(None)),
            _ => None,
        }
    }

    /// How a warning names it.
    fn describe(self) -> String {
        match self {
            Scalar::Bool => "boolean".to_owned(),
            Scalar::Integer(IntegerFormat::I32) => "integer (int32)".to_owned(),
            Scalar::Integer(IntegerFormat::I64) => "integer".to_owned(),
            Scalar::Number(NumberFormat::F32) => "number (float)".to_owned(),
            Scalar::Number(NumberFormat::F64) => "number".to_owned(),
            Scalar::String(Some(format)) => format!("string ({format})"),
            Scalar::String(None) | Scalar::Enum => "string".to_owned(),
        }
    }
}

/// A schema of a scalar type (or of any value, for `None`), for a property
/// whose `allOf` parts disagree.
fn synthesized(scalar: Option<Scalar>, description: Option<String>) -> Schema {
    let (typ, format) = match scalar {
        None => (None, None),
        Some(Scalar::Bool) => (Some(JsonType::Boolean), None),
        Some(Scalar::Integer(IntegerFormat::I32)) => (Some(JsonType::Integer), Some("int32")),
        Some(Scalar::Integer(IntegerFormat::I64)) => (Some(JsonType::Integer), None),
        Some(Scalar::Number(NumberFormat::F32)) => (Some(JsonType::Number), Some("float")),
        Some(Scalar::Number(NumberFormat::F64)) => (Some(JsonType::Number), None),
        Some(Scalar::String(format)) => (Some(JsonType::String), format),
        Some(Scalar::Enum) => (Some(JsonType::String), None),
    };
    Schema {
        schema_data: SchemaData {
            description,
            ..SchemaData::default()
        },
        schema_kind: SchemaKind::Any(AnySchema {
            typ: typ.map(|typ| typ.name().to_owned()),
            format: format.map(str::to_owned),
            ..AnySchema::default()
        }),
    }
}

/// The `oneOf` or `anyOf` alternatives of a schema, with the keyword (`oneOf`
/// when a schema has both), and its `allOf` parts, as written.
type Compositions<'s> = (
    Option<(&'static str, &'s [ReferenceOr<Schema>])>,
    &'s [ReferenceOr<Schema>],
);

fn compositions(schema: &Schema) -> Compositions<'_> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => (Some(("oneOf", one_of)), &[]),
        SchemaKind::AnyOf { any_of } => (Some(("anyOf", any_of)), &[]),
        SchemaKind::AllOf { all_of } => (None, all_of),
        SchemaKind::Any(any) => {
            let alternatives = if !any.one_of.is_empty() {
                Some(("oneOf", any.one_of.as_slice()))
            } else if !any.any_of.is_empty() {
                Some(("anyOf", any.any_of.as_slice()))
            } else {
                None
            };
            (alternatives, &any.all_of)
        }
        SchemaKind::Type(_) | SchemaKind::Not { .. } => (None, &[]),
    }
}

/// Whether an inline schema only admits `null`: `type: 'null'` (OpenAPI
/// 3.1), `enum: [null]`, or `nullable: true` and nothing else.
fn is_null_schema(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.as_deref().map(JsonType::parse) == Some(JsonType::Null)
                || (!any.enumeration.is_empty() && any.enumeration.iter().all(Value::is_null))
                || (schema.schema_data.nullable && is_bare(any))
        }
        _ => false,
    }
}

/// Whether a schema has no keyword that shapes a value (constraints such as
/// `required`, `minLength` or `format` aside).
fn is_bare(any: &AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.not.is_none()
}

/// The `required` list of an alternative that only constrains the value (no
/// type, no properties, ...), or `None` if it does more.
fn constraint_only(schema: &Schema) -> Option<&Vec<String>> {
    match &schema.schema_kind {
        SchemaKind::Any(any) if is_bare(any) && schema.schema_data.discriminator.is_none() => {
            Some(&any.required)
        }
        _ => None,
    }
}

/// The variant name of an inline `oneOf`/`anyOf` alternative: its title, the
/// value of a one-value enum, the name of its only property, else its kind.
fn inline_variant_name(schema: &Schema) -> String {
    if let Some(title) = schema.schema_data.title.as_deref() {
        let name = names::type_name(title, "");
        if !name.is_empty() {
            return name;
        }
    }
    let (view, all_of) = SchemaView::own(schema, "");
    if let Some([value]) = view.string_enum().as_deref() {
        return names::variant_name(value, "Empty");
    }
    if let [property] = view.properties.as_slice() {
        return names::type_name(&property.wire_name, "Object");
    }
    let kind = match (view.value_type(), view.format.as_deref()) {
        (Some(JsonType::String), Some("uuid")) => "Uuid",
        (Some(JsonType::String), Some("date-time")) => "DateTime",
        (Some(JsonType::String), Some("date")) => "Date",
        (Some(JsonType::String), _) => "String",
        (Some(JsonType::Integer), _) => "Integer",
        (Some(JsonType::Number), _) => "Number",
        (Some(JsonType::Boolean), _) => "Bool",
        (Some(JsonType::Array), _) => "Array",
        (Some(JsonType::Object) | None, _) if !view.properties.is_empty() || !all_of.is_empty() => {
            "Object"
        }
        (Some(JsonType::Object), _) => "Map",
        _ if view.alternatives.is_some() => "Choice",
        _ => "Value",
    };
    kind.to_owned()
}

/// The docs of an untagged variant whose alternative has none.
/// The warnings among `warnings` about the schema at `from` or inside it,
/// moved to the same place under `to`.
fn relocated(warnings: &[Warning], from: &str, to: &str) -> Vec<Warning> {
    warnings
        .iter()
        .filter_map(|warning| {
            let rest = warning.pointer.strip_prefix(from)?;
            (rest.is_empty() || rest.starts_with('/')).then(|| Warning {
                pointer: format!("{to}{rest}"),
                ..warning.clone()
            })
        })
        .collect()
}

fn kind_docs(ty: &TypeRef) -> String {
    let text = match ty {
        TypeRef::Named(name) => {
            let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "An"
            } else {
                "A"
            };
            return format!("{article} `{name}`.");
        }
        TypeRef::String => "A string.",
        TypeRef::Bool => "A boolean.",
        TypeRef::Integer(_) => "An integer.",
        TypeRef::Number(_) => "A number.",
        TypeRef::Uuid => "A UUID.",
        TypeRef::DateTime => "A date and time (RFC 3339).",
        TypeRef::Date => "A date (RFC 3339 full-date).",
        TypeRef::Any => "Any JSON value.",
        TypeRef::Array(_) => "An array.",
        TypeRef::Map(_) => "An object with any properties.",
        TypeRef::OrNull(inner) => {
            return format!("{}, or `null`.", kind_docs(inner).trim_end_matches('.'))
        }
        TypeRef::External(external) => return format!("A `{}`.", external.path),
    };
    text.to_owned()
}

/// The last token of a JSON pointer, unescaped: a schema's name.
fn pointer_token(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace("~1", "/")
        .replace("~0", "~")
}

fn variant_format<T: serde::Serialize>(
    format: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<String> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => match serde_json::to_value(item) {
            Ok(Value::String(s)) => Some(s),
            _ => None,
        },
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The formats the model distinguishes; any other reads as the plain type.
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

/// The values of a typed `enum` as JSON, `null` for a `null` entry.
fn enum_values<T: Clone>(values: &[Option<T>], value: impl Fn(T) -> Value) -> Vec<Value> {
    values
        .iter()
        .map(|v| v.clone().map_or(Value::Null, &value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_schemas(schemas: &str) -> (Api, Vec<Warning>) {
        crate::test_support::resolve_yaml(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        ))
    }

    fn kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
        &api.type_named(name)
            .unwrap_or_else(|| panic!("no type {name} in {:?}", api.types))
            .kind
    }

    fn fields(api: &Api, name: &str) -> Vec<(String, TypeRef, bool, bool)> {
        let TypeKind::Struct(s) = kind(api, name) else {
            panic!("{name} is not a struct: {:?}", kind(api, name))
        };
        s.fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.ty.clone(), f.required, f.nullable))
            .collect()
    }

    fn union(api: &Api, name: &str) -> Union {
        match kind(api, name) {
            TypeKind::Union(u) => u.clone(),
            other => panic!("{name} is not a union: {other:?}"),
        }
    }

    /// `required` next to the one schema of an `allOf` makes a type of its
    /// own where it requires more; otherwise the reference stays one.
    #[test]
    fn required_next_to_a_single_reference_is_honoured() {
        let (api, _) = resolve_schemas(
            r#"
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
    NamedPet:
      allOf: [{$ref: '#/components/schemas/Pet'}]
      required: [name]
    SamePet:
      description: A pet, required as it is.
      allOf: [{$ref: '#/components/schemas/Pet'}]
      required: [id]
"#,
        );
        assert_eq!(
            fields(&api, "NamedPet"),
            [
                ("id".to_owned(), TypeRef::String, true, false),
                ("name".to_owned(), TypeRef::String, true, false),
            ]
        );
        assert!(
            matches!(kind(&api, "SamePet"), TypeKind::Alias(_)),
            "{:?}",
            kind(&api, "SamePet")
        );
        // 3.1's `$ref` next to `required`, inline: a type of its own.
        let (api, _) = crate::test_support::resolve_yaml(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    \
             Pet: {type: object, properties: {id: {type: string}, name: {type: string}}}\n    \
             Owner:\n      type: object\n      properties:\n        \
             pet: {$ref: '#/components/schemas/Pet', required: [name]}\n",
        );
        let pet = fields(&api, "Owner")[0].1.clone();
        let TypeRef::Named(name) = pet else {
            panic!("{pet:?}")
        };
        assert_ne!(name, "Pet");
        assert_eq!(
            fields(&api, &name),
            [
                ("id".to_owned(), TypeRef::String, false, false),
                ("name".to_owned(), TypeRef::String, true, false),
            ]
        );
    }

    #[test]
    fn all_of_merges_parts_through_references() {
        let (api, warnings) = resolve_schemas(
            r#"
    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
        kind: {type: string}
    Middle:
      allOf:
        - $ref: '#/components/schemas/Base'
        - properties: {name: {type: string}}
    Leaf:
      type: object
      allOf:
        - $ref: '#/components/schemas/Middle'
        - properties:
            kind: {type: string, enum: [a, b]}
            size: {type: integer, format: int32}
        - required: [name]
"#,
        );
        assert_eq!(
            fields(&api, "Leaf"),
            [
                ("id".to_owned(), TypeRef::String, true, false),
                ("kind".to_owned(), TypeRef::String, false, false),
                ("name".to_owned(), TypeRef::String, true, false),
                (
                    "size".to_owned(),
                    TypeRef::Integer(IntegerFormat::I32),
                    false,
                    false
                ),
            ]
        );
        let kinds: Vec<WarningKind> = warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::AllofConflict], "{warnings:#?}");
        assert!(warnings[0].message.contains("`kind`"), "{warnings:#?}");
        // The enum that lost is not hoisted.
        assert!(api.types.iter().all(|t| t.name != "LeafKind"));
    }

    /// A `type` OpenAPI does not define is any value, with a warning that
    /// quotes it; `null` (OpenAPI 3.1) is any value without one; an integer
    /// and a number merge into an integer; other types that differ conflict.
    #[test]
    fn unknown_null_and_conflicting_types() {
        let (api, warnings) = resolve_schemas(
            r#"
    File: {type: file}
    Nothing: {type: 'null'}
    Whole: {allOf: [{type: integer}, {type: number}]}
    Clash: {allOf: [{type: string}, {type: File}]}
"#,
        );
        for (name, ty) in [
            ("File", TypeRef::Any),
            ("Nothing", TypeRef::Any),
            ("Whole", TypeRef::Integer(IntegerFormat::I64)),
            ("Clash", TypeRef::Any),
        ] {
            assert_eq!(kind(&api, name), &TypeKind::Alias(ty), "{name}");
        }
        let warnings: Vec<(WarningKind, &str, &str)> = warnings
            .iter()
            .map(|w| (w.kind, w.pointer.as_str(), w.message.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                (
                    WarningKind::UnknownType,
                    "#/components/schemas/File",
                    "unknown schema type `file`; using serde_json::Value"
                ),
                (
                    WarningKind::AllofConflict,
                    "#/components/schemas/Clash",
                    "the parts of `allOf` have different types (`string` and `File`); using serde_json::Value"
                ),
            ]
        );
    }

    #[test]
    fn numbers_merge_to_the_wider_type() {
        let (api, warnings) = resolve_schemas(
            r#"
    A:
      allOf:
        - properties: {n: {type: integer, format: int32}, m: {type: integer}}
        - properties: {n: {type: integer, format: int64}, m: {type: number}}
"#,
        );
        assert_eq!(
            fields(&api, "A"),
            [
                (
                    "n".to_owned(),
                    TypeRef::Integer(IntegerFormat::I64),
                    false,
                    false
                ),
                (
                    "m".to_owned(),
                    TypeRef::Number(NumberFormat::F64),
                    false,
                    false
                ),
            ]
        );
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
    }

    #[test]
    fn discriminator_mapping_gives_the_tag_values() {
        let (api, warnings) = resolve_schemas(
            r#"
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - $ref: '#/components/schemas/Bird'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: Dog
          puppy: '#/components/schemas/Dog'
    Cat: {type: object, properties: {kind: {type: string}}}
    Dog: {type: object, properties: {kind: {type: string}}}
    Bird: {type: object, properties: {kind: {type: string}}}
"#,
        );
        assert!(warnings.is_empty(), "{warnings:#?}");
        let pet = union(&api, "Pet");
        assert_eq!(pet.tag.as_deref(), Some("kind"));
        let variants: Vec<(&str, &str, &TypeRef)> = pet
            .variants
            .iter()
            .map(|v| (v.name.as_str(), v.tag_value.as_deref().unwrap(), &v.ty))
            .collect();
        let named = |n: &str| TypeRef::Named(n.to_owned());
        assert_eq!(
            variants,
            [
                ("Cat", "cat", &named("Cat")),
                ("Dog", "dog", &named("Dog")),
                ("Puppy", "puppy", &named("Dog")),
                ("Bird", "Bird", &named("Bird")),
            ]
        );
    }

    #[test]
    fn constant_property_tags_inline_alternatives() {
        let (api, warnings) = resolve_schemas(
            r#"
    Shape:
      oneOf:
        - type: object
          required: [type, r]
          properties: {type: {type: string, enum: [circle]}, r: {type: number}}
        - type: object
          required: [type]
          properties: {type: {enum: [square]}}
"#,
        );
        assert!(warnings.is_empty(), "{warnings:#?}");
        let shape = union(&api, "Shape");
        assert_eq!(shape.tag.as_deref(), Some("type"));
        let variants: Vec<(&str, &TypeRef)> = shape
            .variants
            .iter()
            .map(|v| (v.name.as_str(), &v.ty))
            .collect();
        assert_eq!(
            variants,
            [
                ("Circle", &TypeRef::Named("ShapeCircle".to_owned())),
                ("Square", &TypeRef::Named("ShapeSquare".to_owned())),
            ]
        );
    }

    #[test]
    fn untagged_variants_go_from_specific_to_general() {
        let (api, warnings) = resolve_schemas(
            r#"
    Value:
      anyOf:
        - {type: object, additionalProperties: {type: string}}
        - {type: string}
        - {type: number}
        - {$ref: '#/components/schemas/One'}
        - {type: string, maxLength: 2}
        - {type: integer}
        - {$ref: '#/components/schemas/Two'}
        - {type: string, format: date-time}
        - {type: 'null'}
    One: {type: object, required: [a], properties: {a: {type: string}}}
    Two: {type: object, required: [a, b], properties: {a: {type: string}, b: {type: string}}}
    Holder:
      type: object
      properties:
        value: {$ref: '#/components/schemas/Value'}
"#,
        );
        // The `maxLength` alternative is a plain `String` like the other.
        let warnings: Vec<(WarningKind, &str)> = warnings
            .iter()
            .map(|w| (w.kind, w.pointer.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [(
                WarningKind::ConstraintNotEnforced,
                "#/components/schemas/Value/anyOf/4/maxLength"
            )]
        );
        let value = union(&api, "Value");
        assert_eq!(value.tag, None);
        let names: Vec<&str> = value.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            ["Integer", "DateTime", "Two", "One", "String", "Number", "Map"]
        );
        assert_eq!(
            fields(&api, "Holder")[0],
            (
                "value".to_owned(),
                TypeRef::Named("Value".to_owned()),
                false,
                true
            )
        );
    }

    #[test]
    fn variants_are_named_after_what_they_hold() {
        let (api, _) = resolve_schemas(
            r#"
    U:
      oneOf:
        - {allOf: [{$ref: '#/components/schemas/A'}], description: An A.}
        - {type: object, title: the box, properties: {x: {type: string}, y: {type: string}}}
        - {type: object, properties: {only: {type: string}}}
        - {type: array, items: {type: string}}
        - {type: boolean}
    A: {type: object, required: [a], properties: {a: {type: string}}}
"#,
        );
        let u = union(&api, "U");
        let variants: Vec<(&str, &TypeRef)> = u
            .variants
            .iter()
            .map(|v| (v.name.as_str(), &v.ty))
            .collect();
        let named = |n: &str| TypeRef::Named(n.to_owned());
        assert_eq!(
            variants,
            [
                ("Bool", &TypeRef::Bool),
                ("A", &named("A")),
                ("Array", &TypeRef::Array(Box::new(TypeRef::String))),
                ("TheBox", &named("UTheBox")),
                ("Only", &named("UOnly")),
            ]
        );
        assert_eq!(u.variants[1].docs.as_deref(), Some("An A."));
    }

    #[test]
    fn one_alternative_besides_null_is_that_schema() {
        let (api, _) = resolve_schemas(
            r#"
    Holder:
      type: object
      properties:
        a:
          oneOf: [{$ref: '#/components/schemas/A'}, {nullable: true}]
        b:
          allOf: [{$ref: '#/components/schemas/A'}]
          description: An A.
    A: {type: string}
"#,
        );
        let a = TypeRef::Named("A".to_owned());
        assert_eq!(
            fields(&api, "Holder"),
            [
                ("a".to_owned(), a.clone(), false, true),
                ("b".to_owned(), a, false, false)
            ]
        );
    }

    #[test]
    fn integer_enums_are_integers_with_documented_values() {
        let (api, warnings) = resolve_schemas(
            r#"
    Priority: {type: integer, enum: [1, 2, 3], description: How urgent.}
    Recording: {type: string, enum: [1, auto]}
"#,
        );
        let priority = api.type_named("Priority").unwrap();
        assert_eq!(
            priority.kind,
            TypeKind::Alias(TypeRef::Integer(IntegerFormat::I64))
        );
        assert_eq!(
            priority.docs.as_deref(),
            Some("How urgent.\n\nOne of `1`, `2`, `3`.")
        );
        let TypeKind::Enum(recording) = kind(&api, "Recording") else {
            panic!()
        };
        let values: Vec<&str> = recording
            .variants
            .iter()
            .map(|v| v.wire_value.as_str())
            .collect();
        assert_eq!(values, ["1", "auto"]);
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert_eq!(warnings[0].kind, WarningKind::EnumValueType);
    }

    #[test]
    fn recursive_aliases_become_newtypes() {
        let (api, warnings) = resolve_schemas(
            r#"
    Nested: {type: array, items: {$ref: '#/components/schemas/Nested'}}
    Forest: {type: array, items: {$ref: '#/components/schemas/Grove'}}
    Grove: {type: object, additionalProperties: {$ref: '#/components/schemas/Forest'}}
    Itself: {allOf: [{$ref: '#/components/schemas/Itself'}], description: x}
"#,
        );
        let named = |n: &str| Box::new(TypeRef::Named(n.to_owned()));
        assert_eq!(
            kind(&api, "Nested"),
            &TypeKind::Newtype(TypeRef::Array(named("Nested")))
        );
        assert_eq!(
            kind(&api, "Forest"),
            &TypeKind::Newtype(TypeRef::Array(named("Grove")))
        );
        assert_eq!(
            kind(&api, "Grove"),
            &TypeKind::Alias(TypeRef::Map(named("Forest")))
        );
        assert_eq!(kind(&api, "Itself"), &TypeKind::Alias(TypeRef::Any));
        let kinds: Vec<WarningKind> = warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::RecursiveAlias]);
    }

    #[test]
    fn an_inline_part_shared_by_several_schemas_is_one_type() {
        let (api, _) = resolve_schemas(
            r#"
    Base:
      type: object
      properties:
        status: {type: string, enum: [on, off]}
    A: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {a: {type: string}}}]}
    B: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {b: {type: string}}}]}
"#,
        );
        let status = TypeRef::Named("BaseStatus".to_owned());
        assert_eq!(fields(&api, "A")[0].1, status);
        assert_eq!(fields(&api, "B")[0].1, status);
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["A", "B", "Base", "BaseStatus"]);
    }

    #[test]
    fn identical_inline_schemas_are_one_type_with_warnings_at_each_place() {
        // `Opened` and `Closed` are the same schema, written twice.
        let with_repo = r#"
      type: object
      properties:
        repo:
          type: object
          properties:
            owner: {type: object, properties: {login: {type: string}}}
            extra: {not: {type: string}}
"#;
        let (api, warnings) = resolve_schemas(&format!(
            r#"
    Opened:{with_repo}
    Closed:{with_repo}
    Other:
      type: object
      properties:
        repo: {{type: object, properties: {{login: {{type: string}}}}}}
"#
        ));
        let repo = TypeRef::Named("OpenedRepo".to_owned());
        assert_eq!(fields(&api, "Opened")[0].1, repo);
        assert_eq!(fields(&api, "Closed")[0].1, repo);
        // The same shape as `owner` elsewhere is the same type too.
        assert_eq!(
            fields(&api, "Other")[0].1,
            TypeRef::Named("OpenedRepoOwner".to_owned())
        );
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["Closed", "Opened", "OpenedRepo", "OpenedRepoOwner", "Other"]
        );
        let places: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            places,
            [
                "#/components/schemas/Opened/properties/repo/properties/extra",
                "#/components/schemas/Closed/properties/repo/properties/extra",
            ]
        );
    }

    #[test]
    fn properties_next_to_alternatives_keep_the_rest_in_a_map() {
        let (api, warnings) = resolve_schemas(
            r#"
    A:
      type: object
      properties: {label: {type: string}}
      oneOf:
        - {type: object, properties: {x: {type: string}}}
        - {type: object, properties: {y: {type: string}}}
    B:
      type: object
      properties: {org: {type: string}, id: {type: string}, bucket: {type: string}}
      anyOf: [{required: [org, bucket]}, {required: [id, bucket]}]
"#,
        );
        let TypeKind::Struct(a) = kind(&api, "A") else {
            panic!()
        };
        assert_eq!(a.additional_properties, Some(TypeRef::Any));
        let kinds: Vec<WarningKind> = warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::UnsupportedComposition]);
        let required: Vec<bool> = fields(&api, "B").iter().map(|f| f.2).collect();
        assert_eq!(required, [false, false, true]);
    }

    /// Items and values that admit `null` are `Option`s: through
    /// `nullable`, a `null` alternative and a `$ref` to a nullable schema
    /// alike; `serde_json::Value` holds a `null` as it is.
    #[test]
    fn nullable_items_and_values_are_options() {
        let (api, warnings) = resolve_schemas(
            "    Maybe: {type: string, nullable: true}
    Lists:
      type: object
      properties:
        plain: {type: array, items: {type: string}}
        nullable: {type: array, items: {type: string, nullable: true}}
        alternative: {type: array, items: {oneOf: [{type: integer}, {nullable: true}]}}
        referenced: {type: array, items: {$ref: '#/components/schemas/Maybe'}}
        untyped: {type: array, items: {nullable: true}}
    Values:
      type: object
      additionalProperties: {type: integer, nullable: true}
",
        );
        assert!(warnings.is_empty(), "{warnings:#?}");
        let or_null = |ty: TypeRef| TypeRef::OrNull(Box::new(ty));
        let array = |ty: TypeRef| TypeRef::Array(Box::new(ty));
        let types: Vec<TypeRef> = fields(&api, "Lists").into_iter().map(|f| f.1).collect();
        assert_eq!(
            types,
            [
                array(TypeRef::String),
                array(or_null(TypeRef::String)),
                array(or_null(TypeRef::Integer(IntegerFormat::I64))),
                array(or_null(TypeRef::Named("Maybe".to_owned()))),
                array(TypeRef::Any),
            ]
        );
        assert_eq!(
            kind(&api, "Values"),
            &TypeKind::Alias(TypeRef::Map(Box::new(or_null(TypeRef::Integer(
                IntegerFormat::I64
            )))))
        );
    }
}
