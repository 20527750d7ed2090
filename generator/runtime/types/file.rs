/// A file sent as a part of a `multipart/form-data` body.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct File {
    /// The file name the part carries (`filename`), if any.
    pub file_name: Option<String>,
    /// The part's media type (`Content-Type`), if any.
    pub content_type: Option<String>,
    /// The file's content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}
