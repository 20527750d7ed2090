//! Operations: paths, parameters, request and response bodies, security.

use super::renames;
use super::*;
use std::collections::BTreeSet;

use crate::model::{
    essence, Content, MultipartField, ParameterStyle, PartKind, PathPart, PathSegment,
    PathTemplate, Payload, ResponseHeader,
};

impl Resolver<'_> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>, Error> {
        let config = self.config;
        let select = &config.select;
        // Paths left out are outside any selection.
        if !self.selecting {
            self.warn_invalid_paths();
        }
        let mut op_names = Namespace::new();
        // `[rename.operations]`: the names given are taken first.
        let given = &config.rename.operations;
        let mut given_names: BTreeMap<String, &str> = BTreeMap::new();
        for (id, name) in given {
            let name = renames::checked(config, renames::Section::Operations, id, name)?;
            op_names.reserve(&name);
            given_names.insert(name, id);
        }
        renames::check_distinct(
            config,
            renames::Section::Operations,
            given.iter().map(|(k, n)| (k.as_str(), n.as_str())),
        )?;
        // What the spec has, to tell a selection or rename of something
        // missing.
        let (mut tags, mut ids, mut paths): (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) =
            Default::default();
        let mut operations = Vec::new();
        for (path, item) in self.spec.paths.paths.iter() {
            let path_pointer = pointer_push("#/paths", path);
            // `None`: a pair of the key's query string is not `key={name}`;
            // each operation of the key is left out, with a warning.
            let path_key = PathKey::parse(path);
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
                tags.extend(op.tags.iter().cloned());
                ids.extend(op.operation_id.clone());
                paths.insert(path.clone());
                if self.selecting
                    && !op.tags.iter().any(|tag| select.tags.contains(tag))
                    && !op
                        .operation_id
                        .as_ref()
                        .is_some_and(|id| select.operations.contains(id))
                    && !select.paths.contains(path)
                {
                    continue;
                }
                let pointer = pointer_push(&item_pointer, key);
                let raw_name = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => id.clone(),
                    _ => format!("{key} {path}"),
                };
                let given_name = op.operation_id.as_ref().and_then(|id| given.get(id));
                let wanted = match given_name {
                    Some(name) => name.clone(),
                    None => names::field_name(&raw_name, "operation"),
                };
                if given_name.is_none() {
                    if let Some(id) = given_names.get(&wanted) {
                        return Err(renames::error(
                            config,
                            renames::Section::Operations,
                            id,
                            &format!("`{wanted}` is the name of the operation `{raw_name}`"),
                        ));
                    }
                }
                let name = if given_name.is_some() {
                    wanted.clone()
                } else {
                    op_names.unique(&wanted)
                };
                if name != wanted {
                    // operationIds must be unique (or become equal once made
                    // into Rust names); the later operation is renamed rather
                    // than refused, and the user is told under which name.
                    self.warn(
                        &pointer,
                        WarningKind::DuplicateOperationName,
                        format!(
                            "operation `{raw_name}` has the same Rust name `{wanted}` as an \
                             earlier operation; generated as `{name}`"
                        ),
                    );
                }
                if !op.callbacks.is_empty() {
                    let names: Vec<String> = op
                        .callbacks
                        .keys()
                        .map(|name| format!("`{name}`"))
                        .collect();
                    self.warn(
                        &pointer_push(&pointer, "callbacks"),
                        WarningKind::UnsupportedCallbacks,
                        format!(
                            "callbacks are not supported: {} not generated (the server does not \
                             send the requests, the client does not receive them)",
                            if names.len() == 1 {
                                format!("{} is", names[0])
                            } else {
                                format!("{} are", names.join(", "))
                            }
                        ),
                    );
                }
                let Some(path_key) = &path_key else {
                    self.warn(
                        &pointer,
                        WarningKind::QueryStringInPath,
                        format!(
                            "the path `{path}` has a query string, which OpenAPI paths cannot \
                             carry, with a pair not of the form `key={{name}}`; the operation is \
                             not generated"
                        ),
                    );
                    continue;
                };
                let operation =
                    self.operation(name, method, path_key, &item, &item_pointer, op, &pointer)?;
                operations.push(operation);
            }
        }
        if let Some(id) = given.keys().find(|id| !ids.contains(*id)) {
            return Err(renames::error(
                config,
                renames::Section::Operations,
                id,
                &format!("no operation has the operationId `{id}`"),
            ));
        }
        let missing = [
            ("tags", &select.tags, &tags, "no operation has the tag"),
            (
                "operations",
                &select.operations,
                &ids,
                "no operation has the operationId",
            ),
            ("paths", &select.paths, &paths, "no operation has the path"),
        ];
        for (key, values, present, message) in missing {
            if let Some(value) = values.iter().find(|v| !present.contains(*v)) {
                return Err(config.error_at(
                    &["select", key],
                    Some(value),
                    &format!("{message} `{value}`"),
                ));
            }
        }
        Ok(operations)
    }

    /// Warns about the keys of `paths` that `openapiv3` leaves out: those
    /// that neither start with `/` (as OpenAPI requires) nor are extensions
    /// (`x-`). Their operations are not generated; the rest of the spec is,
    /// as with other parts that cannot be used (an unused path parameter,
    /// a header name HTTP cannot carry).
    fn warn_invalid_paths(&mut self) {
        let keys: Vec<String> = self
            .doc
            .raw
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.keys())
            .filter(|key| !key.starts_with('/') && !key.starts_with("x-"))
            .cloned()
            .collect();
        for key in keys {
            let message = if key.is_empty() {
                "the path is empty, and OpenAPI requires a path to start with `/`; its \
                 operations are not generated"
                    .to_owned()
            } else {
                format!(
                    "the path `{key}` does not start with `/` as OpenAPI requires (`/{key}` was \
                     probably meant); its operations are not generated"
                )
            };
            self.warn(
                &pointer_push("#/paths", &key),
                WarningKind::InvalidPath,
                message,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        name: String,
        method: Method,
        path_key: &PathKey<'_>,
        item: &openapiv3::PathItem,
        item_pointer: &str,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Error> {
        let type_prefix = name.to_upper_camel_case();
        let parameters =
            self.parameters(path_key, item, item_pointer, op, pointer, &type_prefix)?;
        // A query string in the path key became query parameters.
        let path = path_template(path_key.route, &parameters);
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
            path,
            pointer: pointer.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            parameters,
            request_body,
            responses,
            security,
            pagination: None,
        })
    }

    pub(super) fn parameters(
        &mut self,
        path_key: &PathKey<'_>,
        item: &openapiv3::PathItem,
        item_pointer: &str,
        op: &openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<Parameter>, Error> {
        // Path-level first, then the operation's, which override by
        // (location, name).
        let mut merged: Vec<(Cow<OaParameter>, String)> = Vec::new();
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
        // `/search?q={query}`: OpenAPI has no query strings in paths, but
        // the intent is plain; each `key={name}` pair becomes a query
        // parameter, and the route is the part before `?`.
        if path_key.has_query_string() {
            self.query_string_parameters(path_key, &mut merged, pointer);
        }
        let path = path_key.route;
        let template_names = path_template_names(path);
        for name in &template_names {
            if !merged.iter().any(|(p, _)| {
                matches!(**p, OaParameter::Path { .. }) && p.parameter_data_ref().name == *name
            }) {
                return Err(self.doc.error(
                    pointer,
                    format!("path parameter `{name}` of `{path}` is not declared"),
                ));
            }
        }
        // Path parameters in path order, then the rest in spec order.
        merged.sort_by_key(|(p, _)| match &**p {
            OaParameter::Path { parameter_data, .. } => template_names
                .iter()
                .position(|n| *n == parameter_data.name)
                .unwrap_or(usize::MAX),
            _ => usize::MAX,
        });

        let mut param_names = Namespace::new();
        let mut parameters = Vec::new();
        for (param, at) in merged {
            let (location, explode_default) = match &*param {
                OaParameter::Path { .. } => (ParameterLocation::Path, false),
                OaParameter::Query { .. } => (ParameterLocation::Query, true),
                OaParameter::Header { .. } => (ParameterLocation::Header, false),
                OaParameter::Cookie { .. } => (ParameterLocation::Cookie, true),
            };
            let data = param.parameter_data_ref();
            if location == ParameterLocation::Path && !template_names.contains(&data.name) {
                self.warn(
                    &at,
                    WarningKind::UnusedPathParameter,
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
            let (ty, style, schema_pointer) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let schema_pointer = pointer_push(&at, "schema");
                    let ty = without_null(self.schema_ref(schema, &schema_pointer, &hint, 0)?);
                    (ty, self.parameter_style(&param, &at), schema_pointer)
                }
                ParameterSchemaOrContent::Content(content) => {
                    let (ty, style) = self.content_parameter(content, &at, &hint)?;
                    // The schema of the one media type read.
                    let media = content
                        .keys()
                        .next()
                        .map(String::as_str)
                        .unwrap_or_default();
                    let content_pointer = pointer_push(&at, "content");
                    let schema_pointer =
                        pointer_push(&pointer_push(&content_pointer, media), "schema");
                    (ty, style, schema_pointer)
                }
            };
            let constraints = self.constraints_at(&schema_pointer);
            parameters.push(Parameter {
                name: param_names.unique(&names::field_name(&data.name, "param")),
                wire_name: data.name.clone(),
                location,
                required: data.required || location == ParameterLocation::Path,
                docs: data.description.clone(),
                ty,
                explode: data.explode.unwrap_or(explode_default),
                style,
                constraints,
            });
        }
        Ok(parameters)
    }

    /// Reads the query string of `path_key` as query parameters, put into
    /// `merged`: each `key={name}` pair is the parameter `name` declares
    /// (in the path or the query, as the authors of such specs write it; a
    /// string when undeclared, required since the template always has it),
    /// sent under `key`.
    fn query_string_parameters(
        &mut self,
        path_key: &PathKey<'_>,
        merged: &mut Vec<(Cow<'_, OaParameter>, String)>,
        pointer: &str,
    ) {
        let route = path_key.route;
        let route_names = path_template_names(route);
        let mut read = Vec::new();
        for (key, name) in &path_key.query_pairs {
            let (key, name) = (key.as_ref(), *name);
            let declared = merged.iter().position(|(p, _)| {
                matches!(**p, OaParameter::Path { .. } | OaParameter::Query { .. })
                    && p.parameter_data_ref().name == name
            });
            let (mut data, at) = match declared {
                // A path parameter the route itself uses stays one too.
                Some(index) if route_names.iter().any(|n| n == name) => {
                    let (param, at) = &merged[index];
                    (param.parameter_data_ref().clone(), at.clone())
                }
                Some(index) => {
                    let (param, at) = merged.remove(index);
                    (param.parameter_data_ref().clone(), at)
                }
                None => (
                    openapiv3::ParameterData {
                        name: name.to_owned(),
                        description: None,
                        required: true,
                        deprecated: None,
                        format: ParameterSchemaOrContent::Schema(openapiv3::ReferenceOr::Item(
                            openapiv3::Schema {
                                schema_data: Default::default(),
                                schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(
                                    Default::default(),
                                )),
                            },
                        )),
                        example: None,
                        examples: Default::default(),
                        explode: None,
                        extensions: Default::default(),
                    },
                    pointer.to_owned(),
                ),
            };
            data.name = key.to_owned();
            merged.retain(|(p, _)| {
                !(matches!(**p, OaParameter::Query { .. }) && p.parameter_data_ref().name == key)
            });
            merged.push((
                Cow::Owned(OaParameter::Query {
                    parameter_data: data,
                    allow_reserved: false,
                    style: openapiv3::QueryStyle::Form,
                    allow_empty_value: None,
                }),
                at,
            ));
            read.push(format!("`{key}`"));
        }
        let read = if read.is_empty() {
            // `/search?`: nothing to read, only the `?` to drop.
            "it has no pair, and the operation is".to_owned()
        } else {
            format!("it is read as the query parameters {},", read.join(", "))
        };
        self.warn(
            pointer,
            WarningKind::QueryStringInPath,
            format!(
                "the path `{}` has a query string, which OpenAPI paths cannot carry; {read} at \
                 the path `{route}`",
                path_key.key,
            ),
        );
    }

    /// The style of a parameter described by a `schema`.
    fn parameter_style(&mut self, param: &OaParameter, at: &str) -> ParameterStyle {
        match param {
            OaParameter::Query { style, .. } => match style {
                openapiv3::QueryStyle::Form => ParameterStyle::Default,
                openapiv3::QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParameterStyle::DeepObject,
            },
            OaParameter::Path { style, .. } => {
                let name = match style {
                    openapiv3::PathStyle::Simple => return ParameterStyle::Default,
                    openapiv3::PathStyle::Label => "label",
                    openapiv3::PathStyle::Matrix => "matrix",
                };
                self.warn(
                    &pointer_push(at, "style"),
                    WarningKind::UnsupportedParameterStyle,
                    format!(
                        "path parameter style `{name}` is not supported; the value is read and \
                         written in the `simple` style"
                    ),
                );
                ParameterStyle::Default
            }
            OaParameter::Header { .. } | OaParameter::Cookie { .. } => ParameterStyle::Default,
        }
    }

    /// The type and style of a parameter described by `content` (one media
    /// type): JSON text for a JSON media type, else plain text.
    fn content_parameter(
        &mut self,
        content: &indexmap::IndexMap<String, openapiv3::MediaType>,
        at: &str,
        hint: &str,
    ) -> Result<(TypeRef, ParameterStyle), Error> {
        let content_pointer = pointer_push(at, "content");
        let Some((media_type, media)) = content.iter().next() else {
            self.warn(
                &content_pointer,
                WarningKind::ParameterContent,
                "`content` names no media type; the value is read as a plain string",
            );
            return Ok((TypeRef::String, ParameterStyle::Default));
        };
        let json = is_json(media_type);
        let ty = match &media.schema {
            Some(schema) => {
                let at = pointer_push(&pointer_push(&content_pointer, media_type), "schema");
                self.schema_ref(schema, &at, hint, 0)?
            }
            None if json => TypeRef::Any,
            None => TypeRef::String,
        };
        if json {
            return Ok((ty, ParameterStyle::Json));
        }
        let essence = essence(media_type);
        if essence != "text/plain" && essence != "*/*" {
            self.warn(
                &content_pointer,
                WarningKind::ParameterContent,
                format!(
                    "parameter media type `{media_type}` is not supported; the value is read and \
                     written as plain text"
                ),
            );
        }
        Ok((ty, ParameterStyle::Default))
    }

    pub(super) fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let (body, at) = self.deref(body, pointer)?;
        let content_pointer = pointer_push(&at, "content");
        let mut variants = Namespace::new();
        let mut essences = Vec::new();
        // Inline schemas repeated under several media types are one type.
        let mut resolved: Vec<(&ReferenceOr<Schema>, TypeRef)> = Vec::new();
        let mut contents = Vec::new();
        for (media_type, media) in &body.content {
            let media_pointer = pointer_push(&content_pointer, media_type);
            let essence = essence(media_type);
            if essences.contains(&essence) {
                // `application/json` and `application/json; charset=utf-8`:
                // one body, read and sent the same way.
                continue;
            }
            let schema_pointer = pointer_push(&media_pointer, "schema");
            let hint = format!("{type_prefix}Request");
            let mut json_type = |this: &mut Self| -> Result<TypeRef, Error> {
                let Some(schema) = &media.schema else {
                    return Ok(TypeRef::Any);
                };
                if let Some((_, ty)) = resolved.iter().find(|(s, _)| *s == schema) {
                    return Ok(ty.clone());
                }
                let ty = this.schema_ref(schema, &schema_pointer, &hint, 0)?;
                resolved.push((schema, ty.clone()));
                Ok(ty)
            };
            let payload = match self.media_kind(media_type, media.schema.as_ref())? {
                MediaKind::Json => Payload::Json(json_type(self)?),
                MediaKind::Form => {
                    let deep_objects = media
                        .encoding
                        .iter()
                        .filter(|(_, e)| e.style == Some(openapiv3::QueryStyle::DeepObject))
                        .map(|(property, _)| property.clone())
                        .collect();
                    Payload::Form {
                        ty: json_type(self)?,
                        deep_objects,
                    }
                }
                MediaKind::Multipart => {
                    match self.multipart_fields(
                        media.schema.as_ref(),
                        &schema_pointer,
                        type_prefix,
                    )? {
                        Some(fields) => Payload::Multipart(fields),
                        None => {
                            self.warn(
                                &media_pointer,
                                WarningKind::UnsupportedMediaType,
                                "a `multipart/form-data` body needs an object schema with \
                                 properties; this media type is not accepted",
                            );
                            continue;
                        }
                    }
                }
                kind @ (MediaKind::Text | MediaKind::Binary) => {
                    self.unstructured_payload(kind, media_type, media, &media_pointer, "request")?
                }
            };
            essences.push(essence);
            let constraints = match &payload {
                Payload::Json(_) | Payload::Form { .. } => self.constraints_at(&schema_pointer),
                _ => Constraints::default(),
            };
            contents.push(Content {
                media_type: media_type.clone(),
                variant: variants.unique(&media_variant(media_type)),
                payload,
                constraints,
            });
        }
        if contents.is_empty() {
            if body.content.is_empty() {
                self.warn(
                    &content_pointer,
                    WarningKind::UnsupportedMediaType,
                    "the request body declares no media type; the operation takes no body",
                );
            }
            return Ok(None);
        }
        Ok(Some(RequestBody {
            required: body.required,
            docs: body.description.clone(),
            contents,
        }))
    }

    /// How a body of `media_type` is read. `*/*` and `application/*` carry
    /// JSON when their schema describes something other than bytes.
    fn media_kind(
        &self,
        media_type: &str,
        schema: Option<&ReferenceOr<Schema>>,
    ) -> Result<MediaKind, Error> {
        let essence = essence(media_type);
        Ok(match essence.as_str() {
            _ if is_json(media_type) => MediaKind::Json,
            "application/x-www-form-urlencoded" => MediaKind::Form,
            "multipart/form-data" => MediaKind::Multipart,
            "*/*" | "application/*" => match schema {
                Some(schema) if !self.is_binary(schema)? => MediaKind::Json,
                _ => MediaKind::Binary,
            },
            _ if essence.starts_with("text/") => MediaKind::Text,
            _ => MediaKind::Binary,
        })
    }

    /// Warns that a `text/event-stream` body (server-sent events) is read
    /// like any other text: whole, as one `String`.
    fn warn_event_stream(&mut self, media_type: &str, pointer: &str, body: &str) {
        if essence(media_type) != "text/event-stream" {
            return;
        }
        let consequence = if body == "response" {
            "the client returns it only when the stream ends, and the server sends the whole \
             text at once"
        } else {
            "the client sends it and the server reads it whole"
        };
        self.warn(
            pointer,
            WarningKind::EventStream,
            format!(
                "server-sent events are not supported: a `{media_type}` {body} body is one \
                 `String` ({consequence}); events are not parsed"
            ),
        );
    }

    /// The payload of a `body` (request or response) read as text or as
    /// raw bytes, with the warnings such a body may need: its schema
    /// describes more than the body type carries, or it is an event stream.
    fn unstructured_payload(
        &mut self,
        kind: MediaKind,
        media_type: &str,
        media: &openapiv3::MediaType,
        media_pointer: &str,
        body: &str,
    ) -> Result<Payload, Error> {
        let (read_as, payload) = if kind == MediaKind::Text {
            self.warn_event_stream(media_type, media_pointer, body);
            ("text", Payload::Text)
        } else {
            ("raw bytes", Payload::Binary)
        };
        self.warn_unused_schema(media_type, media.schema.as_ref(), media_pointer, read_as)?;
        Ok(payload)
    }

    /// Warns when a body read as text or bytes has a schema describing
    /// structure (an object or an array), which is then not used.
    fn warn_unused_schema(
        &mut self,
        media_type: &str,
        schema: Option<&ReferenceOr<Schema>>,
        pointer: &str,
        read_as: &str,
    ) -> Result<(), Error> {
        let Some(schema) = schema else {
            return Ok(());
        };
        let (schema, _) = self.deref(schema, &pointer_push(pointer, "schema"))?;
        let typ = JsonType::of(&schema);
        let structured = matches!(typ, Some(JsonType::Object | JsonType::Array))
            || object_parts(&schema).is_some();
        if structured {
            self.warn(
                pointer,
                WarningKind::UnsupportedMediaType,
                format!(
                    "`{media_type}` bodies are not decoded: the body is passed as {read_as}, and \
                     its schema is not used"
                ),
            );
        }
        Ok(())
    }

    /// Whether a schema is `type: string, format: binary`.
    fn is_binary(&self, schema: &ReferenceOr<Schema>) -> Result<bool, Error> {
        let schema = match schema {
            ReferenceOr::Item(schema) => Cow::Borrowed(schema),
            ReferenceOr::Reference { reference } => {
                self.deref_pointer::<Schema>(reference, reference)?.0
            }
        };
        Ok(is_binary_schema(&schema))
    }

    /// The parts of a `multipart/form-data` body: one per property of its
    /// (object) schema. `None` when the schema has no properties.
    fn multipart_fields(
        &mut self,
        schema: Option<&ReferenceOr<Schema>>,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Option<Vec<MultipartField>>, Error> {
        let Some(schema) = schema else {
            return Ok(None);
        };
        let (object, object_pointer) = self.deref(schema, pointer)?;
        let Some((properties, required)) = object_parts(&object) else {
            return Ok(None);
        };
        if properties.is_empty() {
            return Ok(None);
        }
        // A named schema already is a struct: its fields have their types.
        let named_fields: Option<Vec<Field>> = match schema {
            ReferenceOr::Reference { .. } => match self.schema_ref(schema, pointer, "", 0)? {
                TypeRef::Named(name) => match self.types.get(&name).map(|t| &t.kind) {
                    Some(TypeKind::Struct(s)) => Some(s.fields.clone()),
                    _ => None,
                },
                _ => None,
            },
            ReferenceOr::Item(_) => None,
        };
        let mut field_names = Namespace::new();
        let mut fields = Vec::new();
        for (wire_name, property) in properties {
            let at = pointer_push(&pointer_push(&object_pointer, "properties"), wire_name);
            // Through `deref_part`: as a `Box<Schema>`, a referenced
            // component would be read again from the raw tree.
            let (resolved, _) = self.deref_part(schemas::as_part(property), &at)?;
            let named = named_fields
                .as_ref()
                .and_then(|fields| fields.iter().find(|f| &f.wire_name == wire_name));
            let part = if is_binary_schema(&resolved) {
                PartKind::File
            } else if array_items(&resolved).is_some_and(|items| self.is_binary_boxed(items)) {
                PartKind::Files
            } else {
                let ty = match named {
                    Some(field) => field.ty.clone(),
                    None => {
                        let hint = format!("{type_prefix}{}", wire_name.to_upper_camel_case());
                        self.schema_ref(property, &at, &hint, 0)?
                    }
                };
                PartKind::Value(ty)
            };
            let docs = match (named, property) {
                (Some(field), _) => field.docs.clone(),
                (None, ReferenceOr::Item(schema)) => schemas::schema_docs(schema),
                (None, ReferenceOr::Reference { .. }) => None,
            };
            fields.push(MultipartField {
                name: field_names.unique(&names::field_name(wire_name, "part")),
                wire_name: wire_name.clone(),
                docs,
                required: required.contains(wire_name),
                part,
            });
        }
        Ok(Some(fields))
    }

    /// [`Self::is_binary`] for an array's items; a broken reference is
    /// reported where the items are resolved, not here.
    fn is_binary_boxed(&self, items: &ReferenceOr<Box<Schema>>) -> bool {
        match items {
            ReferenceOr::Item(schema) => is_binary_schema(schema),
            ReferenceOr::Reference { reference } => self
                .deref_pointer::<Schema>(reference, reference)
                .is_ok_and(|(schema, _)| is_binary_schema(&schema)),
        }
    }

    pub(super) fn responses(
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
            let headers =
                self.response_headers(&response, &at, &format!("{type_prefix}{variant}"))?;
            out.push(Response {
                status,
                variant,
                docs: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
                body,
                headers,
            });
        }
        Ok(out)
    }

    /// The body of a response: of the media types it declares, the first
    /// JSON one, else the first text one, else the first other one (a client
    /// may ask for any; the server sends this one).
    pub(super) fn response_body(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Result<Option<ResponseBody>, Error> {
        let content_pointer = pointer_push(pointer, "content");
        let mut kinds = Vec::new();
        for (media_type, media) in &response.content {
            let kind = self.media_kind(media_type, media.schema.as_ref())?;
            kinds.push((kind, media_type, media));
        }
        let rank = |kind: MediaKind| match kind {
            MediaKind::Json => 0,
            MediaKind::Text => 1,
            MediaKind::Binary | MediaKind::Form | MediaKind::Multipart => 2,
        };
        let Some((kind, media_type, media)) = kinds
            .iter()
            .enumerate()
            .min_by_key(|(i, (kind, _, _))| (rank(*kind), *i))
            .map(|(_, chosen)| *chosen)
        else {
            return Ok(None);
        };
        let media_pointer = pointer_push(&content_pointer, media_type);
        let payload = match kind {
            MediaKind::Json => Payload::Json(match &media.schema {
                Some(schema) => {
                    self.schema_ref(schema, &pointer_push(&media_pointer, "schema"), hint, 0)?
                }
                None => TypeRef::Any,
            }),
            MediaKind::Text | MediaKind::Binary => {
                self.unstructured_payload(kind, media_type, media, &media_pointer, "response")?
            }
            MediaKind::Form | MediaKind::Multipart => {
                self.warn(
                    &media_pointer,
                    WarningKind::UnsupportedMediaType,
                    format!(
                        "`{media_type}` responses are not decoded: the body is passed as raw bytes"
                    ),
                );
                Payload::Binary
            }
        };
        Ok(Some(ResponseBody {
            media_type: media_type.clone(),
            payload,
        }))
    }

    /// The headers a response declares, but `Content-Type` (which the body
    /// decides). A header name HTTP cannot carry is left out with a warning.
    fn response_headers(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
        type_prefix: &str,
    ) -> Result<Vec<ResponseHeader>, Error> {
        let mut header_names = Namespace::new();
        let mut headers = Vec::new();
        for (wire_name, header) in &response.headers {
            let at = pointer_push(&pointer_push(pointer, "headers"), wire_name);
            if wire_name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            if !is_header_name(wire_name) {
                self.warn(
                    &at,
                    WarningKind::InvalidHeaderName,
                    format!(
                        "`{wire_name}` is not a valid HTTP header name; the header is left out"
                    ),
                );
                continue;
            }
            if headers
                .iter()
                .any(|h: &ResponseHeader| h.wire_name.eq_ignore_ascii_case(wire_name))
            {
                continue;
            }
            let (header, at) = self.deref(header, &at)?;
            let hint = format!("{type_prefix}{}", wire_name.to_upper_camel_case());
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    without_null(self.schema_ref(schema, &pointer_push(&at, "schema"), &hint, 0)?)
                }
                ParameterSchemaOrContent::Content(content) => {
                    let (ty, style) = self.content_parameter(content, &at, &hint)?;
                    if style == ParameterStyle::Json {
                        self.warn(
                            &pointer_push(&at, "content"),
                            WarningKind::ParameterContent,
                            "response headers with JSON `content` are not supported; the value \
                             is read and written as plain text",
                        );
                    }
                    ty
                }
            };
            headers.push(ResponseHeader {
                name: header_names.unique(&names::field_name(wire_name, "header")),
                wire_name: wire_name.clone(),
                docs: header.description.clone(),
                required: header.required,
                ty,
            });
        }
        Ok(headers)
    }

    // ---- security ---------------------------------------------------------

    pub(super) fn security_schemes(
        &mut self,
        operations: &[Operation],
    ) -> Result<Vec<SecurityScheme>, Error> {
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
            let (kind, docs) = match &*scheme {
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => {
                    let location = match location {
                        openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                        openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    };
                    (
                        SecuritySchemeKind::ApiKey {
                            location,
                            wire_name: name.clone(),
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
                            WarningKind::UnsupportedSecurityScheme,
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
                docs: docs.clone(),
                kind,
            });
        }
        Ok(schemes)
    }
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

/// A key of `paths`, split once at its `#` and its `?`: the route the
/// operations are served and called at, and the pairs of its query string,
/// which OpenAPI paths cannot carry but real specs write
/// (`/search?q={query}`). A `#fragment` never reaches a server (a client
/// sends the URL without it); specs use one to give several operations of
/// one route keys of their own (`/#X-Amz-Target=Service.Operation`,
/// `/analyze#overload=stream`), so it is cut off, and what the operations
/// require (a header, a query parameter) tells them apart.
pub(super) struct PathKey<'a> {
    /// The key as the spec writes it, for messages.
    key: &'a str,
    /// The path template before any `?` or `#`.
    route: &'a str,
    /// The key has a `?` before any `#` (even with no pair after it).
    has_query_string: bool,
    /// The `key={name}` pairs after the `?`, in order: each is read as a
    /// query parameter sent under `key` (its percent-encoding undone).
    query_pairs: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> PathKey<'a> {
    /// Splits `key`, or `None` when a pair of its query string is not of
    /// the form `key={name}`.
    fn parse(key: &'a str) -> Option<Self> {
        let url = key.split_once('#').map_or(key, |(url, _fragment)| url);
        let (route, query_pairs) = match url.split_once('?') {
            Some((route, query)) => (route, query_pairs(query)?),
            None => (url, Vec::new()),
        };
        Some(PathKey {
            key,
            route,
            has_query_string: route.len() < url.len(),
            query_pairs,
        })
    }

    /// Whether the key has a `?` (even with no pair after it).
    fn has_query_string(&self) -> bool {
        self.has_query_string
    }
}

/// The `key={name}` pairs of the query string of a path key, or `None`
/// when a pair has another form (a fixed value, a parameter as the key),
/// which a query parameter cannot represent. A key is URL text (`q%20x`
/// is `q x`): its percent-encoding is undone here, so that the client
/// encodes it once and the server compares it decoded.
fn query_pairs(query: &str) -> Option<Vec<(Cow<'_, str>, &str)>> {
    let plain = |text: &str| !text.is_empty() && !text.contains(['{', '}', '?', '=']);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=')?;
            let name = value.strip_prefix('{')?.strip_suffix('}')?;
            if !(plain(key) && plain(name)) {
                return None;
            }
            let key = match key.contains('%') {
                true => Cow::Owned(crate::load::decode_percent(key)),
                false => Cow::Borrowed(key),
            };
            Some((key, name))
        })
        .collect()
}

/// The `{name}`s of a path template, in order.
fn path_template_names(path: &str) -> Vec<String> {
    let (placeholders, _) = placeholders(path);
    placeholders
        .into_iter()
        .map(|(_, name)| name.to_owned())
        .collect()
}

/// The `{name}`s of a text, each with the text before it (since the previous
/// one), and the text after the last. A `{` with no `}` after it ends the
/// scan: it is part of that rest.
fn placeholders(text: &str) -> (Vec<(&str, &str)>, &str) {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        found.push((&rest[..open], &rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    (found, rest)
}

/// Parses a path template once for every emitter: its segments, whose
/// `{name}`s refer to the operation's path `parameters` (a `{name}` naming
/// none stays text; resolve has refused or warned about such templates),
/// and why a router cannot route it, if it cannot.
pub(crate) fn path_template(path: &str, parameters: &[Parameter]) -> PathTemplate {
    let segments = path
        .strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .map(|segment| {
            let parts = segment_parts(segment, parameters);
            match parts.as_slice() {
                [PathPart::Param(index)] => PathSegment::Param(*index),
                parts if parts.iter().any(|p| matches!(p, PathPart::Param(_))) => {
                    PathSegment::Mixed {
                        template: segment.to_owned(),
                        parts: parts.to_vec(),
                    }
                }
                _ => PathSegment::Literal(segment.to_owned()),
            }
        })
        .collect();
    PathTemplate {
        text: path.to_owned(),
        segments,
        unroutable: routing_problem(path).err(),
    }
}

/// One segment of a path template as text and path parameters, adjacent
/// text joined.
fn segment_parts(segment: &str, parameters: &[Parameter]) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let (placeholders, rest) = placeholders(segment);
    for (before, name) in placeholders {
        literal.push_str(before);
        let param = parameters
            .iter()
            .position(|p| p.location == ParameterLocation::Path && p.wire_name == name);
        match param {
            Some(index) => {
                if !literal.is_empty() {
                    parts.push(PathPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(PathPart::Param(index));
            }
            None => {
                literal.push('{');
                literal.push_str(name);
                literal.push('}');
            }
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    parts
}

/// Why a router matching whole segments by parameter name (axum) cannot
/// route a template, if it cannot.
fn routing_problem(path: &str) -> Result<(), String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err("it does not start with `/`".to_owned());
    };
    let mut names = BTreeSet::new();
    for segment in rest.split('/') {
        if !segment.contains(['{', '}']) {
            continue;
        }
        let name = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|name| !name.is_empty() && !name.contains(['{', '}']));
        let params = match name {
            Some(name) if name.starts_with('*') => {
                return Err(format!("axum reads the segment `{segment}` as a catch-all"))
            }
            Some(name) => vec![name],
            None => mixed_segment_params(segment)?,
        };
        for name in params {
            if !names.insert(name) {
                return Err(format!("the parameter `{name}` appears twice"));
            }
        }
    }
    Ok(())
}

/// The parameters of a segment that mixes them with text, or why a router
/// could not split it.
fn mixed_segment_params(segment: &str) -> Result<Vec<&str>, String> {
    let unmatched = || format!("the segment `{segment}` has an unmatched brace");
    let adjacent = || {
        format!(
            "the segment `{segment}` has two parameters with no text between them, so their \
             values cannot be told apart"
        )
    };
    let (placeholders, rest) = placeholders(segment);
    let mut params = Vec::new();
    for (before, name) in placeholders {
        if before.contains('}') {
            return Err(unmatched());
        }
        if before.is_empty() && !params.is_empty() {
            return Err(adjacent());
        }
        if name.is_empty() || name.contains(['{', '*']) {
            return Err(format!(
                "the segment `{segment}` has a parameter axum cannot capture"
            ));
        }
        params.push(name);
    }
    if let Some(open) = rest.find('{') {
        // An unclosed brace, reported after what comes before it.
        let before = &rest[..open];
        if !before.contains('}') && before.is_empty() && !params.is_empty() {
            return Err(adjacent());
        }
        return Err(unmatched());
    }
    if rest.contains('}') {
        return Err(unmatched());
    }
    Ok(params)
}

/// `application/json`, `application/problem+json`, `application/json;
/// charset=utf-8`, `text/json`, ...
fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json"
        || essence == "text/json"
        || (essence.contains('/') && essence.ends_with("+json"))
}

/// How a body of some media type is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// The variant of a body enum for a media type: `Json`, `Form`,
/// `Multipart`, `Text`, `OctetStream`, else the media type's words
/// (`application/` left out): `MergePatchJson`, `ImagePng`, `Xml`.
fn media_variant(media_type: &str) -> String {
    let essence = essence(media_type);
    match essence.as_str() {
        "application/json" => "Json".to_owned(),
        "application/x-www-form-urlencoded" => "Form".to_owned(),
        "multipart/form-data" => "Multipart".to_owned(),
        "text/plain" => "Text".to_owned(),
        "application/octet-stream" => "OctetStream".to_owned(),
        "*/*" => "Any".to_owned(),
        other => names::variant_name(other.strip_prefix("application/").unwrap_or(other), "Media"),
    }
}

/// `type: string, format: binary`.
fn is_binary_schema(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => matches!(
            &s.format,
            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
        ),
        SchemaKind::Any(any) => {
            matches!(
                any.typ.as_deref().map(JsonType::parse),
                Some(JsonType::String) | None
            ) && any.format.as_deref() == Some("binary")
        }
        _ => false,
    }
}

/// The properties and `required` list of an object schema.
#[allow(clippy::type_complexity)]
fn object_parts(
    schema: &Schema,
) -> Option<(
    &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    &[String],
)> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some((&object.properties, &object.required)),
        SchemaKind::Any(any) if !any.properties.is_empty() => {
            Some((&any.properties, &any.required))
        }
        _ => None,
    }
}

/// The `items` of an array schema.
fn array_items(schema: &Schema) -> Option<&ReferenceOr<Box<Schema>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => array.items.as_ref(),
        SchemaKind::Any(any)
            if any.typ.as_deref().map(JsonType::parse) == Some(JsonType::Array) =>
        {
            any.items.as_ref()
        }
        _ => None,
    }
}

/// A header name HTTP can carry (an RFC 9110 token).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
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

/// `ty` with its items and values that admit `null` made plain: a
/// parameter or header written in its style (`a,b`, `a=1&a=2`) has no way
/// to send a `null` item. A named type keeps its own (a `$ref` to an array
/// of nullable items is that array).
fn without_null(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::OrNull(inner) => without_null(*inner),
        TypeRef::Array(item) => TypeRef::Array(Box::new(without_null(*item))),
        TypeRef::Map(value) => TypeRef::Map(Box::new(without_null(*value))),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{resolve_yaml as resolve_text, with_paths};

    const BODIES: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /upload:
    post:
      operationId: upload
      parameters:
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {a: {type: string}}}}
        - name: where
          in: query
          content: {application/json: {schema: {type: object, properties: {b: {type: integer}}}}}
        - name: plain
          in: query
          content: {text/plain: {schema: {type: string}}}
        - {name: ids, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: integer}}}
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/Form'}}
          application/json; charset=utf-8: {schema: {$ref: '#/components/schemas/Form'}}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Form'}
            encoding: {tags: {style: deepObject, explode: true}}
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary, description: The file.}
                more: {type: array, items: {type: string, format: binary}}
                meta: {type: object, properties: {x: {type: string}}}
          text/plain: {schema: {type: string}}
          application/xml: {schema: {$ref: '#/components/schemas/Form'}}
          image/png: {schema: {type: string, format: binary}}
      responses:
        '200':
          description: ok
          headers:
            Content-Type: {schema: {type: string}}
            X-Rate-Limit: {required: true, description: Calls left., schema: {type: integer, format: int32}}
            Bad Name: {schema: {type: string}}
          content:
            application/xml: {schema: {$ref: '#/components/schemas/Form'}}
            application/json: {schema: {$ref: '#/components/schemas/Form'}}
        '201':
          description: bytes
          content:
            application/pdf: {schema: {type: string, format: binary}}
            text/csv: {schema: {type: string}}
        '202':
          description: any JSON
          content:
            text/json: {}
components:
  schemas:
    Form:
      type: object
      properties:
        tags: {type: array, items: {type: string}}
"#;

    #[test]
    fn request_bodies_have_one_content_per_media_type() {
        let (api, warnings) = resolve_text(BODIES);
        let body = api.operations[0].request_body.as_ref().expect("body");
        let variants: Vec<&str> = body.contents.iter().map(|c| c.variant.as_str()).collect();
        // `application/json; charset=utf-8` is `application/json` again.
        assert_eq!(
            variants,
            ["Json", "Form", "Multipart", "Text", "Xml", "ImagePng"]
        );
        let form = TypeRef::Named("Form".to_owned());
        assert_eq!(body.contents[0].payload, Payload::Json(form.clone()));
        assert_eq!(
            body.contents[1].payload,
            Payload::Form {
                ty: form,
                deep_objects: vec!["tags".to_owned()],
            }
        );
        let Payload::Multipart(fields) = &body.contents[2].payload else {
            panic!("{:?}", body.contents[2]);
        };
        let parts: Vec<(&str, bool, &PartKind)> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.required, &f.part))
            .collect();
        assert_eq!(parts[0], ("file", true, &PartKind::File));
        assert_eq!(parts[1], ("more", false, &PartKind::Files));
        assert!(matches!(
            parts[2],
            ("meta", false, PartKind::Value(TypeRef::Named(_)))
        ));
        assert_eq!(fields[0].docs.as_deref(), Some("The file."));
        assert_eq!(body.contents[3].payload, Payload::Text);
        assert_eq!(body.contents[4].payload, Payload::Binary);
        assert_eq!(body.contents[5].payload, Payload::Binary);
        // The XML body's schema is not used: said once, where it is.
        let xml: Vec<&Warning> = warnings
            .iter()
            .filter(|w| w.pointer.ends_with("requestBody/content/application~1xml"))
            .collect();
        assert_eq!(xml.len(), 1, "{warnings:#?}");
        assert_eq!(xml[0].kind, WarningKind::UnsupportedMediaType);
    }

    #[test]
    fn responses_prefer_json_and_keep_their_headers() {
        let (api, warnings) = resolve_text(BODIES);
        let responses = &api.operations[0].responses;
        let ok = &responses[0];
        assert_eq!(
            ok.body.as_ref().map(|b| b.media_type.as_str()),
            Some("application/json")
        );
        // `Content-Type` is the body's; a name HTTP cannot carry is left out.
        assert_eq!(ok.headers.len(), 1);
        assert_eq!(ok.headers[0].name, "x_rate_limit");
        assert_eq!(ok.headers[0].wire_name, "X-Rate-Limit");
        assert!(ok.headers[0].required);
        assert_eq!(ok.headers[0].ty, TypeRef::Integer(IntegerFormat::I32));
        assert!(warnings
            .iter()
            .any(|w| w.kind == WarningKind::InvalidHeaderName));
        // No JSON: text before other bytes.
        let created = responses[1].body.as_ref().expect("body");
        assert_eq!(
            (created.media_type.as_str(), &created.payload),
            ("text/csv", &Payload::Text)
        );
        // JSON without a schema is any JSON value.
        let accepted = responses[2].body.as_ref().expect("body");
        assert_eq!(accepted.payload, Payload::Json(TypeRef::Any));
    }

    #[test]
    fn parameter_styles_and_content() {
        let (api, warnings) = resolve_text(BODIES);
        let styles: Vec<(&str, ParameterStyle)> = api.operations[0]
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.style))
            .collect();
        assert_eq!(
            styles,
            [
                ("filter", ParameterStyle::DeepObject),
                ("where", ParameterStyle::Json),
                ("plain", ParameterStyle::Default),
                ("ids", ParameterStyle::PipeDelimited),
            ]
        );
        assert!(matches!(
            api.operations[0].parameters[1].ty,
            TypeRef::Named(_)
        ));
        assert!(
            !warnings
                .iter()
                .any(|w| w.kind == WarningKind::ParameterContent),
            "{warnings:#?}"
        );
    }

    /// A parameter or header in its style cannot send a `null` item: its
    /// items are the plain type, where a body's are `Option`s.
    #[test]
    fn parameters_and_headers_have_no_null_items() {
        let text = &with_paths(
            r#"
  /a:
    post:
      parameters:
        - {name: tags, in: query, schema: {type: array, items: {type: string, nullable: true}}}
      requestBody:
        content:
          application/json:
            schema: {type: array, items: {type: string, nullable: true}}
      responses:
        '204':
          description: none
          headers:
            X-Codes: {schema: {type: array, items: {type: integer, nullable: true}}}
"#,
        );
        let (api, _) = resolve_text(text);
        let op = &api.operations[0];
        let strings = TypeRef::Array(Box::new(TypeRef::String));
        assert_eq!(op.parameters[0].ty, strings);
        assert_eq!(
            op.responses[0].headers[0].ty,
            TypeRef::Array(Box::new(TypeRef::Integer(IntegerFormat::I64)))
        );
        let body = &op.request_body.as_ref().unwrap().contents[0].payload;
        assert_eq!(
            body,
            &Payload::Json(TypeRef::Array(Box::new(TypeRef::OrNull(Box::new(
                TypeRef::String
            )))))
        );
    }

    #[test]
    fn parameter_content_in_other_media_types_is_plain_text_with_a_warning() {
        let text = &with_paths(
            r#"
  /a/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          content: {'*/*': {schema: {type: string, format: uuid}}}
        - name: q
          in: query
          content: {application/xml: {schema: {type: string}}}
      responses: {'204': {description: none}}
"#,
        );
        let (api, warnings) = resolve_text(text);
        let params = &api.operations[0].parameters;
        assert_eq!(params[0].ty, TypeRef::Uuid);
        assert_eq!(params[0].style, ParameterStyle::Default);
        let content: Vec<&str> = warnings
            .iter()
            .filter(|w| w.kind == WarningKind::ParameterContent)
            .map(|w| w.pointer.as_str())
            .collect();
        assert_eq!(content, ["#/paths/~1a~1{id}/get/parameters/1/content"]);
    }

    /// `(kind, pointer)` of each warning.
    fn places(warnings: &[Warning]) -> Vec<(WarningKind, &str)> {
        warnings
            .iter()
            .map(|w| (w.kind, w.pointer.as_str()))
            .collect()
    }

    #[test]
    fn paths_without_a_leading_slash_are_left_out_with_a_warning() {
        let text = &with_paths(
            r#"
  '': {get: {operationId: empty, responses: {'204': {description: none}}}}
  pets/{id}: {get: {operationId: pet, responses: {'204': {description: none}}}}
  x-internal: {get: {operationId: hidden}}
  /kept: {get: {operationId: kept, responses: {'204': {description: none}}}}
"#,
        );
        let (api, warnings) = resolve_text(text);
        let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["kept"]);
        assert_eq!(
            places(&warnings),
            [
                (WarningKind::InvalidPath, "#/paths/"),
                (WarningKind::InvalidPath, "#/paths/pets~1{id}"),
            ]
        );
        assert!(
            warnings[1]
                .message
                .contains("`/pets/{id}` was probably meant"),
            "{warnings:#?}"
        );
    }

    #[test]
    fn callbacks_are_not_generated_with_a_warning() {
        let text = &with_paths(
            r#"
  /subscribe:
    post:
      operationId: subscribe
      callbacks:
        onData:
          '{$request.body#/url}':
            post: {responses: {'204': {description: none}}}
        onDone: {$ref: '#/components/callbacks/Done'}
      responses: {'204': {description: none}}
components:
  callbacks:
    Done:
      '{$request.body#/url}':
        post: {responses: {'204': {description: none}}}
"#,
        );
        let (api, warnings) = resolve_text(text);
        assert_eq!(api.operations.len(), 1);
        assert_eq!(
            places(&warnings),
            [(
                WarningKind::UnsupportedCallbacks,
                "#/paths/~1subscribe/post/callbacks"
            )]
        );
        assert!(
            warnings[0]
                .message
                .contains("`onData`, `onDone` are not generated"),
            "{warnings:#?}"
        );
    }

    #[test]
    fn event_streams_are_one_string_with_a_warning() {
        let text = &with_paths(
            r#"
  /events:
    post:
      requestBody:
        content: {text/event-stream: {schema: {type: string}}}
      responses:
        '200':
          description: events
          content:
            text/event-stream; charset=utf-8: {schema: {type: string}}
"#,
        );
        let (api, warnings) = resolve_text(text);
        let op = &api.operations[0];
        let body = op.request_body.as_ref().expect("a body");
        assert_eq!(body.contents[0].payload, Payload::Text);
        let response = op.responses[0].body.as_ref().expect("a response body");
        assert_eq!(response.payload, Payload::Text);
        assert_eq!(
            places(&warnings),
            [
                (
                    WarningKind::EventStream,
                    "#/paths/~1events/post/requestBody/content/text~1event-stream"
                ),
                (
                    WarningKind::EventStream,
                    "#/paths/~1events/post/responses/200/content/text~1event-stream; charset=utf-8"
                ),
            ]
        );
    }

    /// Each segment of a template: `'text'` and `{parameter}` parts.
    fn describe(template: &PathTemplate, parameters: &[Parameter]) -> Vec<String> {
        let part = |part: &PathPart| match part {
            PathPart::Literal(text) => format!("'{text}'"),
            PathPart::Param(index) => format!("{{{}}}", parameters[*index].name),
        };
        template
            .segments
            .iter()
            .map(|segment| match segment {
                PathSegment::Literal(text) if text.is_empty() => String::new(),
                PathSegment::Literal(text) => part(&PathPart::Literal(text.clone())),
                PathSegment::Param(index) => part(&PathPart::Param(*index)),
                PathSegment::Mixed { parts, .. } => {
                    parts.iter().map(part).collect::<Vec<_>>().join(" ")
                }
            })
            .collect()
    }

    #[test]
    fn path_templates_split_into_parts() {
        let text = with_paths(
            r#"
  /{id}/{rev}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: rev, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: none}}
"#,
        );
        let (api, _) = resolve_text(&text);
        let parameters = &api.operations[0].parameters;
        let template = path_template("/a/{id}-{rev}.txt/{unknown}/a{unknown}{id}{/", parameters);
        assert_eq!(
            describe(&template, parameters),
            [
                "'a'",
                "{id} '-' {rev} '.txt'",
                "'{unknown}'",
                "'a{unknown}' {id} '{'",
                "",
            ]
        );
        assert_eq!(
            template.to_string(),
            "/a/{id}-{rev}.txt/{unknown}/a{unknown}{id}{/"
        );
        let template = path_template("/a/{rev}", parameters);
        assert_eq!(template.segments[1], PathSegment::Param(1));
        assert_eq!(template.unroutable, None);
    }

    #[test]
    fn path_templates_a_router_cannot_match_say_why() {
        let problem = |path: &str| path_template(path, &[]).unroutable;
        assert_eq!(problem("/a/{id}/b/v{major}.{minor}"), None);
        assert_eq!(problem("a"), Some("it does not start with `/`".to_owned()));
        for (path, reason) in [
            ("/{a}/{a}", "the parameter `a` appears twice"),
            ("/{a}/x{a}", "the parameter `a` appears twice"),
            (
                "/{*rest}",
                "axum reads the segment `{*rest}` as a catch-all",
            ),
            ("/{a}{b}", "two parameters with no text between them"),
            ("/{a}{", "two parameters with no text between them"),
            ("/a}{b}", "the segment `a}{b}` has an unmatched brace"),
            ("/x{b", "the segment `x{b` has an unmatched brace"),
            ("/{b}}", "the segment `{b}}` has an unmatched brace"),
            (
                "/x{}",
                "the segment `x{}` has a parameter axum cannot capture",
            ),
            (
                "/x{*b}",
                "the segment `x{*b}` has a parameter axum cannot capture",
            ),
        ] {
            let problem = problem(path).unwrap_or_else(|| panic!("{path} is unroutable"));
            assert!(problem.contains(reason), "{path}: {problem}");
        }
    }

    #[test]
    fn path_keys_split_once_into_route_and_query_pairs() {
        let key = PathKey::parse("/notes/{id}/find?text={text}&max={limit}").expect("pairs");
        assert_eq!(key.route, "/notes/{id}/find");
        assert_eq!(
            key.query_pairs,
            [("text".into(), "text"), ("max".into(), "limit")]
        );

        // A key is URL text: `%20` is a space, sent once encoded.
        let encoded = PathKey::parse("/notes?sort%20by={order}&a%3Db={x}").expect("pairs");
        assert_eq!(
            encoded.query_pairs,
            [("sort by".into(), "order"), ("a=b".into(), "x")]
        );
        assert!(key.has_query_string());

        let plain = PathKey::parse("/notes/{id}").expect("no query string");
        assert_eq!(plain.route, "/notes/{id}");
        assert!(plain.query_pairs.is_empty());
        assert!(!plain.has_query_string());

        // A `?` with nothing after it (or empty pairs) is still a query
        // string, of no pairs.
        let empty = PathKey::parse("/notes?&").expect("no pair");
        assert_eq!(empty.route, "/notes");
        assert!(empty.query_pairs.is_empty());
        assert!(empty.has_query_string());

        // An empty query string is said to be empty, and dropped.
        let (api, warnings) = resolve_text(&with_paths(
            "\n  /notes?:\n    get: {operationId: notes, responses: {'204': {description: none}}}\n",
        ));
        assert_eq!(api.operations[0].path.text, "/notes");
        let messages: Vec<String> = warnings.iter().map(|w| w.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "the path `/notes?` has a query string, which OpenAPI paths cannot carry; it has \
              no pair, and the operation is at the path `/notes`"
            ],
        );

        // A fragment is cut off, after or without a query string; what is
        // in it is not read.
        let fragment = PathKey::parse("/#X-Amz-Target=Support.AddAttachments").expect("route");
        assert_eq!(fragment.route, "/");
        assert!(!fragment.has_query_string());
        let both = PathKey::parse("/notes?text={text}#search").expect("pairs");
        assert_eq!(both.route, "/notes");
        assert_eq!(both.query_pairs, [("text".into(), "text")]);
        let mark = PathKey::parse("/notes/{id}#status?x=1").expect("a `?` in the fragment");
        assert_eq!(mark.route, "/notes/{id}");
        assert!(!mark.has_query_string());

        // Pairs a query parameter cannot stand for.
        for key in [
            "/numbers?{search}=1",
            "/numbers?q=1",
            "/numbers?q",
            "/numbers?q={}",
            "/numbers?q={a}{b}",
            "/numbers?q={a}&{b}=c",
            "/numbers?q={a}?r={b}",
        ] {
            assert!(PathKey::parse(key).is_none(), "{key}");
        }
    }
}
