//! Resolve: an `openapiv3` document into the intermediate model.

use crate::error::Error;
use crate::load::Document;
use crate::model::{Api, Warning};

/// Builds the model of `document`, with a warning for every construct that
/// fell back to something more general.
pub fn resolve(document: &Document) -> Result<(Api, Vec<Warning>), Error> {
    let _ = document;
    Err(Error::other("resolve: not written yet"))
}
