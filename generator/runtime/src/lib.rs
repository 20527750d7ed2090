//! The fixed code apiforge copies verbatim into the crates it generates,
//! compiled and tested here as ordinary Rust. The generator embeds the same
//! files with `include_str!`.

/// `serve.rs` of every generated server crate.
#[path = "../server/serve.rs"]
pub mod serve;

pub use serve::{serve, ServeOptions};

/// `spec.rs` of every generated server crate (here with a stand-in
/// `openapi.yaml`).
#[path = "../server/spec.rs"]
pub mod spec;

pub use spec::{spec_router, SPEC, SPEC_MEDIA_TYPE};

#[cfg(test)]
mod spec_tests {
    use tower_service::Service;

    use super::*;

    async fn get(router: &mut axum::Router, method: &str, path: &str) -> (u16, String, String) {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = router.call(request).await.unwrap();
        let status = response.status().as_u16();
        let media_type = response
            .headers()
            .get("content-type")
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            media_type,
            String::from_utf8(body.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn the_spec_is_served_as_it_was_read_at_the_chosen_path_only() {
        let mut router = spec_router("/docs/openapi.yaml");
        let (status, media_type, body) = get(&mut router, "GET", "/docs/openapi.yaml").await;
        assert_eq!((status, media_type.as_str()), (200, "application/yaml"));
        assert_eq!(body, SPEC);
        assert_eq!(SPEC, include_str!("../openapi.yaml"));
        let (status, _, body) = get(&mut router, "HEAD", "/docs/openapi.yaml").await;
        assert_eq!((status, body.as_str()), (200, ""));
        assert_eq!(get(&mut router, "GET", "/openapi.yaml").await.0, 404);
        assert_eq!(get(&mut router, "POST", "/docs/openapi.yaml").await.0, 405);
    }
}

/// `client.rs` of every generated client crate: its fixed helpers, next to
/// minimal stand-ins for what the generator writes per spec.
pub mod client;

/// The fixed code of the types crate. Its helpers are private functions of
/// the generated files, so here they exist for their tests.
#[cfg(test)]
mod types;

/// The fixed part of `extract.rs` of every generated server crate: readers of
/// raw parameter values and cookies, the rejections of missing and invalid
/// parameters, and `Input`'s methods. The generated crate imports the names
/// the files use; so does this module, and it stands in for the parts of
/// `extract.rs` that vary with the spec (the `Input` struct, its `raw`).
// The generator keeps only the items a crate's handlers reach, so an item
// unused here is not dead code there.
#[allow(dead_code)]
mod server_extract {
    use axum::extract::rejection::RawPathParamsRejection;
    use axum::extract::RawPathParams;
    use axum::http::request::Parts;
    use axum::http::HeaderMap;
    use serde::de::DeserializeOwned;

    use crate::server_rejection::{ParameterLocation, Rejection, RejectionKind};

    include!("../server/values.rs");
    include!("../server/base64.rs");
    include!("../server/form_value.rs");
    include!("../server/input.rs");
    include!("../server/multipart.rs");
    include!("../server/body.rs");
    include!("../server/violations.rs");
    include!("../server/dispatch.rs");

    /// Stands in for the generated `types` module.
    mod types {
        /// Stands in for the types crate's `validate.rs`.
        pub(crate) mod validate {
            /// A value that breaks a constraint.
            pub(crate) struct Violation {
                pub(crate) path: String,
            }

            /// Every violation found.
            pub(crate) struct Violations(pub(crate) Vec<Violation>);

            impl std::fmt::Display for Violations {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    let paths: Vec<&str> = self.0.iter().map(|v| v.path.as_str()).collect();
                    write!(f, "{}", paths.join("; "))
                }
            }
        }

        /// The user and password of basic credentials.
        pub(crate) struct BasicCredentials {
            pub(crate) username: String,
            pub(crate) password: String,
        }

        pub(crate) mod operations {
            /// A file of a multipart body.
            pub(crate) struct File {
                pub(crate) file_name: Option<String>,
                pub(crate) content_type: Option<String>,
                pub(crate) bytes: Vec<u8>,
            }
        }
    }

    /// Stands in for the generated `Input`, with every field a spec can
    /// make it have.
    pub(crate) struct Input<'a> {
        path: Option<Result<RawPathParams, RawPathParamsRejection>>,
        query: Vec<(String, String)>,
        headers: &'a HeaderMap,
        split: Vec<(&'static str, String)>,
    }

    impl Input<'_> {
        /// Stands in for the generated `raw`, reading the query, headers,
        /// cookies and split path segments.
        fn raw(
            &self,
            location: ParameterLocation,
            name: &'static str,
        ) -> Result<Vec<&str>, Rejection> {
            match location {
                ParameterLocation::Path => Ok(self
                    .split
                    .iter()
                    .filter(|(key, _)| *key == name)
                    .map(|(_, value)| value.as_str())
                    .collect()),
                ParameterLocation::Query => Ok(self
                    .query
                    .iter()
                    .filter(|(key, _)| key == name)
                    .map(|(_, value)| value.as_str())
                    .collect()),
                ParameterLocation::Header => self
                    .headers
                    .get_all(name)
                    .iter()
                    .map(|value| {
                        value
                            .to_str()
                            .map_err(|_| invalid(name, location, "the value is not visible ASCII"))
                    })
                    .collect(),
                ParameterLocation::Cookie => Ok(cookies(self.headers, name).collect()),
            }
        }

        /// Stands in for the generated `first`: the first of `raw`.
        fn first(
            &self,
            location: ParameterLocation,
            name: &'static str,
        ) -> Result<Option<&str>, Rejection> {
            Ok(self.raw(location, name)?.first().copied())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn request(uri: &str, headers: &[(&str, &str)]) -> axum::extract::Request {
            let mut builder = axum::http::Request::builder().uri(uri);
            for (name, value) in headers {
                builder = builder.header(*name, *value);
            }
            builder.body(axum::body::Body::empty()).unwrap()
        }

        #[test]
        fn header_is_compares_the_whole_value_of_any_header_of_that_name() {
            let sent = request(
                "/",
                &[
                    ("X-Amz-Target", "Support.Add"),
                    ("x-amz-target", "Support.Describe"),
                ],
            );
            assert!(header_is(&sent, "X-Amz-Target", "Support.Add"));
            assert!(header_is(&sent, "x-amz-target", "Support.Describe"));
            assert!(!header_is(&sent, "X-Amz-Target", "Support"));
            assert!(!header_is(&sent, "X-Amz-Target", "support.add"));
            assert!(!header_is(
                &request("/", &[]),
                "X-Amz-Target",
                "Support.Add"
            ));
            // A name no header can have matches nothing.
            assert!(!header_is(&sent, "bad name", "Support.Add"));
        }

        #[tokio::test]
        async fn segment_matches_reads_the_captured_segment_by_its_template() {
            use tower_service::Service;

            async fn check(path: Result<RawPathParams, RawPathParamsRejection>) -> String {
                let matches = [
                    segment_matches(&path, "(name):cancel", "{name}:cancel"),
                    segment_matches(&path, "(name):cancel", "{id}:get"),
                    segment_matches(&path, "(name):cancel", "{a}.{b}"),
                    segment_matches(&path, "other", "{name}:cancel"),
                ];
                format!("{matches:?}")
            }
            let mut router =
                axum::Router::new().route("/v1/{(name):cancel}", axum::routing::get(check));
            for (uri, expected) in [
                ("/v1/jobs%2F7:cancel", "[true, false, false, false]"),
                ("/v1/op:get", "[false, true, false, false]"),
                ("/v1/a.tar.gz", "[false, false, true, false]"),
                ("/v1/:cancel", "[false, false, false, false]"),
            ] {
                let request = axum::http::Request::builder()
                    .uri(uri)
                    .body(axum::body::Body::empty())
                    .unwrap();
                let response = router.call(request).await.unwrap();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap();
                assert_eq!(std::str::from_utf8(&body).unwrap(), expected, "{uri}");
            }
        }

        #[test]
        fn media_type_in_compares_the_essence_of_the_content_type() {
            let json = request("/", &[("Content-Type", "Application/JSON; charset=utf-8")]);
            assert!(media_type_in(&json, &["application/json"]));
            assert!(media_type_in(&json, &["text/plain", "application/json"]));
            assert!(!media_type_in(&json, &["application/octet-stream"]));
            assert!(!media_type_in(&request("/", &[]), &["application/json"]));
        }

        #[test]
        fn query_has_reads_decoded_pairs_with_or_without_a_value() {
            let sent = request("/buckets?lifecycle&status=ACTIVE&sort%20by=a%20b", &[]);
            assert!(query_has(&sent, "lifecycle", None));
            assert!(query_has(&sent, "lifecycle", Some("")));
            assert!(query_has(&sent, "status", Some("ACTIVE")));
            assert!(!query_has(&sent, "status", Some("INACTIVE")));
            assert!(query_has(&sent, "sort by", Some("a b")));
            assert!(!query_has(&sent, "acl", None));
            assert!(!query_has(&request("/buckets", &[]), "lifecycle", None));
        }

        #[test]
        fn parse_reads_json_strings_then_literals() {
            assert_eq!(parse::<String>("abc"), Ok("abc".to_owned()));
            assert_eq!(parse::<u32>("42"), Ok(42));
            assert_eq!(parse::<bool>("true"), Ok(true));
            assert!(parse::<u32>(" 42").is_err());
            assert!(parse::<u32>("").is_err());
            assert!(parse::<u32>("x").is_err());
        }

        #[test]
        fn the_typed_readers_accept_and_refuse_what_parse_does() {
            #[derive(Debug, PartialEq, serde::Deserialize)]
            enum Kind {
                #[serde(rename = "a-b")]
                AB,
            }
            for raw in [
                "0",
                "-0",
                "7",
                "-7",
                "+7",
                "007",
                "-007",
                "1.0",
                "1e2",
                " 1",
                "1 ",
                "",
                "-",
                "x",
                "2147483647",
                "2147483648",
                "-2147483649",
                "9223372036854775807",
                "9223372036854775808",
                "true",
                "false",
                "True",
                "\"1\"",
                "null",
                "a-b",
            ] {
                assert_eq!(parse_integer::<i32>(raw), parse::<i32>(raw), "{raw}");
                assert_eq!(parse_integer::<i64>(raw), parse::<i64>(raw), "{raw}");
                assert_eq!(parse_bool(raw), parse::<bool>(raw), "{raw}");
                assert_eq!(parse_str::<String>(raw), parse::<String>(raw), "{raw}");
                assert_eq!(parse_str::<Kind>(raw), parse::<Kind>(raw), "{raw}");
            }
            for raw in [
                "123e4567-e89b-12d3-a456-556642440000",
                "123E4567E89B12D3A456556642440000",
                "not-a-uuid",
                "\"123e4567-e89b-12d3-a456-556642440000\"",
                "",
            ] {
                assert_eq!(
                    parse_str::<uuid::Uuid>(raw),
                    parse::<uuid::Uuid>(raw),
                    "{raw}"
                );
            }
            assert_eq!(
                parse_str::<uuid::Uuid>("x"),
                Err("UUID parsing failed: invalid character: found `x` at 0".to_owned())
            );
            assert_eq!(parse_integer::<i64>("-12"), Ok(-12));
            assert_eq!(parse_str::<Kind>("a-b"), Ok(Kind::AB));
        }

        #[test]
        fn only_texts_that_may_be_json_are_read_as_json_literals() {
            for raw in [
                "\"a\"",
                "{}",
                "[1]",
                "-1",
                "0",
                "1e2",
                "true",
                "false",
                "null",
                "nul",
                "nulll",
                "truex",
                "tru",
                "n",
                "t",
                "f",
                "x",
                "",
                "not-a-uuid",
                "+1",
                ".5",
                "'a'",
                "NaN",
            ] {
                let json = serde_json::from_str::<serde_json::Value>(raw).is_ok();
                assert!(json_text_start(raw) || !json, "{raw}");
            }
            assert!(!json_text_start("not-a-uuid"));
            assert!(!json_text_start(""));
            assert!(json_text_start("null"));
            assert_eq!(
                parse_str::<uuid::Uuid>("\"123e4567-e89b-12d3-a456-556642440000\""),
                Ok(uuid::Uuid::from_u128(
                    0x123e4567_e89b_12d3_a456_556642440000
                ))
            );
        }

        #[test]
        fn cookies_are_read_from_every_cookie_header() {
            let mut headers = HeaderMap::new();
            headers.append("cookie", "a=1; b=2".parse().unwrap());
            headers.append("cookie", "b = 3".parse().unwrap());
            assert_eq!(cookies(&headers, "b").collect::<Vec<_>>(), ["2", "3"]);
            assert_eq!(cookies(&headers, "c").count(), 0);
        }

        #[test]
        fn rejections_name_the_parameter_and_its_location() {
            let rejection = invalid("limit", ParameterLocation::Query, "not a number");
            assert_eq!(
                rejection.message,
                "invalid query parameter `limit`: not a number"
            );
            assert!(matches!(
                rejection.kind,
                RejectionKind::InvalidParameter {
                    name: "limit",
                    location: ParameterLocation::Query
                }
            ));
            let rejection = missing("id", ParameterLocation::Path);
            assert_eq!(rejection.message, "missing required path parameter `id`");
        }
    }

    #[cfg(test)]
    mod input_tests {
        use super::*;

        fn input<'a>(headers: &'a HeaderMap, query: &[(&str, &str)]) -> Input<'a> {
            Input {
                path: None,
                query: query
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                headers,
                split: Vec::new(),
            }
        }

        #[test]
        fn lists_are_split_at_their_delimiter_and_header_items_trimmed() {
            let mut headers = HeaderMap::new();
            headers.append("x-ids", "1, 2,,3".parse().unwrap());
            let input = input(&headers, &[("id", "4"), ("id", "5"), ("csv", "6,7")]);
            let ids: Vec<u8> = input
                .required_list(ParameterLocation::Header, "x-ids", Some(','))
                .unwrap();
            assert_eq!(ids, [1, 2, 3]);
            let ids: Vec<u8> = input
                .required_list(ParameterLocation::Query, "id", None)
                .unwrap();
            assert_eq!(ids, [4, 5]);
            let ids: Vec<u8> = input
                .required_list(ParameterLocation::Query, "csv", Some(','))
                .unwrap();
            assert_eq!(ids, [6, 7]);
            let absent = input.optional_list::<u8>(ParameterLocation::Query, "none", None);
            assert_eq!(absent.unwrap(), None);
            let error = input
                .required::<u8>(ParameterLocation::Query, "none", parse)
                .unwrap_err();
            assert_eq!(error.message, "missing required query parameter `none`");
        }

        #[test]
        fn deep_objects_and_json_parameters() {
            let headers = HeaderMap::new();
            let input = input(&headers, &[("f[a]", "1"), ("f[b][]", "2"), ("j", "[1,2]")]);
            let deep: std::collections::BTreeMap<String, serde_json::Value> =
                input.required_deep("f").unwrap();
            assert_eq!(deep["a"], "1");
            assert_eq!(deep["b"], serde_json::json!(["2"]));
            assert_eq!(input.optional_deep::<u8>("g").unwrap(), None);
            let json: Vec<u8> = input.required_json(ParameterLocation::Query, "j").unwrap();
            assert_eq!(json, [1, 2]);
        }

        #[test]
        fn credentials_are_read_from_authorization_headers_and_cookies() {
            let mut headers = HeaderMap::new();
            headers.append("authorization", "Bearer  tok ".parse().unwrap());
            headers.append("authorization", "basic dXNlcjpwYXNz".parse().unwrap());
            headers.append("cookie", "sid=; sid=abc".parse().unwrap());
            let input = input(&headers, &[("key", ""), ("key", "k")]);
            assert_eq!(input.bearer().as_deref(), Some("tok"));
            let basic = input.basic().unwrap();
            assert_eq!(
                (basic.username.as_str(), basic.password.as_str()),
                ("user", "pass")
            );
            assert_eq!(input.cookie("sid").as_deref(), Some("abc"));
            assert_eq!(input.query_value("key").as_deref(), Some("k"));
            assert!(!input.unreadable_authorization(&["bearer", "Basic"]));
            assert!(input.unreadable_authorization(&["Bearer"]));
        }

        #[test]
        fn mixed_segments_split_with_earlier_values_as_long_as_they_can_be() {
            assert_eq!(
                split_by("a.tar.gz", &["", ".", ""]),
                Some(vec!["a.tar", "gz"])
            );
            assert_eq!(split_by("v2", &["v", ""]), Some(vec!["2"]));
            assert_eq!(split_by("a.", &["", ".", ""]), None);
            assert_eq!(split_by("x2", &["v", ""]), None);
        }
    }

    #[cfg(test)]
    mod multipart_tests {
        use super::*;

        fn part(name: &str, content_type: Option<&str>, bytes: &'static [u8]) -> Part {
            Part {
                name: name.to_owned(),
                file_name: Some(format!("{name}.bin")),
                content_type: content_type.map(str::to_owned),
                bytes: axum::body::Bytes::from_static(bytes),
            }
        }

        #[test]
        fn parts_are_taken_by_name_as_values_and_files() {
            let mut form = MultipartForm {
                parts: vec![
                    part("n", None, b"1"),
                    part("n", None, b"2"),
                    part(
                        "meta",
                        Some("application/json; charset=utf-8"),
                        br#"{"a":1}"#,
                    ),
                    part("doc", Some("text/plain"), b"hi"),
                ],
            };
            assert_eq!(form.required::<Vec<u8>>("n").unwrap(), [1, 2]);
            let meta: serde_json::Value = form.required("meta").unwrap();
            assert_eq!(meta["a"], 1);
            let file = form.file("doc").unwrap();
            assert_eq!(file.file_name.as_deref(), Some("doc.bin"));
            assert_eq!(file.content_type.as_deref(), Some("text/plain"));
            assert_eq!(file.bytes, b"hi");
            assert!(form.files("doc").is_empty());
            let error = form.required::<u8>("n").unwrap_err();
            assert_eq!(error.message, "missing part `n`");
        }

        #[test]
        fn text_that_is_not_utf8_is_an_invalid_part() {
            let mut form = MultipartForm {
                parts: vec![part("t", None, b"\xff")],
            };
            let error = form.optional::<String>("t").unwrap_err();
            assert_eq!(error.message, "invalid part `t`: not UTF-8 text");
        }
    }

    #[cfg(test)]
    mod body_tests {
        use super::*;

        fn request(content_type: Option<&str>, body: &'static str) -> (Parts, axum::body::Body) {
            let mut builder = axum::http::Request::builder();
            if let Some(content_type) = content_type {
                builder = builder.header("content-type", content_type);
            }
            let (parts, ()) = builder.body(()).unwrap().into_parts();
            (parts, axum::body::Body::from(body))
        }

        #[test]
        fn media_types_match_declared_ones_and_wildcards() {
            assert!(media_matches("image/*", "image/png"));
            assert!(!media_matches("image/png", "image/gif"));
            assert!(is_json("application/json"));
            assert!(is_json("application/problem+json"));
            assert!(!is_json("text/plain"));
            let (parts, _) = request(Some("Application/JSON; charset=utf-8"), "");
            assert_eq!(
                media_type(&parts.headers).as_deref(),
                Some("application/json")
            );
        }

        #[tokio::test]
        async fn json_and_form_bodies_are_read_by_their_media_type() {
            let (mut parts, body) = request(Some("application/json"), "[1,2]");
            let value: Option<Vec<u8>> = json_body(&mut parts, body).await.unwrap();
            assert_eq!(value, Some(vec![1, 2]));
            let (mut parts, body) = request(Some("text/plain"), "[1,2]");
            let error = json_body::<Vec<u8>>(&mut parts, body).await.unwrap_err();
            assert!(matches!(error.kind, RejectionKind::UnsupportedMediaType));
            let (mut parts, body) = request(None, "");
            assert_eq!(json_body::<u8>(&mut parts, body).await.unwrap(), None);
            let (mut parts, body) = request(Some("application/x-www-form-urlencoded"), "a=1&b[]=2");
            let form: serde_json::Value = form_body(&mut parts, body).await.unwrap().unwrap();
            assert_eq!(form, serde_json::json!({"a": "1", "b": ["2"]}));
            let (mut parts, body) = request(Some("text/plain"), "hi");
            assert_eq!(
                text_body(&mut parts, body, "text/*")
                    .await
                    .unwrap()
                    .as_deref(),
                Some("hi")
            );
            let error = required_body::<u8>(None).unwrap_err();
            assert!(matches!(error.kind, RejectionKind::MissingBody));
        }

        /// A marker a layer puts in the extensions.
        #[derive(Clone, Debug, PartialEq)]
        struct Marker(&'static str);

        /// Reads a JSON body in a router with a body limit of 8 bytes, as
        /// the handlers do, and answers whether the body was read and the
        /// request's extensions kept.
        async fn read_in_router(body: &'static str) -> String {
            use axum::extract::DefaultBodyLimit;
            use tower_service::Service;

            let handler = |request: axum::extract::Request| async move {
                let (mut parts, body) = request.into_parts();
                let read = json_body::<serde_json::Value>(&mut parts, body).await;
                let kept = parts.extensions.get::<Marker>() == Some(&Marker("layer"));
                format!("{} {kept}", read.is_ok())
            };
            let mut router = axum::Router::new()
                .route("/", axum::routing::post(handler))
                .layer(DefaultBodyLimit::max(8));
            let mut request = axum::http::Request::post("/")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            request.extensions_mut().insert(Marker("layer"));
            let response = router.call(request).await.unwrap();
            let bytes = axum::body::to_bytes(response.into_body(), 1024)
                .await
                .unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        }

        #[tokio::test]
        async fn bodies_are_read_within_the_router_s_limit_and_keep_the_extensions() {
            assert_eq!(read_in_router("[1,2]").await, "true true");
            assert_eq!(read_in_router("[1,2,3,4,5]").await, "false true");
        }

        #[tokio::test]
        async fn a_multipart_body_is_read_and_the_extensions_kept() {
            let form = "--b\r\ncontent-disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
            let (mut parts, body) = request(Some("multipart/form-data; boundary=b"), form);
            parts.extensions.insert(Marker("layer"));
            let mut form = multipart_body(&mut parts, body).await.unwrap().unwrap();
            assert_eq!(form.required::<u8>("a").unwrap(), 1);
            assert_eq!(parts.extensions.get::<Marker>(), Some(&Marker("layer")));
        }
    }

    #[cfg(test)]
    mod violations_tests {
        use super::types::validate::{Violation, Violations};
        use super::*;

        #[test]
        fn parameter_violations_name_the_parameter_of_the_first() {
            let violations = Violations(vec![Violation {
                path: "/limit".to_owned(),
            }]);
            let rejection = parameter_violations(
                violations,
                &[
                    ("q", ParameterLocation::Query),
                    ("limit", ParameterLocation::Header),
                ],
            );
            assert_eq!(
                rejection.message,
                "invalid header parameter `limit`: /limit"
            );
            assert!(matches!(
                rejection.kind,
                RejectionKind::InvalidParameter {
                    name: "limit",
                    location: ParameterLocation::Header
                }
            ));
            let rejection = body_violations(Violations(vec![Violation {
                path: "/a/0".to_owned(),
            }]));
            assert_eq!(rejection.message, "invalid body: /a/0");
            assert!(matches!(rejection.kind, RejectionKind::InvalidBody));
        }
    }

    #[cfg(test)]
    mod base64_tests {
        use super::base64_decode;

        #[test]
        fn decodes_with_and_without_padding() {
            assert_eq!(base64_decode("dXNlcjpwYXNz"), Some(b"user:pass".to_vec()));
            assert_eq!(base64_decode("YQ=="), Some(b"a".to_vec()));
            assert_eq!(base64_decode("YQ"), Some(b"a".to_vec()));
            assert_eq!(base64_decode("+/+/"), Some(vec![0xfb, 0xff, 0xbf]));
            assert_eq!(base64_decode(""), Some(Vec::new()));
            assert_eq!(base64_decode("a b"), None);
            assert_eq!(base64_decode("YQ=x"), None);
        }
    }

    #[cfg(test)]
    mod form_value_tests {
        use super::FormValue;
        use std::collections::BTreeMap;

        fn form(pairs: &[(&str, &str)]) -> FormValue {
            FormValue::from_pairs(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            )
        }

        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Filter {
            name: String,
            sizes: Vec<u8>,
            exact: Option<bool>,
            tags: BTreeMap<String, String>,
        }

        #[test]
        fn nested_keys_deserialize_into_structs() {
            let value = form(&[
                ("name", "box"),
                ("sizes[]", "1"),
                ("sizes[]", "2"),
                ("exact", "true"),
                ("tags[color]", "red"),
            ]);
            let filter: Filter = serde::Deserialize::deserialize(&value).unwrap();
            assert_eq!(
                filter,
                Filter {
                    name: "box".to_owned(),
                    sizes: vec![1, 2],
                    exact: Some(true),
                    tags: BTreeMap::from([("color".to_owned(), "red".to_owned())]),
                }
            );
        }

        #[test]
        fn repeated_and_indexed_keys_are_lists() {
            let value = form(&[("a", "1"), ("a", "2"), ("b[0]", "y"), ("b[1]", "x")]);
            let map: BTreeMap<String, Vec<String>> =
                serde::Deserialize::deserialize(&value).unwrap();
            assert_eq!(map["a"], ["1", "2"]);
            assert_eq!(map["b"], ["y", "x"]);
        }

        #[test]
        fn text_is_not_replaced_by_an_object_and_bad_numbers_are_errors() {
            let value = form(&[("a", "1"), ("a[b]", "2")]);
            let map: BTreeMap<String, u8> = serde::Deserialize::deserialize(&value).unwrap();
            assert_eq!(map["a"], 1);
            let value = form(&[("n", "x")]);
            let error =
                <BTreeMap<String, u8> as serde::Deserialize>::deserialize(&value).unwrap_err();
            assert!(
                error.to_string().contains("`x` is not an integer"),
                "{error}"
            );
        }

        #[test]
        fn a_json_text_is_an_object() {
            let value = form(&[("q", r#"{"k":"v"}"#)]);
            let map: BTreeMap<String, BTreeMap<String, String>> =
                serde::Deserialize::deserialize(&value).unwrap();
            assert_eq!(map["q"]["k"], "v");
        }
    }
}

/// `Request` from `api.rs` of every generated server crate, with the
/// credentials of a spec that has security schemes.
// Its constructors are for the crates' users.
#[allow(dead_code)]
mod server_request {
    include!("../server/request.rs");

    /// Stands in for the generated `types` module.
    mod types {
        /// Stands in for the generated `Credentials` (which redacts its
        /// `Debug`).
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Credentials {
            pub bearer_auth: Option<String>,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_new_request_has_no_credentials_headers_or_extensions_until_given() {
            let request = Request::new(7, ());
            assert_eq!(request.parameters, 7);
            assert_eq!(request.credentials, types::Credentials::default());
            assert!(request.headers.is_empty());
            assert!(request.extensions.is_empty());

            let mut headers = axum::http::HeaderMap::new();
            headers.insert("x-request-id", "r-1".parse().unwrap());
            let mut extensions = axum::http::Extensions::new();
            extensions.insert(42_u32);
            let credentials = types::Credentials {
                bearer_auth: Some("t".to_owned()),
            };
            let request = Request::new((), "body")
                .with_credentials(credentials.clone())
                .with_headers(headers)
                .with_extensions(extensions);
            assert_eq!(request.credentials, credentials);
            assert_eq!(request.headers["x-request-id"], "r-1");
            assert_eq!(request.extensions.get::<u32>(), Some(&42));
        }

        #[test]
        fn debug_prints_header_names_not_their_values() {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert("authorization", "Bearer secret-token".parse().unwrap());
            let printed = format!("{:?}", Request::new((), ()).with_headers(headers));
            assert!(printed.contains("\"authorization\""), "{printed}");
            assert!(!printed.contains("secret-token"), "{printed}");
        }
    }
}

/// The span of each operation, from `router.rs` of every generated server
/// crate; a span with the `tracing` feature, nothing without.
// Used by the generated handlers.
#[allow(dead_code)]
mod server_trace {
    use axum::response::Response;

    include!("../server/trace.rs");

    #[cfg(test)]
    mod tests {
        use super::*;
        use axum::response::IntoResponse;

        #[tokio::test]
        async fn the_work_answers_through_the_span() {
            let response = traced("get_pet", "GET", "/pets/{id}", async {
                axum::http::StatusCode::CREATED.into_response()
            })
            .await;
            assert_eq!(response.status(), 201);
        }
    }
}

/// `router.rs`'s serving of each operation, with an `Api` of one operation.
// Of the files beside it, the tests use a part.
#[allow(dead_code)]
mod server_operation {
    use std::sync::Arc;

    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};

    include!("../server/operation.rs");

    // The rejections and response writers `router.rs` has beside it.
    include!("../server/rejection.rs");
    include!("../server/responses.rs");

    /// The trait a generated server declares, with one operation.
    trait Api: Send + Sync + 'static {
        fn double(&self, value: u32) -> impl std::future::Future<Output = u32> + Send;
    }

    /// `Api::double` as the router serves it.
    struct Double;

    impl<A: Api> Operation<A> for Double {
        type Request = u32;
        type Response = u32;

        fn call(api: &A, request: u32) -> impl std::future::Future<Output = u32> + Send + '_ {
            api.double(request)
        }

        fn respond(response: u32) -> Response {
            (StatusCode::OK, response.to_string()).into_response()
        }
    }

    /// `Api::double` with a body for its rejections: `Double` but for them.
    struct DoubleAnswered;

    impl<A: Api> Operation<A> for DoubleAnswered {
        type Request = u32;
        type Response = u32;

        fn call(api: &A, request: u32) -> impl std::future::Future<Output = u32> + Send + '_ {
            <Double as Operation<A>>::call(api, request)
        }

        fn respond(response: u32) -> Response {
            <Double as Operation<A>>::respond(response)
        }

        fn reject(_: &A, rejection: Rejection) -> Response {
            (StatusCode::BAD_REQUEST, rejection.to_string()).into_response()
        }
    }

    struct Doubler;

    impl Api for Doubler {
        async fn double(&self, value: u32) -> u32 {
            value * 2
        }
    }

    /// What axum requires of a handler's future.
    fn assert_send<F: std::future::Future + Send>(future: F) -> F {
        future
    }

    async fn body_of(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("text")
    }

    #[tokio::test]
    async fn a_request_is_answered_with_the_call_s_response() {
        let response = assert_send(serve(Arc::new(Doubler), Double, Ok(21))).await;
        assert_eq!(response.status(), 200);
        assert_eq!(body_of(response).await, "42");
        let reading = async { Ok(4) };
        let response = assert_send(serve_reading(Arc::new(Doubler), Double, reading)).await;
        assert_eq!(body_of(response).await, "8");
    }

    #[tokio::test]
    async fn a_rejection_is_answered_without_calling() {
        let rejected = || Err(Rejection::new(RejectionKind::InvalidBody, "not a number"));
        let response = serve(Arc::new(Doubler), Double, rejected()).await;
        assert_eq!(response.status(), 400);
        assert_eq!(body_of(response).await, "");
        let response = serve_reading(Arc::new(Doubler), DoubleAnswered, async { rejected() }).await;
        assert_eq!(response.status(), 400);
        assert_eq!(body_of(response).await, "not a number");
    }
}

/// `rejection.rs` of every generated server crate some of whose operations
/// answer 415 (the generator removes the status of its own from the
/// rejection of other crates).
// Each crate uses part of it.
#[allow(dead_code)]
mod server_rejection {
    include!("../server/rejection.rs");

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_rejection_has_its_kind_s_status_until_answered_415() {
            let rejection = Rejection::new(RejectionKind::UnsupportedMediaType, "no");
            assert_eq!(rejection.status(), 400);
            let rejection = rejection.in_operation("upload").unsupported_as_415();
            assert_eq!(rejection.status(), 415);
            assert_eq!(rejection.operation, Some("upload"));
            let missing = Rejection::new(RejectionKind::MissingBody, "none").unsupported_as_415();
            assert_eq!(missing.status(), 400);
        }

        #[test]
        fn kinds_and_locations_read_as_their_status_and_name() {
            assert_eq!(RejectionKind::MissingCredentials.status(), 401);
            assert_eq!(RejectionKind::UnknownPath.status(), 404);
            assert_eq!(RejectionKind::MethodNotAllowed.status(), 405);
            assert_eq!(ParameterLocation::Cookie.to_string(), "cookie");
            assert_eq!(
                Rejection::new(RejectionKind::InvalidBody, "bad").to_string(),
                "bad"
            );
        }
    }
}

/// Response writers from `router.rs` of every generated server crate.
// Only the items a crate's handlers reach are generated (see `server_values`).
#[allow(dead_code)]
mod server_responses {
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};

    include!("../server/responses.rs");

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn only_final_statuses_are_sent() {
            assert_eq!(empty_response(204).status(), 204);
            assert_eq!(empty_response(100).status(), 500);
            assert_eq!(empty_response(600).status(), 500);
            assert_eq!(undeclared_status().status(), 500);
        }

        #[test]
        fn bodies_carry_their_content_type() {
            let response = json_response(201, "application/json", &[1, 2]);
            assert_eq!(response.status(), 201);
            assert_eq!(response.headers()["content-type"], "application/json");
            let response = raw_response(200, "text/plain", "hi");
            assert_eq!(response.headers()["content-type"], "text/plain");
            assert_eq!(raw_response(99, "text/plain", "hi").status(), 500);
        }

        #[test]
        fn header_values_join_lists_and_refuse_what_a_header_cannot_carry() {
            assert_eq!(header_value(&["a", "b"]).unwrap().unwrap(), "a,b");
            assert_eq!(header_value(&7).unwrap().unwrap(), "7");
            assert_eq!(header_value(&None::<u8>), Ok(None));
            assert!(header_value(&"line\nbreak").is_err());
            let response = with_headers(
                empty_response(200),
                [("x-rate", header_value(&3)), ("x-none", Ok(None))],
            );
            assert_eq!(response.headers()["x-rate"], "3");
            assert!(!response.headers().contains_key("x-none"));
            let response = with_headers(empty_response(200), [("x-bad", Err(()))]);
            assert_eq!(response.status(), 500);
        }
    }
}
