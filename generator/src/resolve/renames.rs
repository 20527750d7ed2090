//! `[rename]`: names the configuration gives in place of those the
//! generator would derive from the spec.
//!
//! A name given must be what the generator's own naming makes of it (the
//! right case, a valid identifier, no name generated code reserves), so a
//! renamed item is spelt the way every other one is; the error says which
//! form to write. A rename must not take a name another item of the same
//! scope has, and must name something the spec has: both are errors naming
//! the key and its line in the configuration.

use std::collections::{BTreeMap, HashMap};

use super::*;

/// One rename of a field or a variant.
#[derive(Debug, Clone)]
pub(super) struct Rename {
    /// The key in the configuration (`"Pet.pet_name"`).
    pub key: String,
    /// The Rust name to use.
    pub name: String,
    /// Whether the schema had the property or value.
    pub used: bool,
}

/// The field and variant renames, by the pointer of their component schema,
/// then by the property name or value on the wire.
#[derive(Debug, Default)]
pub(super) struct SchemaRenames {
    pub fields: HashMap<String, BTreeMap<String, Rename>>,
    pub variants: HashMap<String, BTreeMap<String, Rename>>,
}

/// Which section of `[rename]`, for messages.
#[derive(Debug, Clone, Copy)]
pub(super) enum Section {
    Types,
    Operations,
    Fields,
    Variants,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Types => "types",
            Section::Operations => "operations",
            Section::Fields => "fields",
            Section::Variants => "variants",
        }
    }

    /// What the generator makes of `name` in this section.
    fn made(self, name: &str) -> String {
        match self {
            Section::Types => names::type_name(name, ""),
            Section::Operations | Section::Fields => names::field_name(name, ""),
            Section::Variants => names::variant_name(name, ""),
        }
    }
}

/// The error about the rename `key` of `section`.
pub(super) fn error(config: &Config, section: Section, key: &str, message: &str) -> Error {
    config.error_at(&["rename", section.key(), key], None, message)
}

/// The Rust name of the item `wire` (a property or a value) of one schema:
/// the name its rename gives (marked used), else `derived` made unique in
/// `namespace`. A derived name that a rename of another item of the schema
/// gives is an error: the two would collide.
pub(super) fn given_or_derived(
    config: &Config,
    section: Section,
    renamed: &mut Option<BTreeMap<String, Rename>>,
    namespace: &mut Namespace,
    wire: &str,
    derived: String,
) -> Result<String, Error> {
    if let Some(rename) = renamed.as_mut().and_then(|r| r.get_mut(wire)) {
        rename.used = true;
        return Ok(rename.name.clone());
    }
    let taken = renamed
        .as_ref()
        .and_then(|r| r.values().find(|r| r.name == derived));
    if let Some(rename) = taken {
        let what = match section {
            Section::Variants => "value",
            _ => "property",
        };
        return Err(error(
            config,
            section,
            &rename.key,
            &format!("`{derived}` is the name of the {what} `{wire}`"),
        ));
    }
    Ok(namespace.unique(&derived))
}

/// `name`, when it is what the generator's naming makes of it, else an
/// error saying what to write instead.
pub(super) fn checked(
    config: &Config,
    section: Section,
    key: &str,
    name: &str,
) -> Result<String, Error> {
    let made = section.made(name);
    if made == name && !made.is_empty() {
        return Ok(name.to_owned());
    }
    let advice = if made.is_empty() {
        "it holds no character of a Rust identifier".to_owned()
    } else {
        format!("write `{made}`, as the generator spells names of this kind")
    };
    Err(error(
        config,
        section,
        key,
        &format!("`{name}` is not {} name: {advice}", section.kind()),
    ))
}

impl Section {
    fn kind(self) -> &'static str {
        match self {
            Section::Types => "a type (UpperCamelCase)",
            Section::Operations => "an operation (snake_case)",
            Section::Fields => "a field (snake_case)",
            Section::Variants => "a variant (UpperCamelCase)",
        }
    }
}

/// Two renames in one scope to the same name: an error naming both.
pub(super) fn check_distinct<'k>(
    config: &Config,
    section: Section,
    renames: impl IntoIterator<Item = (&'k str, &'k str)>,
) -> Result<(), Error> {
    let mut by_name: BTreeMap<&str, &str> = BTreeMap::new();
    for (key, name) in renames {
        if let Some(other) = by_name.insert(name, key) {
            return Err(error(
                config,
                section,
                key,
                &format!("`{other}` is renamed `{name}` too; each needs a name of its own"),
            ));
        }
    }
    Ok(())
}

impl SchemaRenames {
    /// The field and variant renames of `config`, checked: each key names
    /// a component schema (`schemas`: keys and pointers) before its `.`,
    /// and each name is well formed.
    pub(super) fn new(config: &Config, schemas: &[(String, String)]) -> Result<Self, Error> {
        let mut renames = SchemaRenames::default();
        for (section, entries) in [
            (Section::Fields, &config.rename.fields),
            (Section::Variants, &config.rename.variants),
        ] {
            for (key, name) in entries {
                let name = checked(config, section, key, name)?;
                // Schema names may hold dots too: the first split whose left
                // side is a schema.
                let found = key.match_indices('.').find_map(|(i, _)| {
                    let (schema, wire) = (&key[..i], &key[i + 1..]);
                    schemas
                        .iter()
                        .find(|(k, _)| k == schema)
                        .map(|(_, pointer)| (pointer.clone(), wire.to_owned()))
                });
                let Some((pointer, wire)) = found else {
                    let what = match section {
                        Section::Fields => "\"Schema.property\"",
                        _ => "\"Schema.value\"",
                    };
                    return Err(error(
                        config,
                        section,
                        key,
                        &format!(
                            "no schema in components/schemas is named before a `.` of `{key}` \
                             (write {what})"
                        ),
                    ));
                };
                let map = match section {
                    Section::Fields => &mut renames.fields,
                    _ => &mut renames.variants,
                };
                map.entry(pointer).or_default().insert(
                    wire,
                    Rename {
                        key: key.clone(),
                        name,
                        used: false,
                    },
                );
            }
        }
        for map in [&renames.fields, &renames.variants] {
            let section = if std::ptr::eq(map, &renames.fields) {
                Section::Fields
            } else {
                Section::Variants
            };
            for scope in map.values() {
                check_distinct(
                    config,
                    section,
                    scope.values().map(|r| (r.key.as_str(), r.name.as_str())),
                )?;
            }
        }
        Ok(renames)
    }

    /// An error for every rename of a schema that was generated but had no
    /// such property or value (one of a schema not generated, outside a
    /// selection, is no error).
    pub(super) fn check_all_used(
        &self,
        config: &Config,
        types: &BTreeMap<String, TypeDef>,
    ) -> Result<(), Error> {
        let defined: HashMap<&str, &TypeDef> =
            types.values().map(|t| (t.pointer.as_str(), t)).collect();
        for (section, map) in [
            (Section::Fields, &self.fields),
            (Section::Variants, &self.variants),
        ] {
            for (pointer, scope) in map {
                let Some(def) = defined.get(pointer.as_str()) else {
                    continue;
                };
                if let Some((wire, rename)) = scope.iter().find(|(_, r)| !r.used) {
                    let message = match (section, &def.kind) {
                        (Section::Fields, TypeKind::Struct(_)) => {
                            format!("the schema has no property `{wire}`")
                        }
                        (Section::Variants, TypeKind::Enum(_)) => {
                            format!("the schema's enum has no value `{wire}`")
                        }
                        (Section::Fields, _) => {
                            "the schema is not an object with properties".to_owned()
                        }
                        _ => "the schema is not a string enum".to_owned(),
                    };
                    return Err(error(config, section, &rename.key, &message));
                }
            }
        }
        Ok(())
    }
}

impl Resolver<'_> {
    /// Names every component schema (`schemas`: keys and pointers, in
    /// document order), taking `[rename.types]` into account, and reads the
    /// field and variant renames.
    pub(super) fn name_components(&mut self, schemas: &[(String, String)]) -> Result<(), Error> {
        let config = self.config;
        let renamed = &config.rename.types;
        let mut targets: BTreeMap<String, &str> = BTreeMap::new();
        for (key, name) in renamed {
            if !schemas.iter().any(|(k, _)| k == key) {
                return Err(error(
                    config,
                    Section::Types,
                    key,
                    &format!("no schema in components/schemas is named `{key}`"),
                ));
            }
            targets.insert(checked(config, Section::Types, key, name)?, key);
        }
        check_distinct(
            config,
            Section::Types,
            renamed.iter().map(|(k, n)| (k.as_str(), n.as_str())),
        )?;
        // Given names first: a derived name never takes one.
        for name in targets.keys() {
            self.type_names.reserve(name);
        }
        for (key, pointer) in schemas {
            let name = match renamed.get(key) {
                Some(name) => name.clone(),
                None => {
                    let derived = names::type_name(key, "Schema");
                    if let Some(renamed_key) = targets.get(&derived) {
                        return Err(error(
                            config,
                            Section::Types,
                            renamed_key,
                            &format!("`{derived}` is the name of the schema `{key}`"),
                        ));
                    }
                    self.type_names.unique(&derived)
                }
            };
            self.named.insert(pointer.clone(), name);
        }
        self.renames = SchemaRenames::new(config, schemas)?;
        Ok(())
    }

    /// The field names given for the properties of the schema at `pointer`
    /// (wire name to Rust name), marking them used.
    pub(super) fn field_renames(&mut self, pointer: &str) -> Option<&mut BTreeMap<String, Rename>> {
        self.renames.fields.get_mut(pointer)
    }

    /// The variant names given for the values of the schema at `pointer`.
    pub(super) fn variant_renames(
        &mut self,
        pointer: &str,
    ) -> Option<&mut BTreeMap<String, Rename>> {
        self.renames.variants.get_mut(pointer)
    }
}
