//! The server's side of the constraints: after a handler has read an
//! operation's request, it checks the parameters and the body with the
//! types crate's checks, and rejects a violation as an invalid parameter or
//! body (400, answered through the rejection hook like any other).

use super::*;

/// The end of an operation's request function: `request` (the value's
/// expression, of type `crate::Request<params_ty, body_ty>`) returned,
/// checked first when the types crate has checks for its parameters or body.
pub(super) fn checked_request(
    plan: &Plan<'_>,
    op: &Operation,
    request: &TokenStream,
    params_ty: &TokenStream,
    body_ty: &TokenStream,
) -> TokenStream {
    let types = types_path();
    let mut checks = Vec::new();
    if plan.checked.parameters.contains(&op.name) {
        let parameters = op.parameters.iter().map(|p| {
            let wire = &p.wire_name;
            let location = location_tokens(p.location);
            quote!((#wire, #location))
        });
        checks.push(quote! {
            if let Err(violations) = #types::validate::Validate::validate(&request.parameters) {
                return Err(extract::parameter_violations(violations, &[#( #parameters ),*]));
            }
        });
    }
    if plan.checked.bodies.contains(&op.name) {
        let check = format_ident!("{}_body", op.name);
        let required = op.request_body.as_ref().is_some_and(|b| b.required);
        checks.push(if required {
            quote! {
                if let Err(violations) = #types::validate::#check(&request.body) {
                    return Err(extract::body_violations(violations));
                }
            }
        } else {
            quote! {
                if let Some(body) = &request.body {
                    if let Err(violations) = #types::validate::#check(body) {
                        return Err(extract::body_violations(violations));
                    }
                }
            }
        });
    }
    if checks.is_empty() {
        return quote!(Ok(#request));
    }
    // The type is spelled out: the body's is inferred from it before the
    // checks borrow the body.
    quote! {
        let request: crate::Request<#params_ty, #body_ty> = #request;
        #( #checks )*
        Ok(request)
    }
}
