//! `extract.rs` of the server crate: the helpers the handlers share.

use super::*;
use quote::ToTokens;

/// `extract.rs`: of every helper the handlers may use (shaped by what the
/// requests carry), those that `router` (the handlers' code) reaches.
pub(super) fn extract_rs(plan: &Plan<'_>, uses: &Uses, router: &[TokenStream]) -> String {
    let mut items = vec![
        input_items(uses),
        runtime(VALUES_RS),
        credentials_fn(plan, uses),
        runtime(BASE64_RS),
    ];
    items.extend(body_items(uses));
    let items = prune::reachable(router, quote!(#(#items)*));

    let mut used = BTreeSet::new();
    root_idents(&items, &mut used);
    let has = |name: &str| used.contains(name);
    let mut imports = Vec::new();
    if has("RawPathParams") {
        imports.push(quote! {
            use axum::extract::rejection::RawPathParamsRejection;
            use axum::extract::RawPathParams;
        });
    }
    if has("Parts") {
        imports.push(quote!(
            use axum::http::request::Parts;
        ));
    }
    if has("HeaderMap") {
        imports.push(quote!(
            use axum::http::HeaderMap;
        ));
    }
    if has("DeserializeOwned") {
        imports.push(quote!(
            use serde::de::DeserializeOwned;
        ));
    }
    imports.push(crate_uses(
        &used,
        &["ParameterLocation", "Rejection", "RejectionKind"],
        quote!(crate::rejection),
    ));
    if has("types") {
        imports.push(quote!(
            use crate::types;
        ));
    }

    format_file(
        std::iter::once(quote! {
            //! Helpers the handlers share: raw request parts into typed values.

            #(#imports)*
        })
        .chain(std::iter::once(items)),
    )
}

/// The body readers `extract.rs` may provide.
pub(super) fn body_items(uses: &Uses) -> Vec<TokenStream> {
    let mut items = runtime_items(BODY_RS);
    let required_body = items.pop();
    items.push(multipart_items(uses));
    items.push(runtime(FORM_VALUE_RS));
    items.extend(required_body);
    items
}

/// Reading `multipart/form-data` bodies (with axum's `multipart` feature),
/// and the accessors the handlers use.
pub(super) fn multipart_items(uses: &Uses) -> TokenStream {
    let files = uses.multipart_file_names;
    // Only files keep the part's file name.
    let file_name_field = files.then(|| {
        quote! {
            /// The `filename` of its `Content-Disposition`.
            file_name: Option<String>,
        }
    });
    let read_file_name =
        files.then(|| quote!(let file_name = field.file_name().map(str::to_owned);));
    let file_name_init = files.then(|| quote!(file_name,));
    let fixed = runtime(MULTIPART_RS);
    quote! {
        /// A part of a `multipart/form-data` body.
        struct Part {
            /// The `name` of its `Content-Disposition`.
            name: String,
            #file_name_field
            /// Its `Content-Type`.
            content_type: Option<String>,
            /// Its content.
            bytes: axum::body::Bytes,
        }

        #fixed

        /// Reads a `multipart/form-data` body; `None` when the request has no
        /// body.
        pub(crate) async fn multipart_body(parts: Parts, body: axum::body::Body) -> Result<Option<MultipartForm>, Rejection> {
            use axum::extract::FromRequest;

            if is_empty(&body) {
                return Ok(None);
            }
            if media_type(&parts.headers).as_deref() != Some("multipart/form-data") {
                return Err(unsupported_media_type("`multipart/form-data`"));
            }
            let invalid = |error: String| {
                Rejection::new(RejectionKind::InvalidBody, format!("invalid multipart body: {error}"))
            };
            let request = axum::extract::Request::from_parts(parts, body);
            let mut multipart = axum::extract::Multipart::from_request(request, &())
                .await
                .map_err(|rejection| invalid(rejection.body_text()))?;
            let mut form = Vec::new();
            while let Some(field) = multipart.next_field().await.map_err(|error| invalid(error.body_text()))? {
                let name = field.name().unwrap_or_default().to_owned();
                #read_file_name
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|error| invalid(error.body_text()))?;
                form.push(Part { name, #file_name_init content_type, bytes });
            }
            Ok(Some(MultipartForm { parts: form }))
        }
    }
}

/// `Input`, the raw parts parameters and credentials are read from, and its
/// readers.
pub(super) fn input_items(uses: &Uses) -> TokenStream {
    let lifetime = if uses.headers { quote!(<'a>) } else { quote!() };
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut args = Vec::new();
    if uses.headers {
        args.push(quote!(parts: &'a Parts));
    } else if uses.query {
        args.push(quote!(parts: &Parts));
    }
    if uses.path {
        fields.push(quote! {
            /// The path's parameters, as axum matched them (`None` for
            /// operations without path parameters).
            path: Option<Result<RawPathParams, RawPathParamsRejection>>
        });
        inits.push(quote!(path));
        args.push(quote!(path: Option<Result<RawPathParams, RawPathParamsRejection>>));
    }
    if uses.query {
        fields.push(quote! {
            /// The query's key/value pairs, decoded, in order.
            query: Vec<(String, String)>
        });
        inits.push(quote! {
            query: parts
                .uri
                .query()
                .and_then(|query| serde_urlencoded::from_str(query).ok())
                .unwrap_or_default()
        });
    }
    if uses.headers {
        fields.push(quote! {
            /// The request's headers.
            headers: &'a HeaderMap
        });
        inits.push(quote!(headers: &parts.headers));
    }
    if uses.mixed_segments {
        fields.push(quote! {
            /// The parameters of path segments that hold several, split by
            /// [`Input::split_segment`].
            split: Vec<(&'static str, String)>
        });
        inits.push(quote!(split: Vec::new()));
    }
    let impl_header = if uses.headers {
        quote!(impl<'a> Input<'a>)
    } else {
        quote!(impl Input)
    };

    let mut methods = Vec::new();
    methods.push(quote! {
        /// Reads what a request carries.
        pub(crate) fn new(#(#args),*) -> Self {
            Input { #(#inits),* }
        }
    });

    let mut arms = Vec::new();
    let split = uses.mixed_segments.then(|| {
        quote! {
            .chain(self.split.iter().filter(|(key, _)| *key == name).map(|(_, value)| value.as_str()))
        }
    });
    if uses.path_params {
        arms.push(quote! {
            ParameterLocation::Path => match &self.path {
                Some(Ok(params)) => Ok(params
                    .iter()
                    .filter(|(key, _)| *key == name)
                    .map(|(_, value)| value)
                    #split
                    .collect()),
                Some(Err(rejection)) => Err(invalid(name, location, rejection.body_text())),
                None => Ok(Vec::new()),
            }
        });
    }
    if uses.query_params {
        arms.push(quote! {
            ParameterLocation::Query => Ok(self
                .query
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
                .collect())
        });
    }
    if uses.header_params {
        arms.push(quote! {
            ParameterLocation::Header => self
                .headers
                .get_all(name)
                .iter()
                .map(|value| value.to_str().map_err(|_| invalid(name, location, "the value is not visible ASCII")))
                .collect()
        });
    }
    if uses.cookie_params {
        arms.push(quote! {
            ParameterLocation::Cookie => Ok(cookies(self.headers, name).collect())
        });
    }
    let all = uses.path_params && uses.query_params && uses.header_params && uses.cookie_params;
    if !all {
        arms.push(quote!(_ => Ok(Vec::new())));
    }
    let raw = quote! {
        /// Every raw value sent for a parameter, in order.
        fn raw(&self, location: ParameterLocation, name: &'static str) -> Result<Vec<&str>, Rejection> {
            match location {
                #(#arms,)*
            }
        }
    };
    let (fixed_methods, split_by) = input_runtime();
    let mut fixed_methods = fixed_methods.into_iter();
    methods.extend(fixed_methods.next());
    methods.push(raw);
    methods.extend(fixed_methods);

    quote! {
        /// What parameters and credentials are read from: the request's
        /// parts, with the query decoded once.
        pub(crate) struct Input #lifetime {
            #(#fields,)*
        }

        #impl_header {
            #(#methods)*
        }

        #(#split_by)*
    }
}

/// The methods of `Input` in `runtime/server/input.rs`, in their order, and
/// the items after its `impl`.
fn input_runtime() -> (Vec<TokenStream>, Vec<TokenStream>) {
    // The file is part of the generator and compiled in `generator/runtime`,
    // so a failure here is a bug in the generator, never in the spec.
    let file = syn::parse_file(INPUT_RS)
        .unwrap_or_else(|e| panic!("runtime/server/input.rs does not parse: {e}"));
    let mut items = file.items.into_iter();
    let Some(syn::Item::Impl(input)) = items.next() else {
        panic!("runtime/server/input.rs does not start with the `impl` of `Input`");
    };
    let methods = input.items.iter().map(ToTokens::to_token_stream).collect();
    (methods, items.map(|item| item.to_token_stream()).collect())
}

/// `credentials`: every security scheme's credentials the request carries.
pub(super) fn credentials_fn(plan: &Plan<'_>, uses: &Uses) -> TokenStream {
    let input = if uses.headers {
        quote!(Input<'_>)
    } else {
        quote!(Input)
    };
    let fields = plan.api.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.name);
        let value = match &scheme.kind {
            SecuritySchemeKind::ApiKey {
                location,
                wire_name,
            } => match location {
                ApiKeyLocation::Query => quote!(input.query_value(#wire_name)),
                ApiKeyLocation::Cookie => quote!(input.cookie(#wire_name)),
                ApiKeyLocation::Header => quote!(input.header(#wire_name)),
            },
            SecuritySchemeKind::Bearer => quote!(input.bearer()),
            SecuritySchemeKind::Basic => quote!(input.basic()),
        };
        quote!(#field: #value)
    });
    quote! {
        /// The credentials of every security scheme the request carries
        /// (empty values count as absent).
        pub(crate) fn credentials(input: &#input) -> types::Credentials {
            types::Credentials { #(#fields,)* }
        }
    }
}
