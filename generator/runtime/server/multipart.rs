// The `multipart/form-data` reader of every generated server's `extract.rs`
// whose operations take such bodies. Parts keep their file name in crates
// whose bodies have file parts; `generator/src/emit/server/extract.rs` takes
// the file name out for the others, and keeps the items the handlers reach.

/// A part of a `multipart/form-data` body.
struct Part {
    /// The `name` of its `Content-Disposition`.
    name: String,
    /// The `filename` of its `Content-Disposition`.
    file_name: Option<String>,
    /// Its `Content-Type`.
    content_type: Option<String>,
    /// Its content.
    bytes: axum::body::Bytes,
}

impl Part {
    /// The part as a file.
    fn into_file(self) -> types::operations::File {
        types::operations::File {
            file_name: self.file_name,
            content_type: self.content_type,
            bytes: self.bytes.into(),
        }
    }

    /// Whether the part says it is JSON.
    fn is_json(&self) -> bool {
        self.content_type.as_deref().is_some_and(|value| {
            let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
            is_json(&essence.trim().to_ascii_lowercase())
        })
    }

    /// The part's content as text.
    fn text(self) -> Result<String, String> {
        String::from_utf8(self.bytes.into()).map_err(|_| "not UTF-8 text".to_owned())
    }
}

/// The parts of a `multipart/form-data` body, read whole (within axum's
/// body size limit, `DefaultBodyLimit`).
pub(crate) struct MultipartForm {
    /// The parts not taken yet, in order.
    parts: Vec<Part>,
}

impl MultipartForm {
    /// Takes the parts named `name`, in order.
    fn take(&mut self, name: &str) -> Vec<Part> {
        let (taken, kept) = std::mem::take(&mut self.parts)
            .into_iter()
            .partition(|part| part.name == name);
        self.parts = kept;
        taken
    }

    /// The files sent as `name`.
    pub(crate) fn files(&mut self, name: &str) -> Vec<types::operations::File> {
        self.take(name).into_iter().map(Part::into_file).collect()
    }

    /// The file sent as `name` (the first, when sent several times).
    pub(crate) fn optional_file(&mut self, name: &str) -> Option<types::operations::File> {
        self.take(name).into_iter().next().map(Part::into_file)
    }

    /// The file sent as `name`, which the operation requires.
    pub(crate) fn file(
        &mut self,
        name: &'static str,
    ) -> Result<types::operations::File, Rejection> {
        self.optional_file(name).ok_or_else(|| missing_part(name))
    }

    /// The value sent as `name`: one JSON part (`Content-Type` JSON) is
    /// decoded as JSON; text parts are read as `T`, one per item when `T`
    /// is a list.
    pub(crate) fn optional<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<Option<T>, Rejection> {
        let invalid = |error: String| {
            Rejection::new(
                RejectionKind::InvalidBody,
                format!("invalid part `{name}`: {error}"),
            )
        };
        let parts = self.take(name);
        // One JSON part is the whole value (written the same in editions
        // 2021 and 2024, so a crate that includes it lints clean in both).
        match parts.as_slice() {
            [part] if part.is_json() => {
                return serde_json::from_slice(&part.bytes)
                    .map(Some)
                    .map_err(|error| invalid(error.to_string()));
            }
            _ => {}
        }
        let mut values = parts
            .into_iter()
            .map(|part| part.text().map(FormValue::Text))
            .collect::<Result<Vec<_>, _>>()
            .map_err(&invalid)?;
        let value = match values.len() {
            0 => return Ok(None),
            1 => values.swap_remove(0),
            _ => FormValue::List(values),
        };
        T::deserialize(&value)
            .map(Some)
            .map_err(|error| invalid(error.to_string()))
    }

    /// The value sent as `name`, which the operation requires.
    pub(crate) fn required<T: DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<T, Rejection> {
        self.optional(name)?.ok_or_else(|| missing_part(name))
    }
}

/// A part the operation requires, absent.
fn missing_part(name: &'static str) -> Rejection {
    Rejection::new(RejectionKind::InvalidBody, format!("missing part `{name}`"))
}

/// Reads a `multipart/form-data` body; `None` when the request has no
/// body.
pub(crate) async fn multipart_body(
    parts: &mut Parts,
    body: axum::body::Body,
) -> Result<Option<MultipartForm>, Rejection> {
    use axum::extract::FromRequest;

    if is_empty(&body) {
        return Ok(None);
    }
    if media_type(&parts.headers).as_deref() != Some("multipart/form-data") {
        return Err(unsupported_media_type("`multipart/form-data`"));
    }
    let invalid = |error: String| {
        Rejection::new(
            RejectionKind::InvalidBody,
            format!("invalid multipart body: {error}"),
        )
    };
    // axum reads the form from a request of its own, which takes the
    // content type and a copy of the extensions (where the body size
    // limit, `DefaultBodyLimit`, is): the operation's `Request` keeps
    // the originals.
    let mut request = axum::extract::Request::new(body);
    if let Some(content_type) = parts.headers.get(axum::http::header::CONTENT_TYPE) {
        request
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, content_type.clone());
    }
    *request.extensions_mut() = parts.extensions.clone();
    let mut multipart = axum::extract::Multipart::from_request(request, &())
        .await
        .map_err(|rejection| invalid(rejection.body_text()))?;
    let mut form = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| invalid(error.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|error| invalid(error.body_text()))?;
        form.push(Part { name, file_name, content_type, bytes });
    }
    Ok(Some(MultipartForm { parts: form }))
}
