//! Operations: paths, parameters, request and response bodies, security.

use super::*;

impl Resolver<'_> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>, Error> {
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
    pub(super) fn operation(
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

    pub(super) fn parameters(
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

    pub(super) fn request_body(
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
            out.push(Response {
                status,
                variant,
                docs: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
                body,
            });
        }
        Ok(out)
    }

    pub(super) fn response_body(
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
