//! `extract.rs` of the server crate: the helpers the handlers share.

use super::*;
use quote::ToTokens;

/// Every helper the handlers may use, shaped by what the requests carry:
/// `extract.rs` keeps those the handlers reach (pruned while the router is
/// printed, see [`router_rs`]).
pub(super) fn extract_helpers(plan: &Plan<'_>, input: &InputShape) -> TokenStream {
    let mut items = vec![
        input_items(plan, input),
        runtime_items(VALUES_RS),
        credentials_fn(plan, input.headers),
        runtime_items(BASE64_RS),
        runtime_items(VIOLATIONS_RS),
        runtime_items(DISPATCH_RS),
    ];
    items.extend(body_items(plan));
    quote!(#(#items)*)
}

/// `extract.rs`, given `items`: the [`extract_helpers`] that the handlers
/// reach.
pub(super) fn extract_rs(items: TokenStream) -> String {
    let mut used = BTreeSet::new();
    root_idents(&items, &mut used);
    let has = |name: &str| used.contains(name);
    let mut imports = vec![request_part_imports(&used)];
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
    imports.push(crate_imports(&used));

    format_file(
        std::iter::once(quote! {
            //! Helpers the handlers share: raw request parts into typed values.

            #(#imports)*
        })
        .chain(std::iter::once(items)),
    )
}

/// The body readers `extract.rs` may provide.
pub(super) fn body_items(plan: &Plan<'_>) -> Vec<TokenStream> {
    let mut items = runtime_file_items(BODY_RS);
    let required_body = items.pop();
    items.push(multipart_items(plan.has_file_parts()));
    items.push(runtime_items(FORM_VALUE_RS));
    items.extend(required_body);
    items
}

/// Reading `multipart/form-data` bodies (with axum's `multipart` feature),
/// and the accessors the handlers use: `runtime/server/multipart.rs`, whose
/// parts keep their file name only when some part is a file (`files`).
pub(super) fn multipart_items(files: bool) -> TokenStream {
    if files {
        runtime_items(MULTIPART_RS)
    } else {
        runtime_items(&edited(MULTIPART_RS, WITHOUT_FILE_NAMES))
    }
}

/// The edits of `runtime/server/multipart.rs` for a crate without file
/// parts: its parts do not keep a file name.
pub(super) const WITHOUT_FILE_NAMES: &[(&str, &str)] = &[
    (
        "    /// The `filename` of its `Content-Disposition`.\n    file_name: Option<String>,\n",
        "",
    ),
    (
        "        let file_name = field.file_name().map(str::to_owned);\n",
        "",
    ),
    (
        "Part { name, file_name, content_type",
        "Part { name, content_type",
    ),
];

/// The fields `Input` has: the request parts that the readers the handlers
/// reach read. Decided by pruning (see [`InputShape::of`]), so `Input` never
/// holds a field nothing reads.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct InputShape {
    /// The path's parameters.
    pub(super) path: bool,
    /// The query's key/value pairs.
    query: bool,
    /// The request's headers (which borrows the request's parts).
    pub(super) headers: bool,
    /// The parameters of path segments that hold several.
    split: bool,
}

impl InputShape {
    /// The fields of `Input` that its readers reach from the handlers'
    /// reads of parameters, credentials and split segments: `Input` with
    /// every field, pruned to those reads, tells which fields it reads.
    pub(super) fn of(plan: &Plan<'_>) -> Self {
        let mut roots: Vec<TokenStream> = plan
            .routed()
            .map(|op| {
                let parameters = parameters_value(plan, op);
                let reads = input_reads(plan, op);
                quote! {
                    fn read(input: &mut Input) -> Result<(), Rejection> {
                        #(#reads)*
                        let parameters = #parameters;
                        Ok(())
                    }
                }
            })
            .collect();
        if !roots.is_empty() && plan.has_credentials() {
            roots.push(credentials_fn(plan, false));
        }
        let (methods, after) = input_methods(plan, false);
        let values = runtime_items(VALUES_RS);
        let base64 = runtime_items(BASE64_RS);
        let helpers = quote! {
            struct Input;
            impl Input { #methods }
            #after
            #values
            #base64
        };
        let kept = prune::reachable(&roots, helpers);
        InputShape {
            path: reads_field(&kept, "path"),
            query: reads_field(&kept, "query"),
            headers: reads_field(&kept, "headers"),
            split: reads_field(&kept, "split"),
        }
    }

    /// Whether `Input::new` takes the request's parts.
    pub(super) fn reads_parts(&self) -> bool {
        self.query || self.headers
    }
}

/// Whether `tokens` read `self.<field>`.
fn reads_field(tokens: &TokenStream, field: &str) -> bool {
    let trees: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    trees.windows(3).any(|window| match window {
        [proc_macro2::TokenTree::Ident(this), proc_macro2::TokenTree::Punct(dot), proc_macro2::TokenTree::Ident(name)] => {
            this == "self" && dot.as_char() == '.' && name == field
        }
        _ => false,
    }) || trees.iter().any(|tree| match tree {
        proc_macro2::TokenTree::Group(group) => reads_field(&group.stream(), field),
        _ => false,
    })
}

/// `Input`, the raw parts parameters and credentials are read from, and its
/// readers.
pub(super) fn input_items(plan: &Plan<'_>, shape: &InputShape) -> TokenStream {
    let lifetime = shape.headers.then(|| quote!(<'a>));
    let fields = input_fields(shape);
    let (methods, after) = input_methods(plan, shape.split);
    let new = input_new(shape);
    let impl_header = if shape.headers {
        quote!(impl<'a> Input<'a>)
    } else {
        quote!(impl Input)
    };
    quote! {
        /// What parameters and credentials are read from: the request's
        /// parts, with the query decoded once.
        pub(crate) struct Input #lifetime {
            #(#fields,)*
        }

        #impl_header {
            #new
            #methods
        }

        #after
    }
}

/// The fields of `Input` that `shape` keeps, in their order.
fn input_fields(shape: &InputShape) -> Vec<TokenStream> {
    let mut fields = Vec::new();
    if shape.path {
        fields.push(quote! {
            /// The path's parameters, as axum matched them (`None` for
            /// operations without path parameters).
            path: Option<Result<RawPathParams, RawPathParamsRejection>>
        });
    }
    if shape.query {
        fields.push(quote! {
            /// The query's key/value pairs, decoded, in order.
            query: Vec<(String, String)>
        });
    }
    if shape.headers {
        fields.push(quote! {
            /// The request's headers.
            headers: &'a HeaderMap
        });
    }
    if shape.split {
        fields.push(quote! {
            /// The parameters of path segments that hold several, split by
            /// [`Input::split_segment`].
            split: Vec<(&'static str, String)>
        });
    }
    fields
}

/// `Input::new`, reading the fields `shape` keeps.
fn input_new(shape: &InputShape) -> TokenStream {
    let mut inits = Vec::new();
    let mut args = Vec::new();
    if shape.headers {
        args.push(quote!(parts: &'a Parts));
    } else if shape.query {
        args.push(quote!(parts: &Parts));
    }
    if shape.path {
        inits.push(quote!(path));
        args.push(quote!(path: Option<Result<RawPathParams, RawPathParamsRejection>>));
    }
    if shape.query {
        inits.push(quote! {
            query: parts
                .uri
                .query()
                .and_then(|query| serde_urlencoded::from_str(query).ok())
                .unwrap_or_default()
        });
    }
    if shape.headers {
        inits.push(quote!(headers: &parts.headers));
    }
    if shape.split {
        inits.push(quote!(split: Vec::new()));
    }
    quote! {
        /// Reads what a request carries.
        pub(crate) fn new(#(#args),*) -> Self {
            Input { #(#inits),* }
        }
    }
}

/// The methods of `Input` but `new`: `raw` (every value of a parameter)
/// and `first` (its first value), with an arm per location the parameters
/// are sent in, among the fixed ones of `runtime/server/input.rs`, and the
/// items after its `impl`. `split`: both read split segments.
fn input_methods(plan: &Plan<'_>, split: bool) -> (TokenStream, TokenStream) {
    let locations = plan.parameter_locations();
    let has = |location| locations.contains(&location);
    // A value split out of a segment is read before the captured ones, and
    // instead of a segment captured under the same name: at a route of
    // several templates (`/v1/{name}` and `/v1/{name}:cancel`), the whole
    // segment is captured under the first one's name.
    let path_values = if split {
        quote! {
            self.split
                .iter()
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| value.as_str())
                .chain(params.iter().filter(|(key, _)| *key == name && !self.split.iter().any(|(split, _)| *split == name)).map(|(_, value)| value))
        }
    } else {
        quote! {
            params
                .iter()
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| value)
        }
    };
    // Each arm as an iterator over the values, ended by `.collect()` for
    // `raw` and by `.next()` for `first`, which allocates nothing. Header
    // values are all checked either way (`header`): a header sent twice
    // whose second value is not text is refused by both.
    let arms = |end: TokenStream, none: TokenStream, header: TokenStream| {
        let mut arms = Vec::new();
        if has(ParameterLocation::Path) {
            arms.push(quote! {
                ParameterLocation::Path => match &self.path {
                    Some(Ok(params)) => Ok(#path_values #end),
                    Some(Err(rejection)) => Err(invalid(name, location, rejection.body_text())),
                    None => Ok(#none),
                }
            });
        }
        if has(ParameterLocation::Query) {
            arms.push(quote! {
                ParameterLocation::Query => Ok(self
                    .query
                    .iter()
                    .filter(|(key, _)| key == name)
                    .map(|(_, value)| value.as_str())
                    #end)
            });
        }
        if has(ParameterLocation::Header) {
            arms.push(quote! {
                ParameterLocation::Header => self
                    .headers
                    .get_all(name)
                    .iter()
                    .map(|value| value.to_str().map_err(|_| invalid(name, location, "the value is not visible ASCII")))
                    #header
            });
        }
        if has(ParameterLocation::Cookie) {
            arms.push(quote! {
                ParameterLocation::Cookie => Ok(cookies(self.headers, name) #end)
            });
        }
        if locations.len() < 4 {
            arms.push(quote!(_ => Ok(#none)));
        }
        arms
    };
    let raw_arms = arms(quote!(.collect()), quote!(Vec::new()), quote!(.collect()));
    let first_arms = arms(
        quote!(.next()),
        quote!(None),
        quote!(.try_fold(None, |first, value| Ok(first.or(Some(value?))))),
    );
    let raw = quote! {
        /// Every raw value sent for a parameter, in order.
        fn raw(&self, location: ParameterLocation, name: &'static str) -> Result<Vec<&str>, Rejection> {
            match location {
                #(#raw_arms,)*
            }
        }

        /// The first raw value sent for a parameter.
        fn first(&self, location: ParameterLocation, name: &'static str) -> Result<Option<&str>, Rejection> {
            match location {
                #(#first_arms,)*
            }
        }
    };
    let (fixed_methods, split_by) = input_runtime();
    let mut fixed_methods = fixed_methods.into_iter();
    let first = fixed_methods.next();
    (
        quote!(#first #raw #(#fixed_methods)*),
        quote!(#(#split_by)*),
    )
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
pub(super) fn credentials_fn(plan: &Plan<'_>, input_borrows: bool) -> TokenStream {
    let input = if input_borrows {
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
