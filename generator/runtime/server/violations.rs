/// The rejection of a request whose parameters break constraints of the
/// API description: an invalid parameter (400), the one of the first
/// violation, with every violation in the message. `parameters` are the
/// checked parameters' names on the wire and where each is sent.
pub(crate) fn parameter_violations(
    violations: types::validate::Violations,
    parameters: &[(&'static str, ParameterLocation)],
) -> Rejection {
    // The first token of the first violation's path, unescaped.
    let field = violations
        .0
        .first()
        .and_then(|v| v.path.split('/').nth(1))
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_default();
    match parameters.iter().find(|(name, _)| *name == field) {
        Some(&(name, location)) => invalid(name, location, violations),
        // The checks name only these parameters; should a violation name
        // none, the request is refused all the same.
        None => Rejection::new(
            RejectionKind::InvalidBody,
            format!("invalid parameters: {violations}"),
        ),
    }
}

/// The rejection of a body that breaks constraints of the API
/// description: an invalid body (400), with every violation in the message.
pub(crate) fn body_violations(violations: types::validate::Violations) -> Rejection {
    Rejection::new(
        RejectionKind::InvalidBody,
        format!("invalid body: {violations}"),
    )
}
