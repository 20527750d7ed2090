//! A small API covering every shape the types emitter produces, and the
//! helpers the file modules' tests share.

use std::collections::BTreeMap;

use super::emit;
use crate::model::{
    Api, ApiKeyLocation, Content, Enum, EnumVariant, Field, IntegerFormat, Method, NumberFormat,
    Operation, Parameter, ParameterLocation, ParameterStyle, Payload, RequestBody, Response,
    ResponseBody, SecurityScheme, SecuritySchemeKind, Status, Struct, TypeDef, TypeKind, TypeRef,
};
use crate::CrateNames;

fn field(name: &str, wire: &str, ty: TypeRef, required: bool, nullable: bool) -> Field {
    Field {
        name: name.to_owned(),
        wire_name: wire.to_owned(),
        docs: None,
        ty,
        required,
        nullable,
    }
}

fn def(name: &str, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        pointer: format!("#/components/schemas/{name}"),
        docs: None,
        example: None,
        kind,
        derives: Vec::new(),
        attributes: Vec::new(),
    }
}

/// A small API covering every shape the types emitter produces.
pub(crate) fn sample_api() -> Api {
    Api {
        title: "Pet \"store\"\nAPI".to_owned(),
        version: "1.0.0".to_owned(),
        description: Some("A store of pets.".to_owned()),
        servers: vec![],
        types: sample_types(),
        operations: sample_operations(),
        security_schemes: vec![
            SecurityScheme {
                key: "api_key".to_owned(),
                name: "api_key".to_owned(),
                docs: None,
                kind: SecuritySchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    wire_name: "x-api-key".to_owned(),
                },
            },
            SecurityScheme {
                key: "basic".to_owned(),
                name: "basic".to_owned(),
                docs: Some("Basic auth.".to_owned()),
                kind: SecuritySchemeKind::Basic,
            },
            SecurityScheme {
                key: "bearerAuth".to_owned(),
                name: "bearer_auth".to_owned(),
                docs: None,
                kind: SecuritySchemeKind::Bearer,
            },
        ],
    }
}

/// The schemas of [`sample_api`], sorted by name: structs (one of them
/// holding itself), an enum and an alias.
fn sample_types() -> Vec<TypeDef> {
    let pet = def(
        "Pet",
        TypeKind::Struct(Struct {
            fields: vec![
                Field {
                    docs: Some("Identifier of the pet.".to_owned()),
                    ..field("id", "id", TypeRef::Uuid, true, false)
                },
                field("name", "name", TypeRef::String, true, true),
                field(
                    "age",
                    "age",
                    TypeRef::Integer(IntegerFormat::I32),
                    false,
                    false,
                ),
                field("owner_name", "ownerName", TypeRef::String, false, true),
                field(
                    "type",
                    "type",
                    TypeRef::Named("PetKind".to_owned()),
                    true,
                    false,
                ),
                field(
                    "tags",
                    "tags",
                    TypeRef::Map(Box::new(TypeRef::String)),
                    false,
                    false,
                ),
                field(
                    "weights",
                    "weights",
                    TypeRef::Array(Box::new(TypeRef::Number(NumberFormat::F64))),
                    true,
                    false,
                ),
                field("born", "born", TypeRef::Date, false, false),
                field(
                    "parent",
                    "parent",
                    TypeRef::Named("Pet".to_owned()),
                    false,
                    false,
                ),
            ],
            additional_properties: Some(TypeRef::Any),
        }),
    );
    let kind = def(
        "PetKind",
        TypeKind::Enum(Enum {
            variants: vec![
                EnumVariant {
                    name: "Cat".to_owned(),
                    wire_value: "cat".to_owned(),
                },
                EnumVariant {
                    name: "Dog".to_owned(),
                    wire_value: "Dog".to_owned(),
                },
            ],
            unknown_variant: "Unknown".to_owned(),
        }),
    );
    let pets = def(
        "Pets",
        TypeKind::Alias(TypeRef::Array(Box::new(TypeRef::Named("Pet".to_owned())))),
    );
    let error = TypeDef {
        docs: Some("An error.".to_owned()),
        ..def(
            "ErrorResponse",
            TypeKind::Struct(Struct {
                fields: vec![field("message", "message", TypeRef::String, true, false)],
                additional_properties: None,
            }),
        )
    };
    vec![error, pet, kind, pets]
}

/// The operations of [`sample_api`]: one with parameters and every kind of
/// status, one with a body and a single response.
fn sample_operations() -> Vec<Operation> {
    let get_pet = Operation {
        name: "get_pet".to_owned(),
        operation_id: Some("getPet".to_owned()),
        method: Method::Get,
        path: "/pets/{pet_id}".to_owned(),
        pointer: "#/paths/~1pets~1{pet_id}/get".to_owned(),
        summary: Some("Get a pet".to_owned()),
        description: Some("Returns one pet.".to_owned()),
        tags: vec![],
        parameters: vec![
            Parameter {
                name: "pet_id".to_owned(),
                wire_name: "pet_id".to_owned(),
                location: ParameterLocation::Path,
                required: true,
                docs: Some("Id of the pet".to_owned()),
                ty: TypeRef::Uuid,
                explode: true,
                style: ParameterStyle::Default,
            },
            Parameter {
                name: "kind".to_owned(),
                wire_name: "kind".to_owned(),
                location: ParameterLocation::Query,
                required: false,
                docs: None,
                ty: TypeRef::Named("PetKind".to_owned()),
                explode: true,
                style: ParameterStyle::Default,
            },
        ],
        request_body: None,
        responses: vec![
            Response {
                status: Status::Code(200),
                variant: "Ok".to_owned(),
                docs: Some("The pet".to_owned()),
                body: Some(ResponseBody {
                    media_type: "application/json".to_owned(),
                    payload: Payload::Json(TypeRef::Named("Pet".to_owned())),
                }),
                headers: Vec::new(),
            },
            Response {
                status: Status::Code(405),
                variant: "MethodNotAllowed".to_owned(),
                docs: None,
                body: None,
                headers: Vec::new(),
            },
            Response {
                status: Status::Range(5),
                variant: "ServerError".to_owned(),
                docs: None,
                body: None,
                headers: Vec::new(),
            },
            Response {
                status: Status::Default,
                variant: "Default".to_owned(),
                docs: Some("Error".to_owned()),
                body: Some(ResponseBody {
                    media_type: "application/json".to_owned(),
                    payload: Payload::Json(TypeRef::Named("ErrorResponse".to_owned())),
                }),
                headers: Vec::new(),
            },
        ],
        security: vec![vec!["api_key".to_owned()], vec!["basic".to_owned()]],
    };
    let add_pet = Operation {
        name: "add_pet".to_owned(),
        operation_id: None,
        method: Method::Post,
        path: "/pets".to_owned(),
        pointer: "#/paths/~1pets/post".to_owned(),
        summary: None,
        description: None,
        tags: vec![],
        parameters: vec![],
        request_body: Some(RequestBody {
            required: true,
            docs: None,
            contents: vec![Content {
                media_type: "application/json".to_owned(),
                variant: "Json".to_owned(),
                payload: Payload::Json(TypeRef::Named("Pet".to_owned())),
            }],
        }),
        responses: vec![Response {
            status: Status::Code(201),
            variant: "Created".to_owned(),
            docs: None,
            body: None,
            headers: Vec::new(),
        }],
        security: vec![],
    };
    vec![get_pet, add_pet]
}

pub(super) fn emit_map(api: &Api) -> BTreeMap<String, String> {
    let crates = CrateNames::new("pets");
    let mut warnings = Vec::new();
    let files = emit(api, &crates, &mut warnings).files;
    assert!(warnings.is_empty());
    files
        .into_iter()
        .map(|(path, text)| (path.to_string_lossy().into_owned(), text))
        .collect()
}

/// The text of one file the types emitter writes for [`sample_api`].
pub(super) fn emitted(file: &str) -> String {
    let mut files = emit_map(&sample_api());
    files
        .remove(&format!("pets-types/src/{file}"))
        .unwrap_or_else(|| panic!("no {file} in {:?}", files.keys()))
}

/// Whitespace-insensitive `contains`, so the assertions do not depend on
/// how prettyplease breaks lines.
pub(super) fn has(haystack: &str, needle: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    squash(haystack).contains(&squash(needle))
}

#[test]
fn emits_every_file_and_each_parses() {
    let files = emit_map(&sample_api());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "pets-types/src/credentials.rs",
            "pets-types/src/lib.rs",
            "pets-types/src/models.rs",
            "pets-types/src/operations.rs",
        ]
    );
    for (path, text) in &files {
        assert!(
            text.starts_with(
                "// Generated by apiforge from an OpenAPI description. Do not edit.\n"
            ),
            "{path}"
        );
        syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
    }
}

#[test]
fn nothing_to_say_means_no_file() {
    let api = Api {
        types: vec![],
        operations: vec![],
        security_schemes: vec![],
        ..sample_api()
    };
    let files = emit_map(&api);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["pets-types/src/lib.rs"]);
    let lib = &files["pets-types/src/lib.rs"];
    assert!(!lib.contains("mod "), "{lib}");
    assert!(!lib.contains("pub use"), "{lib}");
    syn::parse_file(lib).expect("lib.rs parses");
}
