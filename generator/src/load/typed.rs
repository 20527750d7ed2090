//! The typed document: the raw tree read into `openapiv3` types.
//!
//! When it does not fit, the error names the node that does not.
//! `serde_path_to_error` tracks the path as far as serde lets it see, which
//! ends where `openapiv3` buffers its input: at every `ReferenceOr` (an
//! untagged enum) and inside every schema (two flattened halves). From there
//! [`narrow`] walks down the OpenAPI object structure ([`Kind`]), reading
//! each part on its own into its own type, to the deepest node that still
//! fails.

use std::any::TypeId;

use openapiv3::{
    Callback, Components, Encoding, Example, Header, Link, MediaType, OpenAPI, Operation,
    Parameter, PathItem, Paths, RequestBody, Response, Responses, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::tokens_of;
use crate::error::{pointer_push, Error};

/// Reads the typed document (of OpenAPI `version`, `3.0` or `3.1`, which the
/// errors name). `Err` carries the pointer and the message, not yet located
/// in the text.
pub(super) fn openapi(raw: &mut Value, version: &str) -> Result<OpenAPI, Error> {
    let mut inlined = inline_callback_references(raw)?;
    let source = match inlined.as_mut() {
        Some(inlined) => inlined,
        None => raw,
    };
    let invalid = |(tokens, message): (Vec<String>, String)| {
        let pointer = tokens
            .iter()
            .fold("#".to_owned(), |p, t| pointer_push(&p, t));
        Error::at(
            pointer,
            format!("not a valid OpenAPI {version} document: {message}"),
        )
    };
    check_inside_out(source, DOCUMENT)
        .map_err(|(tokens, message)| invalid(narrow(source, DOCUMENT, tokens, message)))?;
    let mut aside = SetAside::default();
    aside.take_unread(source);
    let sections = Section::ALL.map(|section| aside.take_section(source, section));
    let read = read_by_entry(source, &aside, sections);
    aside.put_back(source);
    read.map_err(|(tokens, message)| invalid(narrow(source, DOCUMENT, tokens, message)))
}

/// Nodes of the raw tree taken out while the typed document is read, each
/// with a stand-in in its place. [`SetAside::put_back`] puts them back: the
/// raw tree keeps every node as it was.
#[derive(Default)]
struct SetAside(Vec<(&'static [&'static str], String, Value)>);

/// Which node of a [`SetAside`] a section's map is.
#[derive(Clone, Copy)]
struct Taken(usize);

impl SetAside {
    /// Takes the member `key` of the object at `parents` out, leaving
    /// `stand_in` in its place; `None` when there is no such member.
    fn take(
        &mut self,
        document: &mut Value,
        parents: &'static [&'static str],
        key: &str,
        stand_in: Value,
    ) -> Option<Taken> {
        let slot = node_mut(document, parents)?.get_mut(key)?;
        self.0
            .push((parents, key.to_owned(), std::mem::replace(slot, stand_in)));
        Some(Taken(self.0.len() - 1))
    }

    /// What the generator never reads from the typed document, and a large
    /// spec has plenty of: the document's own extensions (GitHub's
    /// `x-webhooks`, 0.5 MB of JSON) and the named examples of `components`
    /// (1.3 MB). Each stands in as an empty value, so that it is not copied
    /// into the typed document: that lives through resolve, where the peak
    /// memory of a generation is. [`check_inside_out`] checked them
    /// already, each example on its own.
    fn take_unread(&mut self, document: &mut Value) {
        let extensions: Vec<String> = document
            .as_object()
            .into_iter()
            .flat_map(|root| root.keys())
            .filter(|key| key.starts_with("x-"))
            .cloned()
            .collect();
        for key in extensions {
            self.take(document, &[], &key, Value::Null);
        }
        // Anything but a map of examples stays, for the typed read to name.
        if node_mut(document, &["components", "examples"]).is_some_and(|e| e.is_object()) {
            let stand_in = Value::Object(serde_json::Map::new());
            self.take(document, &["components"], "examples", stand_in);
        }
    }

    /// Takes the map of `section` out, for [`read_by_entry`]; what stands
    /// in keeps the keys read with the rest of the document. `None` when
    /// the section is not a map.
    fn take_section(&mut self, document: &mut Value, section: Section) -> Option<Taken> {
        let (parents, key) = section.place();
        let map = node_mut(document, parents)?.get(key)?.as_object()?;
        let kept = map
            .iter()
            .filter(|(key, _)| !section.holds(key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        self.take(document, parents, key, Value::Object(kept))
    }

    /// The map of a section [`SetAside::take_section`] took.
    fn map(&self, taken: Taken) -> Option<&serde_json::Map<String, Value>> {
        self.0.get(taken.0)?.2.as_object()
    }

    /// Puts every node back in its place, the last taken first.
    fn put_back(self, document: &mut Value) {
        for (parents, key, value) in self.0.into_iter().rev() {
            if let Some(slot) = node_mut(document, parents).and_then(|parent| parent.get_mut(&key))
            {
                *slot = value;
            }
        }
    }
}

/// The path items of `paths` and the schemas of `components`: most of a
/// large spec, each entry read on its own by [`read_by_entry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Paths,
    Schemas,
}

impl Section {
    const ALL: [Section; 2] = [Section::Paths, Section::Schemas];

    /// Where the section's map is in the document: the object it is a
    /// member of, and its key there.
    fn place(self) -> (&'static [&'static str], &'static str) {
        match self {
            Section::Paths => (&[], "paths"),
            Section::Schemas => (&["components"], "schemas"),
        }
    }

    /// Whether `key` of the section's map is one of its entries read on
    /// its own (a path of `paths` starts with `/`, as `openapiv3` reads
    /// it; the `x-` extensions of `paths` are read with the rest of the
    /// document).
    fn holds(self, key: &str) -> bool {
        match self {
            Section::Paths => key.starts_with('/'),
            Section::Schemas => true,
        }
    }
}

/// Reads the typed document, every part of which fits ([`check_inside_out`]
/// read them first): the rest of the document, then each path item and
/// each schema on its own, from the maps `aside` holds (`sections`, in the
/// order of [`Section::ALL`]). `openapiv3` copies every object that has
/// extensions whole before it reads it (serde's `flatten`), the document
/// included; read at once, GitHub's spec was copied with all its path items
/// and schemas in it (the read took 120 ms, more than checking every part).
/// The entries are put together in the document's order, as reading the
/// whole document puts them. `Err` with the path to what does not fit
/// (something outside the parts: `info`, `servers`, ...), and the message.
fn read_by_entry(
    document: &Value,
    aside: &SetAside,
    sections: [Option<Taken>; 2],
) -> Result<OpenAPI, (Vec<String>, String)> {
    let mut openapi = serde_path_to_error::deserialize::<_, OpenAPI>(document)
        .map_err(|e| (tokens_of(e.path()), e.into_inner().to_string()))?;
    let [paths, schemas] = sections.map(|taken| taken.and_then(|taken| aside.map(taken)));
    if let Some(paths) = paths {
        openapi.paths.paths = read_entries(Section::Paths, paths)?;
    }
    if let Some((components, schemas)) = openapi.components.as_mut().zip(schemas) {
        components.schemas = read_entries(Section::Schemas, schemas)?;
    }
    Ok(openapi)
}

/// The entries of `section` in `map`, each read on its own, in order.
fn read_entries<T: DeserializeOwned>(
    section: Section,
    map: &serde_json::Map<String, Value>,
) -> Result<indexmap::IndexMap<String, T>, (Vec<String>, String)> {
    map.iter()
        .filter(|(key, _)| section.holds(key))
        .map(|(key, value)| {
            serde_path_to_error::deserialize(value)
                .map(|entry| (key.clone(), entry))
                .map_err(|e| {
                    let (parents, place) = section.place();
                    let tokens = parents
                        .iter()
                        .chain([&place])
                        .map(|token| (*token).to_owned())
                        .chain([key.clone()])
                        .chain(tokens_of(e.path()))
                        .collect();
                    (tokens, e.into_inner().to_string())
                })
        })
        .collect()
}

/// Reads every part of the document that a `$ref` could stand for (schemas,
/// responses, parameters, ...) on its own, with such parts inside it
/// replaced by a `$ref`, from the innermost out; `Err` with the pointer and
/// message of the first that does not fit.
///
/// `openapiv3` reads such a part that does not fit twice at every level
/// around it (`ReferenceOr` tries each variant, then reads again for the
/// message): a mistake 30 schemas deep would take 2^30 readings. Read this
/// way, the part that does not fit is found in time linear in the document,
/// and the whole document is only read once all its parts fit.
fn check_inside_out(raw: &Value, root: Kind) -> Result<(), (Vec<String>, String)> {
    // Every node the structure gives a kind, parents before children: its
    // parent's index, its token, its kind.
    let mut nodes: Vec<(usize, Step, Kind, &Value)> = Vec::new();
    let mut stack = vec![(usize::MAX, Step::Key(""), Some(root), raw)];
    while let Some((parent, step, kind, node)) = stack.pop() {
        let Some(kind) = kind else { continue };
        let index = nodes.len();
        nodes.push((parent, step, kind, node));
        match node {
            Value::Object(map) => {
                for (key, value) in map {
                    stack.push((index, Step::Key(key), child(kind, key), value));
                }
            }
            Value::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    stack.push((index, Step::Index(i), child(kind, &i.to_string()), value));
                }
            }
            _ => {}
        }
    }
    for &(parent, step, kind, node) in nodes.iter().rev() {
        let Kind::One {
            object,
            reference: true,
        } = kind
        else {
            continue;
        };
        let read = match node {
            Value::Object(map) if map.get("$ref").is_some_and(Value::is_string) => Ok(()),
            Value::Object(map) => check_object(object, &alone(kind, map)),
            // Nothing inside to leave out.
            _ => check(kind, node),
        };
        if let Err((path, message)) = read {
            // The node's pointer, from its ancestors' steps (the root has
            // none).
            let mut tokens = vec![step.token()];
            let mut at = parent;
            while let Some(&(up, step, _, _)) = nodes.get(at).filter(|n| n.0 != usize::MAX) {
                tokens.push(step.token());
                at = up;
            }
            tokens.reverse();
            tokens.extend(path);
            return Err((tokens, message));
        }
    }
    Ok(())
}

/// A part (of kind `kind`) with the parts inside it that a `$ref` could
/// stand for replaced by one, so reading it reads no more than itself.
fn alone(kind: Kind, map: &serde_json::Map<String, Value>) -> Value {
    let stub = || serde_json::json!({ "$ref": "#" });
    let inside = |key: &str| {
        matches!(
            child(kind, key),
            Some(
                Kind::One {
                    reference: true,
                    ..
                } | Kind::Many {
                    reference: true,
                    ..
                }
            )
        )
    };
    // Objects are replaced; anything else stays, to be read as it is (the
    // part that holds it is where it does not fit).
    let replaced = |value: &Value| {
        if value.is_object() {
            stub()
        } else {
            value.clone()
        }
    };
    map.iter()
        .map(|(key, value)| {
            let value = match (child(kind, key), value) {
                _ if !inside(key) => value.clone(),
                (Some(Kind::One { .. }), _) => replaced(value),
                (_, Value::Object(entries)) => Value::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (k.clone(), replaced(v)))
                        .collect(),
                ),
                (_, Value::Array(items)) => Value::Array(items.iter().map(replaced).collect()),
                _ => value.clone(),
            };
            (key.clone(), value)
        })
        .collect::<serde_json::Map<String, Value>>()
        .into()
}

/// The way from a node to one inside it.
#[derive(Debug, Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

impl Step<'_> {
    fn token(self) -> String {
        match self {
            Step::Key(key) => key.to_owned(),
            Step::Index(i) => i.to_string(),
        }
    }
}

/// Reads a part of the document (e.g. where a `$ref` leads, which may be
/// anywhere) as a `T`, in time linear in its size as [`openapi`] does, when
/// `T` is a type a `$ref` stands for; `Err` with the path inside `node` to
/// what does not fit, and the message.
///
/// A node where the document's structure has a `T` (`at`, its tokens) was
/// read with the document already.
pub(super) fn part<T: DeserializeOwned + 'static>(
    node: &Value,
    at: &[String],
) -> Result<T, (Vec<String>, String)> {
    let read_already = |object| match kind_at(DOCUMENT, at) {
        Some(Kind::One { object: there, .. }) => there == object,
        _ => false,
    };
    if let Some(object) = object_of::<T>().filter(|object| !read_already(*object)) {
        let root = Kind::One {
            object,
            reference: false,
        };
        check_inside_out(node, root)
            .map_err(|(tokens, message)| narrow(node, root, tokens, message))?;
    }
    serde_path_to_error::deserialize(node)
        .map_err(|e| (tokens_of(e.path()), e.into_inner().to_string()))
}

/// The kind of a type a `$ref` can stand for.
fn object_of<T: 'static>() -> Option<Object> {
    let id = TypeId::of::<T>();
    let objects = [
        (TypeId::of::<Schema>(), Object::Schema),
        (TypeId::of::<Parameter>(), Object::Parameter),
        (TypeId::of::<Response>(), Object::Response),
        (TypeId::of::<RequestBody>(), Object::RequestBody),
        (TypeId::of::<Header>(), Object::Header),
        (TypeId::of::<PathItem>(), Object::PathItem),
        (TypeId::of::<SecurityScheme>(), Object::SecurityScheme),
        (TypeId::of::<Example>(), Object::Example),
        (TypeId::of::<Link>(), Object::Link),
        (TypeId::of::<Callback>(), Object::Callback),
    ];
    objects
        .into_iter()
        .find(|(t, _)| *t == id)
        .map(|(_, object)| object)
}

/// How many fields an object may have for [`narrow`] to try leaving out
/// each in turn.
const MAX_FIELDS_TRIED: usize = 64;

/// The whole document.
const DOCUMENT: Kind = Kind::One {
    object: Object::Document,
    reference: false,
};

/// What a node of the document is, as far as reading it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Object {
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
    Example,
    Link,
    Schema,
    SecurityScheme,
}

/// An object, or a list or map of them; `reference` when a `$ref` may stand
/// in for the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    One { object: Object, reference: bool },
    Many { object: Object, reference: bool },
}

const fn one(object: Object, reference: bool) -> Option<Kind> {
    Some(Kind::One { object, reference })
}

const fn many(object: Object, reference: bool) -> Option<Kind> {
    Some(Kind::Many { object, reference })
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The kind of the node under `token` in a node of kind `kind`, when it is
/// one `openapiv3` reads into a type of its own.
fn child(kind: Kind, token: &str) -> Option<Kind> {
    use Object::*;
    let object = match kind {
        Kind::Many { object, reference } => return one(object, reference),
        Kind::One { object, .. } => object,
    };
    match (object, token) {
        (Document, "paths") => one(Paths, false),
        (Document, "components") => one(Components, false),
        (Components, "schemas") => many(Schema, true),
        (Components, "responses") => many(Response, true),
        (Components, "parameters") => many(Parameter, true),
        (Components, "examples") => many(Example, true),
        (Components, "requestBodies") => many(RequestBody, true),
        (Components, "headers") => many(Header, true),
        (Components, "securitySchemes") => many(SecurityScheme, true),
        (Components, "links") => many(Link, true),
        (Components, "callbacks") => many(Callback, true),
        (Paths, path) if !path.starts_with("x-") => one(PathItem, true),
        (PathItem, method) if METHODS.contains(&method) => one(Operation, false),
        (PathItem | Operation, "parameters") => many(Parameter, true),
        (Operation, "requestBody") => one(RequestBody, true),
        (Operation, "responses") => one(Responses, false),
        (Operation, "callbacks") => many(Callback, false),
        (Callback, _) => one(PathItem, false),
        (Responses, status) if !status.starts_with("x-") => one(Response, true),
        (Response | Encoding, "headers") => many(Header, true),
        (Response | RequestBody | Parameter | Header, "content") => many(MediaType, false),
        (Response, "links") => many(Link, true),
        (MediaType | Parameter | Header, "examples") => many(Example, true),
        (MediaType, "encoding") => many(Encoding, false),
        (MediaType | Parameter | Header, "schema") => one(Schema, true),
        (Schema, "properties" | "allOf" | "oneOf" | "anyOf") => many(Schema, true),
        (Schema, "items" | "not" | "additionalProperties") => one(Schema, true),
        _ => None,
    }
}

/// The kind of the node at `tokens` under a node of kind `root`, if every
/// step has one.
fn kind_at(root: Kind, tokens: &[String]) -> Option<Kind> {
    tokens
        .iter()
        .try_fold(root, |kind, token| child(kind, token))
}

/// The object at `tokens` in the document, when the document's structure
/// makes it one (not a map or list of them).
pub(super) fn object_at(tokens: &[String]) -> Option<Object> {
    match kind_at(DOCUMENT, tokens)? {
        Kind::One { object, .. } => Some(object),
        Kind::Many { .. } => None,
    }
}

/// Reads `node` as `kind`: `Err` with the path inside `node` where reading
/// stopped and the message.
fn check(kind: Kind, node: &Value) -> Result<(), (Vec<String>, String)> {
    match kind {
        Kind::One { object, reference } => {
            if reference && node.get("$ref").is_some_and(Value::is_string) {
                return Ok(());
            }
            if object == Object::Schema && node.is_boolean() {
                // `additionalProperties: true`
                return Ok(());
            }
            check_object(object, node)
        }
        Kind::Many { .. } => {
            if !node.is_object() && !node.is_array() {
                return Err((Vec::new(), "expected a map or a list".to_owned()));
            }
            for (token, value) in children(node) {
                let Some(kind) = child(kind, &token) else {
                    continue;
                };
                check(kind, value).map_err(|(mut path, message)| {
                    path.insert(0, token);
                    (path, message)
                })?;
            }
            Ok(())
        }
    }
}

fn check_object(object: Object, node: &Value) -> Result<(), (Vec<String>, String)> {
    match object {
        Object::Document => read::<OpenAPI>(node),
        Object::Components => read::<Components>(node),
        Object::Paths => read::<Paths>(node),
        Object::PathItem => read::<PathItem>(node),
        Object::Operation => read::<Operation>(node),
        Object::Callback => read::<Callback>(node),
        Object::Parameter => read::<Parameter>(node),
        Object::Header => read::<Header>(node),
        Object::RequestBody => read::<RequestBody>(node),
        Object::Responses => read::<Responses>(node),
        Object::Response => read::<Response>(node),
        Object::MediaType => read::<MediaType>(node),
        Object::Encoding => read::<Encoding>(node),
        Object::Example => read::<Example>(node),
        Object::Link => read::<Link>(node),
        Object::Schema => read::<Schema>(node),
        Object::SecurityScheme => read::<SecurityScheme>(node),
    }
}

fn read<T: DeserializeOwned>(node: &Value) -> Result<(), (Vec<String>, String)> {
    serde_path_to_error::deserialize::<_, T>(node)
        .map(drop)
        .map_err(|e| (tokens_of(e.path()), e.into_inner().to_string()))
}

/// The deepest node under `tokens` that still fails to read, and its
/// message (`message` when nothing deeper can be found).
fn narrow(
    raw: &Value,
    root: Kind,
    mut tokens: Vec<String>,
    mut message: String,
) -> (Vec<String>, String) {
    let Some(mut kind) = kind_at(root, &tokens) else {
        return (tokens, message);
    };
    loop {
        let Some(node) = node_at(raw, &tokens) else {
            return (tokens, message);
        };
        let (path, found) = match check(kind, node) {
            Ok(()) => return (tokens, message),
            Err(failure) => failure,
        };
        message = found;
        if path.is_empty() {
            // Serde could not see inside: try the children that have types.
            if let Some((token, next)) = failing_child(kind, node) {
                tokens.push(token);
                kind = next;
                continue;
            }
        } else {
            for token in path {
                tokens.push(token);
                match child(kind, tokens.last().map_or("", String::as_str)) {
                    Some(next) => kind = next,
                    // Deeper than the structure goes: serde's path is exact.
                    None => return (tokens, message),
                }
            }
            continue;
        }
        // The node itself fails, not a child that has a type of its own:
        // one of its own fields, if leaving it out makes the node read.
        // Its parts fit (or a part would have failed first), so it is read
        // without them; and only an object of a few fields is tried.
        if let (Value::Object(map), Kind::One { object, .. }) = (node, kind) {
            if map.len() <= MAX_FIELDS_TRIED
                && !matches!(
                    object,
                    Object::Document | Object::Components | Object::Paths
                )
            {
                for key in map.keys() {
                    if child(kind, key).is_some() {
                        continue;
                    }
                    let mut without = map.clone();
                    without.remove(key);
                    if check_object(object, &alone(kind, &without)).is_ok() {
                        tokens.push(key.clone());
                        return (tokens, message);
                    }
                }
            }
        }
        return (tokens, message);
    }
}

/// The first child of `node` that has a kind of its own and fails to read.
fn failing_child(kind: Kind, node: &Value) -> Option<(String, Kind)> {
    children(node).into_iter().find_map(|(token, value)| {
        let next = child(kind, &token)?;
        check(next, value).is_err().then_some((token, next))
    })
}

/// The entries of a mapping or the items of a list, with their tokens.
fn children(node: &Value) -> Vec<(String, &Value)> {
    match node {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn node_at<'v>(raw: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(raw, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The node at `tokens` (pointer tokens, unescaped), for changing.
pub(super) fn node_mut<'v>(
    raw: &'v mut Value,
    tokens: &[impl AsRef<str>],
) -> Option<&'v mut Value> {
    tokens.iter().try_fold(raw, |node, token| match node {
        Value::Object(map) => map.get_mut(token.as_ref()),
        Value::Array(items) => items.get_mut(token.as_ref().parse::<usize>().ok()?),
        _ => None,
    })
}

/// `openapiv3` reads an operation's callbacks without `ReferenceOr`,
/// though OpenAPI allows a `$ref` there. A copy of the tree with each such
/// reference replaced by its (local) target, or `None` when there is none.
fn inline_callback_references(raw: &Value) -> Result<Option<Value>, Error> {
    let mut found = Vec::new();
    for (path, item) in raw
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for method in METHODS {
            let callbacks = item
                .get(method)
                .and_then(|op| op.get("callbacks"))
                .and_then(Value::as_object);
            for (name, callback) in callbacks.into_iter().flatten() {
                if let Some(reference) = callback.get("$ref") {
                    found.push((path, method, name, reference));
                }
            }
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    let mut inlined = raw.clone();
    for (path, method, name, reference) in found {
        let at = ["paths", path, method, "callbacks", name]
            .iter()
            .fold("#".to_owned(), |p, t| pointer_push(&p, t));
        let target = reference
            .as_str()
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| raw.pointer(pointer))
            .filter(|target| target.get("$ref").is_none())
            .ok_or_else(|| {
                Error::at(
                    pointer_push(&at, "$ref"),
                    format!(
                        "callback `$ref` to {reference}, which is not a callback in this document"
                    ),
                )
            })?;
        if let Some(slot) = inlined.pointer_mut(&at[1..]) {
            *slot = target.clone();
        }
    }
    Ok(Some(inlined))
}
