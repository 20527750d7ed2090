//! Resolve: an `openapiv3` document into the intermediate model.
//!
//! This is the only stage that knows OpenAPI. It follows `$ref`s (to
//! `components` and to any other place in the document), hoists inline
//! schemas that need a name (objects, enums) under names derived from where
//! they appear, names every type, field, operation and parameter, and turns
//! what it cannot represent exactly into a [`Warning`] and a documented
//! fallback (`TypeRef::Any`, a dropped body) instead of guessing.

use std::collections::{BTreeMap, HashMap};

use heck::ToUpperCamelCase;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, Type,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{pointer_push, Error};
use crate::load::Document;
use crate::model::{
    Api, Enum, EnumVariant, Field, IntegerFormat, Method, NumberFormat, Operation, Parameter,
    ParameterLocation, RequestBody, Response, ResponseBody, SecurityScheme, SecuritySchemeKind,
    Server, Status, Struct, TypeDef, TypeKind, TypeRef, Warning,
};
use crate::names::{self, Namespace};

/// How many `$ref`s in a row are followed before giving up (a reference
/// cycle such as `A -> B -> A` with no schema in between).
const MAX_REF_CHAIN: usize = 32;

/// How deep inline schemas may nest. Real specs stay far below; a hostile
/// one must get an error, not a stack overflow.
const MAX_SCHEMA_DEPTH: usize = 64;

/// Builds the model of `document`, with a warning for every construct that
/// fell back to something more general.
pub fn resolve(document: &Document) -> Result<(Api, Vec<Warning>), Error> {
    let mut resolver = Resolver::new(document);
    let api = resolver.api()?;
    Ok((api, resolver.warnings))
}

struct Resolver<'a> {
    doc: &'a Document,
    spec: &'a OpenAPI,
    /// Names of all types handed out so far.
    type_names: Namespace,
    /// Type name of every schema that has one, by the pointer of the schema.
    named: HashMap<String, String>,
    /// Finished types, by name (sorted on output).
    types: BTreeMap<String, TypeDef>,
    warnings: Vec<Warning>,
}

impl<'a> Resolver<'a> {
    fn new(doc: &'a Document) -> Self {
        Resolver {
            doc,
            spec: &doc.openapi,
            type_names: Namespace::new(),
            named: HashMap::new(),
            types: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    fn warn(&mut self, pointer: &str, kind: &'static str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            kind,
            message: message.into(),
        });
    }

    fn api(&mut self) -> Result<Api, Error> {
        // Component schemas get their names first, in document order, so a
        // hoisted inline schema never takes a name the spec gave a component.
        let schemas: Vec<(String, String)> = self
            .spec
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|key| {
                let pointer = pointer_push("#/components/schemas", key);
                (key.clone(), pointer)
            })
            .collect();
        for (key, pointer) in &schemas {
            let name = self.type_names.unique(&names::type_name(key, "Schema"));
            self.named.insert(pointer.clone(), name);
        }
        for (_, pointer) in &schemas {
            self.define_named(pointer)?;
        }

        let operations = self.operations()?;
        let security_schemes = self.security_schemes(&operations)?;
        let info = &self.spec.info;
        Ok(Api {
            title: info.title.clone(),
            version: info.version.clone(),
            description: info.description.clone(),
            servers: self
                .spec
                .servers
                .iter()
                .map(|s| Server {
                    url: s.url.clone(),
                    description: s.description.clone(),
                })
                .collect(),
            types: std::mem::take(&mut self.types).into_values().collect(),
            operations,
            security_schemes,
        })
    }

    // ---- references -------------------------------------------------------

    /// Follows `$ref`s from `item` until a `T`, returning it with the pointer
    /// it was found at. `at` is where `item` itself sits.
    fn deref<T: DeserializeOwned + Clone>(
        &self,
        item: &ReferenceOr<T>,
        at: &str,
    ) -> Result<(T, String), Error> {
        match item {
            ReferenceOr::Item(value) => Ok((value.clone(), at.to_owned())),
            ReferenceOr::Reference { reference } => self.deref_pointer(reference, at),
        }
    }

    fn deref_pointer<T: DeserializeOwned>(
        &self,
        reference: &str,
        at: &str,
    ) -> Result<(T, String), Error> {
        let mut target = self.local_pointer(reference, at)?;
        for _ in 0..MAX_REF_CHAIN {
            let node = self.doc.node(&target).ok_or_else(|| {
                self.doc
                    .error(at, format!("`$ref` to `{reference}`, which does not exist"))
            })?;
            if let Some(next) = node.get("$ref").and_then(Value::as_str) {
                target = self.local_pointer(next, &target)?;
                continue;
            }
            let value = T::deserialize(node)
                .map_err(|e| self.doc.error(&target, format!("invalid object: {e}")))?;
            return Ok((value, target));
        }
        Err(self.doc.error(
            at,
            format!("`$ref` chain from `{reference}` never ends (a reference cycle)"),
        ))
    }

    /// The pointer a local `$ref` names; other documents are not read.
    fn local_pointer(&self, reference: &str, at: &str) -> Result<String, Error> {
        match reference.strip_prefix('#') {
            Some(pointer) => Ok(format!("#{}", decode_uri_fragment(pointer))),
            None => Err(self.doc.error(
                at,
                format!("`$ref` to another document (`{reference}`) is not supported; bundle the spec into one file first"),
            )),
        }
    }

    // ---- schemas ----------------------------------------------------------

    /// Defines the named type for the schema at `pointer` (which already has
    /// a name in `self.named`), unless it is defined already.
    fn define_named(&mut self, pointer: &str) -> Result<(), Error> {
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
    fn type_kind(
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
    fn schema_ref<S>(
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
    fn reference(&mut self, reference: &str, at: &str) -> Result<TypeRef, Error> {
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
    fn inline(
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
    fn composition(
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
    fn additional(
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

    fn structure(
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

    fn enumeration(&mut self, values: &[String]) -> Enum {
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

    // ---- operations -------------------------------------------------------

    fn operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut op_names = Namespace::new();
        let mut operations = Vec::new();
        for (path, item) in self.spec.paths.paths.iter() {
            let path_pointer = pointer_push("#/paths", path);
            let (item, item_pointer) = self.deref(item, &path_pointer)?;
            let methods = [
                (Method::Get, &item.get, "get"),
                (Method::Put, &item.put, "put"),
                (Method::Post, &item.post, "post"),
                (Method::Delete, &item.delete, "delete"),
                (Method::Options, &item.options, "options"),
                (Method::Head, &item.head, "head"),
                (Method::Patch, &item.patch, "patch"),
                (Method::Trace, &item.trace, "trace"),
            ];
            for (method, op, key) in methods {
                let Some(op) = op else { continue };
                let pointer = pointer_push(&item_pointer, key);
                let raw_name = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => format!("{key} {path}"),
                };
                let name = op_names.unique(&names::field_name(&raw_name, "operation"));
                let operation =
                    self.operation(name, method, path, &item, &item_pointer, op, &pointer)?;
                operations.push(operation);
            }
        }
        Ok(operations)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        name: String,
        method: Method,
        path: &str,
        item: &openapiv3::PathItem,
        item_pointer: &str,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let type_prefix = name.to_upper_camel_case();
        let parameters = self.parameters(path, item, item_pointer, op, pointer, &type_prefix)?;
        let request_body = match &op.request_body {
            Some(body) => {
                self.request_body(body, &pointer_push(pointer, "requestBody"), &type_prefix)?
            }
            None => None,
        };
        let responses = self.responses(
            &op.responses,
            &pointer_push(pointer, "responses"),
            &type_prefix,
        )?;
        let security = match op.security.as_ref().or(self.spec.security.as_ref()) {
            None => Vec::new(),
            Some(requirements) => {
                let mut alternatives: Vec<Vec<String>> = requirements
                    .iter()
                    .map(|r| r.keys().cloned().collect())
                    .collect();
                // Any empty alternative means anonymous access is allowed.
                if alternatives.iter().any(Vec::is_empty) {
                    alternatives.clear();
                }
                alternatives
            }
        };
        Ok(Operation {
            name,
            operation_id: op.operation_id.clone(),
            method,
            path: path.to_owned(),
            pointer: pointer.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            parameters,
            request_body,
            responses,
            security,
        })
    }

    fn parameters(
        &mut self,
        path: &str,
        item: &openapiv3::PathItem,
        item_pointer: &str,
        op: &openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<Parameter>, Error> {
        // Path-level first, then the operation's, which override by
        // (location, name).
        let mut merged: Vec<(OaParameter, String)> = Vec::new();
        let sources = [
            (&item.parameters, pointer_push(item_pointer, "parameters")),
            (&op.parameters, pointer_push(pointer, "parameters")),
        ];
        for (list, list_pointer) in sources {
            for (i, param) in list.iter().enumerate() {
                let at = pointer_push(&list_pointer, &i.to_string());
                let (param, at) = self.deref(param, &at)?;
                let key = param_key(&param);
                merged.retain(|(p, _)| param_key(p) != key);
                merged.push((param, at));
            }
        }
        let template_names = path_template_names(path);
        for name in &template_names {
            if !merged.iter().any(|(p, _)| {
                matches!(p, OaParameter::Path { .. }) && p.parameter_data_ref().name == *name
            }) {
                return Err(self.doc.error(
                    pointer,
                    format!("path parameter `{name}` of `{path}` is not declared"),
                ));
            }
        }
        // Path parameters in path order, then the rest in spec order.
        merged.sort_by_key(|(p, _)| match p {
            OaParameter::Path { parameter_data, .. } => template_names
                .iter()
                .position(|n| *n == parameter_data.name)
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        });

        let mut param_names = Namespace::new();
        let mut parameters = Vec::new();
        for (param, at) in merged {
            let (location, explode_default) = match &param {
                OaParameter::Path { .. } => (ParameterLocation::Path, false),
                OaParameter::Query { .. } => (ParameterLocation::Query, true),
                OaParameter::Header { .. } => (ParameterLocation::Header, false),
                OaParameter::Cookie { .. } => (ParameterLocation::Cookie, true),
            };
            let data = param.parameter_data_ref();
            if location == ParameterLocation::Path && !template_names.contains(&data.name) {
                self.warn(
                    &at,
                    "unused-path-parameter",
                    format!(
                        "path parameter `{}` does not appear in `{path}`; ignored",
                        data.name
                    ),
                );
                continue;
            }
            if location == ParameterLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                // OpenAPI: such header parameters "SHALL be ignored".
                continue;
            }
            let hint = format!("{type_prefix}{}", data.name.to_upper_camel_case());
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.schema_ref(schema, &pointer_push(&at, "schema"), &hint, 0)?
                }
                ParameterSchemaOrContent::Content(content) => {
                    self.warn(
                        &pointer_push(&at, "content"),
                        "parameter-content",
                        "parameters with `content` are not supported yet; read as a plain string",
                    );
                    let _ = content;
                    TypeRef::String
                }
            };
            parameters.push(Parameter {
                name: param_names.unique(&names::field_name(&data.name, "param")),
                wire_name: data.name.clone(),
                location,
                required: data.required || location == ParameterLocation::Path,
                docs: data.description.clone(),
                ty,
                explode: data.explode.unwrap_or(explode_default),
            });
        }
        Ok(parameters)
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let (body, at) = self.deref(body, pointer)?;
        let content_pointer = pointer_push(&at, "content");
        let Some((media_type, media)) = body.content.iter().find(|(m, _)| is_json(m)) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.warn(
                &content_pointer,
                "unsupported-media-type",
                format!("request body media types {types:?} are not supported yet; the operation takes no body"),
            );
            return Ok(None);
        };
        let ty = match &media.schema {
            Some(schema) => self.schema_ref(
                schema,
                &pointer_push(&pointer_push(&content_pointer, media_type), "schema"),
                &format!("{type_prefix}Request"),
                0,
            )?,
            None => TypeRef::Any,
        };
        Ok(Some(RequestBody {
            required: body.required,
            docs: body.description.clone(),
            media_type: media_type.clone(),
            ty,
        }))
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<Response>, Error> {
        let mut declared: Vec<(Status, &ReferenceOr<openapiv3::Response>, String)> = Vec::new();
        for (code, response) in &responses.responses {
            let (status, key) = match code {
                openapiv3::StatusCode::Code(c) => (Status::Code(*c), c.to_string()),
                openapiv3::StatusCode::Range(r) => (Status::Range(*r as u8), format!("{r}XX")),
            };
            declared.push((status, response, pointer_push(pointer, &key)));
        }
        if let Some(default) = &responses.default {
            declared.push((Status::Default, default, pointer_push(pointer, "default")));
        }
        declared.sort_by_key(|(status, _, _)| *status);
        let successes = declared
            .iter()
            .filter(|(s, _, _)| matches!(s, Status::Code(200..=299) | Status::Range(2)))
            .count();

        let mut variants = Namespace::new();
        let mut out = Vec::new();
        for (status, response, at) in declared {
            let (response, at) = self.deref(response, &at)?;
            let variant = variants.unique(&status_variant(status));
            let hint =
                if successes == 1 && matches!(status, Status::Code(200..=299) | Status::Range(2)) {
                    format!("{type_prefix}Response")
                } else {
                    format!("{type_prefix}{variant}Response")
                };
            let body = self.response_body(&response, &at, &hint)?;
            out.push(Response {
                status,
                variant,
                docs: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
                body,
            });
        }
        Ok(out)
    }

    fn response_body(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Result<Option<ResponseBody>, Error> {
        if response.content.is_empty() {
            return Ok(None);
        }
        let content_pointer = pointer_push(pointer, "content");
        let Some((media_type, media)) = response.content.iter().find(|(m, _)| is_json(m)) else {
            let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
            self.warn(
                &content_pointer,
                "unsupported-media-type",
                format!(
                    "response media types {types:?} are not supported yet; the body is not read"
                ),
            );
            return Ok(None);
        };
        let ty = match &media.schema {
            Some(schema) => self.schema_ref(
                schema,
                &pointer_push(&pointer_push(&content_pointer, media_type), "schema"),
                hint,
                0,
            )?,
            None => TypeRef::Any,
        };
        Ok(Some(ResponseBody {
            media_type: media_type.clone(),
            ty,
        }))
    }

    // ---- security ---------------------------------------------------------

    fn security_schemes(&mut self, operations: &[Operation]) -> Result<Vec<SecurityScheme>, Error> {
        let mut used: Vec<&str> = operations
            .iter()
            .flat_map(|op| op.security.iter().flatten())
            .map(String::as_str)
            .collect();
        used.sort_unstable();
        used.dedup();
        let mut scheme_names = Namespace::new();
        let mut schemes = Vec::new();
        for key in used {
            let at = pointer_push("#/components/securitySchemes", key);
            let declared = self
                .spec
                .components
                .as_ref()
                .and_then(|c| c.security_schemes.get(key));
            let Some(declared) = declared else {
                return Err(self.doc.error(
                    "#/security",
                    format!("security requirement names `{key}`, which is not in components/securitySchemes"),
                ));
            };
            let (scheme, at) = self.deref(declared, &at)?;
            let (kind, docs) = match scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Query => ParameterLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParameterLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParameterLocation::Cookie,
                    };
                    (
                        SecuritySchemeKind::ApiKey {
                            location,
                            wire_name: name,
                        },
                        description,
                    )
                }
                openapiv3::SecurityScheme::HTTP {
                    scheme,
                    description,
                    ..
                } => match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (SecuritySchemeKind::Bearer, description),
                    "basic" => (SecuritySchemeKind::Basic, description),
                    other => {
                        self.warn(
                            &at,
                            "unsupported-security-scheme",
                            format!("HTTP authentication scheme `{other}` is not supported; the credential is sent and read as a bearer token"),
                        );
                        (SecuritySchemeKind::Bearer, description)
                    }
                },
                openapiv3::SecurityScheme::OAuth2 { description, .. }
                | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    (SecuritySchemeKind::Bearer, description)
                }
            };
            schemes.push(SecurityScheme {
                key: key.to_owned(),
                name: scheme_names.unique(&names::field_name(key, "scheme")),
                docs,
                kind,
            });
        }
        Ok(schemes)
    }
}

/// The parts of a schema the resolver looks at, whether `openapiv3` could
/// type the schema or left it as `SchemaKind::Any`.
struct SchemaView<'s> {
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
    fn of(schema: &'s Schema) -> Self {
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
    fn string_enum(&self) -> Option<Vec<String>> {
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
    fn is_struct(&self) -> bool {
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
fn schema_docs(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .clone()
        .or_else(|| schema.schema_data.title.clone())
        .filter(|d| !d.trim().is_empty())
}

fn param_key(param: &OaParameter) -> (u8, String) {
    let location = match param {
        OaParameter::Path { .. } => 0,
        OaParameter::Query { .. } => 1,
        OaParameter::Header { .. } => 2,
        OaParameter::Cookie { .. } => 3,
    };
    let name = &param.parameter_data_ref().name;
    // Header names are case-insensitive.
    let name = if location == 2 {
        name.to_ascii_lowercase()
    } else {
        name.clone()
    };
    (location, name)
}

/// The `{name}`s of a path template, in order.
fn path_template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    names
}

/// `application/json`, `application/problem+json`, `application/json;
/// charset=utf-8`, ...
fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The variant name of a response: the status's reason phrase.
fn status_variant(status: Status) -> String {
    match status {
        Status::Default => "Default".to_owned(),
        Status::Range(1) => "Informational".to_owned(),
        Status::Range(2) => "Success".to_owned(),
        Status::Range(3) => "Redirection".to_owned(),
        Status::Range(4) => "ClientError".to_owned(),
        Status::Range(5) => "ServerError".to_owned(),
        Status::Range(r) => format!("Status{r}xx"),
        Status::Code(code) => match reason_phrase(code) {
            Some(reason) => names::variant_name(reason, "Status"),
            None => format!("Status{code}"),
        },
    }
}

fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "Im A Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

/// Undoes the percent-encoding a `$ref`'s URI fragment may carry.
fn decode_uri_fragment(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&fragment[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse;

    fn resolve_text(text: &str) -> Result<(Api, Vec<Warning>), Error> {
        resolve(&parse(text.to_owned())?)
    }

    const PETS: &str = r#"
openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getPet
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: a pet
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        '404': {$ref: '#/components/responses/NotFound'}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
components:
  responses:
    NotFound:
      description: not found
  schemas:
    Pet:
      type: object
      required: [id, type]
      properties:
        id: {type: string, format: uuid}
        type: {type: string, enum: [dog, cat, Dog]}
        parent: {$ref: '#/components/schemas/Pet'}
        tags: {type: array, items: {type: object, properties: {name: {type: string}}}}
        extra: {type: object, additionalProperties: {type: integer, format: int32}}
    Error:
      type: object
      properties:
        message: {type: string, nullable: true}
"#;

    #[test]
    fn resolves_types_and_operations() {
        let (api, warnings) = resolve_text(PETS).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Error", "Pet", "PetTagsItem", "PetType"]);
        let pet = api.types.iter().find(|t| t.name == "Pet").unwrap();
        let TypeKind::Struct(pet) = &pet.kind else {
            panic!("{pet:?}")
        };
        assert_eq!(pet.fields[1].name, "type");
        assert_eq!(pet.fields[1].ty, TypeRef::Named("PetType".into()));
        assert_eq!(pet.fields[2].ty, TypeRef::Named("Pet".into()));
        assert_eq!(
            pet.fields[4].ty,
            TypeRef::Map(Box::new(TypeRef::Integer(IntegerFormat::I32)))
        );
        let pet_type = api.types.iter().find(|t| t.name == "PetType").unwrap();
        let TypeKind::Enum(e) = &pet_type.kind else {
            panic!()
        };
        let variants: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(variants, ["Dog", "Cat", "Dog2"]);

        let op = &api.operations[0];
        assert_eq!(op.name, "get_pet");
        assert_eq!(op.pointer, "#/paths/~1pets~1{petId}/get");
        assert_eq!(op.parameters[0].name, "pet_id");
        assert_eq!(op.parameters[0].ty, TypeRef::Uuid);
        assert_eq!(op.parameters[1].location, ParameterLocation::Query);
        let variants: Vec<&str> = op.responses.iter().map(|r| r.variant.as_str()).collect();
        assert_eq!(variants, ["Ok", "NotFound", "Default"]);
        assert!(op.responses[1].body.is_none());
    }

    #[test]
    fn missing_reference_names_its_place() {
        let text = PETS.replace("#/components/schemas/Error", "#/components/schemas/Nope");
        let e = resolve_text(&text).unwrap_err();
        assert_eq!(
            e.pointer.as_deref(),
            Some("#/paths/~1pets~1{petId}/get/responses/default/content/application~1json/schema")
        );
        assert!(e.message.contains("does not exist"), "{e}");
        assert!(e.line.is_some());
    }

    #[test]
    fn reference_cycle_is_an_error() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
"#;
        let e = resolve_text(text).unwrap_err();
        assert!(e.message.contains("cycle"), "{e}");
    }

    #[test]
    fn operations_without_id_are_named_from_method_and_path() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /users/{id}/keys:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {'204': {description: none}}
"#;
        let (api, _) = resolve_text(text).unwrap();
        assert_eq!(api.operations[0].name, "get_users_id_keys");
    }
}

#[cfg(test)]
mod spec_tests {
    use super::*;

    /// The project's own spec resolves without a single fallback.
    #[test]
    fn customer_spec_resolves_without_warnings() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/customer-identification-processes.yaml"
        );
        let doc = crate::load::load(std::path::Path::new(path)).unwrap();
        let (api, warnings) = resolve(&doc).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert!(names.contains(&"IdentificationAttemptChannel"), "{names:?}");
        assert_eq!(api.operations.len(), 2);
        assert_eq!(api.security_schemes.len(), 2);
        if std::env::var_os("APIFORGE_DUMP_MODEL").is_some() {
            eprintln!("{api:#?}");
        }
    }
}
