//! The configuration file's general sections, end to end: `[parts]`,
//! `[select]` and `[rename]` change what is generated from a spec, and a
//! setting that names nothing in the spec is an error naming the key and its
//! line.

use std::path::Path;

use apiforge::{Config, Output};

include!("config_shop.rs");

/// Generates the shop spec with the configuration `toml` (read as the file
/// `apiforge.toml`).
fn generate(toml: &str) -> Result<Output, apiforge::Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("shop.yaml");
    std::fs::write(&spec, SHOP).expect("write spec");
    let config = Config::from_toml(toml, Path::new("apiforge.toml"))?;
    apiforge::generate_with_config(&spec, &config)
}

/// Every Rust source of the crate `package`, one after the other.
fn sources(output: &Output, package: &str) -> String {
    output
        .files
        .iter()
        .filter(|(path, _)| {
            path.starts_with(package) && path.extension().is_some_and(|e| e == "rs")
        })
        .map(|(_, text)| text.as_str())
        .collect()
}

fn error(toml: &str) -> String {
    match generate(toml) {
        Ok(_) => panic!("generates with\n{toml}"),
        Err(e) => e.to_string(),
    }
}

fn warnings(output: &Output) -> Vec<String> {
    output.warnings.iter().map(|w| w.to_string()).collect()
}

#[test]
fn without_a_configuration_everything_is_generated() {
    let output = generate("").expect("generates");
    let types = sources(&output, "shop-types");
    for item in ["pub struct Order", "pub struct Unused", "pub struct Pet "] {
        assert!(types.contains(item), "{item}");
    }
    let warnings = warnings(&output);
    assert!(
        warnings.iter().any(|w| w.contains("callbacks")),
        "{warnings:?}"
    );
}

/// `[select] tags`: the operations with the tag, the types they reach
/// through references, unions, arrays and maps, and the security schemes
/// they use; no warning about anything else.
#[test]
fn selecting_a_tag_keeps_what_its_operations_reach() {
    let output = generate("[select]\ntags = [\"pets\"]\n").expect("generates");
    let types = sources(&output, "shop-types");
    for item in [
        "pub struct Pet ",
        "pub enum Status",
        "pub enum PetOwner",
        "pub struct Person",
        "pub struct Company",
        "pub type Label",
        "pub mod list_pets",
        "pub mod get_pet",
        "pub api_key:",
    ] {
        assert!(types.contains(item), "{item} missing");
    }
    for item in ["Order", "Unused", "create_order", "bearer"] {
        assert!(!types.contains(item), "{item} generated");
    }
    let client = sources(&output, "shop-client");
    assert!(client.contains("pub fn list_pets("));
    assert!(!client.contains("create_order"));
    let warnings = warnings(&output);
    // The one constraint of what is generated is checked (not those of
    // `Order` or `Unused`), without a warning.
    assert!(
        !warnings.iter().any(|w| w.contains("constraint")),
        "{warnings:?}"
    );
    assert!(
        types.contains("check_length(found, at, value, None, Some("),
        "{types}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("callbacks")),
        "{warnings:?}"
    );
}

#[test]
fn selecting_by_operation_id_and_by_path() {
    let output = generate("[select]\noperations = [\"createOrder\"]\n").expect("generates");
    let types = sources(&output, "shop-types");
    assert!(types.contains("pub struct Order"));
    assert!(
        types.contains("pub struct Pet "),
        "reached through Order.pet"
    );
    assert!(types.contains("pub bearer:"));
    assert!(
        !types.contains("api_key") && !types.contains("list_pets") && !types.contains("Unused")
    );
    let warnings = warnings(&output);
    assert!(
        warnings.iter().any(|w| w.contains("callbacks")),
        "{warnings:?}"
    );
    // `Order.quantity`'s `minimum` is checked.
    assert!(
        types.contains("let at = &path.key(\"quantity\");"),
        "{types}"
    );

    let output = generate("[select]\npaths = [\"/pets/{petId}\"]\n").expect("generates");
    let types = sources(&output, "shop-types");
    assert!(types.contains("pub mod get_pet"));
    assert!(!types.contains("list_pets") && !types.contains("Credentials {"));

    // The lists add up.
    let output =
        generate("[select]\ntags = [\"store\"]\npaths = [\"/pets\"]\n").expect("generates");
    let client = sources(&output, "shop-client");
    assert!(client.contains("fn create_order") && client.contains("fn list_pets"));
    assert!(!client.contains("fn get_pet"));
}

#[test]
fn a_selection_of_something_missing_names_it_and_its_line() {
    let message = error("[select]\ntags = [\n  \"pets\",\n  \"cats\",\n]\n");
    assert_eq!(
        message,
        "apiforge.toml (line 4): `select.tags`: no operation has the tag `cats`"
    );
    let message = error("[select]\noperations = [\"listDogs\"]\n");
    assert_eq!(
        message,
        "apiforge.toml (line 2): `select.operations`: no operation has the operationId `listDogs`"
    );
    let message = error("\n[select]\npaths = [\"/pets/{id}\"]\n");
    assert_eq!(
        message,
        "apiforge.toml (line 3): `select.paths`: no operation has the path `/pets/{id}`"
    );
    let message = error("[select]\nlabels = [\"pets\"]\n");
    assert!(
        message.contains("line 2") && message.contains("unknown field `labels`"),
        "{message}"
    );
    let message = error("[select]\ntags = \"pets\"\n");
    assert!(message.contains("line 2"), "{message}");
}

#[test]
fn parts_not_wanted_are_not_generated() {
    let output = generate("[parts]\nserver = false\n").expect("generates");
    assert!(output.files.keys().all(|p| !p.starts_with("shop-server")));
    assert!(output
        .files
        .contains_key(Path::new("shop-client/src/lib.rs")));
    assert!(output
        .files
        .contains_key(Path::new("shop-types/src/lib.rs")));
    // The server's warnings (rejection statuses it answers) go with it.
    assert!(
        !warnings(&output)
            .iter()
            .any(|w| w.contains("undeclared-rejection-status")),
        "{:?}",
        warnings(&output)
    );
    let output = generate("[parts]\ntypes = false\nclient = false\n").expect("generates");
    assert!(output.files.keys().all(|p| !p.starts_with("shop-client")));
    assert!(
        output
            .files
            .contains_key(Path::new("shop-types/src/lib.rs")),
        "implied"
    );
    assert!(output
        .files
        .contains_key(Path::new("shop-server/src/lib.rs")));
    let message = error("[parts]\ntypes = false\nclient = false\nserver = false\n");
    assert!(message.contains("nothing to generate"), "{message}");
}

#[test]
fn renames_replace_the_derived_names() {
    let output = generate(
        "[rename.types]\nPet = \"Animal\"\n\
         [rename.operations]\nlistPets = \"all_pets\"\n\
         [rename.fields]\n\"Pet.pet_name\" = \"name\"\n\
         [rename.variants]\n\"Status.in-progress\" = \"Running\"\n",
    )
    .expect("generates");
    let types = sources(&output, "shop-types");
    assert!(types.contains("pub struct Animal "), "{types}");
    assert!(!types.contains("pub struct Pet "));
    assert!(types.contains("pub mod all_pets"));
    assert!(!types.contains("list_pets"));
    // The renamed field keeps its wire name, written and read.
    assert!(
        types.contains("UnlessNone(&self.name)")
            && types.contains("\"pet_name\", \"status\"")
            && types.contains("pub name: Option<String>"),
        "{types}"
    );
    // The renamed variant keeps its wire value, written and read.
    assert!(
        types.contains("Self::Running => \"in-progress\",")
            && types.contains("\"in-progress\" => Self::Running,"),
        "{types}"
    );
    // Types named after the renamed ones follow them.
    assert!(types.contains("pub enum AnimalOwner"), "{types}");
    let client = sources(&output, "shop-client");
    assert!(client.contains("pub fn all_pets("));
}

#[test]
fn renames_of_something_missing_name_the_key_and_line() {
    for (toml, expected) in [
        (
            "[rename.types]\nDog = \"Animal\"\n",
            "apiforge.toml (line 2): `rename.types.Dog`: no schema in components/schemas is named `Dog`",
        ),
        (
            "[rename.operations]\n\nlistDogs = \"dogs\"\n",
            "apiforge.toml (line 3): `rename.operations.listDogs`: no operation has the operationId `listDogs`",
        ),
        (
            "[rename.fields]\n\"Pet.nickname\" = \"nick\"\n",
            "apiforge.toml (line 2): `rename.fields.\"Pet.nickname\"`: the schema has no property `nickname`",
        ),
        (
            "[rename.fields]\n\"Dog.name\" = \"nick\"\n",
            "apiforge.toml (line 2): `rename.fields.\"Dog.name\"`: no schema in components/schemas is named before a `.` of `Dog.name` (write \"Schema.property\")",
        ),
        (
            "[rename.variants]\n\"Status.sold\" = \"Sold\"\n",
            "apiforge.toml (line 2): `rename.variants.\"Status.sold\"`: the schema's enum has no value `sold`",
        ),
        (
            "[rename.variants]\n\"Pet.sold\" = \"Sold\"\n",
            "apiforge.toml (line 2): `rename.variants.\"Pet.sold\"`: the schema is not a string enum",
        ),
    ] {
        assert_eq!(error(toml), expected, "{toml}");
    }
    // Outside a selection, a schema's fields are not generated: renaming
    // them is no error.
    generate("[select]\ntags = [\"pets\"]\n[rename.fields]\n\"Order.quantity\" = \"count\"\n")
        .expect("generates");
}

#[test]
fn renames_must_be_spelt_as_generated_and_not_collide() {
    for (toml, expected) in [
        (
            "[rename.types]\nPet = \"animal\"\n",
            "apiforge.toml (line 2): `rename.types.Pet`: `animal` is not a type (UpperCamelCase) name: write `Animal`, as the generator spells names of this kind",
        ),
        (
            "[rename.types]\nPet = \"Option\"\n",
            "apiforge.toml (line 2): `rename.types.Pet`: `Option` is not a type (UpperCamelCase) name: write `OptionModel`, as the generator spells names of this kind",
        ),
        (
            "[rename.operations]\nlistPets = \"ListPets\"\n",
            "apiforge.toml (line 2): `rename.operations.listPets`: `ListPets` is not an operation (snake_case) name: write `list_pets`, as the generator spells names of this kind",
        ),
        (
            "[rename.fields]\n\"Pet.id\" = \"\"\n",
            "apiforge.toml (line 2): `rename.fields.\"Pet.id\"`: `` is not a field (snake_case) name: it holds no character of a Rust identifier",
        ),
        (
            "[rename.fields]\n\"Pet.id\" = \"-\"\n",
            "apiforge.toml (line 2): `rename.fields.\"Pet.id\"`: `-` is not a field (snake_case) name: write `minus`, as the generator spells names of this kind",
        ),
        (
            "[rename.types]\nPet = \"Person\"\n",
            "apiforge.toml (line 2): `rename.types.Pet`: `Person` is the name of the schema `Person`",
        ),
        (
            "[rename.types]\nPet = \"Animal\"\nPerson = \"Animal\"\n",
            "apiforge.toml (line 2): `rename.types.Pet`: `Person` is renamed `Animal` too; each needs a name of its own",
        ),
        (
            "[rename.operations]\nlistPets = \"get_pet\"\n",
            "apiforge.toml (line 2): `rename.operations.listPets`: `get_pet` is the name of the operation `getPet`",
        ),
        (
            "[rename.fields]\n\"Pet.pet_name\" = \"id\"\n",
            "apiforge.toml (line 2): `rename.fields.\"Pet.pet_name\"`: `id` is the name of the property `id`",
        ),
        (
            "[rename.variants]\n\"Status.in-progress\" = \"Available\"\n",
            "apiforge.toml (line 2): `rename.variants.\"Status.in-progress\"`: `Available` is the name of the value `available`",
        ),
    ] {
        assert_eq!(error(toml), expected, "{toml}");
    }
}
