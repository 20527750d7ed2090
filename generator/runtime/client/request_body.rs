// Fixed code of every generated client that sends request bodies or
// `deepObject` parameters: spliced into its `client.rs` after the parameter
// helpers (see `generator/src/emit/client/client.rs`). Plain `//` comments
// stay here; `///` docs go into the generated crate.

/// Sets a JSON request body.
fn json_body<T: serde::Serialize + ?Sized>(
    request: &mut reqwest::Request,
    content_type: &'static str,
    body: &T,
) -> Result<(), Error> {
    let body = serde_json::to_vec(body).map_err(|e| {
        Error::InvalidRequest(format!("cannot serialize the request body: {e}"))
    })?;
    request.headers_mut().insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static(content_type),
    );
    *request.body_mut() = Some(body.into());
    Ok(())
}

/// The `key=value` pairs of `value` under `key`: object fields as
/// `key[name]`, array items repeating the key or, when `indexed` (and
/// always for arrays of objects), as `key[0]`, `key[1]`...; nothing
/// for `null`.
fn form_pairs(key: String, value: &serde_json::Value, indexed: bool, pairs: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::String(text) => pairs.push((key, text.clone())),
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                if indexed || item.is_object() || item.is_array() {
                    form_pairs(format!("{key}[{index}]"), item, true, pairs);
                } else {
                    form_pairs(key.clone(), item, false, pairs);
                }
            }
        }
        serde_json::Value::Object(fields) => {
            for (name, field) in fields {
                form_pairs(format!("{key}[{name}]"), field, true, pairs);
            }
        }
        other => pairs.push((key, other.to_string())),
    }
}

/// Appends an object query parameter in the `deepObject` style,
/// `name[key]=value` (see [`form_pairs`]), unless its value is `None`.
fn deep_object<T: serde::Serialize + ?Sized>(request: &mut reqwest::Request, name: &str, value: &T) -> Result<(), Error> {
    let value = serde_json::to_value(value).map_err(|e| {
        Error::InvalidRequest(format!("cannot serialize parameter `{name}`: {e}"))
    })?;
    let mut pairs = Vec::new();
    form_pairs(name.to_owned(), &value, true, &mut pairs);
    let mut query = request.url_mut().query_pairs_mut();
    for (key, value) in &pairs {
        query.append_pair(key, value);
    }
    Ok(())
}

/// A parameter's value as JSON text; `None` for `None`.
fn json_param<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<String>, Error> {
    let value = serde_json::to_value(value).map_err(|e| {
        Error::InvalidRequest(format!("cannot serialize parameter `{name}`: {e}"))
    })?;
    Ok((!value.is_null()).then(|| value.to_string()))
}

/// Sets an `application/x-www-form-urlencoded` body: the body's
/// properties as `key=value` pairs (see [`form_pairs`]); the arrays of
/// the `deep` properties (`deepObject` style) as `key[0]=value`.
fn form_body<T: serde::Serialize + ?Sized>(
    http: &reqwest::Client,
    request: reqwest::Request,
    body: &T,
    deep: &[&str],
) -> Result<reqwest::Request, Error> {
    let body = serde_json::to_value(body).map_err(|e| {
        Error::InvalidRequest(format!("cannot serialize the request body: {e}"))
    })?;
    let serde_json::Value::Object(fields) = body else {
        return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
    };
    let mut pairs = Vec::new();
    for (name, field) in &fields {
        form_pairs(name.clone(), field, deep.contains(&name.as_str()), &mut pairs);
    }
    reqwest::RequestBuilder::from_parts(http.clone(), request)
        .form(&pairs)
        .build()
        .map_err(Error::Transport)
}

/// Sets a body sent as it is (text or bytes) with its media type.
fn raw_body(request: &mut reqwest::Request, content_type: &'static str, body: reqwest::Body) {
    request.headers_mut().insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static(content_type),
    );
    *request.body_mut() = Some(body);
}

/// Sets a `multipart/form-data` body.
fn multipart_body(http: &reqwest::Client, request: reqwest::Request, form: reqwest::multipart::Form) -> Result<reqwest::Request, Error> {
    reqwest::RequestBuilder::from_parts(http.clone(), request)
        .multipart(form)
        .build()
        .map_err(Error::Transport)
}

/// Adds a file part, with its file name and media type when it has them.
fn file_part(form: reqwest::multipart::Form, name: &str, file: types::operations::File) -> Result<reqwest::multipart::Form, Error> {
    let mut part = reqwest::multipart::Part::bytes(file.bytes);
    if let Some(file_name) = file.file_name {
        part = part.file_name(file_name);
    }
    if let Some(content_type) = &file.content_type {
        part = part.mime_str(content_type).map_err(|_| {
            Error::InvalidRequest(format!("the media type of file `{name}` is not valid"))
        })?;
    }
    Ok(form.part(name.to_owned(), part))
}

/// Adds the parts of a value: none for `None`, one per item of an
/// array; strings, numbers and booleans as text, objects as JSON.
fn value_parts<T: serde::Serialize + ?Sized>(form: reqwest::multipart::Form, name: &str, value: &T) -> Result<reqwest::multipart::Form, Error> {
    let value = serde_json::to_value(value).map_err(|e| {
        Error::InvalidRequest(format!("cannot serialize part `{name}`: {e}"))
    })?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    let mut form = form;
    for item in items {
        let part = match item {
            serde_json::Value::Null => continue,
            serde_json::Value::String(text) => reqwest::multipart::Part::text(text),
            item @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                reqwest::multipart::Part::text(item.to_string())
                    .mime_str("application/json")
                    .map_err(Error::Transport)?
            }
            other => reqwest::multipart::Part::text(other.to_string()),
        };
        form = form.part(name.to_owned(), part);
    }
    Ok(form)
}
