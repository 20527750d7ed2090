//! `operations.rs` of the types crate: a module per operation with its
//! parameters, request body and responses.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::builders::{builder_impl, Member, Slot};
use super::paragraphs;
use crate::config::StdDerives;
use crate::emit::{doc_attrs, format_file, ident, runtime_items, type_tokens};
use crate::model::{
    Api, Content, MultipartField, Operation, Parameter, ParameterLocation, PartKind, Payload,
    RequestBody, Response, ResponseBody, Status,
};

/// `File`, the type of a multipart body's file parts.
const FILE_RS: &str = include_str!("../../../runtime/types/file.rs");

pub(super) fn operations_rs(api: &Api) -> String {
    let models = quote!(crate);
    let modules = api.operations.iter().enumerate().map(|(index, op)| {
        let gate = super::features::cfg(super::features::operation_gate(api, index).as_ref());
        operation_module(op, &models, &gate, api.std_derives)
    });
    let file = uses_files(api).then(|| runtime_items(FILE_RS));
    let several_media_types = api.operations.iter().any(|op| {
        op.request_body
            .as_ref()
            .is_some_and(|b| b.contents.len() > 1)
    });
    let docs = if several_media_types {
        quote! {
            //! One module per operation, with the operation's `Parameters` (empty
            //! when it has none), its request `Body` (when it accepts several media
            //! types) and its `Response`.
        }
    } else {
        quote! {
            //! One module per operation, with the operation's `Parameters` (empty
            //! when it has none) and its `Response`.
        }
    };
    format_file(std::iter::once(docs).chain(file).chain(modules))
}

/// Whether some multipart body has a file part, which needs [`File`].
fn uses_files(api: &Api) -> bool {
    api.operations
        .iter()
        .filter_map(|op| op.request_body.as_ref())
        .any(RequestBody::has_file_part)
}

/// Whether a request body content is bytes, which the server and client
/// stream with their own body types.
pub(crate) fn is_stream(content: &Content) -> bool {
    content.payload == Payload::Binary
}

/// The Rust type of an operation's request body, spelled from outside the
/// types crate (`types` is its path) or, with `types` = `crate` and
/// `module` = `None`, from inside the operation's module. Binary bodies
/// are `stream`. `None` when the operation takes no body.
pub(crate) fn request_body_type(
    op: &Operation,
    types: &TokenStream,
    module: Option<&TokenStream>,
    stream: &TokenStream,
) -> Option<TokenStream> {
    let body = op.request_body.as_ref()?;
    let local = |name: &str| {
        let name = ident(name);
        match module {
            Some(module) => quote!(#module::#name),
            None => quote!(#name),
        }
    };
    Some(match body.contents.as_slice() {
        [content] => payload_type(&content.payload, types, &local("Multipart"), stream),
        contents => {
            let body = local("Body");
            if contents.iter().any(is_stream) {
                quote!(#body<#stream>)
            } else {
                body
            }
        }
    })
}

/// The Rust type a body payload is held in. `multipart` is the path of the
/// operation's `Multipart` struct.
pub(crate) fn payload_type(
    payload: &Payload,
    types: &TokenStream,
    multipart: &TokenStream,
    stream: &TokenStream,
) -> TokenStream {
    match payload {
        Payload::Json(ty) | Payload::Form { ty, .. } => type_tokens(ty, types),
        Payload::Multipart(_) => multipart.clone(),
        Payload::Text => quote!(String),
        Payload::Binary => stream.clone(),
    }
}

/// The Rust type of a response body (bytes are a `Vec<u8>`).
pub(crate) fn response_body_type(body: &ResponseBody, types: &TokenStream) -> TokenStream {
    payload_type(&body.payload, types, &quote!(Multipart), &quote!(Vec<u8>))
}

/// `GET /path`, as the docs show an operation.
fn method_and_path(op: &Operation) -> String {
    format!("`{} {}`", op.method.as_str(), op.path)
}

fn operation_module(
    op: &Operation,
    models: &TokenStream,
    gate: &TokenStream,
    derives: StdDerives,
) -> TokenStream {
    let name = ident(&op.name);
    let route = method_and_path(op);
    let docs = doc_attrs(Some(&paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(route.as_str()),
    ])));
    let parameters = if op.parameters.is_empty() {
        empty_parameters_struct(op, derives)
    } else {
        parameters_struct(op, models, derives)
    };
    let body = op
        .request_body
        .as_ref()
        .map(|body| body_items(op, body, models, derives));
    let headers = op
        .responses
        .iter()
        .filter(|r| !r.headers.is_empty())
        .map(|r| headers_struct(op, r, models, derives));
    let response = response_enum(op, models, derives);
    // The spec's name for the operation stays the module's name, also when
    // it is the name of the module around it.
    let inception = (op.name == "operations").then(|| quote!(#[allow(clippy::module_inception)]));
    quote! {
        #docs
        #gate
        #inception
        pub mod #name {
            #parameters
            #body
            #( #headers )*
            #response
        }
    }
}

/// The request body's types: the `Multipart` struct of a multipart body,
/// and the `Body` enum when the operation accepts several media types.
fn body_items(
    op: &Operation,
    body: &RequestBody,
    models: &TokenStream,
    derives: StdDerives,
) -> TokenStream {
    let mut items = Vec::new();
    for content in &body.contents {
        if let Payload::Multipart(fields) = &content.payload {
            items.push(multipart_struct(op, fields, models, derives));
        }
    }
    if body.contents.len() > 1 {
        let stream = quote!(S);
        let generic = body.contents.iter().any(is_stream).then(|| quote!(<S>));
        let variants = body.contents.iter().map(|content| {
            let variant = ident(&content.variant);
            let ty = payload_type(&content.payload, models, &quote!(Multipart), &stream);
            let doc = match content.payload {
                Payload::Binary => {
                    format!(
                        "A body sent as `{}`, as a stream of bytes.",
                        content.media_type
                    )
                }
                _ => format!("A body sent as `{}`.", content.media_type),
            };
            let docs = doc_attrs(Some(&doc));
            quote! {
                #docs
                #variant(#ty),
            }
        });
        let mut doc = format!(
            "The request body of {}, in one of the media types it accepts.\n\
             The server picks the variant by the request's `Content-Type`; the\n\
             client sends the variant's media type.",
            method_and_path(op)
        );
        if generic.is_some() {
            doc.push_str(
                "\n\n`S` is the byte stream of binary bodies: `axum::body::Body` in the\n\
                 server, `reqwest::Body` in the client.",
            );
        }
        let docs = doc_attrs(Some(&doc));
        // A stream can be neither cloned nor compared.
        let derive = if generic.is_some() {
            derive_attr(derives, &["Debug"])
        } else {
            derive_attr(derives, &["Debug", "Clone", "PartialEq"])
        };
        let allow = body
            .contents
            .iter()
            .any(|c| !matches!(c.payload, Payload::Binary | Payload::Text))
            .then(|| quote!(#[allow(clippy::large_enum_variant)]));
        items.push(quote! {
            #docs
            #derive
            #allow
            pub enum Body #generic {
                #( #variants )*
            }
        });
    }
    quote!(#( #items )*)
}

/// `#[derive(...)]` of the std traits of `traits` that `derives` keeps;
/// nothing when it keeps none.
fn derive_attr(derives: StdDerives, traits: &[&str]) -> Option<TokenStream> {
    let kept: Vec<Ident> = derives.keep(traits).into_iter().map(ident).collect();
    (!kept.is_empty()).then(|| quote!(#[derive( #( #kept ),* )]))
}

/// A plain struct of the operation's module: `Parameters`, `Multipart`
/// or a response's headers, one field per member, with `new` and a setter
/// per optional member (see [`super::builders`]). `what` names the members
/// in docs ("parameters", "parts", "headers").
fn plain_struct(
    docs: &str,
    name: Ident,
    what: &str,
    fields: Vec<PlainField>,
    derives: StdDerives,
) -> TokenStream {
    let docs = doc_attrs(Some(docs));
    let derive = if fields.iter().all(|f| f.member.slot != Slot::Required) {
        derive_attr(derives, &["Debug", "Clone", "PartialEq", "Default"])
    } else {
        derive_attr(derives, &["Debug", "Clone", "PartialEq"])
    };
    let (declarations, members): (Vec<TokenStream>, Vec<Member>) = fields
        .into_iter()
        .map(|f| (f.declaration, f.member))
        .unzip();
    let builder = builder_impl(&name, what, &members, None);
    quote! {
        #docs
        #derive
        #[non_exhaustive]
        pub struct #name {
            #( #declarations )*
        }

        #builder
    }
}

/// A field of a [`plain_struct`], and how `new` and its setter take it.
struct PlainField {
    declaration: TokenStream,
    member: Member,
}

/// A field of a [`plain_struct`]: the spec's docs or `fallback`, and the
/// type in an `Option` when `slot` is [`Slot::Optional`].
fn plain_field(
    name: &str,
    docs: Option<&str>,
    fallback: &str,
    ty: TokenStream,
    slot: Slot,
) -> PlainField {
    let field = ident(name);
    let docs = doc_attrs(Some(docs.unwrap_or(fallback)));
    let stored = if slot == Slot::Optional {
        quote!(Option<#ty>)
    } else {
        ty.clone()
    };
    PlainField {
        declaration: quote! {
            #docs
            pub #field: #stored,
        },
        member: Member {
            name: name.to_owned(),
            slot,
            ty,
            boxed: false,
        },
    }
}

/// How a member of a plain struct is stored: required, or optional.
fn slot(required: bool) -> Slot {
    if required {
        Slot::Required
    } else {
        Slot::Optional
    }
}

/// The members of an operation's `Parameters`, in order, as `new` and the
/// setters take them (the server and client build the struct with them).
pub(crate) fn parameter_members(op: &Operation, models: &TokenStream) -> Vec<Member> {
    op.parameters
        .iter()
        .map(|p| Member {
            name: p.name.clone(),
            slot: slot(p.required),
            ty: type_tokens(&p.ty, models),
            boxed: false,
        })
        .collect()
}

/// The members of a multipart body's `Multipart`, in order.
pub(crate) fn multipart_members(fields: &[MultipartField], models: &TokenStream) -> Vec<Member> {
    fields
        .iter()
        .map(|field| {
            let (ty, slot) = match &field.part {
                PartKind::File => (quote!(super::File), slot(field.required)),
                // A list of files may be empty rather than absent.
                PartKind::Files => (quote!(Vec<super::File>), Slot::List),
                PartKind::Value(ty) => (type_tokens(ty, models), slot(field.required)),
            };
            Member {
                name: field.name.clone(),
                slot,
                ty,
                boxed: false,
            }
        })
        .collect()
}

/// The members of a response's `<Variant>Headers`, in order.
pub(crate) fn header_members(response: &Response, models: &TokenStream) -> Vec<Member> {
    response
        .headers
        .iter()
        .map(|header| Member {
            name: header.name.clone(),
            slot: slot(header.required),
            ty: type_tokens(&header.ty, models),
            boxed: false,
        })
        .collect()
}

/// The parts of a `multipart/form-data` body, one field per property.
fn multipart_struct(
    op: &Operation,
    fields: &[MultipartField],
    models: &TokenStream,
    derives: StdDerives,
) -> TokenStream {
    let docs = format!(
        "The parts of the `multipart/form-data` body of {}.",
        method_and_path(op)
    );
    let fields = fields
        .iter()
        .zip(multipart_members(fields, models))
        .map(|(field, member)| {
            let what = match &field.part {
                PartKind::File => "file",
                PartKind::Files => "files",
                PartKind::Value(_) => "part",
            };
            let fallback = format!("The `{}` {what}.", field.wire_name);
            plain_field(
                &field.name,
                field.docs.as_deref(),
                &fallback,
                member.ty,
                member.slot,
            )
        });
    plain_struct(
        &docs,
        ident("Multipart"),
        "parts",
        fields.collect(),
        derives,
    )
}

/// The headers a response declares, one field per header.
fn headers_struct(
    op: &Operation,
    response: &Response,
    models: &TokenStream,
    derives: StdDerives,
) -> TokenStream {
    let docs = format!(
        "The headers of the `{}` response of {}.",
        response.variant,
        method_and_path(op)
    );
    let fields = response
        .headers
        .iter()
        .zip(header_members(response, models))
        .map(|(header, member)| {
            let fallback = format!("The `{}` header.", header.wire_name);
            plain_field(
                &header.name,
                header.docs.as_deref(),
                &fallback,
                member.ty,
                member.slot,
            )
        });
    let name = format_ident!("{}Headers", response.variant);
    plain_struct(&docs, name, "headers", fields.collect(), derives)
}

fn location_name(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

fn parameters_struct(op: &Operation, models: &TokenStream, derives: StdDerives) -> TokenStream {
    let docs = format!("The parameters of {}.", method_and_path(op));
    let fields = op.parameters.iter().zip(parameter_members(op, models)).map(
        |(p, member): (&Parameter, Member)| {
            let fallback = format!(
                "The `{}` {} parameter.",
                p.wire_name,
                location_name(p.location)
            );
            plain_field(
                &p.name,
                p.docs.as_deref(),
                &fallback,
                member.ty,
                member.slot,
            )
        },
    );
    plain_struct(
        &docs,
        ident("Parameters"),
        "parameters",
        fields.collect(),
        derives,
    )
}

/// The `Parameters` of an operation the spec gives none: an empty struct,
/// so that every client method takes `parameters` and every handler a
/// `Request<Parameters>`, and the operation's first optional parameter is a
/// new field and setter (minor) rather than a new argument of the method
/// and a new `Request` type (major). `Default` (derived) goes with `new()`
/// as for any struct without required members (clippy's
/// `new_without_default`); a braced struct, unlike a unit struct, keeps the
/// same kind when its first field comes.
fn empty_parameters_struct(op: &Operation, derives: StdDerives) -> TokenStream {
    let docs = doc_attrs(Some(&format!(
        "The parameters of {}: none yet. Empty, so that a parameter the spec\n\
         adds later is a new field of it, not a new argument of the client's\n\
         method nor a new `Request` type of the server's.",
        method_and_path(op)
    )));
    let derive = derive_attr(derives, &["Debug", "Clone", "PartialEq", "Default"]);
    quote! {
        #docs
        #derive
        #[non_exhaustive]
        pub struct Parameters {}

        impl Parameters {
            /// The empty value: the operation has no parameters.
            #[must_use]
            pub fn new() -> Self {
                Self {}
            }
        }
    }
}

/// The shape of a response variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VariantShape {
    /// `Variant`: one status, no body, no headers.
    Unit,
    /// `Variant(Body)`: one status, a body, no headers.
    Tuple,
    /// `Variant { status, body, headers }`, each field only when the
    /// response has it: a range or `default` carries its status.
    Fields,
}

/// The shape of a response's variant in the operation's `Response` enum.
pub(crate) fn variant_shape(response: &Response) -> VariantShape {
    match (response.status, &response.body, response.headers.is_empty()) {
        (Status::Code(_), None, true) => VariantShape::Unit,
        (Status::Code(_), Some(_), true) => VariantShape::Tuple,
        _ => VariantShape::Fields,
    }
}

/// What a response variant's docs say about the statuses it covers.
fn status_doc(status: Status) -> String {
    match status {
        Status::Code(code) => format!("Status `{code}`."),
        Status::Range(range) => format!("A status in `{range}XX` not declared on its own."),
        Status::Default => "Any status not declared on its own.".to_owned(),
    }
}

fn response_enum(op: &Operation, models: &TokenStream, derives: StdDerives) -> TokenStream {
    let docs = doc_attrs(Some(&format!(
        "The responses of {}, one variant per declared status.",
        method_and_path(op)
    )));
    let variants = op.responses.iter().map(|r: &Response| {
        let variant = ident(&r.variant);
        let status = status_doc(r.status);
        let docs = doc_attrs(Some(&paragraphs([
            r.docs.as_deref(),
            Some(status.as_str()),
        ])));
        let body = r.body.as_ref().map(|b| response_body_type(b, models));
        let shape = match (variant_shape(r), body) {
            (VariantShape::Tuple, Some(body)) => quote!((#body)),
            (VariantShape::Fields, body) => {
                let status = (!matches!(r.status, Status::Code(_))).then(|| {
                    quote! {
                        /// The status code sent.
                        status: u16,
                    }
                });
                let body = body.map(|body| {
                    quote! {
                        /// The response body.
                        body: #body,
                    }
                });
                let headers = (!r.headers.is_empty()).then(|| {
                    let headers = format_ident!("{}Headers", r.variant);
                    quote! {
                        /// The response headers.
                        headers: #headers,
                    }
                });
                quote!({ #status #body #headers })
            }
            _ => TokenStream::new(),
        };
        quote! {
            #docs
            #variant #shape,
        }
    });
    let arms: Vec<TokenStream> = op
        .responses
        .iter()
        .map(|r| {
            let variant = ident(&r.variant);
            match (r.status, variant_shape(r)) {
                (Status::Code(code), VariantShape::Tuple) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote!(Self::#variant(_) => #code,)
                }
                (Status::Code(code), VariantShape::Unit) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote!(Self::#variant => #code,)
                }
                (Status::Code(code), VariantShape::Fields) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote!(Self::#variant { .. } => #code,)
                }
                _ => quote!(Self::#variant { status, .. } => *status,),
            }
        })
        .collect();
    // An operation always declares a response, but an empty enum must still
    // compile: matching on it needs the dereferenced value.
    let status_body = if arms.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #( #arms )* })
    };
    let allow = (op.responses.len() > 1
        && op
            .responses
            .iter()
            .any(|r| r.body.is_some() || !r.headers.is_empty()))
    .then(|| {
        // Body sizes differ by schema; boxing the large ones would make
        // the variants' shapes depend on a size clippy computes, and a
        // response is moved once or twice, so the size does not matter.
        quote!(#[allow(clippy::large_enum_variant)])
    });
    let derive = derive_attr(derives, &["Debug", "Clone", "PartialEq"]);
    quote! {
        #docs
        #derive
        #allow
        #[non_exhaustive]
        pub enum Response {
            #( #variants )*
        }

        impl Response {
            /// The HTTP status code of this response.
            pub fn status(&self) -> u16 {
                #status_body
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{emitted, has};

    #[test]
    fn operations_have_parameters_and_responses() {
        let ops = &emitted("operations.rs");
        assert!(ops.contains("/// Get a pet\n///\n/// Returns one pet.\n///\n/// `GET /pets/{pet_id}`\npub mod get_pet {"), "{ops}");
        assert!(has(
            ops,
            "#[derive(Debug, Clone, PartialEq)] #[non_exhaustive] pub struct Parameters {"
        ));
        assert!(
            has(
                ops,
                "pub fn new(pet_id: uuid::Uuid) -> Self { Self { pet_id, kind: None } }"
            ),
            "{ops}"
        );
        assert!(
            has(
                ops,
                "pub fn with_kind(mut self, value: crate::PetKind) -> Self {"
            ),
            "{ops}"
        );
        assert!(has(ops, "#[non_exhaustive] pub enum Response {"), "{ops}");
        assert!(has(ops, "/// Id of the pet\n pub pet_id: uuid::Uuid,"));
        assert!(has(
            ops,
            "/// The `kind` query parameter.\n pub kind: Option<crate::PetKind>,"
        ));
        assert!(has(ops, "Ok(crate::Pet),"), "{ops}");
        assert!(has(ops, "MethodNotAllowed,"));
        assert!(
            has(
                ops,
                "ServerError { /// The status code sent.\n status: u16, },"
            ),
            "{ops}"
        );
        assert!(has(ops, "Default { /// The status code sent.\n status: u16, /// The response body.\n body: crate::ErrorResponse, },"), "{ops}");
        assert!(
            has(
                ops,
                "Self::Ok(_) => 200, Self::MethodNotAllowed => 405, \
             Self::ServerError { status, .. } => *status, Self::Default { status, .. } => *status,"
            ),
            "{ops}"
        );
        // No parameters, one response: an empty `Parameters`, no lint allowance.
        let add_pet = &ops[ops.find("pub mod add_pet").expect("add_pet module")..];
        assert!(
            has(
                add_pet,
                "#[derive(Debug, Clone, PartialEq, Default)] #[non_exhaustive] pub struct Parameters {}"
            ),
            "{add_pet}"
        );
        assert!(
            has(add_pet, "pub fn new() -> Self { Self {} }"),
            "{add_pet}"
        );
        assert!(!add_pet.contains("large_enum_variant"));
        assert!(has(add_pet, "Self::Created => 201,"));
    }
}
