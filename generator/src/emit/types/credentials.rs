//! `credentials.rs` of the types crate: one secret per security scheme.

use proc_macro2::TokenStream;
use quote::quote;

use super::{has_basic, paragraphs};
use crate::emit::{doc_attrs, format_file, ident, runtime_items};
use crate::model::{Api, ApiKeyLocation, SecurityScheme, SecuritySchemeKind};

/// `BasicCredentials`, the field type of HTTP basic schemes.
const BASIC_CREDENTIALS_RS: &str = include_str!("../../../runtime/types/basic_credentials.rs");

pub(super) fn credentials_rs(api: &Api) -> String {
    let fields = api.security_schemes.iter().map(credential_field);
    let debug_fields = api.security_schemes.iter().map(|scheme| {
        let name = ident(&scheme.name);
        let label = &scheme.name;
        quote!(.field(#label, &self.#name.as_ref().map(|_| "<redacted>")))
    });
    let basic = has_basic(api).then(|| runtime_items(BASIC_CREDENTIALS_RS));
    format_file([quote! {
        /// The secrets of the API's security schemes, one field per scheme.
        /// A request carries those its operation's security requirements name;
        /// `Debug` never prints them.
        #[derive(Clone, Default)]
        pub struct Credentials {
            #( #fields )*
        }

        impl std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Credentials")
                    #( #debug_fields )*
                    .finish()
            }
        }

        #basic
    }])
}

fn credential_field(scheme: &SecurityScheme) -> TokenStream {
    let name = ident(&scheme.name);
    let (how, ty) = match &scheme.kind {
        SecuritySchemeKind::ApiKey {
            location,
            wire_name,
        } => {
            let how = match location {
                ApiKeyLocation::Header => format!("Sent in the `{wire_name}` header."),
                ApiKeyLocation::Query => {
                    format!("Sent as the `{wire_name}` query parameter.")
                }
                ApiKeyLocation::Cookie => format!("Sent as the `{wire_name}` cookie."),
            };
            (how, quote!(String))
        }
        SecuritySchemeKind::Bearer => (
            "Sent as `Authorization: Bearer <token>`.".to_owned(),
            quote!(String),
        ),
        SecuritySchemeKind::Basic => (
            "Sent as `Authorization: Basic` with the user name and password.".to_owned(),
            quote!(BasicCredentials),
        ),
    };
    let key = format!("Security scheme `{}`.", scheme.key);
    let docs = doc_attrs(Some(&paragraphs([
        scheme.docs.as_deref(),
        Some(how.as_str()),
        Some(key.as_str()),
    ])));
    quote! {
        #docs
        pub #name: Option<#ty>,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{emit_map, emitted, has, sample_api};
    use crate::model::SecuritySchemeKind;

    #[test]
    fn credentials_redact_secrets() {
        let creds = &emitted("credentials.rs");
        assert!(has(
            creds,
            "#[derive(Clone, Default)] pub struct Credentials {"
        ));
        assert!(has(creds, "pub api_key: Option<String>,"));
        assert!(has(creds, "pub basic: Option<BasicCredentials>,"));
        assert!(has(creds, "pub bearer_auth: Option<String>,"));
        assert!(has(
            creds,
            ".field(\"bearer_auth\", &self.bearer_auth.as_ref().map(|_| \"<redacted>\"))"
        ));
        assert!(has(
            creds,
            "pub struct BasicCredentials { /// The user name.\n pub username: String,"
        ));
        assert!(creds.contains("/// Sent in the `x-api-key` header."));
    }

    #[test]
    fn without_basic_auth_only_credentials_is_exported() {
        let mut api = sample_api();
        api.security_schemes
            .retain(|s| s.kind != SecuritySchemeKind::Basic);
        let files = emit_map(&api);
        assert!(has(
            &files["pets-types/src/lib.rs"],
            "pub use credentials::Credentials;"
        ));
        assert!(!files["pets-types/src/credentials.rs"].contains("BasicCredentials"));
    }
}
