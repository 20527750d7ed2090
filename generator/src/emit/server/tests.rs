use super::*;
use crate::emit::test_api::customer_security_schemes;
use crate::model::{
    Field, Operation, Parameter, RequestBody, ResponseBody, SecurityScheme, Struct, TypeDef,
    TypeKind,
};

fn error_response() -> Option<ResponseBody> {
    Some(ResponseBody {
        media_type: "application/json".to_owned(),
        payload: Payload::Json(TypeRef::Named("ErrorResponse".to_owned())),
    })
}

fn response(status: Status, variant: &str, body: Option<ResponseBody>) -> Response {
    Response {
        status,
        variant: variant.to_owned(),
        docs: None,
        body,
        headers: Vec::new(),
    }
}

fn path_param(name: &str, ty: TypeRef) -> Parameter {
    Parameter {
        name: name.to_owned(),
        wire_name: name.to_owned(),
        location: ParameterLocation::Path,
        required: true,
        docs: None,
        ty,
        explode: false,
        style: ParameterStyle::Default,
        constraints: Default::default(),
    }
}

fn op(name: &str, method: Method, path: &str) -> Operation {
    Operation {
        name: name.to_owned(),
        operation_id: None,
        method,
        path: crate::test_support::path_template(path, &[]),
        pointer: format!(
            "/paths/{}/{}",
            path.replace('~', "~0").replace('/', "~1"),
            method.as_str().to_lowercase()
        ),
        summary: Some(format!("Summary of {name}")),
        description: None,
        tags: Vec::new(),
        parameters: Vec::new(),
        request_body: None,
        responses: vec![
            response(Status::Code(200), "Ok", error_response()),
            response(Status::Code(400), "BadRequest", error_response()),
            response(Status::Code(401), "Unauthorized", error_response()),
            response(Status::Code(404), "NotFound", error_response()),
            response(Status::Code(405), "MethodNotAllowed", None),
        ],
        security: vec![vec!["bearerAuth".to_owned()], vec!["authRoles".to_owned()]],
        pagination: None,
    }
}

/// The shape of the customer identification processes API.
fn spec_api() -> Api {
    let mut list = op(
        "list_identification_processes",
        Method::Get,
        "/orgs/{org_id}/customers/{customer_id}/identification-processes",
    );
    list.parameters = vec![
        path_param("org_id", TypeRef::String),
        path_param("customer_id", TypeRef::Uuid),
    ];
    let mut get = op(
        "get_identification_process",
        Method::Get,
        "/orgs/{org_id}/customers/{customer_id}/identification-processes/{identification_process_id}",
    );
    get.parameters = vec![
        path_param("org_id", TypeRef::String),
        path_param("customer_id", TypeRef::Uuid),
        path_param("identification_process_id", TypeRef::Uuid),
    ];
    Api {
        title: "Customers".to_owned(),
        version: "4.43.0".to_owned(),
        description: None,
        servers: Vec::new(),
        types: vec![TypeDef {
            name: "ErrorResponse".to_owned(),
            pointer: "/components/schemas/ErrorResponse".to_owned(),
            docs: None,
            example: None,
            derives: Vec::new(),
            attributes: Vec::new(),
            constraints: Default::default(),
            kind: TypeKind::Struct(Struct {
                fields: vec![Field {
                    name: "code".to_owned(),
                    wire_name: "code".to_owned(),
                    docs: None,
                    ty: TypeRef::String,
                    required: true,
                    nullable: false,
                    constraints: Default::default(),
                }],
                additional_properties: None,
            }),
        }],
        operations: vec![list, get],
        security_schemes: customer_security_schemes(),
        features: None,
        nesting_depth: 0,
        std_derives: Default::default(),
    }
}

/// Whitespace-insensitive `contains`, so assertions do not depend on
/// how prettyplease breaks lines.
fn has(haystack: &str, needle: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    squash(haystack).contains(&squash(needle))
}

fn files(api: &Api) -> (BTreeMap<String, String>, Vec<Warning>) {
    // The tests set parameters after the path: refer the templates to them.
    let mut api = api.clone();
    for op in &mut api.operations {
        op.path = crate::test_support::path_template(&op.path.text, &op.parameters);
    }
    let mut warnings = Vec::new();
    let files = emit(&api, &CrateNames::new("customers"), &mut warnings)
        .files
        .into_iter()
        .map(|(path, text)| (path.to_string_lossy().replace('\\', "/"), text))
        .collect();
    (files, warnings)
}

#[test]
fn spec_shape() {
    let (files, warnings) = files(&spec_api());
    assert!(warnings.is_empty(), "{warnings:?}");
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "customers-server/src/api.rs",
            "customers-server/src/extract.rs",
            "customers-server/src/lib.rs",
            "customers-server/src/rejection.rs",
            "customers-server/src/router.rs",
            "customers-server/src/serve.rs",
        ]
    );
    let lib = &files["customers-server/src/lib.rs"];
    assert!(lib.starts_with("// Generated by apiforge"));
    assert!(has(lib, "pub use customers_types as types;"));
    assert!(has(lib, "pub use serve::{serve, ServeOptions};"));
    // The file compiled and tested in generator/runtime, as is but for
    // the crate its doc examples name.
    let serve = &files["customers-server/src/serve.rs"];
    let header = "// Generated by apiforge from an OpenAPI description. Do not edit.\n\n";
    let runtime = include_str!("../../../runtime/server/serve.rs");
    assert_eq!(
        serve.strip_prefix(header),
        Some(&*runtime.replace("use apiforge_runtime::", "use customers_server::"))
    );
    assert_eq!(runtime.matches("use apiforge_runtime::").count(), 2);
    let api = &files["customers-server/src/api.rs"];
    assert!(has(api, "pub trait Api: Send + Sync + 'static"));
    assert!(has(api, "fn get_identification_process("));
    assert!(has(
        api,
        "request: Request<types::operations::get_identification_process::Parameters>"
    ));
    assert!(has(
        api,
        "fn rejection_error_response(&self, rejection: &Rejection) -> types::ErrorResponse;"
    ));
    assert!(has(
        api,
        "`GET /orgs/{org_id}/customers/{customer_id}/identification-processes`"
    ));
    let router = &files["customers-server/src/router.rs"];
    assert!(has(router, ".fallback(unknown_path::<A>)"));
    assert!(has(
        router,
        "input.required(ParameterLocation::Path, \"customer_id\", extract::parse_str)?"
    ));
    assert!(has(
        router,
        "credentials.bearer_auth.is_some() || credentials.auth_roles.is_some()"
    ));
    // 405 is declared without a body: axum's own empty 405 answers it.
    assert!(!has(router, "method_not_allowed"));
    assert!(!has(router, "unwrap") && !has(router, "expect("));
    let extract = &files["customers-server/src/extract.rs"];
    assert!(has(extract, "auth_roles: input.header(\"x-auth-roles\")"));
    assert!(
        !has(extract, "fn cookies"),
        "no cookie helper without cookies"
    );
    assert!(!has(extract, "fn basic"));
    assert!(!has(extract, "json_body"));
    assert!(!has(extract, "unwrap()") && !has(extract, "expect("));
}

#[test]
fn routes_sorted_and_grouped() {
    let mut api = spec_api();
    let mut post = op("create", Method::Post, "/a/{x}");
    post.parameters = vec![path_param("x", TypeRef::String)];
    post.request_body = Some(RequestBody {
        required: true,
        docs: None,
        contents: vec![Content {
            media_type: "application/json".to_owned(),
            variant: "Json".to_owned(),
            payload: Payload::Json(TypeRef::Named("ErrorResponse".to_owned())),
            constraints: Default::default(),
        }],
    });
    let mut get = op("read", Method::Get, "/a/{x}");
    get.parameters = vec![path_param("x", TypeRef::String)];
    api.operations.push(post);
    api.operations.push(get);
    let (files, _) = files(&api);
    let router = &files["customers-server/src/router.rs"];
    let a = router.find("\"/a/{x}\"").expect("route /a/{x}");
    let orgs = router.find("\"/orgs/").expect("route /orgs");
    assert!(a < orgs, "paths are sorted");
    assert!(has(
        router,
        "axum::routing::post(handle_create::<A>).get(handle_read::<A>)"
    ));
    assert!(has(
        router,
        "extract::required_body(extract::json_body(&mut parts, body).await?)?"
    ));
    let api_rs = &files["customers-server/src/api.rs"];
    assert!(has(
        api_rs,
        "Request<types::operations::create::Parameters, types::ErrorResponse>"
    ));
}

#[test]
fn unroutable_and_conflicting_paths_are_skipped_with_warnings() {
    let mut api = spec_api();
    // Nothing between the parameters: their values cannot be split.
    let mut mixed = op("file", Method::Get, "/files/{name}{ext}");
    mixed.parameters = vec![
        path_param("name", TypeRef::String),
        path_param("ext", TypeRef::String),
    ];
    let mut first = op("first", Method::Get, "/b/{x}");
    first.parameters = vec![path_param("x", TypeRef::String)];
    let mut second = op("second", Method::Get, "/b/{y}");
    second.parameters = vec![path_param("y", TypeRef::String)];
    api.operations.extend([mixed, first, second]);
    let (files, warnings) = files(&api);
    let kinds: Vec<(WarningKind, &str)> = warnings
        .iter()
        .map(|w| (w.kind, w.pointer.as_str()))
        .collect();
    assert!(
        kinds.contains(&(
            WarningKind::UnroutablePath,
            "/paths/~1files~1{name}{ext}/get"
        )),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(WarningKind::UnroutablePath, "/paths/~1b~1{y}/get")),
        "{kinds:?}"
    );
    let router = &files["customers-server/src/router.rs"];
    assert!(has(router, "\"/b/{x}\""));
    assert!(!has(router, "\"/b/{y}\""));
    assert!(!has(router, "/files/"));
    // Still in the trait, documented as not served.
    let api_rs = &files["customers-server/src/api.rs"];
    assert!(has(api_rs, "fn second("));
    assert!(has(api_rs, "Not served by the router"));
}

#[test]
fn undeclared_rejection_status_warns_and_sends_empty() {
    let mut api = spec_api();
    for op in &mut api.operations {
        op.responses.retain(|r| r.status != Status::Code(401));
    }
    let (files, warnings) = files(&api);
    // One warning for the spec, naming both operations.
    let undeclared: Vec<&Warning> = warnings
        .iter()
        .filter(|w| w.kind == WarningKind::UndeclaredRejectionStatus)
        .collect();
    assert_eq!(undeclared.len(), 1, "{undeclared:?}");
    assert_eq!(undeclared[0].pointer, "#/paths");
    assert!(
        undeclared[0]
            .message
            .starts_with("2 operations declare no response")
            && undeclared[0].message.contains("status 401")
            && undeclared[0]
                .message
                .contains("`list_identification_processes` and `get_identification_process`"),
        "{}",
        undeclared[0].message
    );
    let router = &files["customers-server/src/router.rs"];
    assert!(has(router, "_ => empty_response(401)"), "{router}");

    // One operation alone: the warning points at it.
    api.operations.truncate(1);
    let (_, warnings) = self::files(&api);
    assert!(warnings
        .iter()
        .any(|w| w.kind == WarningKind::UndeclaredRejectionStatus
            && w.pointer.ends_with("/get/responses")));
}

#[test]
fn segments_with_several_parameters_are_captured_whole_and_split() {
    let mut api = spec_api();
    let mut blob = op("blob", Method::Get, "/blobs/v{version}/{name}.{ext}");
    blob.parameters = vec![
        path_param("version", TypeRef::String),
        path_param("name", TypeRef::String),
        path_param("ext", TypeRef::String),
    ];
    api.operations.push(blob);
    let (files, warnings) = files(&api);
    assert!(
        !warnings
            .iter()
            .any(|w| w.kind == WarningKind::UnroutablePath),
        "{warnings:?}"
    );
    let router = &files["customers-server/src/router.rs"];
    assert!(
        has(router, "\"/blobs/{v(version)}/{(name).(ext)}\""),
        "{router}"
    );
    assert!(has(
        router,
        "let mut input = Input::new(&parts, Some(path));"
    ));
    assert!(has(
        router,
        "input.split_segment(\"v(version)\", \"v{version}\")?; \
         input.split_segment(\"(name).(ext)\", \"{name}.{ext}\")?;"
    ));
    let extract = &files["customers-server/src/extract.rs"];
    assert!(has(
        extract,
        "fn split_by<'v>(value: &'v str, texts: &[&str])"
    ));
}

#[test]
fn ranges_defaults_cookies_and_basic() {
    let mut api = spec_api();
    api.security_schemes.push(SecurityScheme {
        key: "basic".to_owned(),
        name: "basic".to_owned(),
        docs: None,
        kind: SecuritySchemeKind::Basic,
    });
    let mut o = op("things", Method::Get, "/things");
    o.security = vec![vec!["basic".to_owned()]];
    o.parameters = vec![
        Parameter {
            name: "session".to_owned(),
            wire_name: "session".to_owned(),
            location: ParameterLocation::Cookie,
            required: false,
            docs: None,
            ty: TypeRef::String,
            explode: false,
            style: ParameterStyle::Default,
            constraints: Default::default(),
        },
        Parameter {
            name: "tags".to_owned(),
            wire_name: "tag".to_owned(),
            location: ParameterLocation::Query,
            required: false,
            docs: None,
            ty: TypeRef::Array(Box::new(TypeRef::String)),
            explode: true,
            style: ParameterStyle::Default,
            constraints: Default::default(),
        },
    ];
    o.responses = vec![
        response(Status::Code(200), "Ok", None),
        response(Status::Code(404), "NotFound", error_response()),
        response(Status::Range(4), "ClientError", error_response()),
        response(Status::Default, "Default", None),
    ];
    api.operations.push(o);
    let (files, warnings) = files(&api);
    assert!(warnings.is_empty(), "{warnings:?}");
    let router = &files["customers-server/src/router.rs"];
    assert!(
        has(router, "if (400..=499).contains(&status) && status != 404"),
        "{router}"
    );
    // `default` is not 200 (declared) nor 4xx (declared as a range).
    assert!(
        has(router, "Default { status, } if status != 200 && !(400..=499).contains(&status) => { empty_response(status) }"),
        "{router}"
    );
    assert!(has(router, "Default { .. } => undeclared_status()"));
    assert!(has(
        router,
        "input.optional_list(ParameterLocation::Query, \"tag\", None)?"
    ));
    // Every operation declares `ErrorResponse` for 404 (`/things` by its 4XX range).
    assert!(has(router, ".fallback(unknown_path::<A>)"));
    // `/things` answers 405 with its 4XX body; the other paths declare an empty 405.
    assert!(has(router, "axum::routing::get(handle_things::<A>).fallback(method_not_allowed_with_error_response::<A>)"), "{router}");
    let extract = &files["customers-server/src/extract.rs"];
    assert!(has(extract, "fn cookies"));
    assert!(has(extract, "fn base64_decode"));
    assert!(has(extract, "basic: input.basic()"));
}

#[test]
fn parts_keep_no_file_name_without_file_parts() {
    let source = edited(MULTIPART_RS, WITHOUT_FILE_NAMES);
    // `into_file` still reads it; pruning drops it with the file accessors.
    assert!(!source.contains("file_name: Option<String>"));
    assert!(!source.contains("field.file_name()"));
    assert!(has(
        &source,
        "form.push(Part { name, content_type, bytes });"
    ));
    assert!(syn::parse_file(&source).is_ok());
}

/// An operation without parameters takes its empty `Parameters`, built
/// with `new()`; without security schemes nothing reads the request's
/// parts for it (no `Input`).
#[test]
fn operations_without_parameters_get_an_empty_parameters_for_free() {
    let mut ping = op("ping", Method::Get, "/ping");
    ping.security = Vec::new();
    let api = Api {
        operations: vec![ping],
        security_schemes: Vec::new(),
        ..spec_api()
    };
    let (files, _) = files(&api);
    let api_rs = &files["customers-server/src/api.rs"];
    assert!(
        has(
            api_rs,
            "fn ping(&self, request: Request<types::operations::ping::Parameters>,"
        ),
        "{api_rs}"
    );
    let router = &files["customers-server/src/router.rs"];
    assert!(
        has(
            router,
            "parameters: types::operations::ping::Parameters::new(),"
        ),
        "{router}"
    );
    assert!(!has(router, "Input::new"), "{router}");
    assert!(
        has(router, "let (parts, _) = request.into_parts();"),
        "{router}"
    );
}

fn required_query(name: &str) -> Parameter {
    Parameter {
        location: ParameterLocation::Query,
        ..path_param(name, TypeRef::String)
    }
}

#[test]
fn operations_sharing_a_route_are_dispatched_by_what_they_require() {
    let mut api = spec_api();
    let mut plain = op("plain", Method::Get, "/q");
    plain.parameters = vec![Parameter {
        required: false,
        ..required_query("c")
    }];
    let mut by_b = op("by_b", Method::Get, "/q");
    by_b.parameters = vec![required_query("b")];
    // `c` is declared by `plain` too: only `d` tells `by_c_d` apart.
    let mut by_c_d = op("by_c_d", Method::Get, "/q");
    by_c_d.parameters = vec![
        required_query("c"),
        required_query("d"),
        required_query("e"),
    ];
    let again = op("plain_again", Method::Get, "/q");
    api.operations.extend([plain, by_b, by_c_d, again]);
    let (files, warnings) = files(&api);
    let unroutable: Vec<&str> = warnings
        .iter()
        .filter(|w| w.kind == WarningKind::UnroutablePath)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        unroutable,
        [
            "the path `/q` cannot be routed: its requests are those of `plain` (`GET /q`), and \
             nothing they require (a header, query parameter, path segment or body media type) \
             tells them apart; the server does not serve `plain_again`"
        ]
    );
    let router = &files["customers-server/src/router.rs"];
    // Most conditions first, the operation without any last.
    assert!(has(
        router,
        "if extract::query_has(&request, \"d\", None) && extract::query_has(&request, \"e\", None) \
         { handle_by_c_d(api, request).await } \
         else if extract::query_has(&request, \"b\", None) { handle_by_b(api, request).await } \
         else { handle_plain(api, request).await }"
    ));
    assert!(has(router, "axum::routing::get(dispatch_by_c_d::<A>)"));
    assert!(!has(router, "handle_plain_again"));
}

#[test]
fn the_default_guard_excludes_consecutive_codes_as_ranges() {
    let mut guarded = op("guarded", Method::Get, "/guarded");
    guarded.responses = [202, 200, 201, 204, 205, 404, 200]
        .into_iter()
        .map(|code| response(Status::Code(code), &format!("S{code}"), None))
        .collect();
    let guard = status_guard(&guarded, Status::Default).expect("a guard");
    assert_eq!(
        guard.to_string(),
        "! matches ! (status , 204 | 205 | 404) && ! (200 ..= 202) . contains (& status)"
    );
    assert_eq!(
        code_runs(&[200, 201, 202, 204, 205, 404]),
        [(200, 202), (204, 205), (404, 404)]
    );
}

/// Each operation is served through a type of its own, named after it, that
/// neither shadows a name `router.rs` uses (`Response`; `Result` is never a
/// type name) nor another operation's.
#[test]
fn operation_types_take_no_name_the_router_uses() {
    let mut api = spec_api();
    for (name, path) in [
        ("response", "/a"),
        ("result", "/b"),
        ("get_a1", "/c"),
        ("get_a_1", "/d"),
    ] {
        let mut o = op(name, Method::Get, path);
        o.responses = vec![response(Status::Code(204), "NoContent", None)];
        api.operations.push(o);
    }
    let (files, _) = files(&api);
    let router = &files["customers-server/src/router.rs"];
    for (handler, served) in [
        ("handle_response", "Response2"),
        ("handle_result", "ResultModel"),
        ("handle_get_a1", "GetA1"),
        ("handle_get_a_1", "GetA1_2"),
    ] {
        assert!(
            has(router, &format!("struct {served};")),
            "{served}: {router}"
        );
        assert!(
            has(router, &format!("serve(api, {served}, request)")),
            "{handler}: {router}"
        );
    }
    // A handler's future is `serve`'s, whose items are the runtime's.
    assert!(has(router, "trait Operation<A: Api>"));
    assert!(has(router, "async fn serve<A: Api, O: Operation<A>>("));
}

/// The names `router.rs` imports are all reserved from the operations'
/// types ([`ROUTER_TYPE_NAMES`]): an import added to the router without
/// reserving its name fails here, not in a spec whose operation has it.
#[test]
fn every_type_the_router_imports_is_reserved() {
    let api = spec_api();
    let (files, _) = files(&api);
    let router = &files["customers-server/src/router.rs"];
    let reserved: Vec<&str> = ROUTER_TYPE_NAMES.split_whitespace().collect();
    let file = syn::parse_file(router).expect("router.rs parses");
    let mut imported = Vec::new();
    for item in &file.items {
        if let syn::Item::Use(item) = item {
            collect_use_names(&item.tree, &mut imported);
        }
    }
    assert!(
        imported.contains(&"RejectionKind".to_owned()),
        "{imported:?}"
    );
    for name in imported
        .iter()
        .filter(|n| n.starts_with(char::is_uppercase))
    {
        assert!(
            reserved.contains(&name.as_str()),
            "`{name}` is not reserved"
        );
    }
}

fn collect_use_names(tree: &syn::UseTree, out: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => collect_use_names(&path.tree, out),
        syn::UseTree::Name(name) => out.push(name.ident.to_string()),
        syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
        syn::UseTree::Group(group) => group.items.iter().for_each(|t| collect_use_names(t, out)),
        syn::UseTree::Glob(_) => {}
    }
}
