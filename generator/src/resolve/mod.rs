//! Resolve: an `openapiv3` document into the intermediate model.
//!
//! This is the only stage that knows OpenAPI. It follows `$ref`s (to
//! `components` and to any other place in the document), hoists inline
//! schemas that need a name (objects, enums) under names derived from where
//! they appear, names every type, field, operation and parameter, and turns
//! what it cannot represent exactly into a [`Warning`] and a documented
//! fallback (`TypeRef::Any`, a dropped body) instead of guessing.

use std::any::Any;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToUpperCamelCase;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, Type,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{pointer_push, Error};
use crate::load::Document;
use crate::model::{
    Api, ApiKeyLocation, Constraints, Enum, EnumVariant, Field, IntegerFormat, Method,
    NumberFormat, Operation, Parameter, ParameterLocation, RequestBody, Response, ResponseBody,
    SecurityScheme, SecuritySchemeKind, Server, Status, Struct, TypeDef, TypeKind, TypeRef,
    Warning, WarningKind,
};
use crate::names::{self, Namespace};
use crate::Config;
use json_type::JsonType;

mod constraints;
pub(crate) mod depth;
mod examples;
mod json_type;
mod operations;
mod pagination;
mod renames;
mod schemas;
mod shaping;
pub(crate) mod usage;

#[cfg(test)]
pub(crate) use operations::path_template;

/// How many `$ref`s in a row are followed before giving up (a reference
/// cycle such as `A -> B -> A` with no schema in between).
const MAX_REF_CHAIN: usize = 32;

/// How deep inline schemas may nest. Real specs stay far below; a hostile
/// one must get an error, not a stack overflow.
const MAX_SCHEMA_DEPTH: usize = 64;

/// How many named types are defined inside one another (a property of `A`
/// refers to `B`, whose property refers to `C`, ...) before the next one is
/// put off until the outermost is done: a chain of thousands of references
/// must not recurse thousands deep.
const MAX_NESTED_DEFINITIONS: usize = 16;

/// How many `allOf` parts one schema's view may merge, counting parts of
/// parts each time they are merged.
const MAX_MERGED_PARTS: usize = 10_000;

/// Builds the model of `document`, with a warning for every construct that
/// fell back to something more general.
pub fn resolve(document: &Document, config: &Config) -> Result<(Api, Vec<Warning>), Error> {
    let shaping = shaping::Shaping::new(config, document)?;
    let mut resolver = Resolver::new(document, config, shaping);
    let mut api = resolver.api()?;
    let mut warnings = resolver.warnings;
    pagination::recognise(&mut api, &mut warnings);
    constraints::settle(&mut api, &mut warnings);
    examples::settle(&mut api, &mut warnings);
    if !config.modules {
        api.features = Some(usage::features(&api));
    }
    api.nesting_depth = depth::nesting_depth(&api);
    debug_assert!(
        api.types.windows(2).all(|pair| pair[0].name < pair[1].name),
        "Api::types must be sorted by name: Api::type_named searches it"
    );
    Ok((api, warnings))
}

struct Resolver<'a> {
    doc: &'a Document,
    spec: &'a OpenAPI,
    config: &'a Config,
    /// Whether `[select]` picks operations: then only the types they reach
    /// are defined.
    selecting: bool,
    /// Pointers of the patterns already warned about (a schema used in
    /// several places is read at each).
    pattern_warnings: BTreeSet<String>,
    /// `[rename]` of fields and enum variants, by the pointer of their
    /// component schema; see `names`.
    renames: renames::SchemaRenames,
    /// Names of all types handed out so far.
    type_names: Namespace,
    /// Type name of every schema that has one, by the pointer of the schema.
    named: HashMap<String, String>,
    /// Hoisted inline schemas by their content (a digest of the schema
    /// serialized as JSON, see [`ContentKey`]): identical copies of one
    /// schema in many places (GitHub's spec repeats the same inline
    /// `repository` object in hundreds of webhook payloads) become one type.
    inline_types: HashMap<ContentKey, SharedInline>,
    /// The keys of the digests of [`Self::inline_types`].
    content_keys: [std::hash::RandomState; 2],
    /// Finished types, by name (sorted on output).
    types: BTreeMap<String, TypeDef>,
    warnings: Vec<Warning>,
    /// How many definitions of named types are in progress, one inside the
    /// other.
    defining: usize,
    /// Pointers of named schemas whose definition was put off (see
    /// [`MAX_NESTED_DEFINITIONS`]).
    pending: Vec<String>,
    /// `allOf` parts merged so far into the view being built (see
    /// [`MAX_MERGED_PARTS`]).
    merged_parts: usize,
    /// The configuration's decisions about types.
    shaping: shaping::Shaping,
    /// Schemas the spec replaces with `x-rust-type`, by pointer, as read
    /// (`None`: none, or an invalid one, warned about once).
    x_rust_types: HashMap<String, Option<TypeRef>>,
    /// Whether the spec's text has `x-rust-type` at all: most do not, and
    /// then no schema is looked up for it.
    may_have_x_rust_type: bool,
}

/// The content of a schema, as a 128-bit digest of its JSON: two keyed
/// SipHash digests with keys drawn at random for each run. The JSON itself
/// as the key held megabytes for the whole of resolve (every hoisted
/// schema's text, nested ones again inside their parents'); random keys
/// mean a spec cannot be written to make two different schemas collide,
/// and by chance they do with a probability of about 2^-128 per pair.
type ContentKey = (u64, u64);

/// The [`ContentKey`] of `schema` under `keys`; `None` when it does not
/// serialize.
fn content_key(
    schema: &impl serde::Serialize,
    keys: &[std::hash::RandomState; 2],
) -> Option<ContentKey> {
    use std::hash::{BuildHasher, Hasher};

    /// Feeds the JSON text to both hashers as it is written.
    struct Digest<H>(H, H);

    impl<H: Hasher> std::io::Write for Digest<H> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            self.1.write(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let mut digest = Digest(keys[0].build_hasher(), keys[1].build_hasher());
    serde_json::to_writer(&mut digest, schema).ok()?;
    Some((digest.0.finish(), digest.1.finish()))
}

/// A hoisted inline schema, for the identical copies met later.
struct SharedInline {
    /// The type it became.
    name: String,
    /// Where it was first met.
    pointer: String,
    /// The warnings about it and the schemas inside it, repeated at each
    /// copy's own place so every place with a fallback is reported.
    warnings: Vec<Warning>,
}

impl<'a> Resolver<'a> {
    fn new(doc: &'a Document, config: &'a Config, shaping: shaping::Shaping) -> Self {
        let select = &config.select;
        Resolver {
            doc,
            spec: &doc.openapi,
            config,
            selecting: !(select.tags.is_empty()
                && select.operations.is_empty()
                && select.paths.is_empty()),
            pattern_warnings: BTreeSet::new(),
            renames: renames::SchemaRenames::default(),
            type_names: Namespace::new(),
            named: HashMap::new(),
            inline_types: HashMap::new(),
            content_keys: [std::hash::RandomState::new(), std::hash::RandomState::new()],
            types: BTreeMap::new(),
            warnings: Vec::new(),
            defining: 0,
            pending: Vec::new(),
            merged_parts: 0,
            may_have_x_rust_type: doc.mentions("x-rust-type"),
            shaping,
            x_rust_types: HashMap::new(),
        }
    }

    /// The Rust type that replaces the schema at `pointer`: the
    /// configuration's override, else the schema's valid `x-rust-type`.
    fn replaced(&mut self, pointer: &str) -> Option<TypeRef> {
        if let Some(ty) = self.shaping.overridden(pointer) {
            return Some(ty);
        }
        if !self.may_have_x_rust_type {
            return None;
        }
        if let Some(known) = self.x_rust_types.get(pointer) {
            return known.clone();
        }
        let ty = match self.doc.node(pointer).and_then(|n| n.get("x-rust-type")) {
            None => None,
            Some(value) => match shaping::x_rust_type(value) {
                Ok(external) => Some(TypeRef::External(external)),
                Err(problem) => {
                    self.warn(
                        &pointer_push(pointer, "x-rust-type"),
                        WarningKind::InvalidRustType,
                        format!("{problem}; the schema's own type is generated"),
                    );
                    None
                }
            },
        };
        self.x_rust_types.insert(pointer.to_owned(), ty.clone());
        ty
    }

    /// The constraints of the schema at `pointer` (see [`constraints`]).
    fn constraints_at(&mut self, pointer: &str) -> Constraints {
        let Some(node) = self.doc.node(pointer) else {
            return Constraints::default();
        };
        let mut warnings = Vec::new();
        let read = constraints::read(node, pointer, &mut warnings);
        for warning in warnings {
            if self.pattern_warnings.insert(warning.pointer.clone()) {
                self.warnings.push(warning);
            }
        }
        read
    }

    fn warn(&mut self, pointer: &str, kind: WarningKind, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            kind,
            message: message.into(),
        });
    }

    fn api(&mut self) -> Result<Api, Error> {
        // Component schemas get their names first, in document order, so a
        // hoisted inline schema never takes a name the spec gave a component.
        let schemas: Vec<(String, String)> = self
            .spec
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|key| {
                let pointer = pointer_push("#/components/schemas", key);
                (key.clone(), pointer)
            })
            .collect();
        self.name_components(&schemas)?;
        // With a selection, a component is defined when an operation
        // reaches it; without, every one is, in document order. A replaced
        // schema has no model type: every use names the replacement.
        if !self.selecting {
            for (_, pointer) in &schemas {
                if self.replaced(pointer).is_none() {
                    self.define_named(pointer)?;
                }
            }
        }

        let operations = self.operations()?;
        while let Some(pointer) = self.pending.pop() {
            self.define_named(&pointer)?;
        }
        self.renames.check_all_used(self.config, &self.types)?;
        self.break_alias_cycles();
        let security_schemes = self.security_schemes(&operations)?;
        for def in self.types.values_mut() {
            self.shaping.decorate(def);
        }
        let info = &self.spec.info;
        Ok(Api {
            title: info.title.clone(),
            version: info.version.clone(),
            description: info.description.clone(),
            servers: self
                .spec
                .servers
                .iter()
                .map(|s| Server {
                    url: s.url.clone(),
                    description: s.description.clone(),
                })
                .collect(),
            types: std::mem::take(&mut self.types).into_values().collect(),
            operations,
            security_schemes,
            features: None,
            nesting_depth: 0,
            std_derives: self.config.std_derives,
        })
    }

    // ---- references -------------------------------------------------------

    /// Follows `$ref`s from `item` until a `T`, returning it with the pointer
    /// it was found at. `at` is where `item` itself sits. The `T` is
    /// borrowed from the document unless it had to be read from the raw
    /// tree (see [`Self::component`]).
    fn deref<'p, T: DeserializeOwned + Clone + 'static>(
        &self,
        item: &'p ReferenceOr<T>,
        at: &str,
    ) -> Result<(Cow<'p, T>, String), Error>
    where
        'a: 'p,
    {
        match item {
            ReferenceOr::Item(value) => Ok((Cow::Borrowed(value), at.to_owned())),
            ReferenceOr::Reference { reference } => self.deref_pointer(reference, at),
        }
    }

    fn deref_pointer<T: DeserializeOwned + Clone + 'static>(
        &self,
        reference: &str,
        at: &str,
    ) -> Result<(Cow<'a, T>, String), Error> {
        let mut target = self.local_pointer(reference, at)?;
        for _ in 0..MAX_REF_CHAIN {
            let node = self.doc.node(&target).ok_or_else(|| {
                self.doc
                    .error(at, format!("`$ref` to `{reference}`, which does not exist"))
            })?;
            if let Some(next) = node.get("$ref").and_then(Value::as_str) {
                target = self.local_pointer(next, &target)?;
                continue;
            }
            if let Some(component) = self.component::<T>(&target) {
                return Ok((Cow::Borrowed(component), target));
            }
            let value = crate::load::read::<T>(node, &target)
                .map_err(|(at, e)| self.doc.error(&at, format!("invalid object: {e}")))?;
            return Ok((Cow::Owned(value), target));
        }
        Err(self.doc.error(
            at,
            format!("`$ref` chain from `{reference}` never ends (a reference cycle)"),
        ))
    }

    /// The component at `pointer` (`#/components/schemas/Pet`, ...) as the
    /// typed document already holds it, when it is a `T`. Nearly every
    /// `$ref` leads to one, and borrowing it saves reading the node from
    /// the raw tree again. Names with an escaped `/` or `~` are
    /// left to the raw tree.
    fn component<T: 'static>(&self, pointer: &str) -> Option<&'a T> {
        fn item<T>(found: Option<&ReferenceOr<T>>) -> Option<&T> {
            match found? {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { .. } => None,
            }
        }
        let (section, name) = pointer.strip_prefix("#/components/")?.split_once('/')?;
        if name.contains(['/', '~']) {
            return None;
        }
        let components = self.spec.components.as_ref()?;
        let found: &dyn Any = match section {
            "schemas" => item(components.schemas.get(name))?,
            "parameters" => item(components.parameters.get(name))?,
            "responses" => item(components.responses.get(name))?,
            "requestBodies" => item(components.request_bodies.get(name))?,
            "headers" => item(components.headers.get(name))?,
            _ => return None,
        };
        found.downcast_ref::<T>()
    }

    /// The pointer a local `$ref` names. Other files were bundled into the
    /// document when it was loaded (`load/bundle.rs`): a `$ref` that still
    /// names one is in a place loading does not follow.
    fn local_pointer(&self, reference: &str, at: &str) -> Result<String, Error> {
        match reference.strip_prefix('#') {
            Some(pointer) => Ok(format!("#{}", crate::load::decode_percent(pointer))),
            None => Err(self.doc.error(
                at,
                format!("`$ref` to another document (`{reference}`) is not followed here: only the `$ref`s of schemas, parameters, headers, request bodies, responses, security schemes, callbacks and path items lead to other files"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{try_resolve as resolve_text, with_paths};

    const PETS: &str = r#"
openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getPet
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: a pet
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        '404': {$ref: '#/components/responses/NotFound'}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
components:
  responses:
    NotFound:
      description: not found
  schemas:
    Pet:
      type: object
      required: [id, type]
      properties:
        id: {type: string, format: uuid}
        type: {type: string, enum: [dog, cat, Dog]}
        parent: {$ref: '#/components/schemas/Pet'}
        tags: {type: array, items: {type: object, properties: {name: {type: string}}}}
        extra: {type: object, additionalProperties: {type: integer, format: int32}}
    Error:
      type: object
      properties:
        message: {type: string, nullable: true}
"#;

    #[test]
    fn every_type_is_found_by_its_name() {
        let (api, _) = resolve_text(PETS).unwrap();
        for def in &api.types {
            assert_eq!(api.type_named(&def.name), Some(def));
        }
        // Names before, between and after the defined ones.
        for missing in ["Apple", "Pets", "PetTags", "Zebra", ""] {
            assert_eq!(api.type_named(missing), None, "{missing}");
        }
    }

    #[test]
    fn resolves_types_and_operations() {
        let (api, warnings) = resolve_text(PETS).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Error", "Pet", "PetTagsItem", "PetType"]);
        let pet = api.type_named("Pet").unwrap();
        let TypeKind::Struct(pet) = &pet.kind else {
            panic!("{pet:?}")
        };
        assert_eq!(pet.fields[1].name, "type");
        assert_eq!(pet.fields[1].ty, TypeRef::Named("PetType".into()));
        assert_eq!(pet.fields[2].ty, TypeRef::Named("Pet".into()));
        assert_eq!(
            pet.fields[4].ty,
            TypeRef::Map(Box::new(TypeRef::Integer(IntegerFormat::I32)))
        );
        let pet_type = api.type_named("PetType").unwrap();
        let TypeKind::Enum(e) = &pet_type.kind else {
            panic!()
        };
        let variants: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(variants, ["Dog", "Cat", "Dog2"]);

        let op = &api.operations[0];
        assert_eq!(op.name, "get_pet");
        assert_eq!(op.pointer, "#/paths/~1pets~1{petId}/get");
        assert_eq!(op.parameters[0].name, "pet_id");
        assert_eq!(op.parameters[0].ty, TypeRef::Uuid);
        assert_eq!(op.parameters[1].location, ParameterLocation::Query);
        let variants: Vec<&str> = op.responses.iter().map(|r| r.variant.as_str()).collect();
        assert_eq!(variants, ["Ok", "NotFound", "Default"]);
        assert!(op.responses[1].body.is_none());
    }

    #[test]
    fn missing_reference_names_its_place() {
        let text = PETS.replace("#/components/schemas/Error", "#/components/schemas/Nope");
        let e = resolve_text(&text).unwrap_err();
        assert_eq!(
            e.pointer.as_deref(),
            Some("#/paths/~1pets~1{petId}/get/responses/default/content/application~1json/schema")
        );
        assert!(e.message.contains("does not exist"), "{e}");
        assert!(e.line.is_some());
    }

    #[test]
    fn reference_cycle_is_an_error() {
        let text = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
"#;
        let e = resolve_text(text).unwrap_err();
        assert!(e.message.contains("cycle"), "{e}");
    }

    #[test]
    fn operations_without_id_are_named_from_method_and_path() {
        let text = &with_paths(
            r#"
  /users/{id}/keys:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {'204': {description: none}}
"#,
        );
        let (api, _) = resolve_text(text).unwrap();
        assert_eq!(api.operations[0].name, "get_users_id_keys");
    }
}

#[cfg(test)]
mod spec_tests {
    use super::*;

    /// The project's own spec resolves without a single fallback, its three
    /// bounds (`minimum`, `maximum`) on the fields they constrain.
    #[test]
    fn customer_spec_resolves_without_fallbacks() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/customer-identification-processes.yaml"
        );
        let doc = crate::load::load(std::path::Path::new(path)).unwrap();
        let (api, warnings) = resolve(&doc, &Config::default()).unwrap();
        assert!(warnings.is_empty(), "{warnings:#?}");
        let bounded: Vec<(&str, &str)> = api
            .types
            .iter()
            .filter_map(|def| match &def.kind {
                TypeKind::Struct(s) => Some((def, s)),
                _ => None,
            })
            .flat_map(|(def, s)| s.fields.iter().map(move |f| (def, f)))
            .filter(|(_, f)| f.constraints.minimum.is_some() || f.constraints.maximum.is_some())
            .map(|(def, f)| (def.name.as_str(), f.name.as_str()))
            .collect();
        assert_eq!(
            bounded,
            [
                ("IdentificationAttempt", "score"),
                ("IdentificationProcess", "max_attempts")
            ]
        );
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert!(names.contains(&"IdentificationAttemptChannel"), "{names:?}");
        assert_eq!(api.operations.len(), 2);
        assert_eq!(api.security_schemes.len(), 2);
        if std::env::var_os("APIFORGE_DUMP_MODEL").is_some() {
            eprintln!("{api:#?}");
        }
    }
}
