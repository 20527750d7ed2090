// Fixed code of every generated client that has operations: spliced into its
// `client.rs` after `send` (see `generator/src/emit/client.rs`). Plain `//`
// comments stay here; `///` docs go into the generated crate.

/// Why a response body could not be read in full.
enum BodyError {
    /// The body is longer than the limit; the rest of it was not read.
    TooLarge,
    /// The connection failed, or stayed silent past the read timeout.
    Transport(reqwest::Error),
}

/// A response body as a call holds it. A body that arrives in one chunk
/// (most short bodies) is kept as that chunk, without a copy.
type Bytes = <reqwest::Body as http_body::Body>::Data;

/// Reads a response body chunk by chunk and stops as soon as it is longer
/// than `limit` bytes, so that an endless body costs at most `limit` bytes of
/// memory. A body whose `Content-Length` is over the limit is refused before
/// any of it is read.
async fn read_body(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, BodyError> {
    let declared = response.content_length();
    // `usize` is at most 64 bits on every target reqwest supports.
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    if declared.is_some_and(|length| length > limit_u64) {
        return Err(BodyError::TooLarge);
    }
    let Some(first) = response.chunk().await.map_err(BodyError::Transport)? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(BodyError::TooLarge);
    }
    let Some(second) = response.chunk().await.map_err(BodyError::Transport)? else {
        return Ok(first);
    };
    // The declared length is only a hint: it is at most `limit` here, and the
    // loop below checks every chunk whatever the headers say.
    let hint = declared.map_or(0, |length| usize::try_from(length).unwrap_or(0));
    let mut content = Vec::with_capacity(hint.max(first.len()));
    content.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if chunk.len() > limit - content.len() {
            return Err(BodyError::TooLarge);
        }
        reserve_within(&mut content, chunk.len(), limit);
        content.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(BodyError::Transport)?;
    }
    Ok(Bytes::from(content))
}

/// Makes room for `additional` more bytes, doubling the capacity as `Vec`
/// does but never past `limit`, so a body just under the limit does not
/// allocate up to twice the limit.
fn reserve_within(content: &mut Vec<u8>, additional: usize, limit: usize) {
    let needed = content.len() + additional;
    if needed > content.capacity() {
        let target = content.capacity().saturating_mul(2).min(limit).max(needed);
        content.reserve_exact(target - content.len());
    }
}
