//! The configuration's say over types: schemas replaced by existing Rust
//! types (`[overrides]`, and `x-rust-type` in the spec), extra derives and
//! attributes (`[derive]`, `[attributes]`), and the Rust types of string
//! formats (`[formats]`).
//!
//! Everything is checked here, once: a key naming no schema, a type path,
//! derive or attribute that does not parse is an error naming the key and
//! its line; an `x-rust-type` (the spec is untrusted) that is not a plain
//! crate name, version requirement and type path of that crate is a warning
//! and the schema's own type. What the model then carries is only text that
//! parses as what it is printed as, never text pasted into code unchecked.

use std::collections::HashMap;

use serde_json::Value;

use crate::config::{DateTimeType, DecimalType, Dependency, UuidType};
use crate::emit::known_crate;
use crate::error::{pointer_push, Error};
use crate::load::Document;
use crate::model::{CrateDependency, ExternalType, TypeDef, TypeKind, TypeRef};
use crate::Config;

/// The key of `[derive]` and `[attributes]` that means every model type.
const EVERY_TYPE: &str = "*";

/// The configuration's decisions about types, checked against the spec.
#[derive(Debug)]
pub(super) struct Shaping {
    /// Replaced schemas, by pointer.
    overrides: HashMap<String, ExternalType>,
    /// Extra derives, by pointer of the schema (or [`EVERY_TYPE`]).
    derives: HashMap<String, Vec<String>>,
    /// Extra outer attributes, by pointer of the schema (or [`EVERY_TYPE`]).
    attributes: HashMap<String, Vec<String>>,
    date_time: TypeRef,
    date: TypeRef,
    uuid: TypeRef,
    /// `None`: what the schema's `type` gives.
    decimal: Option<TypeRef>,
}

impl Shaping {
    /// Checks `config`'s type settings against `doc`.
    pub(super) fn new(config: &Config, doc: &Document) -> Result<Shaping, Error> {
        let mut shaping =
            Shaping {
                date_time: match config.formats.date_time {
                    DateTimeType::Chrono => TypeRef::DateTime,
                    DateTimeType::String => TypeRef::String,
                    // `time`'s `OffsetDateTime` reads and writes its own text
                    // format through serde, not RFC 3339, unless each field
                    // names a `with` module: it would not read the API's values.
                    _ => return Err(Error::other(
                        "[formats] date-time = \"time\" is not supported: time's OffsetDateTime \
                         does not read RFC 3339 through serde; use \"chrono\" or \"string\""
                            .to_owned(),
                    )),
                },
                date: match config.formats.date {
                    DateTimeType::Chrono => TypeRef::Date,
                    DateTimeType::String => TypeRef::String,
                    _ => external("time::Date", Some(known_crate("time"))),
                },
                uuid: match config.formats.uuid {
                    UuidType::String => TypeRef::String,
                    _ => TypeRef::Uuid,
                },
                decimal: match config.formats.decimal {
                    DecimalType::Plain => None,
                    DecimalType::String => Some(TypeRef::String),
                    _ => Some(external(
                        "rust_decimal::Decimal",
                        Some(known_crate("rust_decimal")),
                    )),
                },
                overrides: HashMap::new(),
                derives: HashMap::new(),
                attributes: HashMap::new(),
            };
        if config.formats.binary != crate::config::BinaryType::Vec {
            return Err(Error::other(
                "[formats] binary = \"bytes\" is not supported yet: binary bodies are Vec<u8>"
                    .to_owned(),
            ));
        }
        for (key, replacement) in &config.overrides {
            let pointer = schema_pointer(config, doc, "overrides", key)?;
            let place = |message: &str| config.error_at(&["overrides", key], None, message);
            let path = checked_type_path(&replacement.rust_type)
                .map_err(|problem| place(&format!("type {:?} {problem}", replacement.rust_type)))?;
            let dependency = match &replacement.dependency {
                Some(dependency) => {
                    Some(checked_dependency(dependency).map_err(|problem| place(&problem))?)
                }
                None => None,
            };
            shaping
                .overrides
                .insert(pointer, ExternalType { path, dependency });
        }
        for (table, config_lists, lists) in [
            ("derive", &config.derive, &mut shaping.derives),
            ("attributes", &config.attributes, &mut shaping.attributes),
        ] {
            for (key, items) in config_lists {
                let pointer = if key == EVERY_TYPE {
                    key.clone()
                } else {
                    schema_pointer(config, doc, table, key)?
                };
                for item in items {
                    let checked = if table == "derive" {
                        checked_derive(item)
                    } else {
                        checked_attribute(item)
                    };
                    let checked = checked.map_err(|problem| {
                        config.error_at(&[table, key], Some(item), &format!("{item:?} {problem}"))
                    })?;
                    if table == "derive" {
                        check_std_needs(config, key, item)?;
                    }
                    lists.entry(pointer.clone()).or_default().push(checked);
                }
            }
        }
        Ok(shaping)
    }

    /// The type a schema of `format: date-time` is.
    pub(super) fn date_time(&self) -> TypeRef {
        self.date_time.clone()
    }

    /// The type a schema of `format: date` is.
    pub(super) fn date(&self) -> TypeRef {
        self.date.clone()
    }

    /// The type a schema of `format: uuid` is.
    pub(super) fn uuid(&self) -> TypeRef {
        self.uuid.clone()
    }

    /// The type a schema of `format: decimal` is, when the configuration
    /// chose one.
    pub(super) fn decimal(&self) -> Option<TypeRef> {
        self.decimal.clone()
    }

    /// The configuration's replacement of the schema at `pointer`.
    pub(super) fn overridden(&self, pointer: &str) -> Option<TypeRef> {
        if self.overrides.is_empty() {
            return None;
        }
        self.overrides
            .get(pointer)
            .map(|external| TypeRef::External(external.clone()))
    }

    /// Adds the configured derives and attributes to the model types that
    /// print them (not aliases, which are `type` items).
    pub(super) fn decorate(&self, def: &mut TypeDef) {
        if matches!(def.kind, TypeKind::Alias(_)) {
            return;
        }
        for key in [EVERY_TYPE, def.pointer.as_str()] {
            if let Some(derives) = self.derives.get(key) {
                def.derives.extend(derives.iter().cloned());
            }
            if let Some(attributes) = self.attributes.get(key) {
                def.attributes.extend(attributes.iter().cloned());
            }
        }
    }
}

/// A configured derive that needs a std derive `std-derives` leaves out
/// (`Eq` without `PartialEq`) is an error naming its key: the fields'
/// types would lack the trait, and the generated crate would not compile.
fn check_std_needs(config: &Config, key: &str, item: &str) -> Result<(), Error> {
    let name = item.rsplit("::").next().unwrap_or(item).trim();
    match config.std_derives.needed_by(name) {
        Some(needed) => Err(config.error_at(
            &["derive", key],
            Some(item),
            &format!(
                "{item:?} needs `{needed}`, which `std-derives` leaves out: the types its \
                 fields name would not have it"
            ),
        )),
        None => Ok(()),
    }
}

fn external(path: &str, dependency: Option<CrateDependency>) -> TypeRef {
    TypeRef::External(ExternalType {
        path: path.to_owned(),
        dependency,
    })
}

/// The pointer of the schema a configuration key names: a JSON pointer
/// into the spec (`#/components/schemas/Money`), or a schema name of
/// `components/schemas` (`Money`).
fn schema_pointer(
    config: &Config,
    doc: &Document,
    table: &str,
    key: &str,
) -> Result<String, Error> {
    let pointer = if key.starts_with("#/") {
        key.to_owned()
    } else {
        pointer_push("#/components/schemas", key)
    };
    if doc.node(&pointer).is_some_and(Value::is_object) {
        Ok(pointer)
    } else {
        Err(config.error_at(
            &[table, key],
            None,
            &format!(
                "the spec has no schema {key:?} (give a schema name of components/schemas, \
                 or a JSON pointer such as #/components/schemas/Money)"
            ),
        ))
    }
}

/// `text` as a type path (`money::Money`, `crate::Money`,
/// `std::collections::BTreeSet<String>`), printed back the way the
/// generated code spells it; else what is wrong with it.
fn checked_type_path(text: &str) -> Result<String, &'static str> {
    match syn::parse_str::<syn::Type>(text) {
        Ok(syn::Type::Path(path)) if path.qself.is_none() => {
            let tokens = quote::ToTokens::to_token_stream(&path);
            Ok(crate::emit::type_text(&tokens))
        }
        _ => Err("is not a Rust type path such as `money::Money` or `crate::Money`"),
    }
}

/// A crate name as Cargo and `use` take it: ASCII letters, digits, `_` and
/// `-`, starting with a letter, at most 64 characters.
fn is_crate_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A version requirement's characters (`1.2`, `^0.4.1`, `>=1, <3`, `=2.0.0-rc.1`).
fn is_version_requirement(version: &str) -> bool {
    !version.trim().is_empty()
        && version.len() <= 64
        && version.chars().any(|c| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " .,^~=<>*+-".contains(c))
}

/// A feature name's characters.
fn is_feature_name(feature: &str) -> bool {
    !feature.is_empty()
        && feature.len() <= 64
        && feature
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-+./".contains(c))
}

/// A configured dependency, checked.
fn checked_dependency(dependency: &Dependency) -> Result<CrateDependency, String> {
    if !is_crate_name(&dependency.name) || dependency.name.contains('-') {
        return Err(format!(
            "dependency name {:?} is not the name code uses for a crate (`rust_decimal`; \
             set `package` for a package named otherwise)",
            dependency.name
        ));
    }
    if let Some(version) = &dependency.version {
        if !is_version_requirement(version) {
            return Err(format!("{version:?} is not a version requirement"));
        }
    }
    if let Some(package) = &dependency.package {
        if !is_crate_name(package) {
            return Err(format!("{package:?} is not a package name"));
        }
    }
    if let Some(feature) = dependency.features.iter().find(|f| !is_feature_name(f)) {
        return Err(format!("{feature:?} is not a feature name"));
    }
    if dependency.version.is_none() && dependency.path.is_none() {
        return Err(format!(
            "dependency {:?} needs a `version` or a `path`",
            dependency.name
        ));
    }
    Ok(CrateDependency {
        name: dependency.name.clone(),
        version: dependency.version.clone(),
        path: dependency
            .path
            .as_ref()
            .map(|p| p.to_string_lossy().replace('\\', "/")),
        package: dependency.package.clone(),
        features: dependency.features.clone(),
        no_default_features: false,
    })
}

/// `text` as a derive (`Hash`, `schemars::JsonSchema`), printed back.
fn checked_derive(text: &str) -> Result<String, &'static str> {
    match syn::parse_str::<syn::Path>(text) {
        Ok(path) => Ok(crate::emit::type_text(&quote::ToTokens::to_token_stream(
            &path,
        ))),
        Err(_) => Err("is not a derive path such as `Hash` or `schemars::JsonSchema`"),
    }
}

/// `text` as one outer attribute (`#[serde(deny_unknown_fields)]`),
/// printed back.
fn checked_attribute(text: &str) -> Result<String, &'static str> {
    let problem = "is not one outer attribute such as `#[serde(deny_unknown_fields)]`";
    let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, text);
    match parsed.as_deref() {
        Ok([attribute]) => Ok(quote::ToTokens::to_token_stream(attribute).to_string()),
        _ => Err(problem),
    }
}

/// The type an `x-rust-type` extension names, typify's shape:
/// `{crate: money, version: "1.2", path: money::Money}`. The spec is
/// untrusted, so only a plain crate name, a version requirement and a type
/// path starting with that crate are taken; anything else is `Err` with
/// what is wrong, for a warning.
pub(super) fn x_rust_type(value: &Value) -> Result<ExternalType, String> {
    let object = value
        .as_object()
        .ok_or("`x-rust-type` is not an object of `crate`, `version` and `path`")?;
    if let Some(key) = object
        .keys()
        .find(|k| !["crate", "version", "path"].contains(&k.as_str()))
    {
        return Err(format!(
            "`x-rust-type` has `{}`; only `crate`, `version` and `path` are read",
            key.escape_debug()
        ));
    }
    let text = |key: &str| object.get(key).and_then(Value::as_str);
    let krate = text("crate").ok_or("`x-rust-type` has no `crate` string")?;
    let version = text("version").ok_or("`x-rust-type` has no `version` string")?;
    let path = text("path").ok_or("`x-rust-type` has no `path` string")?;
    if !is_crate_name(krate) || krate.contains('-') {
        return Err("`x-rust-type`'s `crate` is not a crate name as code uses it".to_owned());
    }
    if !is_version_requirement(version) {
        return Err("`x-rust-type`'s `version` is not a version requirement".to_owned());
    }
    let path = checked_type_path(path).map_err(|_| "`x-rust-type`'s `path` is not a type path")?;
    let first = path.trim_start_matches("::").split("::").next();
    if first != Some(krate) {
        return Err("`x-rust-type`'s `path` does not start with its `crate`".to_owned());
    }
    Ok(ExternalType {
        path,
        dependency: Some(CrateDependency {
            name: krate.to_owned(),
            version: Some(version.to_owned()),
            path: None,
            package: None,
            features: Vec::new(),
            no_default_features: false,
        }),
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{Config, Output, Source};

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: 1.0.0}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Money:
      type: object
      required: [amount]
      properties:
        amount: {type: string, format: decimal}
    Order:
      type: object
      required: [id, total, placed, due]
      properties:
        id: {type: string, format: uuid}
        total: {$ref: '#/components/schemas/Money'}
        tax: {type: number, format: decimal}
        placed: {type: string, format: date-time}
        due: {type: string, format: date}
        status: {$ref: '#/components/schemas/Status'}
    Status:
      type: string
      enum: [open, closed]
"##;

    fn config(text: &str) -> Config {
        Config::from_toml(text, Path::new("apiforge.toml")).expect("the configuration parses")
    }

    fn generate(spec: &str, config: &Config) -> Result<Output, crate::Error> {
        crate::run_pipeline(
            Source::Text {
                text: spec,
                file_name: "shop.yaml",
            },
            config,
        )
    }

    fn file<'a>(output: &'a Output, path: &str) -> &'a str {
        output
            .files
            .get(Path::new(path))
            .unwrap_or_else(|| panic!("no {path}"))
    }

    #[test]
    fn an_override_by_name_replaces_the_schema_and_adds_its_crate() {
        let config = config(
            "[overrides.Money]\ntype = \"money::Money\"\n\
             dependency = { name = \"money\", version = \"1.2\", features = [\"serde\"] }\n",
        );
        let output = generate(SPEC, &config).expect("generates");
        let models = file(&output, "shop-types/src/models.rs");
        assert!(!models.contains("pub struct Money"), "{models}");
        assert!(models.contains("pub total: money::Money,"), "{models}");
        let manifest = file(&output, "shop-types/Cargo.toml");
        assert!(
            manifest.contains("money = { version = \"1.2\", features = [\"serde\"] }\n"),
            "{manifest}"
        );
    }

    #[test]
    fn an_override_by_pointer_to_a_type_of_the_including_crate_adds_no_dependency() {
        let config =
            config("[overrides.\"#/components/schemas/Money\"]\ntype = \"crate::Money\"\n");
        let output = generate(SPEC, &config).expect("generates");
        let models = file(&output, "shop-types/src/models.rs");
        assert!(models.contains("pub total: crate::Money,"), "{models}");
        let manifest = file(&output, "shop-types/Cargo.toml");
        assert!(!manifest.contains("money"), "{manifest}");
    }

    #[test]
    fn an_override_naming_no_schema_is_an_error_with_its_line() {
        let config = config("name = \"shop\"\n\n[overrides]\nMony = { type = \"money::Money\" }\n");
        let message = generate(SPEC, &config)
            .expect_err("no such schema")
            .to_string();
        assert!(message.contains("apiforge.toml (line 4)"), "{message}");
        assert!(message.contains("`overrides.Mony`"), "{message}");
        assert!(message.contains("no schema"), "{message}");
    }

    #[test]
    fn an_override_with_a_bad_type_or_dependency_is_an_error() {
        for (text, expected) in [
            ("[overrides]\nMoney = { type = \"money::Money; fn x() {}\" }\n", "not a Rust type path"),
            ("[overrides]\nMoney = { type = \"&'static str\" }\n", "not a Rust type path"),
            (
                "[overrides]\nMoney = { type = \"money::Money\", dependency = { name = \"money\", version = \"1\\\"]\" } }\n",
                "not a version requirement",
            ),
            (
                "[overrides]\nMoney = { type = \"money::Money\", dependency = { name = \"mo ney\", version = \"1\" } }\n",
                "not the name code uses",
            ),
        ] {
            let message = generate(SPEC, &config(text)).expect_err(text).to_string();
            assert!(message.contains(expected), "{text}: {message}");
            assert!(message.contains("(line 2)"), "{text}: {message}");
        }
    }

    #[test]
    fn x_rust_type_replaces_a_schema_when_it_is_valid_and_warns_otherwise() {
        let spec = SPEC.replace(
            "    Money:\n",
            "    Money:\n      x-rust-type: {crate: money, version: \"1.2\", path: money::Money}\n",
        );
        let output = generate(&spec, &Config::default()).expect("generates");
        assert!(file(&output, "shop-types/src/models.rs").contains("pub total: money::Money,"));
        assert!(file(&output, "shop-types/Cargo.toml").contains("money = \"1.2\"\n"));
        assert!(file(&output, "shop-types/src/lib.rs").contains("pub use money;"));

        for bad in [
            "{crate: money, version: \"1.2\", path: \"money::Money; fn evil() {}\"}",
            "{crate: \"money = { path = '/' }\", version: \"1\", path: money::Money}",
            "{crate: money, version: \"1\\\"\", path: money::Money}",
            "{crate: money, version: \"1\", path: other::Money}",
            "{crate: money, version: \"1\", path: money::Money, build: \"rm -rf /\"}",
            "money::Money",
        ] {
            let spec = SPEC.replace(
                "    Money:\n",
                &format!("    Money:\n      x-rust-type: {bad}\n"),
            );
            let output = generate(&spec, &Config::default()).expect("generates");
            assert!(
                file(&output, "shop-types/src/models.rs").contains("pub struct Money"),
                "{bad}"
            );
            assert!(
                !file(&output, "shop-types/Cargo.toml").contains("money"),
                "{bad}"
            );
            let warning = output
                .warnings
                .iter()
                .find(|w| w.kind == crate::WarningKind::InvalidRustType)
                .unwrap_or_else(|| panic!("no warning for {bad}"));
            assert_eq!(warning.pointer, "#/components/schemas/Money/x-rust-type");
        }
    }

    #[test]
    fn derives_and_attributes_go_on_every_type_or_the_chosen_ones() {
        let config = config(
            "[derive]\n\"*\" = [\"Eq\"]\nStatus = [\"PartialOrd\", \"Hash\"]\n\n\
             [attributes]\nOrder = [\"#[serde(deny_unknown_fields)]\"]\n",
        );
        let output = generate(SPEC, &config).expect("generates");
        let models = file(&output, "shop-types/src/models.rs");
        assert!(
            models.contains(
                "#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Eq)]\n\
                 #[serde(deny_unknown_fields)]\n#[non_exhaustive]\npub struct Order {"
            ),
            "{models}"
        );
        // Serde attributes are read by the derives only: `Order` keeps
        // them (and its fields their `default`), other structs do not.
        assert!(!models.contains("serde::Deserialize<'de> for Order {"));
        assert!(!models.contains("serde::Serialize for Order {"));
        assert!(models.contains("#[serde(default, skip_serializing_if"));
        assert!(
            models.contains("impl serde::Serialize for Money {"),
            "{models}"
        );
        assert!(
            models.contains("serde::Deserialize<'de> for Money {"),
            "{models}"
        );
        // `Hash` and `Eq` the enum derives already; no second derive.
        assert!(
            models.contains(
                "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd)]\n#[non_exhaustive]\npub enum Status"
            ),
            "{models}"
        );
    }

    #[test]
    fn a_bad_derive_or_attribute_is_an_error_naming_its_key() {
        for (text, expected) in [
            ("[derive]\nOrder = [\"Has h\"]\n", "`derive.Order`"),
            (
                "[attributes]\n\"*\" = [\"serde(x)\"]\n",
                "`attributes.\"*\"`",
            ),
            (
                "[attributes]\nOrder = [\"#[a] #[b]\"]\n",
                "not one outer attribute",
            ),
            ("[derive]\nOrdre = [\"Hash\"]\n", "no schema \"Ordre\""),
        ] {
            let message = generate(SPEC, &config(text)).expect_err(text).to_string();
            assert!(message.contains(expected), "{text}: {message}");
            assert!(message.contains("(line 2)"), "{text}: {message}");
        }
    }

    #[test]
    fn std_derives_leave_traits_out_of_every_data_type() {
        let output = generate(SPEC, &config("std-derives = [\"Debug\"]\n")).expect("generates");
        let models = file(&output, "shop-types/src/models.rs");
        assert!(
            models.contains("#[derive(Debug)]\n#[non_exhaustive]\npub struct Money {"),
            "{models}"
        );
        // `Eq` and `Hash` go with `PartialEq`.
        assert!(
            models.contains("#[derive(Debug)]\n#[non_exhaustive]\npub enum Status"),
            "{models}"
        );
        assert!(!models.contains("Clone"), "{models}");
        assert!(!models.contains("PartialEq"), "{models}");
        let operations = file(&output, "shop-types/src/operations.rs");
        assert!(!operations.contains("Clone"), "{operations}");
        assert!(operations.contains("#[derive(Debug)]"), "{operations}");
        // Without any, no empty `#[derive()]` is printed.
        let spec = SPEC.replace(
            "      required: [amount]\n",
            "      required: [amount]\n      example: {amount: '1.50'}\n",
        );
        let output = generate(&spec, &config("std-derives = []\n")).expect("generates");
        for path in ["shop-types/src/models.rs", "shop-types/src/operations.rs"] {
            let text = file(&output, path);
            assert!(!text.contains("derive()"), "{text}");
            assert!(!text.contains("derive(Debug"), "{text}");
        }
        // The examples' tests compare what the values write.
        let examples = file(&output, "shop-types/src/examples.rs");
        assert!(examples.contains("round_trip_written::<"), "{examples}");
    }

    #[test]
    fn a_derive_that_needs_a_std_derive_left_out_is_an_error() {
        for (text, expected) in [
            (
                "std-derives = [\"Debug\", \"Clone\"]\n[derive]\n\"*\" = [\"Eq\"]\n",
                "\"Eq\" needs `PartialEq`, which `std-derives` leaves out",
            ),
            (
                "std-derives = [\"Debug\"]\n[derive]\nOrder = [\"Copy\"]\n",
                "\"Copy\" needs `Clone`",
            ),
            (
                "std-derives = []\n[derive]\nOrder = [\"std::fmt::Debug\"]\n",
                "needs `Debug`",
            ),
        ] {
            let message = generate(SPEC, &config(text)).expect_err(text).to_string();
            assert!(message.contains(expected), "{text}: {message}");
            assert!(message.contains("(line 3)"), "{text}: {message}");
        }
    }

    #[test]
    fn formats_choose_the_rust_types() {
        let output = generate(SPEC, &Config::default()).expect("generates");
        let models = file(&output, "shop-types/src/models.rs");
        assert!(models.contains("pub placed: chrono::DateTime<chrono::Utc>,"));
        assert!(models.contains("pub due: chrono::NaiveDate,"));
        assert!(models.contains("pub id: uuid::Uuid,"));
        assert!(models.contains("pub amount: String,"));
        assert!(models.contains("pub tax: Option<f64>,"));

        let config = config(
            "[formats]\ndate-time = \"string\"\ndate = \"time\"\nuuid = \"string\"\n\
             decimal = \"rust-decimal\"\n",
        );
        let output = generate(SPEC, &config).expect("generates");
        let models = file(&output, "shop-types/src/models.rs");
        assert!(models.contains("pub placed: String,"), "{models}");
        assert!(models.contains("pub due: time::Date,"), "{models}");
        assert!(models.contains("pub id: String,"), "{models}");
        assert!(
            models.contains("pub amount: rust_decimal::Decimal,"),
            "{models}"
        );
        assert!(
            models.contains("pub tax: Option<rust_decimal::Decimal>,"),
            "{models}"
        );
        let manifest = file(&output, "shop-types/Cargo.toml");
        assert!(
            !manifest.contains("chrono") && !manifest.contains("uuid"),
            "{manifest}"
        );
        assert!(
            manifest.contains("rust_decimal = { version = \"1\", features = [\"serde\"] }"),
            "{manifest}"
        );
        assert!(
            manifest.contains(
                "time = { version = \"0.3\", default-features = false, features = \
                 [\"serde-human-readable\", \"std\"] }"
            ),
            "{manifest}"
        );

        let config = self::config("[formats]\ndecimal = \"string\"\n");
        let output = generate(SPEC, &config).expect("generates");
        assert!(file(&output, "shop-types/src/models.rs").contains("pub tax: Option<String>,"));
    }

    #[test]
    fn formats_the_generator_cannot_honour_are_errors() {
        for text in [
            "[formats]\ndate-time = \"time\"\n",
            "[formats]\nbinary = \"bytes\"\n",
        ] {
            let message = generate(SPEC, &config(text)).expect_err(text).to_string();
            assert!(message.contains("not supported"), "{text}: {message}");
        }
    }
}
