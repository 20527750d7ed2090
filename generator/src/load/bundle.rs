//! A spec split over several files: the `$ref`s to other files
//! (`schemas/order.yaml#/Order`, `./common.yaml`, `common.json#/X`) are
//! followed, and what they lead to is copied into the root document's tree,
//! before anything else reads it.
//!
//! # Why bundle, and bundle first
//!
//! Everything after loading reads one tree: the 3.1 rewrite, the typed read,
//! and resolve, which follows `$ref`s to any place of the document. Bundling
//! the other files into that tree first (each target under `components`,
//! where a bundler such as `redocly bundle` would put it) leaves all of them
//! as they are: a split spec generates exactly what its bundled form does,
//! and the type names, the error messages and the limits of one-file specs
//! hold for split ones. What a bundled tree loses is where its nodes were
//! written; [`Sources`] keeps that (the file and the pointer in it of every
//! copied node), so errors and warnings name the file, the pointer in it and
//! the line, as a one-file spec's do.
//!
//! # What goes where
//!
//! The walk knows the structure of an OpenAPI document (which node is a
//! schema, a parameter, a response, ...), so a `$ref` to another file is
//! copied to the `components` section of its kind (`schemas`, `parameters`,
//! `responses`, `requestBodies`, `headers`, `securitySchemes`,
//! `callbacks`), and the `$ref` rewritten to point there. Path items have no
//! 3.0 section: one from another file is copied in place of its `$ref` (as
//! `redocly bundle` does). Each copy's own `$ref`s are read relative to the
//! file it came from: `#/Item` in `schemas/order.yaml` is
//! `schemas/order.yaml#/Item`, and a `$ref` back into the root spec
//! (`../openapi.yaml#/components/schemas/Pet`) becomes the local
//! `#/components/schemas/Pet`. A node is copied once however many `$ref`s
//! lead to it, so cycles across files are cycles of local `$ref`s in the
//! tree, which resolve already handles. Examples and links are not read by
//! the generator, so their `$ref`s are left alone and their files unread.
//!
//! # Names
//!
//! A copied node is named after the last token of its pointer
//! (`schemas/order.yaml#/Order` is `Order`), or, for a whole file
//! (`./pet.yaml`), after the file's name without its extension (`pet`). The
//! root spec's own components keep their names; when a name is already
//! taken, the copy is `Name-2`, then `Name-3`, ..., in the order the walk
//! first meets the `$ref`s (the root spec in document order, then each
//! copy in the order it was made). So the names do not depend on the
//! machine or on the order of a directory listing, and they are
//! `redocly bundle`'s names whenever no two files define the same name.
//!
//! # Confinement
//!
//! A spec is untrusted input, and so are the paths its `$ref`s name: only
//! files inside the directory of the root spec (and the directories below
//! it) are read. A URL (`https:`, `file:`, ...), an absolute path, a `..`
//! that climbs out of the root's directory and a symbolic link that leads
//! out of it are errors naming the `$ref` (its file, pointer and line), as
//! is a missing file or a pointer to nothing. At most [`MAX_FILES`] files
//! and [`MAX_BYTES`] bytes besides the root spec are read, and the copies
//! hold at most [`MAX_COPIED_NODES`] nodes (more than the files hold: a
//! node can be copied more than once, as two path items or under two
//! pointers), so a graph of references cannot make loading read or build
//! without bound.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{pointer_push, pointer_tokens, Error};

/// How many files besides the root spec one spec may read.
pub const MAX_FILES: usize = 1_000;

/// How many bytes the files besides the root spec may hold together.
pub const MAX_BYTES: u64 = 64 << 20;

/// How many nodes the copies may hold together (as many as some ten
/// megabytes of YAML would).
pub const MAX_COPIED_NODES: usize = 2_000_000;

/// How deep path items from other files may be included in one another
/// (through callbacks).
const MAX_INCLUDED_DEPTH: usize = 16;

/// How many `$ref`s in a row are followed when looking for a cycle of
/// references that leads to nothing but references.
const MAX_ALIAS_CHAIN: usize = 32;

/// A file of a split spec, other than the root spec.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Its path relative to the root spec's directory, with `/`:
    /// `schemas/order.yaml`. Errors and warnings name it.
    pub name: String,
    /// Where it was read: the root spec's directory as given, joined with
    /// `name`.
    pub path: PathBuf,
    /// Its text, for line numbers.
    pub text: String,
}

/// The files a spec was read from, and where the nodes copied from them
/// were written.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The root spec's path as given; `None` for text from memory.
    root: Option<PathBuf>,
    /// The other files, in the order they were first read.
    files: Vec<SourceFile>,
    /// A copied node's pointer in the bundled tree, and its file and pointer
    /// there. A node inside a copy is found through its nearest ancestor
    /// here.
    copied: HashMap<String, (usize, String)>,
}

impl Sources {
    /// The file (`None`: the root spec) and the pointer in it of the node
    /// `pointer` names in the bundled tree.
    pub fn place(&self, pointer: &str) -> (Option<&SourceFile>, String) {
        if self.copied.is_empty() {
            return (None, pointer.to_owned());
        }
        let mut ancestor = pointer;
        loop {
            if let Some((file, source)) = self.copied.get(ancestor) {
                let rest = &pointer[ancestor.len()..];
                return (Some(&self.files[*file]), format!("{source}{rest}"));
            }
            match ancestor.rfind('/') {
                Some(at) => ancestor = &ancestor[..at],
                None => return (None, pointer.to_owned()),
            }
        }
    }

    /// Whether the spec is one file.
    pub fn is_single_file(&self) -> bool {
        self.files.is_empty()
    }

    /// Every file read: the root spec (unless it was text from memory),
    /// then the others in the order they were first read.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.root
            .iter()
            .cloned()
            .chain(self.files.iter().map(|f| f.path.clone()))
            .collect()
    }

    /// The files other than the root spec.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
}

/// Bundles the files `raw`'s `$ref`s lead to into `raw`. `text` is the root
/// spec's text, `path` its path (`None` for text from memory, which can
/// refer to no other file).
pub fn bundle(raw: &mut Value, text: &str, path: Option<&Path>) -> Result<Sources, Error> {
    if !names_other_files(raw) {
        // One file: nothing to walk for.
        return Ok(Sources {
            root: path.map(Path::to_path_buf),
            ..Sources::default()
        });
    }
    let mut bundler = Bundler {
        root_path: path,
        root_text: text,
        root: None,
        files: Vec::new(),
        by_path: HashMap::new(),
        placed: HashMap::new(),
        taken: HashMap::new(),
        staged: Vec::new(),
        copied: HashMap::new(),
        bytes: 0,
        copied_nodes: 0,
        including: Vec::new(),
    };
    if let Some(components) = raw.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            if let Some(entries) = entries.as_object() {
                bundler
                    .taken
                    .insert(section.clone(), entries.keys().cloned().collect());
            }
        }
    }
    let root = Place {
        file: None,
        source: "#".to_owned(),
        bundled: "#".to_owned(),
    };
    bundler.walk(raw, Kind::One(Object::Document), &root)?;
    // Each copy's own references, which may stage more copies.
    let mut next = 0;
    while next < bundler.staged.len() {
        let staged = &mut bundler.staged[next];
        let mut value = std::mem::take(&mut staged.value);
        let (place, object) = (staged.place.clone(), staged.object);
        bundler.walk(&mut value, Kind::One(object), &place)?;
        bundler.staged[next].value = value;
        next += 1;
    }
    bundler.check_alias_cycles()?;
    let Bundler {
        staged,
        files,
        copied,
        ..
    } = bundler;
    if !staged.is_empty() {
        let Some(root) = raw.as_object_mut() else {
            return Ok(Sources::default());
        };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(components) = components.as_object_mut() else {
            return Err(Error::at(
                "#/components",
                "`components` must be a map: the `$ref`s to other files are copied there",
            ));
        };
        for copy in staged {
            let section = components
                .entry(copy.section)
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(section) = section.as_object_mut() else {
                return Err(Error::at(
                    pointer_push("#/components", copy.section),
                    "must be a map: the `$ref`s to other files are copied there",
                ));
            };
            section.insert(copy.name, copy.value);
        }
    }
    Ok(Sources {
        root: path.map(Path::to_path_buf),
        files: files.into_iter().map(|f| f.source).collect(),
        copied,
    })
}

/// A file read, with its tree.
struct ReadFile {
    source: SourceFile,
    tree: Value,
}

/// A node copied under `components`, waiting for its own references to be
/// followed.
struct Staged {
    section: &'static str,
    name: String,
    object: Object,
    value: Value,
    /// Where it was written.
    place: Place,
}

/// Where a node was written: its file (`None`: the root spec) and its
/// pointer there.
#[derive(Debug, Clone)]
struct Place {
    file: Option<usize>,
    source: String,
    /// Its pointer in the bundled tree.
    bundled: String,
}

impl Place {
    fn push(&self, token: &str) -> Place {
        Place {
            file: self.file,
            source: pointer_push(&self.source, token),
            bundled: pointer_push(&self.bundled, token),
        }
    }
}

struct Bundler<'a> {
    root_path: Option<&'a Path>,
    root_text: &'a str,
    /// The root spec's canonical path and directory, once a `$ref` needs
    /// them.
    root: Option<(PathBuf, PathBuf)>,
    files: Vec<ReadFile>,
    /// Files by canonical path: one file is read once, however it is
    /// spelled.
    by_path: HashMap<PathBuf, usize>,
    /// Where each copied node went (file, pointer there) -> pointer in the
    /// bundled tree.
    placed: HashMap<(usize, String), String>,
    /// The names in each `components` section.
    taken: HashMap<String, HashSet<String>>,
    staged: Vec<Staged>,
    copied: HashMap<String, (usize, String)>,
    bytes: u64,
    copied_nodes: usize,
    /// The path items being included in one another, innermost last.
    including: Vec<(usize, String)>,
}

/// What a node of the document is, as far as its `$ref`s go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    Document,
    Components,
    Paths,
    PathItem,
    Operation,
    Callback,
    Parameter,
    Header,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Encoding,
    Schema,
    SecurityScheme,
}

impl Object {
    /// The `components` section of a node of this kind.
    fn section(self) -> Option<&'static str> {
        Some(match self {
            Object::Schema => "schemas",
            Object::Parameter => "parameters",
            Object::Header => "headers",
            Object::RequestBody => "requestBodies",
            Object::Response => "responses",
            Object::SecurityScheme => "securitySchemes",
            Object::Callback => "callbacks",
            _ => return None,
        })
    }

    fn of_section(section: &str) -> Option<Object> {
        Some(match section {
            "schemas" => Object::Schema,
            "parameters" => Object::Parameter,
            "headers" => Object::Header,
            "requestBodies" => Object::RequestBody,
            "responses" => Object::Response,
            "securitySchemes" => Object::SecurityScheme,
            "callbacks" => Object::Callback,
            "pathItems" => Object::PathItem,
            _ => return None,
        })
    }
}

/// An object, or a list or map of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    One(Object),
    Many(Object),
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The kind of the node under `token` in a node of kind `kind`, when `$ref`s
/// inside it are followed.
fn child(kind: Kind, token: &str) -> Option<Kind> {
    use Object::*;
    let object = match kind {
        Kind::Many(object) => return Some(Kind::One(object)),
        Kind::One(object) => object,
    };
    let one = |object| Some(Kind::One(object));
    let many = |object| Some(Kind::Many(object));
    match (object, token) {
        (Document, "paths") => one(Paths),
        (Document, "webhooks") => many(PathItem),
        (Document, "components") => one(Components),
        (Components, section) => Object::of_section(section).map(Kind::Many),
        (Paths | Callback | Responses, key) if key.starts_with("x-") => None,
        (Paths | Callback, _) => one(PathItem),
        (PathItem, method) if METHODS.contains(&method) => one(Operation),
        (PathItem | Operation, "parameters") => many(Parameter),
        (Operation, "requestBody") => one(RequestBody),
        (Operation, "responses") => one(Responses),
        (Operation, "callbacks") => many(Callback),
        (Responses, _) => one(Response),
        (Response | Encoding, "headers") => many(Header),
        (Response | RequestBody | Parameter | Header, "content") => many(MediaType),
        (MediaType, "encoding") => many(Encoding),
        (MediaType | Parameter | Header, "schema") => one(Schema),
        (
            Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
            | "allOf" | "anyOf" | "oneOf" | "prefixItems",
        ) => many(Schema),
        (
            Schema,
            "items"
            | "not"
            | "additionalProperties"
            | "additionalItems"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
        ) => one(Schema),
        _ => None,
    }
}

/// What a file part of a `$ref` names.
enum Found {
    /// The root spec.
    Root,
    /// A file read (its index).
    File(usize),
    /// No file: its name from the root spec's directory.
    Missing(String),
}

impl Bundler<'_> {
    /// Follows the `$ref`s in `node` (of kind `kind`, written at `at`).
    fn walk(&mut self, node: &mut Value, kind: Kind, at: &Place) -> Result<(), Error> {
        if let Kind::One(object) = kind {
            let referable = object.section().is_some() || object == Object::PathItem;
            if let (true, Some(Value::String(reference))) = (referable, node.get("$ref")) {
                let reference = reference.clone();
                let included = self.reference(node, object, &reference, at)?;
                // Only a schema's keywords next to a `$ref` mean something
                // (3.1); elsewhere they describe it.
                if included || object != Object::Schema {
                    return Ok(());
                }
            }
            if object == Object::Schema {
                self.mapping(node, at)?;
            }
        }
        match node {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if let Some(kind) = child(kind, key) {
                        self.walk(value, kind, &at.push(key))?;
                    }
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter_mut().enumerate() {
                    let token = i.to_string();
                    if let Some(kind) = child(kind, &token) {
                        self.walk(value, kind, &at.push(&token))?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A discriminator's mapping to schemas in other files.
    fn mapping(&mut self, node: &mut Value, at: &Place) -> Result<(), Error> {
        let Some(mapping) = node
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
            .and_then(Value::as_object_mut)
        else {
            return Ok(());
        };
        let at = at.push("discriminator").push("mapping");
        for (key, value) in mapping.iter_mut() {
            let Some(target) = value.as_str() else {
                continue;
            };
            // A schema's name, or a reference: in another file, or local to
            // a file that is not the root.
            let file_reference = target.contains(['/', '#'])
                || [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|e| target.ends_with(e));
            let local = target.starts_with('#');
            if !file_reference || (local && at.file.is_none()) {
                continue;
            }
            // A mapping only adds tag values (the alternatives are the
            // `$ref`s of `oneOf`/`anyOf`), unlike a `$ref`: one to a file
            // that is not there (a spec bundled into one file with its
            // mapping left as it was) stays as written, and resolve warns
            // that it maps to another document.
            let file_part = target.split_once('#').map_or(target, |(file, _)| file);
            let written_at = at.push(key);
            if !file_part.is_empty()
                && target.contains(['/', '#'])
                && matches!(
                    self.find(at.file, file_part, target, &written_at.push("$ref"))?,
                    Found::Missing(_)
                )
            {
                continue;
            }
            let mut stand_in = serde_json::json!({ "$ref": target });
            let target = target.to_owned();
            self.reference(&mut stand_in, Object::Schema, &target, &written_at)?;
            if let Some(rewritten) = stand_in.get("$ref") {
                *value = rewritten.clone();
            }
        }
        Ok(())
    }

    /// Follows the `$ref` `reference` of `node` (of kind `object`, written
    /// at `at`): a node of another file is copied, and the `$ref` rewritten
    /// to the copy; a path item is copied in place of `node` (`true`).
    fn reference(
        &mut self,
        node: &mut Value,
        object: Object,
        reference: &str,
        at: &Place,
    ) -> Result<bool, Error> {
        let at_ref = at.push("$ref");
        let (file_part, fragment) = match reference.split_once('#') {
            Some((file, fragment)) => (file, Some(fragment)),
            None => (reference, None),
        };
        if file_part.is_empty() && at.file.is_none() {
            // A local reference of the root spec: as it is.
            return Ok(false);
        }
        let file = if file_part.is_empty() {
            at.file
        } else {
            self.file(at.file, file_part, reference, &at_ref)?
        };
        let pointer = match fragment {
            None | Some("") => "#".to_owned(),
            Some(pointer) if pointer.starts_with('/') => format!("#{}", decode_percent(pointer)),
            Some(other) => {
                return Err(self.error(
                    &at_ref,
                    format!(
                        "`$ref` to `{reference}`: the part after `#` must be a JSON pointer \
                         (`#/Name`), not `{other}`"
                    ),
                ))
            }
        };
        let Some(file) = file else {
            // Into the root spec: a local reference.
            set_reference(node, &pointer);
            return Ok(false);
        };
        let Some(target) = self.files[file].tree.pointer(&pointer[1..]) else {
            let name = &self.files[file].source.name;
            return Err(self.error(
                &at_ref,
                format!("`$ref` to `{reference}`: {name} has no node at {pointer}"),
            ));
        };
        let target = target.clone();
        let key = (file, pointer);
        if object == Object::PathItem {
            if self.including.contains(&key) {
                return Err(self.error(
                    &at_ref,
                    format!(
                        "`$ref` to `{reference}`: the path item includes itself (a cycle of \
                         path items across files)"
                    ),
                ));
            }
            if self.including.len() >= MAX_INCLUDED_DEPTH {
                return Err(self.error(
                    &at_ref,
                    format!(
                        "`$ref` to `{reference}`: path items from other files are included \
                         more than {MAX_INCLUDED_DEPTH} deep in one another"
                    ),
                ));
            }
            self.count_copy(&target, &at_ref, reference)?;
            *node = target;
            self.copied.insert(at.bundled.clone(), key.clone());
            self.including.push(key.clone());
            let place = Place {
                file: Some(key.0),
                source: key.1,
                bundled: at.bundled.clone(),
            };
            let walked = self.walk(node, Kind::One(Object::PathItem), &place);
            self.including.pop();
            walked?;
            return Ok(true);
        }
        let Some(section) = object.section() else {
            return Ok(false);
        };
        let bundled = match self.placed.get(&key) {
            Some(bundled) => bundled.clone(),
            None => {
                self.count_copy(&target, &at_ref, reference)?;
                let name = self.name_for(section, file, &key.1);
                let bundled = pointer_push(&pointer_push("#/components", section), &name);
                self.placed.insert(key.clone(), bundled.clone());
                self.copied.insert(bundled.clone(), key.clone());
                self.staged.push(Staged {
                    section,
                    name,
                    object,
                    value: target,
                    place: Place {
                        file: Some(key.0),
                        source: key.1,
                        bundled: bundled.clone(),
                    },
                });
                bundled
            }
        };
        set_reference(node, &bundled);
        Ok(false)
    }

    /// The name a node copied into `section` from `file` at `pointer` gets:
    /// see the module docs.
    fn name_for(&mut self, section: &str, file: usize, pointer: &str) -> String {
        let base = match pointer_tokens(pointer).pop() {
            Some(token) if !token.is_empty() => token,
            _ => {
                let name = &self.files[file].source.name;
                let file_name = name.rsplit('/').next().unwrap_or(name);
                match file_name.rsplit_once('.') {
                    Some((stem, _)) if !stem.is_empty() => stem.to_owned(),
                    _ => file_name.to_owned(),
                }
            }
        };
        let taken = self.taken.entry(section.to_owned()).or_default();
        let mut name = base.clone();
        let mut serial = 2;
        while taken.contains(&name) {
            name = format!("{base}-{serial}");
            serial += 1;
        }
        taken.insert(name.clone());
        name
    }

    /// Counts a copy against [`MAX_COPIED_NODES`].
    fn count_copy(&mut self, target: &Value, at: &Place, reference: &str) -> Result<(), Error> {
        self.copied_nodes += count_nodes(target, MAX_COPIED_NODES + 1);
        if self.copied_nodes > MAX_COPIED_NODES {
            return Err(self.error(
                at,
                format!(
                    "`$ref` to `{reference}`: the nodes copied from other files would be more \
                     than {MAX_COPIED_NODES}"
                ),
            ));
        }
        Ok(())
    }

    /// The file `file_part` (of the `$ref` `reference` written at `at`, in
    /// `from`) names: `None` for the root spec. Reads it the first time.
    fn file(
        &mut self,
        from: Option<usize>,
        file_part: &str,
        reference: &str,
        at: &Place,
    ) -> Result<Option<usize>, Error> {
        match self.find(from, file_part, reference, at)? {
            Found::Root => Ok(None),
            Found::File(index) => Ok(Some(index)),
            Found::Missing(name) => Err(self.error(
                at,
                format!("`$ref` to `{reference}`: there is no file {name}"),
            )),
        }
    }

    /// [`Bundler::file`], with a file that is not there told apart from
    /// other failures.
    fn find(
        &mut self,
        from: Option<usize>,
        file_part: &str,
        reference: &str,
        at: &Place,
    ) -> Result<Found, Error> {
        let refuse = |this: &Self, why: &str| {
            Err(this.error(
                at,
                format!("`$ref` to `{reference}`: {why}; only files in the root spec's directory and below it are read"),
            ))
        };
        if has_scheme(file_part) || file_part.starts_with("//") {
            return refuse(self, "a URL is not read");
        }
        let decoded = decode_percent(file_part);
        if decoded.starts_with('/') {
            return refuse(self, "an absolute path is not read");
        }
        if decoded.contains('\\') {
            return refuse(self, "a path is written with `/`, not `\\`");
        }
        if decoded.contains(['?', '\0']) {
            return refuse(self, "a file path has no `?` or NUL");
        }
        let Some(root_path) = self.root_path else {
            return Err(self.error(
                at,
                format!(
                    "`$ref` to `{reference}`: the spec was given as text, so it cannot refer \
                     to other files; generate from the spec's file"
                ),
            ));
        };
        if self.root.is_none() {
            let canonical = std::fs::canonicalize(root_path)
                .map_err(|e| Error::other(format!("cannot read {}: {e}", root_path.display())))?;
            let dir = canonical
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            self.root = Some((canonical, dir));
        }
        let (root_file, root_dir) = self.root.clone().unwrap_or_default();
        // The path from the root's directory, `..` and `.` taken away.
        let mut segments: Vec<String> = match from {
            None => Vec::new(),
            Some(file) => {
                let name = &self.files[file].source.name;
                let mut segments: Vec<String> = name.split('/').map(str::to_owned).collect();
                segments.pop();
                segments
            }
        };
        for segment in decoded.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    if segments.pop().is_none() {
                        return refuse(self, "`..` leads out of the root spec's directory");
                    }
                }
                other => segments.push(other.to_owned()),
            }
        }
        if segments.is_empty() || decoded.ends_with('/') {
            return refuse(self, "it names a directory, not a file");
        }
        let lexical = segments.iter().fold(root_dir.clone(), |p, s| p.join(s));
        let canonical = match std::fs::canonicalize(&lexical) {
            Ok(canonical) => canonical,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Found::Missing(segments.join("/")))
            }
            Err(e) => {
                return Err(self.error(
                    at,
                    format!(
                        "`$ref` to `{reference}`: cannot read {}: {e}",
                        segments.join("/")
                    ),
                ))
            }
        };
        if !canonical.starts_with(&root_dir) {
            return refuse(
                self,
                "a symbolic link leads out of the root spec's directory",
            );
        }
        if canonical == root_file {
            return Ok(Found::Root);
        }
        if let Some(&index) = self.by_path.get(&canonical) {
            return Ok(Found::File(index));
        }
        if self.files.len() >= MAX_FILES {
            return Err(self.error(
                at,
                format!("`$ref` to `{reference}`: the spec refers to more than {MAX_FILES} files"),
            ));
        }
        // The name by the file's real place (symbolic links inside the
        // tree followed), so one file has one name.
        let name = canonical
            .strip_prefix(&root_dir)
            .map(|relative| {
                relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_else(|_| segments.join("/"));
        let text = self.read_text(&canonical, &name, reference, at)?;
        let tree = super::parse_tree(&text).map_err(|mut e| {
            e.file = Some(name.clone());
            e
        })?;
        let report_dir = root_path.parent().unwrap_or(Path::new(""));
        let path = name
            .split('/')
            .fold(report_dir.to_path_buf(), |p, s| p.join(s));
        self.by_path.insert(canonical, self.files.len());
        self.files.push(ReadFile {
            source: SourceFile { name, path, text },
            tree,
        });
        Ok(Found::File(self.files.len() - 1))
    }

    /// The text of the file at `path`, within [`MAX_BYTES`] for all files.
    fn read_text(
        &mut self,
        path: &Path,
        name: &str,
        reference: &str,
        at: &Place,
    ) -> Result<String, Error> {
        let cannot = |this: &Self, e: std::io::Error| {
            this.error(
                at,
                format!("`$ref` to `{reference}`: cannot read {name}: {e}"),
            )
        };
        let file = std::fs::File::open(path).map_err(|e| cannot(self, e))?;
        let metadata = file.metadata().map_err(|e| cannot(self, e))?;
        if !metadata.is_file() {
            return Err(self.error(at, format!("`$ref` to `{reference}`: {name} is not a file")));
        }
        let left = MAX_BYTES - self.bytes;
        let mut bytes = Vec::new();
        file.take(left + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(self, e))?;
        if bytes.len() as u64 > left {
            return Err(self.error(
                at,
                format!(
                    "`$ref` to `{reference}`: the files the spec refers to hold more than \
                     {MAX_BYTES} bytes together"
                ),
            ));
        }
        self.bytes += bytes.len() as u64;
        super::decode(bytes).map_err(|mut e| {
            e.file = Some(name.to_owned());
            e
        })
    }

    /// References that lead only to one another (`a.yaml` is `$ref:
    /// b.yaml`, which is `$ref: a.yaml`): an error at the first copy of the
    /// cycle, which names its files.
    fn check_alias_cycles(&self) -> Result<(), Error> {
        let by_pointer: HashMap<&str, usize> = self
            .staged
            .iter()
            .enumerate()
            .map(|(i, s)| (s.place.bundled.as_str(), i))
            .collect();
        for (start, copy) in self.staged.iter().enumerate() {
            let mut at = start;
            let mut chain = vec![start];
            for _ in 0..MAX_ALIAS_CHAIN {
                let next = self.staged[at]
                    .value
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| by_pointer.get(r).copied());
                let Some(next) = next else { break };
                if next == start {
                    let files: Vec<String> = chain
                        .iter()
                        .chain([&start])
                        .map(|&i| self.written(&self.staged[i].place))
                        .collect();
                    return Err(self.error(
                        &copy.place.push("$ref"),
                        format!(
                            "the `$ref`s lead only to one another, never to a value: {}",
                            files.join(" -> ")
                        ),
                    ));
                }
                chain.push(next);
                at = next;
            }
        }
        Ok(())
    }

    /// `file#pointer` of a place.
    fn written(&self, place: &Place) -> String {
        match place.file {
            None => place.source.clone(),
            Some(file) => {
                let name = &self.files[file].source.name;
                if place.source == "#" {
                    name.clone()
                } else {
                    format!("{name}{}", place.source)
                }
            }
        }
    }

    /// An error at a place of one of the files, located in its text.
    fn error(&self, at: &Place, message: String) -> Error {
        match at.file {
            None => super::locate(Error::at(at.source.clone(), message), self.root_text),
            Some(file) => {
                let source = &self.files[file].source;
                let mut error = super::locate(Error::at(at.source.clone(), message), &source.text);
                error.file = Some(source.name.clone());
                error
            }
        }
    }
}

/// Sets a node's `$ref` to the local `pointer` (`%` escaped, as resolve
/// reads the fragment percent-decoded).
fn set_reference(node: &mut Value, pointer: &str) {
    if let Some(map) = node.as_object_mut() {
        map.insert(
            "$ref".to_owned(),
            Value::String(pointer.replace('%', "%25")),
        );
    }
}

/// Whether a reference starts with a URI scheme (`https:`, `file:`, `C:`).
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
}

/// Undoes percent-encoding (`%20`), as a `$ref`'s path and URI fragment
/// may carry; a `%` not followed by two hex digits stays.
pub(crate) fn decode_percent(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether any `$ref` (or discriminator mapping) in the tree names a file.
/// A quick look that allocates nothing, so a spec in one file pays only for
/// it.
fn names_other_files(raw: &Value) -> bool {
    let mut stack = vec![raw];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if !reference.starts_with('#') {
                        return true;
                    }
                }
                if let Some(Value::Object(mapping)) = map.get("mapping") {
                    let file = |target: &str| {
                        !target.starts_with('#')
                            && (target.contains(['/', '#'])
                                || [".yaml", ".yml", ".json"]
                                    .iter()
                                    .any(|e| target.ends_with(e)))
                    };
                    if mapping.values().filter_map(Value::as_str).any(file) {
                        return true;
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// How many nodes `value` holds, counting up to `limit`.
fn count_nodes(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        count += 1;
        if count >= limit {
            break;
        }
        match node {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{decode_percent, MAX_FILES};
    use crate::load::{load, parse};

    /// `%XX` is decoded to the end of the text; a `%` without two hex digits
    /// after it (a multi-byte character, the end) stays as it is.
    #[test]
    fn percent_encoding_is_undone_where_it_is_complete() {
        assert_eq!(decode_percent("/a%20b/%7Bid%7D"), "/a b/{id}");
        assert_eq!(decode_percent("/x%41"), "/xA");
        assert_eq!(decode_percent("/x%4"), "/x%4");
        assert_eq!(decode_percent("/x%é1"), "/x%é1");
        assert_eq!(decode_percent("%"), "%");
    }

    /// A root spec whose schema `A` has a property `b` that is `$ref: REF`
    /// (the `$ref` is at line 8, column 13).
    fn root_with(reference: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  \
             schemas:\n    A:\n      properties:\n        b: {{$ref: '{reference}'}}\n"
        )
    }

    const AT_REF: &str = "at #/components/schemas/A/properties/b/$ref (line 8, column 13): ";

    /// Writes `files` (path, text) under a new directory.
    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    fn error_of(dir: &Path, root: &str) -> String {
        load(&dir.join(root)).expect_err("refused").to_string()
    }

    const ONLY_INSIDE: &str = "only files in the root spec's directory and below it are read";

    #[test]
    fn references_out_of_the_root_directory_are_refused() {
        let dir = tree(&[
            ("secret.yaml", "type: string\n"),
            ("spec/openapi.yaml", &root_with("../secret.yaml")),
            ("spec/up.yaml", &root_with("sub/a.yaml#/A")),
            ("spec/sub/a.yaml", "A:\n  $ref: '../../secret.yaml'\n"),
            ("spec/abs.yaml", &root_with("/etc/passwd")),
            ("spec/url.yaml", &root_with("https://example.com/a.yaml#/A")),
            ("spec/file.yaml", &root_with("file:///etc/passwd")),
            ("spec/net.yaml", &root_with("//example.com/a.yaml")),
            ("spec/encoded.yaml", &root_with("%2e%2e/secret.yaml")),
        ]);
        let spec = dir.path().join("spec");
        assert_eq!(
            error_of(&spec, "openapi.yaml"),
            format!(
                "{AT_REF}`$ref` to `../secret.yaml`: `..` leads out of the root spec's \
                 directory; {ONLY_INSIDE}"
            )
        );
        // Named in the file that holds the `$ref`.
        assert_eq!(
            error_of(&spec, "up.yaml"),
            format!(
                "at sub/a.yaml#/A/$ref (line 2, column 3): `$ref` to `../../secret.yaml`: `..` \
                 leads out of the root spec's directory; {ONLY_INSIDE}"
            )
        );
        for (root, reference, why) in [
            ("abs.yaml", "/etc/passwd", "an absolute path is not read"),
            (
                "url.yaml",
                "https://example.com/a.yaml#/A",
                "a URL is not read",
            ),
            ("file.yaml", "file:///etc/passwd", "a URL is not read"),
            ("net.yaml", "//example.com/a.yaml", "a URL is not read"),
            (
                "encoded.yaml",
                "%2e%2e/secret.yaml",
                "`..` leads out of the root spec's directory",
            ),
        ] {
            assert_eq!(
                error_of(&spec, root),
                format!("{AT_REF}`$ref` to `{reference}`: {why}; {ONLY_INSIDE}")
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_root_directory_are_refused() {
        let dir = tree(&[
            ("secret.yaml", "type: string\n"),
            ("spec/openapi.yaml", &root_with("link.yaml")),
            ("spec/inside.yaml", &root_with("in/a.yaml")),
            ("spec/real/a.yaml", "type: integer\n"),
        ]);
        let spec = dir.path().join("spec");
        std::os::unix::fs::symlink(dir.path().join("secret.yaml"), spec.join("link.yaml"))
            .expect("link");
        assert_eq!(
            error_of(&spec, "openapi.yaml"),
            format!(
                "{AT_REF}`$ref` to `link.yaml`: a symbolic link leads out of the root spec's \
                 directory; {ONLY_INSIDE}"
            )
        );
        // A link that stays inside is followed.
        std::os::unix::fs::symlink(spec.join("real"), spec.join("in")).expect("link");
        let doc = load(&spec.join("inside.yaml")).expect("loads");
        assert_eq!(
            doc.node("#/components/schemas/a"),
            Some(&serde_json::json!({"type": "integer"}))
        );
    }

    #[test]
    fn missing_files_and_pointers_name_the_reference() {
        let dir = tree(&[
            ("missing.yaml", &root_with("nope.yaml")),
            ("pointer.yaml", &root_with("common.yaml#/Nope")),
            ("anchor.yaml", &root_with("common.yaml#Thing")),
            ("directory.yaml", &root_with("sub/")),
            ("common.yaml", "Thing: {type: string}\n"),
            ("sub/x.yaml", "{}\n"),
        ]);
        let dir = dir.path();
        assert_eq!(
            error_of(dir, "missing.yaml"),
            format!("{AT_REF}`$ref` to `nope.yaml`: there is no file nope.yaml")
        );
        assert_eq!(
            error_of(dir, "pointer.yaml"),
            format!("{AT_REF}`$ref` to `common.yaml#/Nope`: common.yaml has no node at #/Nope")
        );
        assert_eq!(
            error_of(dir, "anchor.yaml"),
            format!(
                "{AT_REF}`$ref` to `common.yaml#Thing`: the part after `#` must be a JSON \
                 pointer (`#/Name`), not `Thing`"
            )
        );
        assert_eq!(
            error_of(dir, "directory.yaml"),
            format!("{AT_REF}`$ref` to `sub/`: it names a directory, not a file; {ONLY_INSIDE}")
        );
        // Text from memory has no directory to read from.
        assert_eq!(
            parse(root_with("common.yaml#/Thing"))
                .unwrap_err()
                .to_string(),
            format!(
                "{AT_REF}`$ref` to `common.yaml#/Thing`: the spec was given as text, so it \
                 cannot refer to other files; generate from the spec's file"
            )
        );
    }

    #[test]
    fn files_that_include_themselves_are_an_error() {
        let dir = tree(&[
            ("self.yaml", &root_with("a.yaml")),
            ("a.yaml", "$ref: ./a.yaml\n"),
            ("loop.yaml", &root_with("b.yaml")),
            ("b.yaml", "$ref: c.yaml\n"),
            ("c.yaml", "$ref: 'b.yaml#'\n"),
            (
                "paths.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: p.yaml\n",
            ),
            ("p.yaml", "$ref: p.yaml\n"),
        ]);
        let dir = dir.path();
        assert_eq!(
            error_of(dir, "self.yaml"),
            "at a.yaml#/$ref (line 1, column 1): the `$ref`s lead only to one another, never \
             to a value: a.yaml -> a.yaml"
        );
        assert_eq!(
            error_of(dir, "loop.yaml"),
            "at b.yaml#/$ref (line 1, column 1): the `$ref`s lead only to one another, never \
             to a value: b.yaml -> c.yaml -> b.yaml"
        );
        assert_eq!(
            error_of(dir, "paths.yaml"),
            "at p.yaml#/$ref (line 1, column 1): `$ref` to `p.yaml`: the path item includes \
             itself (a cycle of path items across files)"
        );
    }

    /// A discriminator mapping to a file that is not there is left as
    /// written (resolve warns about it); a `$ref` to one is an error.
    #[test]
    fn mappings_to_missing_files_stay_as_written() {
        let union = |mapped: &str, alternative: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  \
                 schemas:\n    A: {{type: object, properties: {{kind: {{type: string}}}}}}\n    \
                 U:\n      oneOf: [{{$ref: '{alternative}'}}]\n      discriminator:\n        \
                 propertyName: kind\n        mapping: {{a: '{mapped}'}}\n"
            )
        };
        let dir = tree(&[
            (
                "mapped.yaml",
                &union("models/a.yml#/A", "#/components/schemas/A"),
            ),
            (
                "referred.yaml",
                &union("#/components/schemas/A", "models/a.yml#/A"),
            ),
        ]);
        let document = load(&dir.path().join("mapped.yaml")).expect("loads");
        assert_eq!(
            document.raw["components"]["schemas"]["U"]["discriminator"]["mapping"]["a"],
            "models/a.yml#/A"
        );
        assert_eq!(
            error_of(dir.path(), "referred.yaml"),
            "at #/components/schemas/U/oneOf/0/$ref (line 8, column 16): \
             `$ref` to `models/a.yml#/A`: there is no file models/a.yml"
        );
    }

    #[test]
    fn errors_in_other_files_name_the_file() {
        let dir = tree(&[
            ("syntax.yaml", &root_with("bad.yaml")),
            ("bad.yaml", "type: object\nproperties: [a\n"),
            ("typed.yaml", &root_with("order.yaml#/Order")),
            (
                "order.yaml",
                "Order:\n  type: object\n  properties:\n    id: {type: string, required: 7}\n",
            ),
            ("mistyped.yaml", &root_with("item.yaml#/Item")),
            (
                "item.yaml",
                "Item:\n  type: object\n  properties:\n    id: {type: string, pattern: 7}\n",
            ),
        ]);
        let dir = dir.path();
        let syntax = error_of(dir, "syntax.yaml");
        assert!(
            syntax.starts_with("at bad.yaml#/properties (line 3, column 1): invalid YAML: "),
            "{syntax}"
        );
        assert_eq!(
            error_of(dir, "typed.yaml"),
            "at order.yaml#/Order/properties/id/required (line 4, column 24): not a valid \
             OpenAPI 3.0 document: invalid type: integer `7`, expected a sequence"
        );
        // A mistyped keyword that is dropped is named where it was written.
        let warnings = load(&dir.join("mistyped.yaml")).expect("loads").warnings;
        assert_eq!(
            warnings
                .iter()
                .map(|w| (w.pointer.as_str(), w.kind))
                .collect::<Vec<_>>(),
            [(
                "item.yaml#/Item/properties/id/pattern",
                crate::model::WarningKind::MistypedKeyword
            )]
        );
    }

    #[test]
    fn the_number_of_files_is_bounded() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("root.yaml"), root_with("s0.yaml")).expect("write");
        for i in 0..=MAX_FILES {
            let next = format!(
                "type: object\nproperties:\n  next: {{$ref: 's{}.yaml'}}\n",
                i + 1
            );
            std::fs::write(dir.path().join(format!("s{i}.yaml")), next).expect("write");
        }
        assert_eq!(
            error_of(dir.path(), "root.yaml"),
            format!(
                "at s999.yaml#/properties/next/$ref (line 3, column 10): `$ref` to \
                 `s1000.yaml`: the spec refers to more than {MAX_FILES} files"
            )
        );
    }

    #[test]
    fn names_are_the_pointers_last_token_then_numbered() {
        let dir = tree(&[
            (
                "root.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  \
                 schemas:\n    Pet: {type: string}\n    All:\n      properties:\n        \
                 a: {$ref: 'a.yaml#/Pet'}\n        b: {$ref: 'b.json#/defs/Pet'}\n        \
                 c: {$ref: 'sub/cat.yaml'}\n        d: {$ref: './a.yaml#/Pet'}\n        \
                 e: {$ref: 'sub/../a.yaml#/Pet'}\n        f: {$ref: 'root.yaml#/components/schemas/Pet'}\n",
            ),
            ("a.yaml", "Pet: {type: integer}\n"),
            ("b.json", "{\"defs\": {\"Pet\": {\"type\": \"boolean\"}}}\n"),
            ("sub/cat.yaml", "type: number\n"),
        ]);
        let doc = load(&dir.path().join("root.yaml")).expect("loads");
        let schemas = doc.node("#/components/schemas").expect("schemas");
        let names: Vec<&String> = schemas.as_object().expect("map").keys().collect();
        assert_eq!(names, ["Pet", "All", "Pet-2", "Pet-3", "cat"]);
        let refs: Vec<&str> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|p| {
                doc.node(&format!("#/components/schemas/All/properties/{p}/$ref"))
                    .and_then(|r| r.as_str())
                    .expect("ref")
            })
            .collect();
        assert_eq!(
            refs,
            [
                "#/components/schemas/Pet-2",
                "#/components/schemas/Pet-3",
                "#/components/schemas/cat",
                "#/components/schemas/Pet-2",
                "#/components/schemas/Pet-2",
                "#/components/schemas/Pet",
            ]
        );
        let files: Vec<String> = doc
            .origins
            .files_read()
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .expect("inside")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(files, ["root.yaml", "a.yaml", "b.json", "sub/cat.yaml"]);
        // Errors at copied nodes name their file and line.
        let error = doc.error("#/components/schemas/Pet-3/type", "bad");
        assert_eq!(
            error.to_string(),
            "at b.json#/defs/Pet/type (line 1, column 19): bad"
        );
    }
}
