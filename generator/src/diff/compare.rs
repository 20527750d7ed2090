//! The comparison of two resolved models, item by item.

use std::collections::{BTreeMap, BTreeSet};

use super::classify::{impact, Context};
use super::{pointers, Change, Kind, Version};
use crate::emit::types::validate::{checked, Checked};
use crate::model::{
    Api, ApiKeyLocation, Bound, Constraints, Content, Enum, Field, IntegerFormat, NumberFormat,
    Operation, Parameter, ParameterLocation, ParameterStyle, Payload, Response, ResponseHeader,
    SecuritySchemeKind, Status, Struct, TypeDef, TypeKind, TypeRef, Union,
};

/// Every change from `old` to `new`: operations (removed ones first, then
/// the new document's in order), schemas by name, security schemes,
/// servers, and the API's own documentation.
pub fn changes(old: &Version, new: &Version) -> Vec<Change> {
    let mut diff = Differ {
        old,
        new,
        usage: Usage::of(&old.api).union(Usage::of(&new.api)),
        checked: (checked(&old.api), checked(&new.api)),
        changes: Vec::new(),
    };
    diff.operations();
    diff.schemas();
    diff.security_schemes();
    diff.servers();
    diff.info();
    diff.changes
}

struct Differ<'a> {
    old: &'a Version,
    new: &'a Version,
    usage: Usage,
    /// What has a check in each version's types crate (see
    /// [`Kind::ConstraintsChanged`]).
    checked: (Checked, Checked),
    changes: Vec<Change>,
}

impl Differ<'_> {
    fn push(
        &mut self,
        kind: Kind,
        subject: String,
        detail: String,
        pointers: (String, String),
        ctx: Context,
    ) {
        self.changes.push(Change {
            kind,
            subject,
            detail,
            old_pointer: pointers.0,
            new_pointer: pointers.1,
            impact: impact(kind, &ctx),
        });
    }

    fn docs(
        &mut self,
        subject: String,
        old: &Option<String>,
        new: &Option<String>,
        pointers: (String, String),
    ) {
        if old != new {
            self.push(
                Kind::DocumentationChanged,
                subject,
                String::new(),
                pointers,
                Context::default(),
            );
        }
    }

    fn operations(&mut self) {
        let (old_api, new_api) = (&self.old.api, &self.new.api);
        let old_ops: BTreeMap<&str, &Operation> = old_api
            .operations
            .iter()
            .map(|op| (op.name.as_str(), op))
            .collect();
        let new_names: BTreeSet<&str> = new_api
            .operations
            .iter()
            .map(|op| op.name.as_str())
            .collect();
        for op in &old_api.operations {
            if !new_names.contains(op.name.as_str()) {
                self.push(
                    Kind::OperationRemoved,
                    operation_label(op),
                    String::new(),
                    (op.pointer.clone(), "#/paths".to_owned()),
                    Context::default(),
                );
            }
        }
        for op in &new_api.operations {
            match old_ops.get(op.name.as_str()) {
                None => self.push(
                    Kind::OperationAdded,
                    operation_label(op),
                    String::new(),
                    ("#/paths".to_owned(), op.pointer.clone()),
                    Context::default(),
                ),
                Some(old) => self.operation(old, op),
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let label = operation_label(n);
        let here = (o.pointer.clone(), n.pointer.clone());
        if o.method != n.method {
            self.push(
                Kind::OperationMethodChanged,
                label.clone(),
                format!("{} -> {}", o.method.as_str(), n.method.as_str()),
                here.clone(),
                Context::default(),
            );
        }
        if route(&o.path.text) != route(&n.path.text) {
            self.push(
                Kind::OperationPathChanged,
                label.clone(),
                format!("{} -> {}", o.path.text, n.path.text),
                here.clone(),
                Context::default(),
            );
        }
        self.docs(
            format!("{label}: summary"),
            &o.summary,
            &n.summary,
            here.clone(),
        );
        self.docs(
            format!("{label}: description"),
            &o.description,
            &n.description,
            here.clone(),
        );
        self.parameters(o, n, &label);
        self.request_body(o, n, &label);
        self.responses(o, n, &label);
        if o.security != n.security {
            let (old_open, new_open) = (o.security.is_empty(), n.security.is_empty());
            // A deployed client breaks when the alternative it presents is
            // gone; a deployed server when the new client may present one
            // it does not accept.
            let stricter =
                !new_open && (old_open || o.security.iter().any(|a| !n.security.contains(a)));
            let looser =
                !old_open && (new_open || n.security.iter().any(|a| !o.security.contains(a)));
            self.push(
                Kind::OperationSecurityChanged,
                label,
                format!(
                    "{} -> {}",
                    requirements(&o.security),
                    requirements(&n.security)
                ),
                (
                    pointers::security(&self.old.raw, o),
                    pointers::security(&self.new.raw, n),
                ),
                Context {
                    required: stricter,
                    covered: looser,
                    ..Context::default()
                },
            );
        }
    }

    fn parameters(&mut self, o: &Operation, n: &Operation, label: &str) {
        let key = |p: &Parameter| (p.location, p.wire_name.to_ascii_lowercase());
        let old_params: BTreeMap<_, &Parameter> =
            o.parameters.iter().map(|p| (key(p), p)).collect();
        let new_params: BTreeMap<_, &Parameter> =
            n.parameters.iter().map(|p| (key(p), p)).collect();
        for p in &o.parameters {
            if !new_params.contains_key(&key(p)) {
                self.push(
                    Kind::ParameterRemoved,
                    parameter_label(label, p),
                    String::new(),
                    (
                        pointers::parameter(&self.old.raw, o, &p.wire_name, p.location),
                        n.pointer.clone(),
                    ),
                    Context {
                        required: p.required,
                        ..Context::default()
                    },
                );
            }
        }
        for p in &n.parameters {
            let new_pointer = pointers::parameter(&self.new.raw, n, &p.wire_name, p.location);
            let Some(old) = old_params.get(&key(p)) else {
                let kind = if p.required {
                    Kind::ParameterAddedRequired
                } else {
                    Kind::ParameterAddedOptional
                };
                self.push(
                    kind,
                    parameter_label(label, p),
                    describe(&p.ty),
                    (o.pointer.clone(), new_pointer),
                    Context {
                        required: p.required,
                        ..Context::default()
                    },
                );
                continue;
            };
            let here = (
                pointers::parameter(&self.old.raw, o, &old.wire_name, old.location),
                new_pointer,
            );
            let subject = parameter_label(label, p);
            if old.ty != p.ty {
                self.push(
                    Kind::ParameterTypeChanged,
                    subject.clone(),
                    format!("{} -> {}", describe(&old.ty), describe(&p.ty)),
                    here.clone(),
                    Context::default(),
                );
            }
            if old.required != p.required {
                self.push(
                    Kind::ParameterRequiredChanged,
                    subject.clone(),
                    required_detail(p.required),
                    here.clone(),
                    Context {
                        required: p.required,
                        ..Context::default()
                    },
                );
            }
            if (old.style, old.explode) != (p.style, p.explode) {
                self.push(
                    Kind::ParameterEncodingChanged,
                    subject.clone(),
                    format!("{} -> {}", encoding(old), encoding(p)),
                    here.clone(),
                    Context::default(),
                );
            }
            let has_check = |checked: &Checked| checked.parameters.contains(&n.name);
            let checks = (has_check(&self.checked.0), has_check(&self.checked.1));
            self.constraints(
                subject.clone(),
                (&old.constraints, &p.constraints),
                here.clone(),
                Context {
                    request: true,
                    ..Context::default()
                },
                checks,
            );
            self.docs(subject, &old.docs, &p.docs, here);
        }
    }

    fn request_body(&mut self, o: &Operation, n: &Operation, label: &str) {
        let subject = format!("{label}: request body");
        match (&o.request_body, &n.request_body) {
            (None, None) => {}
            (None, Some(body)) => self.push(
                Kind::RequestBodyAdded,
                subject,
                format!(
                    "{}{}",
                    if body.required {
                        "required, "
                    } else {
                        "optional, "
                    },
                    media_types(&body.contents)
                ),
                (o.pointer.clone(), pointers::request_body(n)),
                Context {
                    required: body.required,
                    signature: true,
                    ..Context::default()
                },
            ),
            (Some(body), None) => self.push(
                Kind::RequestBodyRemoved,
                subject,
                media_types(&body.contents),
                (pointers::request_body(o), n.pointer.clone()),
                Context {
                    required: body.required,
                    signature: true,
                    ..Context::default()
                },
            ),
            (Some(old), Some(new)) => {
                let here = (pointers::request_body(o), pointers::request_body(n));
                if old.required != new.required {
                    self.push(
                        Kind::RequestBodyRequiredChanged,
                        subject.clone(),
                        required_detail(new.required),
                        here.clone(),
                        Context {
                            required: new.required,
                            ..Context::default()
                        },
                    );
                }
                let essence = |c: &Content| crate::model::essence(&c.media_type);
                for content in &old.contents {
                    if !new.contents.iter().any(|c| essence(c) == essence(content)) {
                        self.push(
                            Kind::RequestMediaTypeRemoved,
                            subject.clone(),
                            content.media_type.clone(),
                            (
                                pointers::request_content(o, &content.media_type),
                                here.1.clone(),
                            ),
                            Context {
                                signature: new.contents.len() == 1,
                                ..Context::default()
                            },
                        );
                    }
                }
                for content in &new.contents {
                    let new_pointer = pointers::request_content(n, &content.media_type);
                    match old.contents.iter().find(|c| essence(c) == essence(content)) {
                        None => self.push(
                            Kind::RequestMediaTypeAdded,
                            subject.clone(),
                            content.media_type.clone(),
                            (here.0.clone(), new_pointer),
                            Context {
                                signature: old.contents.len() == 1,
                                ..Context::default()
                            },
                        ),
                        Some(was) if was.payload != content.payload => self.push(
                            Kind::RequestBodyTypeChanged,
                            format!("{subject} ({})", content.media_type),
                            format!("{} -> {}", payload(&was.payload), payload(&content.payload)),
                            (pointers::request_content(o, &was.media_type), new_pointer),
                            Context::default(),
                        ),
                        Some(was) => {
                            let has_check = |checked: &Checked| checked.bodies.contains(&n.name);
                            let checks = (has_check(&self.checked.0), has_check(&self.checked.1));
                            self.constraints(
                                format!("{subject} ({})", content.media_type),
                                (&was.constraints, &content.constraints),
                                (pointers::request_content(o, &was.media_type), new_pointer),
                                Context {
                                    request: true,
                                    ..Context::default()
                                },
                                checks,
                            );
                        }
                    }
                }
                self.docs(subject, &old.docs, &new.docs, here);
            }
        }
    }

    fn responses(&mut self, o: &Operation, n: &Operation, label: &str) {
        let old_by_status: BTreeMap<Status, &Response> =
            o.responses.iter().map(|r| (r.status, r)).collect();
        let new_by_status: BTreeMap<Status, &Response> =
            n.responses.iter().map(|r| (r.status, r)).collect();
        let subject = |r: &Response| format!("{label}: response {}", status_text(r.status));
        for r in &o.responses {
            if !new_by_status.contains_key(&r.status) {
                self.push(
                    Kind::ResponseStatusRemoved,
                    subject(r),
                    String::new(),
                    (
                        pointers::response(&self.old.raw, o, r.status),
                        format!("{}/responses", n.pointer),
                    ),
                    Context {
                        covered: readable(r.status, &n.responses),
                        ..Context::default()
                    },
                );
            }
        }
        for r in &n.responses {
            let new_pointer = pointers::response(&self.new.raw, n, r.status);
            let Some(old) = old_by_status.get(&r.status) else {
                self.push(
                    Kind::ResponseStatusAdded,
                    subject(r),
                    String::new(),
                    (format!("{}/responses", o.pointer), new_pointer),
                    Context {
                        covered: readable(r.status, &o.responses),
                        ..Context::default()
                    },
                );
                continue;
            };
            let here = (
                pointers::response(&self.old.raw, o, old.status),
                new_pointer,
            );
            let old_payload = old.body.as_ref().map(|b| &b.payload);
            let new_payload = r.body.as_ref().map(|b| &b.payload);
            if old_payload != new_payload {
                let text = |p: Option<&Payload>| p.map_or_else(|| "no body".to_owned(), payload);
                self.push(
                    Kind::ResponseBodyChanged,
                    subject(r),
                    format!("{} -> {}", text(old_payload), text(new_payload)),
                    here.clone(),
                    Context::default(),
                );
            }
            self.headers(old, r, &subject(r), here.clone());
            self.docs(subject(r), &old.docs, &r.docs, here);
        }
    }

    /// Headers by name, ignoring case; pointers under the response's
    /// `headers`.
    fn headers(&mut self, old: &Response, new: &Response, subject: &str, here: (String, String)) {
        let same =
            |a: &ResponseHeader, b: &ResponseHeader| a.wire_name.eq_ignore_ascii_case(&b.wire_name);
        let pointer = |response: &str, header: &ResponseHeader| {
            format!("{response}/headers/{}", pointers::escape(&header.wire_name))
        };
        for header in &old.headers {
            if !new.headers.iter().any(|h| same(h, header)) {
                self.push(
                    Kind::ResponseHeaderRemoved,
                    format!("{subject}: header {}", header.wire_name),
                    describe(&header.ty),
                    (pointer(&here.0, header), here.1.clone()),
                    Context {
                        required: header.required,
                        signature: new.headers.is_empty(),
                        ..Context::default()
                    },
                );
            }
        }
        for header in &new.headers {
            if let Some(was) = old.headers.iter().find(|h| same(h, header)) {
                let here = (pointer(&here.0, was), pointer(&here.1, header));
                let subject = format!("{subject}: header {}", header.wire_name);
                if was.ty != header.ty {
                    self.push(
                        Kind::ResponseHeaderTypeChanged,
                        subject.clone(),
                        format!("{} -> {}", describe(&was.ty), describe(&header.ty)),
                        here.clone(),
                        Context::default(),
                    );
                }
                if was.required != header.required {
                    self.push(
                        Kind::ResponseHeaderRequiredChanged,
                        subject.clone(),
                        required_detail(header.required),
                        here.clone(),
                        Context {
                            required: header.required,
                            ..Context::default()
                        },
                    );
                }
                self.docs(subject, &was.docs, &header.docs, here);
            } else {
                self.push(
                    Kind::ResponseHeaderAdded,
                    format!("{subject}: header {}", header.wire_name),
                    format!(
                        "{}{}",
                        if header.required {
                            "required, "
                        } else {
                            "optional, "
                        },
                        describe(&header.ty)
                    ),
                    (here.0.clone(), pointer(&here.1, header)),
                    Context {
                        required: header.required,
                        signature: old.headers.is_empty(),
                        ..Context::default()
                    },
                );
            }
        }
    }

    fn schemas(&mut self) {
        let old_types: BTreeMap<&str, &TypeDef> = self
            .old
            .api
            .types
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        let new_types: BTreeMap<&str, &TypeDef> = self
            .new
            .api
            .types
            .iter()
            .map(|t| (t.name.as_str(), t))
            .collect();
        let names: BTreeSet<&str> = old_types.keys().chain(new_types.keys()).copied().collect();
        for name in names {
            let ctx = self.usage.context(name);
            match (old_types.get(name), new_types.get(name)) {
                (Some(old), None) => self.push(
                    Kind::SchemaRemoved,
                    format!("schema {name}"),
                    kind_text(&old.kind),
                    (old.pointer.clone(), "#/components/schemas".to_owned()),
                    ctx,
                ),
                (None, Some(new)) => self.push(
                    Kind::SchemaAdded,
                    format!("schema {name}"),
                    kind_text(&new.kind),
                    ("#/components/schemas".to_owned(), new.pointer.clone()),
                    ctx,
                ),
                (Some(old), Some(new)) => self.schema(old, new, ctx),
                (None, None) => {}
            }
        }
    }

    fn schema(&mut self, old: &TypeDef, new: &TypeDef, ctx: Context) {
        let subject = format!("schema {}", new.name);
        let here = (old.pointer.clone(), new.pointer.clone());
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(o), TypeKind::Struct(n)) => self.fields(old, new, o, n, ctx),
            (TypeKind::Enum(o), TypeKind::Enum(n)) => self.values(old, new, o, n, ctx),
            (TypeKind::Union(o), TypeKind::Union(n)) => self.variants(old, new, o, n, ctx),
            (TypeKind::Alias(o), TypeKind::Alias(n))
            | (TypeKind::Newtype(o), TypeKind::Newtype(n))
                if o == n => {}
            (o, n) => self.push(
                Kind::SchemaTypeChanged,
                subject.clone(),
                format!("{} -> {}", kind_text(o), kind_text(n)),
                here.clone(),
                ctx,
            ),
        }
        let has_check = |checked: &Checked| checked.types.contains(&new.name);
        let checks = (has_check(&self.checked.0), has_check(&self.checked.1));
        self.constraints(
            subject.clone(),
            (&old.constraints, &new.constraints),
            here.clone(),
            ctx,
            checks,
        );
        self.docs(subject, &old.docs, &new.docs, here);
    }

    /// A change of the validation keywords of one place (`constraints`:
    /// old, new), in `ctx`; `checks`: whether the place has a check in the
    /// old and the new types crate.
    fn constraints(
        &mut self,
        subject: String,
        (old, new): (&Constraints, &Constraints),
        pointers: (String, String),
        ctx: Context,
        checks: (bool, bool),
    ) {
        if old == new {
            return;
        }
        let shift = Shift::between(old, new);
        self.push(
            Kind::ConstraintsChanged,
            subject,
            format!("{} -> {}", constraints_text(old), constraints_text(new)),
            pointers,
            Context {
                required: shift.tighter,
                covered: shift.looser,
                gains_check: !checks.0 && checks.1,
                loses_check: checks.0 && !checks.1,
                ..ctx
            },
        );
    }

    fn fields(
        &mut self,
        old_def: &TypeDef,
        new_def: &TypeDef,
        o: &Struct,
        n: &Struct,
        ctx: Context,
    ) {
        let subject = |f: &Field| format!("schema {}: property {}", new_def.name, f.wire_name);
        let (old_raw, new_raw) = (&self.old.raw, &self.new.raw);
        for field in &o.fields {
            if !n.fields.iter().any(|f| f.wire_name == field.wire_name) {
                self.push(
                    Kind::PropertyRemoved,
                    subject(field),
                    field_text(field),
                    (
                        pointers::property(old_raw, &old_def.pointer, &field.wire_name),
                        new_def.pointer.clone(),
                    ),
                    Context {
                        required: field.required,
                        ..ctx
                    },
                );
            }
        }
        for field in &n.fields {
            let new_pointer = pointers::property(new_raw, &new_def.pointer, &field.wire_name);
            let Some(was) = o.fields.iter().find(|f| f.wire_name == field.wire_name) else {
                let kind = if field.required {
                    Kind::PropertyAddedRequired
                } else {
                    Kind::PropertyAddedOptional
                };
                self.push(
                    kind,
                    subject(field),
                    field_text(field),
                    (old_def.pointer.clone(), new_pointer),
                    Context {
                        required: field.required,
                        ..ctx
                    },
                );
                continue;
            };
            let here = (
                pointers::property(old_raw, &old_def.pointer, &was.wire_name),
                new_pointer,
            );
            if was.ty != field.ty {
                self.push(
                    Kind::PropertyTypeChanged,
                    subject(field),
                    format!("{} -> {}", describe(&was.ty), describe(&field.ty)),
                    here.clone(),
                    ctx,
                );
            }
            if was.required != field.required {
                self.push(
                    Kind::PropertyRequiredChanged,
                    subject(field),
                    required_detail(field.required),
                    here.clone(),
                    Context {
                        required: field.required,
                        ..ctx
                    },
                );
            }
            if was.nullable != field.nullable {
                self.push(
                    Kind::PropertyNullableChanged,
                    subject(field),
                    if field.nullable {
                        "now nullable"
                    } else {
                        "no longer nullable"
                    }
                    .to_owned(),
                    here.clone(),
                    Context {
                        required: field.nullable,
                        ..ctx
                    },
                );
            }
            let has_check = |checked: &Checked| checked.types.contains(&new_def.name);
            let checks = (has_check(&self.checked.0), has_check(&self.checked.1));
            self.constraints(
                subject(field),
                (&was.constraints, &field.constraints),
                here.clone(),
                ctx,
                checks,
            );
            self.docs(subject(field), &was.docs, &field.docs, here);
        }
        if o.additional_properties != n.additional_properties {
            let text = |a: &Option<TypeRef>| a.as_ref().map_or_else(|| "none".to_owned(), describe);
            self.push(
                Kind::SchemaTypeChanged,
                format!("schema {}", new_def.name),
                format!(
                    "additionalProperties {} -> {}",
                    text(&o.additional_properties),
                    text(&n.additional_properties)
                ),
                (old_def.pointer.clone(), new_def.pointer.clone()),
                ctx,
            );
        }
    }

    fn values(&mut self, old_def: &TypeDef, new_def: &TypeDef, o: &Enum, n: &Enum, ctx: Context) {
        let subject = |value: &str| format!("schema {}: value {value:?}", new_def.name);
        for v in &o.variants {
            if !n.variants.iter().any(|w| w.wire_value == v.wire_value) {
                self.push(
                    Kind::EnumValueRemoved,
                    subject(&v.wire_value),
                    String::new(),
                    (
                        pointers::enum_value(&self.old.raw, &old_def.pointer, &v.wire_value),
                        new_def.pointer.clone(),
                    ),
                    ctx,
                );
            }
        }
        for v in &n.variants {
            if !o.variants.iter().any(|w| w.wire_value == v.wire_value) {
                self.push(
                    Kind::EnumValueAdded,
                    subject(&v.wire_value),
                    String::new(),
                    (
                        old_def.pointer.clone(),
                        pointers::enum_value(&self.new.raw, &new_def.pointer, &v.wire_value),
                    ),
                    ctx,
                );
            }
        }
    }

    fn variants(
        &mut self,
        old_def: &TypeDef,
        new_def: &TypeDef,
        o: &Union,
        n: &Union,
        ctx: Context,
    ) {
        let here = (
            pointers::union_variant(&self.old.raw, &old_def.pointer),
            pointers::union_variant(&self.new.raw, &new_def.pointer),
        );
        if o.tag != n.tag {
            self.push(
                Kind::SchemaTypeChanged,
                format!("schema {}", new_def.name),
                format!("tag {:?} -> {:?}", o.tag, n.tag),
                here.clone(),
                ctx,
            );
        }
        let same = |a: &crate::model::UnionVariant, b: &crate::model::UnionVariant| {
            a.ty == b.ty && a.tag_value == b.tag_value
        };
        for v in &o.variants {
            if !n.variants.iter().any(|w| same(v, w)) {
                self.push(
                    Kind::UnionVariantRemoved,
                    format!("schema {}: variant {}", new_def.name, v.name),
                    describe(&v.ty),
                    (here.0.clone(), here.1.clone()),
                    ctx,
                );
            }
        }
        for v in &n.variants {
            if !o.variants.iter().any(|w| same(v, w)) {
                self.push(
                    Kind::UnionVariantAdded,
                    format!("schema {}: variant {}", new_def.name, v.name),
                    describe(&v.ty),
                    (here.0.clone(), here.1.clone()),
                    ctx,
                );
            }
        }
    }

    fn security_schemes(&mut self) {
        let old = &self.old.api.security_schemes;
        let new = &self.new.api.security_schemes;
        for scheme in old {
            match new.iter().find(|s| s.key == scheme.key) {
                None => self.push(
                    Kind::SecuritySchemeRemoved,
                    format!("security scheme {}", scheme.key),
                    String::new(),
                    (
                        pointers::security_scheme(&scheme.key),
                        "#/components/securitySchemes".to_owned(),
                    ),
                    Context {
                        signature: new.is_empty(),
                        ..Context::default()
                    },
                ),
                Some(now) if now.kind != scheme.kind => self.push(
                    Kind::SecuritySchemeChanged,
                    format!("security scheme {}", scheme.key),
                    format!(
                        "{} -> {}",
                        scheme_text(&scheme.kind),
                        scheme_text(&now.kind)
                    ),
                    (
                        pointers::security_scheme(&scheme.key),
                        pointers::security_scheme(&now.key),
                    ),
                    Context::default(),
                ),
                Some(_) => {}
            }
        }
        for scheme in new {
            if !old.iter().any(|s| s.key == scheme.key) {
                self.push(
                    Kind::SecuritySchemeAdded,
                    format!("security scheme {}", scheme.key),
                    String::new(),
                    (
                        "#/components/securitySchemes".to_owned(),
                        pointers::security_scheme(&scheme.key),
                    ),
                    Context {
                        signature: old.is_empty(),
                        ..Context::default()
                    },
                );
            }
        }
    }

    fn servers(&mut self) {
        let old = &self.old.api.servers;
        let new = &self.new.api.servers;
        for (i, server) in old.iter().enumerate() {
            if !new.iter().any(|s| s.url == server.url) {
                self.push(
                    Kind::ServerRemoved,
                    format!("server {}", server.url),
                    String::new(),
                    (pointers::server(i), "#/servers".to_owned()),
                    Context::default(),
                );
            }
        }
        for (i, server) in new.iter().enumerate() {
            match old.iter().position(|s| s.url == server.url) {
                None => self.push(
                    Kind::ServerAdded,
                    format!("server {}", server.url),
                    String::new(),
                    ("#/servers".to_owned(), pointers::server(i)),
                    Context::default(),
                ),
                Some(j) => self.docs(
                    format!("server {}", server.url),
                    &old[j].description,
                    &server.description,
                    (pointers::server(j), pointers::server(i)),
                ),
            }
        }
    }

    fn info(&mut self) {
        let (old, new) = (&self.old.api, &self.new.api);
        let info = || ("#/info".to_owned(), "#/info".to_owned());
        if old.title != new.title {
            self.docs(
                "info: title".to_owned(),
                &Some(old.title.clone()),
                &Some(new.title.clone()),
                info(),
            );
        }
        self.docs(
            "info: description".to_owned(),
            &old.description,
            &new.description,
            info(),
        );
    }
}

/// Which named types requests and responses reach.
#[derive(Debug, Default)]
struct Usage {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

impl Usage {
    fn of(api: &Api) -> Usage {
        let mut usage = Usage::default();
        for op in &api.operations {
            for p in &op.parameters {
                reach(api, &p.ty, &mut usage.request);
            }
            if let Some(body) = &op.request_body {
                for content in &body.contents {
                    payload_types(api, &content.payload, &mut usage.request);
                }
            }
            for response in &op.responses {
                if let Some(body) = &response.body {
                    payload_types(api, &body.payload, &mut usage.response);
                }
                for header in &response.headers {
                    reach(api, &header.ty, &mut usage.response);
                }
            }
        }
        usage
    }

    fn union(mut self, other: Usage) -> Usage {
        self.request.extend(other.request);
        self.response.extend(other.response);
        self
    }

    fn context(&self, name: &str) -> Context {
        Context {
            request: self.request.contains(name),
            response: self.response.contains(name),
            ..Context::default()
        }
    }
}

fn payload_types(api: &Api, payload: &Payload, into: &mut BTreeSet<String>) {
    match payload {
        Payload::Json(ty) | Payload::Form { ty, .. } => reach(api, ty, into),
        Payload::Multipart(fields) => {
            for field in fields {
                if let crate::model::PartKind::Value(ty) = &field.part {
                    reach(api, ty, into);
                }
            }
        }
        Payload::Text | Payload::Binary => {}
    }
}

/// Adds every named type `ty` reaches to `into`.
fn reach(api: &Api, ty: &TypeRef, into: &mut BTreeSet<String>) {
    let mut stack = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OrNull(inner) => {
                stack.push(inner)
            }
            TypeRef::Named(name) => {
                if !into.insert(name.clone()) {
                    continue;
                }
                let Some(def) = api.type_named(name) else {
                    continue;
                };
                match &def.kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        stack.extend(s.additional_properties.iter());
                    }
                    TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(target) | TypeKind::Newtype(target) => stack.push(target),
                    TypeKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }
}

/// `list_pets (GET /pets)`.
fn operation_label(op: &Operation) -> String {
    format!(
        "operation {} ({} {})",
        op.name,
        op.method.as_str(),
        op.path.text
    )
}

/// `<operation>: query parameter limit`.
fn parameter_label(operation: &str, p: &Parameter) -> String {
    let location = match p.location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    };
    format!("{operation}: {location} parameter {}", p.wire_name)
}

/// A path template with its parameters' names left out: what routing
/// sees (`/pets/{}`).
fn route(template: &str) -> String {
    let mut out = String::new();
    let mut in_name = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether a deployed reader of `others` reads a response with `status`
/// without failing: a range or `default` covers it, or it is not a
/// success, which the generated client reports as an error anyway.
fn readable(status: Status, others: &[Response]) -> bool {
    let success = match status {
        Status::Code(code) => (200..300).contains(&code),
        Status::Range(digit) => digit == 2,
        Status::Default => true,
    };
    !success
        || others.iter().any(|r| match (r.status, status) {
            (Status::Default, _) => true,
            (Status::Range(digit), Status::Code(code)) => u16::from(digit) == code / 100,
            _ => false,
        })
}

fn status_text(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// How a parameter is written: `style: form, explode: true`.
fn encoding(p: &Parameter) -> String {
    let style = match (p.style, p.location) {
        (ParameterStyle::Default, ParameterLocation::Query | ParameterLocation::Cookie) => "form",
        (ParameterStyle::Default, _) => "simple",
        (ParameterStyle::SpaceDelimited, _) => "spaceDelimited",
        (ParameterStyle::PipeDelimited, _) => "pipeDelimited",
        (ParameterStyle::DeepObject, _) => "deepObject",
        (ParameterStyle::Json, _) => return "JSON content".to_owned(),
    };
    format!("style: {style}, explode: {}", p.explode)
}

fn scheme_text(kind: &SecuritySchemeKind) -> String {
    match kind {
        SecuritySchemeKind::ApiKey {
            location,
            wire_name,
        } => {
            let place = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query",
                ApiKeyLocation::Cookie => "cookie",
            };
            format!("apiKey in {place} {wire_name}")
        }
        SecuritySchemeKind::Bearer => "bearer".to_owned(),
        SecuritySchemeKind::Basic => "basic".to_owned(),
    }
}

/// Which way validation keywords moved: some value the old ones allowed
/// is refused (`tighter`), some value they refused is allowed (`looser`);
/// both for a changed pattern or `multipleOf`.
#[derive(Debug, Default, PartialEq)]
struct Shift {
    tighter: bool,
    looser: bool,
}

impl Shift {
    fn between(old: &Constraints, new: &Constraints) -> Shift {
        let mut shift = Shift::default();
        shift.least(old.min_length, new.min_length);
        shift.most(old.max_length, new.max_length);
        shift.least(old.min_items, new.min_items);
        shift.most(old.max_items, new.max_items);
        shift.least(old.min_properties, new.min_properties);
        shift.most(old.max_properties, new.max_properties);
        shift.tighter |= new.patterns.iter().any(|p| !old.patterns.contains(p));
        shift.looser |= old.patterns.iter().any(|p| !new.patterns.contains(p));
        shift.tighter |= new.unique_items && !old.unique_items;
        shift.looser |= old.unique_items && !new.unique_items;
        shift.bound(old.minimum.as_ref(), new.minimum.as_ref(), false);
        shift.bound(old.maximum.as_ref(), new.maximum.as_ref(), true);
        if old.multiple_of != new.multiple_of {
            shift.tighter |= new.multiple_of.is_some();
            shift.looser |= old.multiple_of.is_some();
        }
        if old.items.is_some() || new.items.is_some() {
            let none = Constraints::default();
            let items = |c: &Constraints| c.items.as_deref().unwrap_or(&none).clone();
            let inner = Shift::between(&items(old), &items(new));
            shift.tighter |= inner.tighter;
            shift.looser |= inner.looser;
        }
        shift
    }

    /// A lower bound on a count (absent: 0).
    fn least(&mut self, old: Option<u64>, new: Option<u64>) {
        let (old, new) = (old.unwrap_or(0), new.unwrap_or(0));
        self.tighter |= new > old;
        self.looser |= new < old;
    }

    /// An upper bound on a count (absent: none).
    fn most(&mut self, old: Option<u64>, new: Option<u64>) {
        let (old, new) = (old.unwrap_or(u64::MAX), new.unwrap_or(u64::MAX));
        self.tighter |= new < old;
        self.looser |= new > old;
    }

    /// `minimum` (`upper` false) or `maximum`: a bound added tightens, one
    /// removed loosens; otherwise the value, then exclusiveness, decides.
    fn bound(&mut self, old: Option<&Bound>, new: Option<&Bound>, upper: bool) {
        match (old, new) {
            (None, None) => {}
            (None, Some(_)) => self.tighter = true,
            (Some(_), None) => self.looser = true,
            (Some(old), Some(new)) => {
                let value = |b: &Bound| b.value.as_f64().unwrap_or(0.0);
                let (a, b) = (value(old), value(new));
                // How the new bound sits against the old one, inward
                // (tighter) being `Greater`.
                let inward = if upper {
                    a.partial_cmp(&b)
                } else {
                    b.partial_cmp(&a)
                };
                match inward {
                    Some(std::cmp::Ordering::Greater) => self.tighter = true,
                    Some(std::cmp::Ordering::Less) => self.looser = true,
                    _ if old.value != new.value => {
                        // Equal as f64, different as written: tell nothing
                        // apart, so count both.
                        self.tighter = true;
                        self.looser = true;
                    }
                    _ => {
                        self.tighter |= new.exclusive && !old.exclusive;
                        self.looser |= old.exclusive && !new.exclusive;
                    }
                }
            }
        }
    }
}

/// Validation keywords as a change's detail shows them (`none` when there
/// are none).
fn constraints_text(c: &Constraints) -> String {
    let mut parts = Vec::new();
    let mut count = |name: &str, value: Option<u64>| {
        if let Some(value) = value {
            parts.push(format!("{name} {value}"));
        }
    };
    count("minLength", c.min_length);
    count("maxLength", c.max_length);
    count("minItems", c.min_items);
    count("maxItems", c.max_items);
    count("minProperties", c.min_properties);
    count("maxProperties", c.max_properties);
    for pattern in &c.patterns {
        parts.push(format!("pattern {pattern:?}"));
    }
    for (name, bound) in [("minimum", &c.minimum), ("maximum", &c.maximum)] {
        if let Some(bound) = bound {
            let exclusive = if bound.exclusive { " (exclusive)" } else { "" };
            parts.push(format!("{name} {}{exclusive}", bound.value));
        }
    }
    if let Some(multiple) = &c.multiple_of {
        parts.push(format!("multipleOf {multiple}"));
    }
    if c.unique_items {
        parts.push("uniqueItems".to_owned());
    }
    if let Some(items) = &c.items {
        if !items.is_empty() {
            parts.push(format!("items ({})", constraints_text(items)));
        }
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

fn required_detail(required: bool) -> String {
    if required {
        "optional -> required"
    } else {
        "required -> optional"
    }
    .to_owned()
}

fn requirements(security: &[Vec<String>]) -> String {
    if security.is_empty() {
        return "none".to_owned();
    }
    security
        .iter()
        .map(|alternative| {
            if alternative.is_empty() {
                "anonymous".to_owned()
            } else {
                alternative.join("+")
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn media_types(contents: &[Content]) -> String {
    contents
        .iter()
        .map(|c| c.media_type.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn field_text(field: &Field) -> String {
    let mut text = describe(&field.ty);
    if field.nullable {
        text.push_str(", nullable");
    }
    text
}

fn kind_text(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Struct(_) => "object".to_owned(),
        TypeKind::Enum(_) => "enum".to_owned(),
        TypeKind::Union(_) => "union".to_owned(),
        TypeKind::Alias(target) => format!("alias of {}", describe(target)),
        TypeKind::Newtype(target) => format!("newtype of {}", describe(target)),
    }
}

fn payload(payload: &Payload) -> String {
    match payload {
        Payload::Json(ty) => format!("JSON {}", describe(ty)),
        Payload::Form { ty, .. } => format!("form {}", describe(ty)),
        Payload::Multipart(fields) => format!(
            "multipart ({})",
            fields
                .iter()
                .map(|f| f.wire_name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Payload::Text => "text".to_owned(),
        Payload::Binary => "bytes".to_owned(),
    }
}

/// A type as the spec would say it: `integer (int32)`, `array of Pet`.
pub fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".to_owned(),
        TypeRef::Bool => "boolean".to_owned(),
        TypeRef::Integer(IntegerFormat::I32) => "integer (int32)".to_owned(),
        TypeRef::Integer(IntegerFormat::I64) => "integer (int64)".to_owned(),
        TypeRef::Number(NumberFormat::F32) => "number (float)".to_owned(),
        TypeRef::Number(NumberFormat::F64) => "number (double)".to_owned(),
        TypeRef::Uuid => "string (uuid)".to_owned(),
        TypeRef::DateTime => "string (date-time)".to_owned(),
        TypeRef::Date => "string (date)".to_owned(),
        TypeRef::Any => "any".to_owned(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Array(inner) => format!("array of {}", describe(inner)),
        TypeRef::Map(inner) => format!("map of {}", describe(inner)),
        TypeRef::OrNull(inner) => format!("{} or null", describe(inner)),
        TypeRef::External(external) => external.path.clone(),
    }
}
