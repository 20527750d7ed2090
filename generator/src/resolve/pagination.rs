//! Pagination patterns of list operations, recognised once on the resolved
//! model: the client's page stream follows what is decided here, and a
//! `GET` that pages by a parameter the client cannot follow gets a warning.
//!
//! Recognised, in this order, on a `GET` whose `200` response is JSON:
//!
//! - a declared `Link` response header (RFC 8288 `rel="next"`, as GitHub
//!   and GitLab send);
//! - a cursor: an optional query parameter named like a cursor
//!   (`cursor`, `next_page_token`, `start_cursor`...) and a string property
//!   of the body named like the next one (`next_cursor`,
//!   `next_page_token`...), at the top or inside one wrapper object
//!   (`meta`, `response_metadata`, `pagination`...), as Zoom and Slack do;
//! - a next URL: a string property of the body named `next` (or
//!   `next_url`, `nextLink`...), at the top or inside one wrapper object
//!   (`links`, `_links`, `paging`...), as Spotify (`next`) and Up
//!   (`links.next`) do.

use crate::model::{
    Api, Method, Operation, Pagination, ParameterLocation, Payload, Status, TypeKind, TypeRef,
    Warning, WarningKind,
};

/// Query parameters that carry a cursor the response hands out.
const CURSOR_PARAMETERS: &[&str] = &[
    "cursor",
    "start_cursor",
    "startcursor",
    "page_token",
    "pagetoken",
    "next_page_token",
    "nextpagetoken",
    "continuation_token",
    "continuationtoken",
    "next_token",
    "nexttoken",
    "after",
];

/// Body properties that hold the next page's cursor.
const CURSOR_PROPERTIES: &[&str] = &[
    "next_cursor",
    "nextcursor",
    "cursor",
    "next_page_token",
    "nextpagetoken",
    "page_token",
    "next_token",
    "nexttoken",
    "continuation_token",
    "continuationtoken",
    "after",
];

/// Body properties that hold the next page's URL.
const NEXT_URL_PROPERTIES: &[&str] = &[
    "next",
    "next_url",
    "nexturl",
    "next_link",
    "nextlink",
    "next_page_url",
    "nextpageurl",
    "@odata.nextlink",
];

/// Objects a pagination property may sit in, one level down.
const WRAPPERS: &[&str] = &[
    "links",
    "_links",
    "link",
    "paging",
    "pagination",
    "page_info",
    "pageinfo",
    "meta",
    "metadata",
    "response_metadata",
];

/// Query parameters that say an operation pages, for the warning.
const PAGING_PARAMETERS: &[&str] = &[
    "page",
    "page_number",
    "pagenumber",
    "offset",
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "starting_after",
    "startingafter",
    "ending_before",
    "start_at",
    "startat",
    "skip",
    "marker",
];

/// Sets `pagination` on every operation that shows a pattern, and warns for
/// each `GET` that pages by a parameter but shows none.
pub(super) fn recognise(api: &mut Api, warnings: &mut Vec<Warning>) {
    let found: Vec<Option<Pagination>> = api.operations.iter().map(|op| pattern(api, op)).collect();
    for (op, pagination) in api.operations.iter_mut().zip(found) {
        if pagination.is_none() && looks_paged(op) {
            warnings.push(Warning {
                pointer: op.pointer.clone(),
                kind: WarningKind::UnrecognizedPagination,
                message: format!(
                    "`{}` looks paginated (query parameter {}) but its 200 response shows no \
                     `Link` header, next URL nor echoed cursor; the client has no page stream \
                     for it",
                    op.name,
                    paging_parameters(op).join(", ")
                ),
            });
        }
        op.pagination = pagination;
    }
}

/// Lower case without `-`: `Next-Page-Token` and `nextPageToken` compare
/// alike with `next_page_token` once `_` is kept.
fn normalised(name: &str) -> String {
    name.to_ascii_lowercase().replace('-', "_")
}

/// The names compared against the lists: as written, and without `_`.
fn named(name: &str, list: &[&str]) -> bool {
    let name = normalised(name);
    list.contains(&name.as_str()) || list.contains(&name.replace('_', "").as_str())
}

fn is_get_with_json_200(op: &Operation) -> Option<&TypeRef> {
    if op.method != Method::Get {
        return None;
    }
    let ok = op
        .responses
        .iter()
        .find(|r| r.status == Status::Code(200))?;
    match &ok.body.as_ref()?.payload {
        Payload::Json(ty) => Some(ty),
        _ => None,
    }
}

fn pattern(api: &Api, op: &Operation) -> Option<Pagination> {
    let body = is_get_with_json_200(op)?;
    let ok = op
        .responses
        .iter()
        .find(|r| r.status == Status::Code(200))?;
    if ok
        .headers
        .iter()
        .any(|h| h.wire_name.eq_ignore_ascii_case("link"))
    {
        return Some(Pagination::LinkHeader);
    }
    let strings = string_properties(api, body);
    let cursor_parameter = op.parameters.iter().find(|p| {
        p.location == ParameterLocation::Query
            && !p.required
            && p.ty == TypeRef::String
            && named(&p.wire_name, CURSOR_PARAMETERS)
    });
    if let Some(parameter) = cursor_parameter {
        // The property named like the parameter first (Zoom's
        // `next_page_token` both ways), then any cursor-like one.
        let echoed = strings
            .iter()
            .find(|(_, name)| normalised(name) == normalised(&parameter.wire_name))
            .or_else(|| {
                strings
                    .iter()
                    .find(|(_, name)| named(name, CURSOR_PROPERTIES))
            });
        if let Some((pointer, _)) = echoed {
            return Some(Pagination::Cursor {
                parameter: parameter.wire_name.clone(),
                pointer: pointer.clone(),
            });
        }
    }
    strings
        .iter()
        .find(|(_, name)| named(name, NEXT_URL_PROPERTIES))
        .map(|(pointer, _)| Pagination::NextUrl {
            pointer: pointer.clone(),
        })
}

/// The string properties of the object `ty`, at the top and inside its
/// wrapper objects: each as a JSON pointer and its name.
fn string_properties(api: &Api, ty: &TypeRef) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let Some(fields) = struct_fields(api, ty) else {
        return found;
    };
    for field in fields {
        let pointer = format!("/{}", escape(&field.wire_name));
        if is_string(api, &field.ty) {
            found.push((pointer.clone(), field.wire_name.clone()));
        }
    }
    for field in fields {
        if !named(&field.wire_name, WRAPPERS) {
            continue;
        }
        let outer = format!("/{}", escape(&field.wire_name));
        for inner in struct_fields(api, &field.ty).unwrap_or_default() {
            if is_string(api, &inner.ty) {
                found.push((
                    format!("{outer}/{}", escape(&inner.wire_name)),
                    inner.wire_name.clone(),
                ));
            }
        }
    }
    found
}

/// A JSON pointer segment (RFC 6901).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The fields of a struct type, following aliases and newtypes a bounded
/// number of times.
fn struct_fields<'a>(api: &'a Api, ty: &'a TypeRef) -> Option<&'a [crate::model::Field]> {
    let mut ty = ty;
    for _ in 0..32 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match &api.type_named(name)?.kind {
            TypeKind::Struct(s) => return Some(&s.fields),
            TypeKind::Alias(target) | TypeKind::Newtype(target) => ty = target,
            TypeKind::Enum(_) | TypeKind::Union(_) => return None,
        }
    }
    None
}

fn is_string(api: &Api, ty: &TypeRef) -> bool {
    let mut ty = ty;
    for _ in 0..32 {
        match ty {
            TypeRef::String => return true,
            TypeRef::Named(name) => match api.type_named(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target) | TypeKind::Newtype(target)) => ty = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The query parameters of `op` that page.
fn paging_parameters(op: &Operation) -> Vec<String> {
    op.parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Query)
        .filter(|p| {
            named(&p.wire_name, PAGING_PARAMETERS) || named(&p.wire_name, CURSOR_PARAMETERS)
        })
        .map(|p| format!("`{}`", p.wire_name))
        .collect()
}

fn looks_paged(op: &Operation) -> bool {
    is_get_with_json_200(op).is_some() && !paging_parameters(op).is_empty()
}

#[cfg(test)]
mod tests {
    use crate::model::{Pagination, WarningKind};

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Pages, version: '1'}
paths:
  /playlists:
    get:
      operationId: listPlaylists
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {type: string}}
                  next: {type: string, nullable: true}
  /accounts:
    get:
      operationId: listAccounts
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  links:
                    type: object
                    properties:
                      prev: {type: string, nullable: true}
                      next: {type: string, nullable: true}
  /users:
    get:
      operationId: listUsers
      parameters:
        - {name: next_page_token, in: query, schema: {type: string}}
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema:
                type: object
                properties:
                  next_page_token: {type: string}
                  users: {type: array, items: {type: string}}
  /repos:
    get:
      operationId: listRepos
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ''
          headers:
            Link: {schema: {type: string}}
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /invoices:
    get:
      operationId: listInvoices
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ''
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"#;

    #[test]
    fn link_headers_next_urls_and_echoed_cursors_are_recognised() {
        let (api, warnings) = crate::test_support::resolve_yaml(SPEC);
        let pagination = |name: &str| {
            api.operations
                .iter()
                .find(|op| op.name == name)
                .and_then(|op| op.pagination.clone())
        };
        assert_eq!(
            pagination("list_playlists"),
            Some(Pagination::NextUrl {
                pointer: "/next".to_owned()
            })
        );
        assert_eq!(
            pagination("list_accounts"),
            Some(Pagination::NextUrl {
                pointer: "/links/next".to_owned()
            })
        );
        assert_eq!(
            pagination("list_users"),
            Some(Pagination::Cursor {
                parameter: "next_page_token".to_owned(),
                pointer: "/next_page_token".to_owned()
            })
        );
        assert_eq!(pagination("list_repos"), Some(Pagination::LinkHeader));
        assert_eq!(pagination("list_invoices"), None);
        let unrecognised: Vec<&str> = warnings
            .iter()
            .filter(|w| w.kind == WarningKind::UnrecognizedPagination)
            .map(|w| w.pointer.as_str())
            .collect();
        assert_eq!(unrecognised, ["#/paths/~1invoices/get"]);
    }
}
