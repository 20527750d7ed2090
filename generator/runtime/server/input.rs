// Fixed methods of the `Input` of every generated server's `extract.rs`
// (what parameters and credentials are read from), and the splitting of path
// segments that hold several parameters. The generated `Input` struct, its
// `new`, its `raw` (every raw value of a parameter) and its `first` (the
// first one) depend on what the spec's requests carry, so they are written
// by `generator/src/emit/server/extract.rs`, which puts `new` first and
// `raw` and `first` after the first method of this `impl` (where `raw`
// stood before these methods moved here) and keeps the methods the
// handlers reach.

impl Input<'_> {
    /// Splits the path segment axum captured as `capture` by its
    /// `template` (e.g. `{name}.{ext}`), so that its parameters can be
    /// read by name. Each parameter takes at least one character, and
    /// earlier ones as many as they can (`a.tar.gz` is `a.tar` and `gz`).
    pub(crate) fn split_segment(
        &mut self,
        capture: &str,
        template: &'static str,
    ) -> Result<(), Rejection> {
        let Some(Ok(params)) = &self.path else {
            // Reading the parameters reports the path's rejection.
            return Ok(());
        };
        let Some((_, value)) = params.iter().find(|(key, _)| *key == capture) else {
            return Ok(());
        };
        let (names, texts) = segment_template(template);
        let values = split_by(value, &texts).ok_or_else(|| {
            let name = names.first().copied().unwrap_or_default();
            invalid(
                name,
                ParameterLocation::Path,
                format!("`{value}` does not match `{template}`"),
            )
        })?;
        self.split
            .extend(names.into_iter().zip(values.into_iter().map(str::to_owned)));
        Ok(())
    }

    /// An optional parameter (the first value when sent several times),
    /// read by `parse` (`parse` itself, or a faster reader for the type).
    pub(crate) fn optional<T>(
        &self,
        location: ParameterLocation,
        name: &'static str,
        parse: fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, Rejection> {
        match self.first(location, name)? {
            Some(raw) => parse(raw)
                .map(Some)
                .map_err(|error| invalid(name, location, error)),
            None => Ok(None),
        }
    }

    /// A required parameter (the first value when sent several times),
    /// read by `parse`.
    pub(crate) fn required<T>(
        &self,
        location: ParameterLocation,
        name: &'static str,
        parse: fn(&str) -> Result<T, String>,
    ) -> Result<T, Rejection> {
        self.optional(location, name, parse)?
            .ok_or_else(|| missing(name, location))
    }

    /// An optional array parameter: one item per occurrence without a
    /// `delimiter` (exploded query `form` style, the default), else the
    /// items of every occurrence, split at `delimiter`.
    pub(crate) fn optional_list<T: DeserializeOwned>(
        &self,
        location: ParameterLocation,
        name: &'static str,
        delimiter: Option<char>,
    ) -> Result<Option<Vec<T>>, Rejection> {
        let raw = self.raw(location, name)?;
        if raw.is_empty() {
            return Ok(None);
        }
        let items: Vec<&str> = match delimiter {
            None => raw,
            Some(delimiter) => raw
                .iter()
                .flat_map(|value| value.split(delimiter))
                .map(|item| {
                    if location == ParameterLocation::Header {
                        item.trim()
                    } else {
                        item
                    }
                })
                .filter(|item| !item.is_empty())
                .collect(),
        };
        items
            .into_iter()
            .map(|item| parse(item).map_err(|error| invalid(name, location, error)))
            .collect::<Result<Vec<T>, Rejection>>()
            .map(Some)
    }

    /// A required array parameter (see [`Input::optional_list`]).
    pub(crate) fn required_list<T: DeserializeOwned>(
        &self,
        location: ParameterLocation,
        name: &'static str,
        delimiter: Option<char>,
    ) -> Result<Vec<T>, Rejection> {
        self.optional_list(location, name, delimiter)?
            .ok_or_else(|| missing(name, location))
    }

    /// An optional object query parameter in the `deepObject` style:
    /// `name[key]=value` pairs, nested as `name[key][inner]=value`.
    pub(crate) fn optional_deep<T: DeserializeOwned>(
        &self,
        name: &'static str,
    ) -> Result<Option<T>, Rejection> {
        let mut object = FormValue::Map(Vec::new());
        let mut found = false;
        for (key, value) in &self.query {
            match key_path(key).split_first() {
                Some((head, path)) if *head == name && !path.is_empty() => {
                    object.insert(path, value.clone());
                    found = true;
                }
                _ => {}
            }
        }
        if !found {
            return Ok(None);
        }
        T::deserialize(&object)
            .map(Some)
            .map_err(|error| invalid(name, ParameterLocation::Query, error))
    }

    /// A required `deepObject` query parameter (see [`Input::optional_deep`]).
    pub(crate) fn required_deep<T: DeserializeOwned>(
        &self,
        name: &'static str,
    ) -> Result<T, Rejection> {
        self.optional_deep(name)?
            .ok_or_else(|| missing(name, ParameterLocation::Query))
    }

    /// An optional parameter sent as JSON text (the first value when
    /// sent several times).
    pub(crate) fn optional_json<T: DeserializeOwned>(
        &self,
        location: ParameterLocation,
        name: &'static str,
    ) -> Result<Option<T>, Rejection> {
        match self.first(location, name)? {
            Some(raw) => serde_json::from_str(raw)
                .map(Some)
                .map_err(|error| invalid(name, location, error)),
            None => Ok(None),
        }
    }

    /// A required parameter sent as JSON text.
    pub(crate) fn required_json<T: DeserializeOwned>(
        &self,
        location: ParameterLocation,
        name: &'static str,
    ) -> Result<T, Rejection> {
        self.optional_json(location, name)?
            .ok_or_else(|| missing(name, location))
    }

    /// The first value of header `name`, if it is non-empty text.
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    }

    /// The first value of query parameter `name`, if non-empty.
    fn query_value(&self, name: &str) -> Option<String> {
        self.query
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.clone())
    }

    /// The first value of cookie `name`, if non-empty.
    fn cookie(&self, name: &str) -> Option<String> {
        cookies(self.headers, name)
            .find(|value| !value.is_empty())
            .map(str::to_owned)
    }

    /// The credentials of the first `Authorization` header using
    /// `scheme` (compared case-insensitively).
    fn authorization(&self, scheme: &str) -> Option<&str> {
        self.headers
            .get_all(axum::http::header::AUTHORIZATION)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|value| value.trim().split_once(' '))
            .find(|(name, _)| name.eq_ignore_ascii_case(scheme))
            .map(|(_, credentials)| credentials.trim())
            .filter(|credentials| !credentials.is_empty())
    }

    /// Whether an `Authorization` header is sent that none of
    /// `schemes` can read: another scheme, or empty credentials.
    pub(crate) fn unreadable_authorization(&self, schemes: &[&str]) -> bool {
        self.headers
            .get_all(axum::http::header::AUTHORIZATION)
            .iter()
            .any(|value| {
                // A block rather than `|value| match`: prettyplease prints
                // it as written, and the generated text keeps this form.
                match value.to_str().ok().and_then(|v| v.trim().split_once(' ')) {
                    Some((scheme, credentials)) => {
                        credentials.trim().is_empty()
                            || !schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme))
                    }
                    None => true,
                }
            })
    }

    /// The token of `Authorization: Bearer <token>`.
    fn bearer(&self) -> Option<String> {
        self.authorization("Bearer").map(str::to_owned)
    }

    /// The user and password of `Authorization: Basic base64(user:password)`.
    fn basic(&self) -> Option<types::BasicCredentials> {
        let decoded = String::from_utf8(base64_decode(self.authorization("Basic")?)?).ok()?;
        let (username, password) = decoded.split_once(':')?;
        Some(types::BasicCredentials {
            username: username.to_owned(),
            password: password.to_owned(),
        })
    }
}

/// The parameter names of a segment's template (`{name}.{ext}`), and its
/// text before, between and after them (`""`, `"."`, `""`).
fn segment_template(template: &str) -> (Vec<&str>, Vec<&str>) {
    let mut names = Vec::new();
    let mut texts = Vec::new();
    let mut rest = template;
    while let Some((text, after)) = rest.split_once('{') {
        let (name, after) = after.split_once('}').unwrap_or((after, ""));
        texts.push(text);
        names.push(name);
        rest = after;
    }
    texts.push(rest);
    (names, texts)
}

/// The values between `texts` (a segment template's text before,
/// between and after its parameters) in `value`: each non-empty,
/// earlier ones as long as they can be; `None` when `value` does not
/// have that shape.
fn split_by<'v>(value: &'v str, texts: &[&str]) -> Option<Vec<&'v str>> {
    let (prefix, rest) = texts.split_first()?;
    let (suffix, separators) = rest.split_last()?;
    let mut inner = value.strip_prefix(prefix)?.strip_suffix(suffix)?;
    let mut values = Vec::new();
    for separator in separators.iter().rev() {
        let at = inner
            .rmatch_indices(separator)
            .map(|(at, _)| at)
            .find(|at| at + separator.len() < inner.len())?;
        values.push(&inner[at + separator.len()..]);
        inner = &inner[..at];
    }
    if inner.is_empty() {
        return None;
    }
    values.push(inner);
    values.reverse();
    Some(values)
}
