//! The intermediate model: what the emitters need to know about an API, and
//! nothing about how OpenAPI spelled it.
//!
//! `resolve` builds an [`Api`] from an OpenAPI document; the emitters read it.
//! No `openapiv3` type appears here, so each emitter can be read (and tested)
//! without knowing the quirks of the input format. Every name in the model is
//! already a valid, collision-free Rust identifier in the case its use needs
//! (`UpperCamelCase` for types and variants, `snake_case` for fields,
//! operations and parameters); wire names are kept beside them.
//!
//! Everything is in a deterministic order: types sorted by name, operations in
//! document order, fields in declaration order.

use serde_json::Value;

mod warning;

pub use warning::{Warning, WarningKind};

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`, verbatim (it need not be semver).
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `servers`, in document order.
    pub servers: Vec<Server>,
    /// Every named type: components, and inline schemas hoisted under derived
    /// names. Sorted by `name`, which [`Api::type_named`] relies on.
    pub types: Vec<TypeDef>,
    /// Every operation, in document order (paths, then methods in the order
    /// get, put, post, delete, options, head, patch, trace).
    pub operations: Vec<Operation>,
    /// Security schemes used by at least one operation, sorted by `key`.
    pub security_schemes: Vec<SecurityScheme>,
    /// The crates' cargo features: one per tag, and which operations and
    /// directions reach each type (`resolve::usage`). `None` where the code
    /// is compiled whole, with no feature gates (the build step's modules).
    pub features: Option<Features>,
    /// An upper bound of how deep the compiler's proof of an auto trait
    /// nests through the types (`resolve::depth`): the types crate raises
    /// its `recursion_limit` from it.
    pub nesting_depth: usize,
    /// Which std traits every data type derives (`std-derives`).
    pub std_derives: crate::config::StdDerives,
}

/// The cargo features of the types and client crates, and what each item
/// of the types crate needs, decided once after resolve so that the
/// emitters only print it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// One feature per distinct name, sorted by name.
    pub list: Vec<Feature>,
    /// For each operation (in [`Api::operations`] order), the features
    /// (indices into `list`) that compile it; empty: always compiled.
    pub operations: Vec<Vec<usize>>,
    /// For each named type (in [`Api::types`] order), when it compiles and
    /// which serde directions each side needs.
    pub types: Vec<TypeUsage>,
}

/// A cargo feature of the types and client crates: the operations of the
/// tags whose text gives its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The cargo feature's name, a valid one that no fixed feature has.
    pub name: String,
    /// The tags that give this name, as the spec writes them, sorted.
    pub tags: Vec<String>,
    /// How many operations it compiles.
    pub operations: usize,
}

/// When a named type compiles, and which sides derive each serde trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeUsage {
    /// Features (indices into [`Features::list`]) whose operations reach
    /// the type; empty: always compiled (an untagged operation or no
    /// operation reaches it, or every feature does).
    pub features: Vec<usize>,
    /// The sides that serialize a value of the type.
    pub serialize: Sides,
    /// The sides that deserialize a value of the type.
    pub deserialize: Sides,
}

impl TypeUsage {
    /// A type that always compiles with both serde traits.
    pub fn always() -> Self {
        TypeUsage {
            features: Vec::new(),
            serialize: Sides::BOTH,
            deserialize: Sides::BOTH,
        }
    }
}

/// Which generated crates need something: the client, the server, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sides {
    pub client: bool,
    pub server: bool,
}

impl Sides {
    pub const BOTH: Sides = Sides {
        client: true,
        server: true,
    };
}

impl Api {
    /// The named type called `name`, found by binary search: `types` is
    /// sorted by name (resolve collects them from a map keyed by name, and
    /// checks the order once it is done), so the sorted list is the type
    /// index and nothing beside it can drift. The check is not made here:
    /// the emitters look types up hundreds of thousands of times, and a
    /// generator built without optimisations (a build script's dependency)
    /// spent 7% of its time re-checking the order.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|def| def.name.as_str().cmp(name))
            .ok()
            .map(|index| &self.types[index])
    }
}

/// The essence of a media type: `type/subtype`, lower case, without
/// parameters. Resolve picks bodies by it and the server compares
/// `Content-Type` headers with it.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// What a type is on the wire, for a parameter or header: one value, a list,
/// or an object. Decided here once, for the client's writers and the
/// server's readers alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Scalar,
    List,
    Object,
}

impl Api {
    /// `ty` with aliases and newtypes followed to what they stand for (a
    /// bounded number of times: resolve leaves no alias cycle, and a bug
    /// must not hang).
    fn unaliased<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut ty = ty;
        for _ in 0..32 {
            match ty {
                TypeRef::Named(name) => match self.type_named(name).map(|t| &t.kind) {
                    Some(TypeKind::Alias(target) | TypeKind::Newtype(target)) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// The kind of the named type `ty` stands for, if it stands for one.
    fn kind_of<'t>(&'t self, ty: &'t TypeRef) -> Option<&'t TypeKind> {
        match self.unaliased(ty) {
            TypeRef::Named(name) => self.type_named(name).map(|t| &t.kind),
            _ => None,
        }
    }

    /// The shape of `ty`, following aliases and newtypes.
    pub(crate) fn shape_of(&self, ty: &TypeRef) -> Shape {
        match (self.unaliased(ty), self.kind_of(ty)) {
            (TypeRef::Array(_), _) => Shape::List,
            (TypeRef::Map(_), _) | (_, Some(TypeKind::Struct(_))) => Shape::Object,
            _ => Shape::Scalar,
        }
    }

    /// The one value a parameter allows, when its schema is an enum of one
    /// string (`X-Amz-Target: Service.Operation`): what the server may
    /// tell operations sharing a route apart by.
    pub(crate) fn constant_of<'t>(&'t self, parameter: &'t Parameter) -> Option<&'t str> {
        match self.kind_of(&parameter.ty)? {
            TypeKind::Enum(Enum { variants, .. }) => match variants.as_slice() {
                [only] => Some(&only.wire_value),
                _ => None,
            },
            _ => None,
        }
    }
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

/// A named Rust type to emit in the types crate.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// `UpperCamelCase` Rust name, unique among types.
    pub name: String,
    /// JSON pointer of the schema this type comes from (for messages and docs).
    pub pointer: String,
    /// `description` (or `title` when there is no description).
    pub docs: Option<String>,
    /// The schema's `example`, if any; tests round-trip it through the type.
    pub example: Option<Value>,
    pub kind: TypeKind,
    /// Derives the configuration adds to the generated ones, each a path
    /// checked to parse (`Hash`, `schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// Outer attributes the configuration adds (`#[serde(deny_unknown_fields)]`),
    /// each checked to parse as one attribute.
    pub attributes: Vec<String>,
    /// What the schema allows of its values beyond their type. For an
    /// alias, every use of the alias checks them; for a struct, only
    /// `minProperties`/`maxProperties` are left (its fields carry their own).
    pub constraints: Constraints,
}

impl TypeDef {
    /// Whether the type keeps serde's derives: the configuration gives it
    /// serde attributes (`#[serde(deny_unknown_fields)]`, say), which only
    /// the derives read. Its wire form is then serde's to decide, not the
    /// generated code's alone.
    pub fn keeps_serde_derives(&self) -> bool {
        self.attributes
            .iter()
            .any(|attribute| attribute.contains("serde"))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum. Unknown values are kept in an extra variant.
    Enum(Enum),
    /// A name for another type (`type Name = ...;`), for named schemas that
    /// are not objects or enums (`type: string`, arrays, maps, ...).
    Alias(TypeRef),
    /// `oneOf` / `anyOf`: a value of one of several types.
    Union(Union),
    /// A named schema that contains itself through containers only (`A:
    /// {type: array, items: {$ref: A}}`): a type alias cannot be recursive,
    /// so it is a struct with one unnamed field (`struct A(Vec<A>);`), which
    /// serde reads and writes as that field.
    Newtype(TypeRef),
}

/// `oneOf` / `anyOf`: one variant per alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The wire name of the property that tells the variants apart (the
    /// `discriminator`'s `propertyName`, or a property every alternative
    /// requires with a different constant value). `None`: the variants are
    /// told apart by their shape, trying them in order.
    pub tag: Option<String>,
    /// In the order they are tried when `tag` is `None`: more specific first.
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// `UpperCamelCase`, unique in its union.
    pub name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
    /// The value of the union's `tag` property that selects this variant
    /// (present exactly when the union has a tag).
    pub tag_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties`: `None` when absent or `false`; otherwise the
    /// value type of the extra properties, collected into a map next to the
    /// known fields (`TypeRef::Any` for `true` or `{}`).
    pub additional_properties: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// `snake_case` Rust name, unique in its struct, never a keyword.
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    pub docs: Option<String>,
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`. With `required`, gives three shapes:
    /// required (`T`), required + nullable (`Option<T>`, always sent),
    /// optional (`Option<T>`, omitted when `None`), optional + nullable
    /// (`Nullable<T>`: absent, explicit null, value).
    pub nullable: bool,
    /// What the property's schema allows of its value beyond its type.
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps values the spec does not list
    /// (`Unknown` unless a listed value already took that name).
    pub unknown_variant: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// `UpperCamelCase`, unique in its enum.
    pub name: String,
    /// The value on the wire.
    pub wire_value: String,
}

/// What a schema allows of its values beyond their type: JSON Schema's
/// validation keywords. Resolve keeps only the keywords that apply to the
/// Rust type of the place they are on (a `maxLength` on a `String`, a
/// `minimum` on a number, ...), each once; the emitters print a check for
/// each. Empty ([`Constraints::is_empty`]) for most places.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`, in characters (Unicode scalar values).
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `pattern`s the value must match somewhere (unanchored, as JSON
    /// Schema reads them); each compiles with the `regex` crate under
    /// [`PATTERN_SIZE_LIMIT`].
    pub patterns: Vec<String>,
    /// `minimum`, with `exclusiveMinimum`.
    pub minimum: Option<Bound>,
    /// `maximum`, with `exclusiveMaximum`.
    pub maximum: Option<Bound>,
    /// `multipleOf` (positive).
    pub multiple_of: Option<serde_json::Number>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// The constraints of each item of an array, or of each value of a map,
    /// when its schema is inline (a `$ref`'s schema is a named type with
    /// constraints of its own).
    pub items: Option<Box<Constraints>>,
}

/// The most bytes a compiled `pattern` may take (`regex`'s size limit):
/// a pattern is untrusted text, and its compiled form must stay small.
/// The generator compiles each pattern with this limit when it reads the
/// spec, and the generated code with the same.
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;

impl Constraints {
    /// Whether nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A bound of a number: `minimum` or `maximum`, as the spec writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The bound.
    pub value: serde_json::Number,
    /// Whether the bound itself is excluded (`exclusiveMinimum: true`).
    pub exclusive: bool,
}

/// A reference to a type, as used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    Integer(IntegerFormat),
    Number(NumberFormat),
    /// `format: uuid`.
    Uuid,
    /// `format: date-time` (RFC 3339).
    DateTime,
    /// `format: date` (RFC 3339 full-date).
    Date,
    /// Any JSON value: schemas without a type, and the fallback for
    /// constructs the generator does not support yet (always with a warning).
    Any,
    /// A type of [`Api::types`], by its `name`.
    Named(String),
    Array(Box<TypeRef>),
    /// An object with only `additionalProperties`: a map from string keys.
    Map(Box<TypeRef>),
    /// A value or `null` (`Option<T>`): the items of an array and the
    /// values of a map whose schema admits `null`. A property's `null` is
    /// [`Field::nullable`] instead, and parameters have none.
    OrNull(Box<TypeRef>),
    /// A Rust type from outside the generated code: a format's type the
    /// configuration chose (`time::OffsetDateTime`, `rust_decimal::Decimal`,
    /// `bytes::Bytes`), or a schema replaced by an override or
    /// `x-rust-type`.
    External(ExternalType),
}

/// A Rust type the generated code names but does not define.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternalType {
    /// The type's path, checked to parse as one (`money::Money`,
    /// `crate::Money`, `rust_decimal::Decimal`).
    pub path: String,
    /// The crate that provides it, which the types crate depends on and
    /// re-exports; `None` for a type of the crate that includes the code
    /// (`crate::...`).
    pub dependency: Option<CrateDependency>,
}

/// A dependency of a generated crate, as its `Cargo.toml` spells it. Every
/// string was checked when it was read (a crate name, a version
/// requirement, feature names), and is written into the manifest as an
/// escaped TOML string all the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CrateDependency {
    /// The name the code uses (`money` in `money::Money`).
    pub name: String,
    /// Version requirement.
    pub version: Option<String>,
    /// Path, for a crate of the same repository (from the configuration
    /// only, never from the spec).
    pub path: Option<String>,
    /// Package name, when it differs from `name`.
    pub package: Option<String>,
    /// Features to enable.
    pub features: Vec<String>,
    /// Whether `default-features = false`.
    pub no_default_features: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntegerFormat {
    /// `format: int32`.
    I32,
    /// `format: int64`, and integers without a format.
    I64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumberFormat {
    /// `format: float`.
    F32,
    /// `format: double`, and numbers without a format.
    F64,
}

/// One operation (a method on a path).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `snake_case` name, unique among operations: the server trait's method,
    /// the client's method and the module in the types crate's `operations`.
    pub name: String,
    /// `operationId`, verbatim, when the spec gives one.
    pub operation_id: Option<String>,
    pub method: Method,
    /// The path template, e.g. `/orgs/{org_id}`, parsed into segments whose
    /// parameters refer to [`Operation::parameters`].
    pub path: PathTemplate,
    /// JSON pointer of the operation object.
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Path-level and operation-level parameters merged (operation wins),
    /// path parameters first in path order, then the others in spec order.
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    /// Declared responses: codes ascending, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// Alternatives: the request is authorised when every scheme of one
    /// alternative is presented. Empty: no credentials needed. Each entry
    /// names [`SecurityScheme::key`]s.
    pub security: Vec<Vec<String>>,
    /// How the operation's `200` response leads to the next page, when the
    /// spec shows one of the patterns resolve recognises.
    pub pagination: Option<Pagination>,
}

/// A pagination pattern of a `GET` operation's `200` response: how the
/// client finds the next page's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pagination {
    /// The response declares a `Link` header, whose `rel="next"` link is
    /// the next page's URL (RFC 8288).
    LinkHeader,
    /// A string property of the JSON body holds the next page's URL.
    NextUrl {
        /// The property as a JSON pointer into the body (wire names),
        /// e.g. `/links/next`.
        pointer: String,
    },
    /// A string property of the JSON body holds a cursor the next request
    /// sends in a query parameter.
    Cursor {
        /// The query parameter's wire name.
        parameter: String,
        /// The property as a JSON pointer into the body (wire names).
        pointer: String,
    },
}

/// A path template, parsed once by resolve: `/files/v{version}/{name}.{ext}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// As written in the spec.
    pub text: String,
    /// The `/`-separated segments after the leading `/`.
    pub segments: Vec<PathSegment>,
    /// Why a router that matches whole segments by name (axum) cannot route
    /// the template, when it cannot: no leading `/`, an unmatched brace, a
    /// parameter twice, a catch-all, two parameters with nothing between
    /// them. The client builds such URLs all the same.
    pub unroutable: Option<String>,
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// One `/`-separated segment of a [`PathTemplate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text alone, matched as is (a `{name}` that names no path parameter
    /// stays text).
    Literal(String),
    /// One path parameter alone (`{id}`): an index into
    /// [`Operation::parameters`].
    Param(usize),
    /// Path parameters with text around or between them (`{name}.{ext}`).
    Mixed {
        /// The segment as written.
        template: String,
        /// Its text and parameters in order, text never empty.
        parts: Vec<PathPart>,
    },
}

/// A piece of a [`PathSegment::Mixed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// An index into [`Operation::parameters`].
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Upper-case HTTP name, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// `snake_case` Rust name, unique among the operation's parameters.
    pub name: String,
    /// The name on the wire (path segment name, query key, header name).
    pub wire_name: String,
    pub location: ParameterLocation,
    /// Always true for path parameters.
    pub required: bool,
    pub docs: Option<String>,
    pub ty: TypeRef,
    /// For arrays in the query: `explode` (default true for form style).
    /// Exploded arrays repeat the key; others join values with commas.
    pub explode: bool,
    /// How the value is written on the wire.
    pub style: ParameterStyle,
    /// What the parameter's schema allows of its value beyond its type.
    pub constraints: Constraints,
}

/// How a parameter's value is written: OpenAPI's `style`, or `content`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParameterStyle {
    /// The location's default, `form` (query, cookie) or `simple` (path,
    /// header): a scalar as its text; array items repeat the key (query,
    /// `explode`) or are joined with commas.
    Default,
    /// `spaceDelimited`: array items joined with spaces.
    SpaceDelimited,
    /// `pipeDelimited`: array items joined with `|`.
    PipeDelimited,
    /// `deepObject` (query): an object's properties as `name[key]=value`.
    DeepObject,
    /// `content` with a JSON media type: the value as JSON text.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParameterLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub docs: Option<String>,
    /// The media types the operation accepts, in spec order; never empty.
    pub contents: Vec<Content>,
}

impl RequestBody {
    /// Whether one of its media types is multipart with a file part.
    pub fn has_file_part(&self) -> bool {
        self.contents.iter().any(|content| match &content.payload {
            Payload::Multipart(fields) => fields
                .iter()
                .any(|f| matches!(f.part, PartKind::File | PartKind::Files)),
            _ => false,
        })
    }
}

/// One media type of a request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The media type as written, e.g. `application/json`.
    pub media_type: String,
    /// `UpperCamelCase` variant of the operation's body enum (`Json`,
    /// `Form`, `Multipart`, `Text`, `OctetStream`, ...), unique per body;
    /// used when the body has several media types.
    pub variant: String,
    pub payload: Payload,
    /// What the schema allows of a JSON body beyond its type (empty for
    /// other payloads).
    pub constraints: Constraints,
}

/// How a body is encoded, and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// JSON (`application/json`, `+json`, `text/json`): a serde value.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: an object's properties as
    /// `key=value` pairs (requests only).
    Form {
        ty: TypeRef,
        /// Wire names of the properties the spec's `encoding` gives
        /// `style: deepObject`: their arrays are written `key[0]=value`.
        deep_objects: Vec<String>,
    },
    /// `multipart/form-data`: one part per property (requests only).
    Multipart(Vec<MultipartField>),
    /// `text/*`: a string.
    Text,
    /// Any other media type: the raw bytes.
    Binary,
}

/// A property of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartField {
    /// `snake_case` Rust name, unique in the body.
    pub name: String,
    /// The part's name on the wire.
    pub wire_name: String,
    pub docs: Option<String>,
    pub required: bool,
    pub part: PartKind,
}

/// What a multipart property holds.
#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// `type: string, format: binary`: a file (bytes, file name, media type).
    File,
    /// An array of binary strings: several files under one name.
    Files,
    /// Any other schema: text for scalars (one part per item for arrays),
    /// JSON for objects.
    Value(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    /// `UpperCamelCase` variant name in the operation's response enum, e.g.
    /// `Ok`, `NotFound`, `ClientError` (4XX), `Default`; unique per operation.
    pub variant: String,
    /// The response's `description`.
    pub docs: Option<String>,
    /// `None`: the response has no content.
    pub body: Option<ResponseBody>,
    /// Declared `headers` (but `Content-Type`), in spec order.
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    /// The media type as written, e.g. `application/json`.
    pub media_type: String,
    /// [`Payload::Json`], [`Payload::Text`] or [`Payload::Binary`].
    pub payload: Payload,
}

/// A header a response declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// `snake_case` Rust name, unique among the response's headers.
    pub name: String,
    /// The header name as written in the spec.
    pub wire_name: String,
    pub docs: Option<String>,
    pub required: bool,
    pub ty: TypeRef,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// One status code, e.g. 404.
    Code(u16),
    /// A range: `4XX` is `Range(4)`.
    Range(u8),
    /// `default`: every status no other response covers.
    Default,
}

/// A security scheme from `components/securitySchemes`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The key in `components/securitySchemes`, verbatim.
    pub key: String,
    /// `snake_case` Rust name, unique among schemes: the field of the
    /// generated `Credentials`.
    pub name: String,
    pub docs: Option<String>,
    pub kind: SecuritySchemeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecuritySchemeKind {
    /// `type: apiKey`: a secret sent in a header, query parameter or cookie.
    ApiKey {
        location: ApiKeyLocation,
        /// Header, query or cookie name.
        wire_name: String,
    },
    /// `type: http, scheme: bearer`, and oauth2 / openIdConnect (a bearer
    /// access token): `Authorization: Bearer <token>`.
    Bearer,
    /// `type: http, scheme: basic`: `Authorization: Basic base64(user:pass)`.
    Basic,
}

/// Where an `apiKey` secret travels: OpenAPI allows no other place (an
/// `apiKey` `in: path` is refused when the spec is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}
