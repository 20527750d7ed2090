//! Emit: the intermediate model as Rust source, one submodule per generated
//! crate. Each builds token streams with `quote` and formats them with
//! `prettyplease`; the helpers here are the one way every emitter spells
//! identifiers, docs and type references.

pub mod client;
mod prune;
pub mod server;
#[cfg(test)]
mod test_api;
pub mod text;
pub mod types;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, CrateDependency, IntegerFormat, NumberFormat, TypeRef, Warning};
use crate::{Config, CrateNames};

/// One generated crate's source files, by path relative to the output
/// directory, and what its code needs from outside.
#[derive(Debug, Clone, Default)]
pub struct Emitted {
    pub files: Vec<(PathBuf, String)>,
    pub needs: Needs,
}

/// The Rust source files of all three crates, and what each needs.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub files: Vec<(PathBuf, String)>,
    pub needs: CrateNeeds,
}

/// What each of the three crates' code needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateNeeds {
    pub types: Needs,
    pub server: Needs,
    pub client: Needs,
}

/// The Rust source files of all three crates, and what each crate's code
/// needs (which render prints into its `Cargo.toml`).
///
/// The work is cut into four jobs, whole files each (tokens cannot cross
/// threads: `proc_macro2`'s are not `Send`): the types crate's `models.rs`
/// (the largest file of most specs), the rest of the types crate, the
/// server, the client. Two threads, this one and one with the pipeline's
/// [`STACK_SIZE`](crate::STACK_SIZE) (emitting recurses as deep as types
/// nest), each take the next job until none is left, so that neither waits
/// while the other has two; two and not three, as a third raises the peak
/// memory (measured: Graph beta 2.2 -> 3.2 GB with a thread per crate,
/// every crate's tokens alive at once). The output does not depend on which
/// thread ran what: files and warnings are put together in crate order.
pub fn emit(
    api: &Api,
    crates: &CrateNames,
    config: &Config,
    warnings: &mut Vec<Warning>,
) -> Generated {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    let parts = config.parts.effective();
    // A part not wanted is not emitted at all: neither its time nor its
    // warnings.
    let run = |job: Job| -> Done {
        let mut warnings = Vec::new();
        match job {
            Job::Models => Done::Models(
                parts
                    .types
                    .then(|| types::models_file(api, crates))
                    .flatten(),
            ),
            Job::Types if parts.types => {
                Done::Crate(types::emit_without_models(api, crates), warnings)
            }
            Job::Server if parts.server => {
                Done::Crate(server::emit(api, crates, &mut warnings), warnings)
            }
            Job::Client if parts.client => {
                Done::Crate(client::emit(api, crates, &mut warnings), warnings)
            }
            Job::Types | Job::Server | Job::Client => Done::Crate(Emitted::default(), warnings),
        }
    };
    // The longest jobs of most specs first; the client last, so that its
    // tokens (one `impl` of every operation's method) and the server's
    // (every handler) are alive at once only when the server outlasts
    // the whole types crate (measured on Graph beta: with the client
    // third, the peak rose from 2.0 to 2.5 GB).
    let jobs = [Job::Models, Job::Server, Job::Types, Job::Client];
    let next = AtomicUsize::new(0);
    let done: Vec<Mutex<Option<Done>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let work = || loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(&job) = jobs.get(at) else { break };
        let result = text::remembering(|| run(job));
        doc_line::forget();
        *done[at].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    };
    crate::on_two_threads("apiforge-emit", work);
    let mut done = done
        .into_iter()
        .map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()));
    // In the order of `jobs`; every job ran, as both threads work until
    // none is left.
    let models = match done.next().flatten() {
        Some(Done::Models(models)) => models,
        _ => None,
    };
    let mut crates_done = done.map(|result| match result {
        Some(Done::Crate(emitted, warnings)) => (emitted, warnings),
        _ => (Emitted::default(), Vec::new()),
    });
    let (server, mut types, client) = (
        crates_done.next().unwrap_or_default(),
        crates_done.next().unwrap_or_default(),
        crates_done.next().unwrap_or_default(),
    );
    types::add_models(&mut types.0, models);
    warnings.extend(crate::names::confusable_warnings(api));
    let mut files = Vec::new();
    let mut needs = Vec::new();
    for (emitted, crate_warnings) in [types, server, client] {
        files.extend(emitted.files);
        needs.push(emitted.needs);
        warnings.extend(crate_warnings);
    }
    let mut needs = needs.into_iter();
    Generated {
        files,
        needs: CrateNeeds {
            types: needs.next().unwrap_or_default(),
            server: needs.next().unwrap_or_default(),
            client: needs.next().unwrap_or_default(),
        },
    }
}

/// A piece of [`emit`]'s work.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// The types crate's `models.rs`.
    Models,
    /// The rest of the types crate.
    Types,
    Server,
    Client,
}

/// What a [`Job`] gave.
enum Done {
    Models(Option<(PathBuf, String)>),
    Crate(Emitted, Vec<Warning>),
}

/// Formats a file given its top-level items in order; the first may start
/// with the file's inner attributes (`//!` docs). An element may hold
/// several items. Each is parsed and printed on its own, so the syntax tree
/// of a whole large file never exists at once: prettyplease ends every
/// top-level item with a line break, so the pieces concatenate to what
/// printing the file in one go gives. Each piece's lines are appended as it
/// is printed, so the text of the whole file exists once, not also as the
/// printer's output and a spaced-out copy (`models.rs` of a large spec is
/// tens of megabytes). The header line says where the file comes from, so
/// nobody edits it by hand.
pub fn format_file(items: impl IntoIterator<Item = TokenStream>) -> String {
    let mut file = Formatter::new();
    for item in items {
        file.items(parse_file(item));
    }
    file.finish()
}

/// A file printed one piece at a time, in order: what [`format_file`]
/// does, for pieces already parsed (by an emitter that walks them too:
/// parsed once, for both), and also an `impl` block printed one member at a time
/// ([`Formatter::open`], [`Formatter::members`], [`Formatter::close`]), so
/// that a block of thousands of methods (a client's) never exists at once
/// as tokens or as a syntax tree. prettyplease lays out each member of a
/// block on its own, at the block's indentation, so the pieces concatenate
/// to what printing the whole block gives.
pub struct Formatter {
    spacing: ItemSpacing,
}

impl Formatter {
    /// A file with only its header line so far.
    pub fn new() -> Self {
        Formatter {
            spacing: ItemSpacing {
                out: String::from(
                    "// Generated by apiforge from an OpenAPI description. Do not edit.\n\n",
                ),
                last: None,
            },
        }
    }

    /// A piece of a file without the header line, printed on its own (for
    /// an emitter that must print a part before what precedes it), to be
    /// [`Formatter::append`]ed to the file.
    pub fn part() -> Self {
        Formatter {
            spacing: ItemSpacing {
                out: String::new(),
                last: None,
            },
        }
    }

    /// Appends the text of `part`.
    pub fn append(&mut self, part: Formatter) {
        // The part's lines are already spaced, and spacing them again adds
        // nothing: only where the two meet may a blank line be new.
        self.spacing.push(&part.spacing.out);
    }

    /// Appends the items of `file`.
    pub fn items(&mut self, file: syn::File) {
        let printed = print(file);
        self.spacing.push(&printed);
    }

    /// Appends the items of `file`, whose last item is an `impl` block
    /// with members, without the block's closing brace: the members that
    /// follow ([`Formatter::members`]) go inside it, until
    /// [`Formatter::close`].
    pub fn open(&mut self, file: syn::File) {
        let printed = print(file);
        let open = printed
            .ends_with("\n}\n")
            .then(|| inner_lines(&printed, 0, 1))
            .flatten()
            .unwrap_or_else(|| panic!("the piece opening a block ends with no `}}` line"));
        self.spacing.push(open);
    }

    /// Appends the members of the one `impl` block `file` holds, inside the
    /// block [`Formatter::open`] left open (whose indentation they have).
    pub fn members(&mut self, file: syn::File) {
        let printed = print(file);
        let members = printed
            .ends_with("\n}\n")
            .then(|| inner_lines(&printed, 1, 1))
            .flatten()
            .filter(|members| !members.is_empty())
            .unwrap_or_else(|| panic!("a piece of members is not one `impl` block with members"));
        self.spacing.push(members);
    }

    /// Closes the block [`Formatter::open`] left open.
    pub fn close(&mut self) {
        self.spacing.push("}\n");
    }

    /// The file's text.
    pub fn finish(self) -> String {
        self.spacing.out
    }
}

/// `printed` (whole lines) without its first `leading` and last `trailing`
/// lines; `None` when it has fewer. A block's members or an item are
/// printed inside the blocks that hold them, so that prettyplease lays them
/// out at their depth, and the lines of those blocks are then left out.
pub(crate) fn inner_lines(printed: &str, leading: usize, trailing: usize) -> Option<&str> {
    let mut start = 0;
    for _ in 0..leading {
        start += printed[start..].find('\n')? + 1;
    }
    let mut end = printed.len();
    for _ in 0..trailing {
        let before_last_break = end.checked_sub(1)?;
        end = printed[..before_last_break]
            .rfind('\n')
            .map_or(0, |at| at + 1);
    }
    (start <= end).then(|| &printed[start..end])
}

/// A file's text as prettyplease prints it, its doc lines put back.
fn print(file: syn::File) -> String {
    let printed = prettyplease::unparse(&file);
    drop(file);
    doc_line::restore(printed)
}

/// The syntax tree of emitted tokens.
pub fn parse_file(tokens: TokenStream) -> syn::File {
    match syn::parse2(tokens) {
        Ok(file) => file,
        // The emitters only build tokens from identifiers made by `ident`
        // and literals, so this is a bug in the generator, not in the spec.
        Err(e) => panic!("apiforge emitted tokens that do not parse: {e}"),
    }
}

/// prettyplease writes items back to back; a blank line between items (and
/// after the inner docs and the `use` block) reads as hand-written code does.
/// Fed one printed piece at a time: whether a blank line goes between two
/// lines depends on those two lines only, so the last line of a piece is
/// kept to decide with the first of the next.
struct ItemSpacing {
    out: String,
    /// The last line appended.
    last: Option<String>,
}

impl ItemSpacing {
    /// Appends the lines of `source` (whole lines, as prettyplease prints).
    fn push(&mut self, source: &str) {
        self.out.reserve(source.len() + source.len() / 16);
        let mut last = self.last.take();
        let mut last_here = None;
        for line in source.lines() {
            let previous = last_here.or(last.as_deref());
            if previous.is_some_and(|previous| blank_line_between(previous, line)) {
                self.out.push('\n');
            }
            self.out.push_str(line);
            self.out.push('\n');
            last_here = Some(line);
            last = None;
        }
        self.last = match last_here {
            Some(line) => Some(line.to_owned()),
            None => last,
        };
    }
}

/// Whether a blank line goes between `line` and the `next`.
fn blank_line_between(line: &str, next: &str) -> bool {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "async fn ",
        "impl",
        "struct ",
        "enum ",
        "mod ",
        "const ",
        "static ",
        "type ",
        "trait ",
        "use ",
    ];
    // prettyplease indents with spaces only; trimming them alone (not every
    // Unicode space) keeps this cheap in a generator built without
    // optimisations, which calls it for every line it writes.
    let (this, following) = (line.trim_start_matches(' '), next.trim_start_matches(' '));
    if line.len() - this.len() != next.len() - following.len() || following.is_empty() {
        return false;
    }
    let starts_item = ITEM_STARTS.iter().any(|s| following.starts_with(s));
    let ends_item = !this.starts_with("//") && (this == "}" || this.ends_with(';'));
    let ends_inner_docs = this.starts_with("//!") && !following.starts_with("//!");
    let both_use = this.starts_with("use ") && following.starts_with("use ");
    (ends_inner_docs || (ends_item && starts_item)) && !both_use
}

/// The items of a file of `generator/runtime/`: code that does not vary
/// with the spec, compiled and tested there as Rust, embedded here with
/// `include_str!`.
pub fn runtime_items(source: &str) -> TokenStream {
    // The files are part of the generator and parsed by its unit tests, so a
    // failure here is a bug in the generator, never in the spec.
    match source.parse() {
        Ok(tokens) => tokens,
        Err(e) => panic!("a runtime file does not parse: {e}"),
    }
}

/// An identifier for `name`; a Rust keyword becomes a raw identifier
/// (`type` -> `r#type`). Names in the model are already valid identifiers.
pub fn ident(name: &str) -> Ident {
    if crate::names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `#[allow(clippy::wrong_self_convention)]` for a method that takes
/// `&self` and is named after an operation (the spec's vocabulary) that
/// the lint reads as a conversion: `from_*` (which it expects to take no
/// `self`) or `into_*` (`self` by value).
pub(crate) fn self_convention_allow(name: &str) -> Option<TokenStream> {
    (name.starts_with("from_") || name.starts_with("into_"))
        .then(|| quote!(#[allow(clippy::wrong_self_convention)]))
}

/// `#![recursion_limit = "N"]` for a crate whose code holds the types of
/// `api`, when they nest deeper than the compiler's default limit leaves
/// room for (see `resolve::depth`): rustdoc proves every type's auto traits,
/// and rustc a value's drop, through all the types it holds. The client and
/// server crates hold the same types in their `Response`s and requests, so
/// each of the three crates declares it, and for its doctests (each a crate
/// of its own), which the README's examples are.
pub(crate) fn recursion_limit(api: &Api) -> Option<TokenStream> {
    crate::resolve::depth::recursion_limit(api.nesting_depth).map(|limit| {
        let limit = limit.to_string();
        quote! {
            #![recursion_limit = #limit]
            #![doc(test(attr(recursion_limit = #limit)))]
        }
    })
}

/// `#[doc = ...]` attributes for a description, one per line, made safe for
/// rustdoc (see [`doc_lines`]).
pub fn doc_attrs(docs: Option<&str>) -> TokenStream {
    let Some(docs) = docs.map(str::trim).filter(|d| !d.is_empty()) else {
        return TokenStream::new();
    };
    let lines = doc_lines(docs).into_iter().map(doc_line::placeholder);
    quote! { #( #[doc = #lines] )* }
}

/// Doc lines through the formatter without their text. A doc line's text
/// would be escaped into a string literal, parsed, and unescaped again by
/// prettyplease to print it as `///` (a tenth of the work of printing a
/// large spec's crates, whose descriptions are long); instead the literal
/// holds a short placeholder, and the printed line gets its text back
/// ([`doc_line::restore`]). prettyplease prints a one-line outer doc
/// attribute that does not start with `/` as `///`, the text with its
/// trailing spaces trimmed and a hard break; the emitters put doc
/// attributes only at the start of a line (items, fields, variants), so
/// the text's width changes no line break.
mod doc_line {
    use std::cell::RefCell;

    /// Starts and ends a placeholder: a control character, which no doc
    /// line holds ([`super::text::rustdoc_lines`] removes them) and the
    /// printer writes escaped everywhere else (string literals).
    const MARK: char = '\u{1}';

    thread_local! {
        /// The lines behind the placeholders made on this thread (each
        /// emit job makes and prints its tokens on one thread), until
        /// [`forget`].
        static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    /// The literal text for the doc line `line`: a placeholder when the
    /// printer would print it as a `///` line and it is worth it.
    pub(super) fn placeholder(line: String) -> String {
        if line.len() < 16 || line.starts_with('/') || line.contains(['\n', MARK]) {
            return line;
        }
        LINES.with(|lines| {
            let mut lines = lines.borrow_mut();
            lines.push(line);
            format!("{MARK}{}{MARK}", lines.len() - 1)
        })
    }

    /// `printed` with every placeholder line given its doc line back, its
    /// trailing spaces trimmed as the printer trims them.
    pub(super) fn restore(printed: String) -> String {
        if !printed.contains(MARK) {
            return printed;
        }
        LINES.with(|lines| {
            let lines = lines.borrow();
            let mut out = String::with_capacity(printed.len() + printed.len() / 2);
            let mut rest = printed.as_str();
            while let Some(start) = rest.find(MARK) {
                out.push_str(&rest[..start]);
                let after = &rest[start + MARK.len_utf8()..];
                let line = after.find(MARK).and_then(|end| {
                    let index: usize = after[..end].parse().ok()?;
                    Some((lines.get(index)?, end))
                });
                match line {
                    Some((line, end)) => {
                        out.push_str(line.trim_end_matches(' '));
                        rest = &after[end + MARK.len_utf8()..];
                    }
                    // Not a placeholder of this thread: left as it is.
                    None => {
                        out.push(MARK);
                        rest = after;
                    }
                }
            }
            out.push_str(rest);
            out
        })
    }

    /// Forgets the lines behind the placeholders made so far on this
    /// thread: their tokens are printed.
    pub(super) fn forget() {
        LINES.with(|lines| *lines.borrow_mut() = Vec::new());
    }
}

/// The lines of a doc comment for a description, each with the leading
/// space `///` gets: the description as safe rustdoc Markdown (see
/// [`text::rustdoc_lines`]: no code block rustdoc would compile, no
/// character rustc rejects).
pub fn doc_lines(docs: &str) -> Vec<String> {
    text::rustdoc_lines(docs)
}

/// The Rust type for a reference. `models` is the path to the types crate's
/// schema types from where the tokens are used (`crate` inside the types
/// crate, the crate's library name elsewhere).
pub fn type_tokens(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::Integer(IntegerFormat::I32) => quote!(i32),
        TypeRef::Integer(IntegerFormat::I64) => quote!(i64),
        TypeRef::Number(NumberFormat::F32) => quote!(f32),
        TypeRef::Number(NumberFormat::F64) => quote!(f64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#models::#name)
        }
        TypeRef::Array(item) => {
            let item = type_tokens(item, models);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, models);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::OrNull(inner) => {
            let inner = type_tokens(inner, models);
            quote!(Option<#inner>)
        }
        TypeRef::External(external) => external_type_tokens(&external.path),
    }
}

/// The tokens of an external type's path. Resolve only lets through paths
/// that parse as a Rust type, so a failure here is a bug in the generator.
pub fn external_type_tokens(path: &str) -> TokenStream {
    match syn::parse_str::<syn::Type>(path) {
        Ok(ty) => quote!(#ty),
        Err(e) => panic!("an external type path that does not parse: {path}: {e}"),
    }
}

/// A type's tokens as Rust source, spaced as rustfmt would
/// (`Vec<types::Pet>`, not `Vec < types :: Pet >`), for docs and READMEs.
pub fn type_text(tokens: &TokenStream) -> String {
    // Formatting through a type alias gives the usual spacing.
    match syn::parse2::<syn::File>(quote!(type T = #tokens;)) {
        Ok(file) => prettyplease::unparse(&file)
            .trim()
            .trim_start_matches("type T = ")
            .trim_end_matches(';')
            .to_owned(),
        Err(_) => tokens.to_string(),
    }
}

/// What a generated crate's code names from outside `std` and its fixed
/// dependencies, and what else about its code only its emitter decides:
/// each emitter reports it beside its files, and render only prints it
/// into the crate's `Cargo.toml` and README.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Crates the code names, by the name it uses.
    pub crates: BTreeMap<String, CrateDependency>,
    /// Crates only the crate's tests name.
    pub dev_crates: BTreeMap<String, CrateDependency>,
    /// `multipart/form-data` bodies (axum's and reqwest's `multipart`
    /// feature).
    pub multipart: bool,
    /// `application/x-www-form-urlencoded` request bodies the client sends
    /// (reqwest's `form` feature).
    pub form: bool,
    /// Operations the server's router does not serve, by name, with why
    /// (the server emitter decides routing; its README says so).
    pub unserved: BTreeMap<String, String>,
}

impl Needs {
    /// Notes what `ty` needs (not following named types: they live in the
    /// types crate, which declares its own dependencies).
    pub fn add(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Uuid => self.insert(known_crate("uuid")),
            TypeRef::DateTime | TypeRef::Date => self.insert(known_crate("chrono")),
            TypeRef::Any => self.insert(known_crate("serde_json")),
            TypeRef::External(external) => {
                if let Some(dependency) = &external.dependency {
                    self.insert(dependency.clone());
                }
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::OrNull(inner) => self.add(inner),
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::Integer(_)
            | TypeRef::Number(_)
            | TypeRef::Named(_) => {}
        }
    }

    /// Adds `dependency`; a crate named twice keeps the first spelling
    /// (resolve refuses two different ones for one name).
    pub fn insert(&mut self, dependency: CrateDependency) {
        self.crates
            .entry(dependency.name.clone())
            .or_insert(dependency);
    }

    /// What the types crate needs: every type reference anywhere in the API.
    pub fn of_api(api: &Api) -> Self {
        let mut needs = Needs::default();
        for def in &api.types {
            match &def.kind {
                crate::model::TypeKind::Struct(s) => {
                    for field in &s.fields {
                        needs.add(&field.ty);
                    }
                    if let Some(extra) = &s.additional_properties {
                        needs.add(extra);
                    }
                }
                crate::model::TypeKind::Enum(_) => {}
                crate::model::TypeKind::Alias(ty) | crate::model::TypeKind::Newtype(ty) => {
                    needs.add(ty)
                }
                crate::model::TypeKind::Union(u) => {
                    // Tagged unions read and write the tag through
                    // `serde_json::Value`.
                    if u.tag.is_some() {
                        needs.insert(known_crate("serde_json"));
                    }
                    for variant in &u.variants {
                        needs.add(&variant.ty);
                    }
                }
            }
        }
        for op in &api.operations {
            for p in &op.parameters {
                needs.add(&p.ty);
            }
            for content in op.request_body.iter().flat_map(|b| &b.contents) {
                needs.add_payload(&content.payload);
            }
            for r in &op.responses {
                if let Some(body) = &r.body {
                    needs.add_payload(&body.payload);
                }
                for header in &r.headers {
                    needs.add(&header.ty);
                }
            }
        }
        needs
    }

    /// Notes what the types a body holds need.
    pub fn add_payload(&mut self, payload: &crate::model::Payload) {
        use crate::model::{PartKind, Payload};
        match payload {
            Payload::Json(ty) | Payload::Form { ty, .. } => self.add(ty),
            Payload::Multipart(fields) => {
                for field in fields {
                    if let PartKind::Value(ty) = &field.part {
                        self.add(ty);
                    }
                }
            }
            Payload::Text | Payload::Binary => {}
        }
    }
}

/// The dependency on a crate the generated code names for a built-in
/// format or for JSON values, with the features the code needs.
pub(crate) fn known_crate(name: &str) -> CrateDependency {
    let (version, no_default_features, features): (&str, bool, &[&str]) = match name {
        "uuid" => ("1", false, &["serde"]),
        "chrono" => ("0.4", true, &["serde", "std"]),
        // Dates as `YYYY-MM-DD` text (without `serde-human-readable`, time
        // writes a tuple).
        "time" => ("0.3", true, &["serde-human-readable", "std"]),
        "rust_decimal" => ("1", false, &["serde"]),
        "bytes" => ("1", false, &["serde"]),
        _ => ("1", false, &[]),
    };
    CrateDependency {
        name: name.to_owned(),
        version: Some(version.to_owned()),
        path: None,
        package: None,
        features: features.iter().map(|f| (*f).to_owned()).collect(),
        no_default_features,
    }
}

#[cfg(test)]
mod doc_tests {
    use super::doc_lines;

    #[test]
    fn code_blocks_become_text() {
        assert_eq!(
            doc_lines("Intro\n```json\n{}\n```"),
            [" Intro", " ```text", " {}", " ```"]
        );
        assert_eq!(
            doc_lines("Intro\n\n    let x = 1;\nafter"),
            [" Intro", "", " ```text", " let x = 1;", " ```", " after"]
        );
    }

    /// Doc lines printed through placeholders read as the literals would
    /// print: quotes, backslashes, other scripts, trailing spaces, short
    /// lines, lines starting with `/`, on items and fields.
    #[test]
    fn doc_placeholders_print_as_the_literals_would() {
        use quote::quote;
        let docs = "A \"quoted\" path C:\\dir and é, ü, 日本語 with trailing spaces   \n\n\
                    short\n/slashed line that is long enough\n\\ backslash first, long enough";
        let real: Vec<String> = super::doc_lines(docs);
        let placeholders = super::doc_attrs(Some(docs));
        let with_placeholders = super::format_file([quote! {
            #placeholders
            pub struct A {
                #placeholders
                pub a: u8,
            }
        }]);
        let with_literals = super::format_file([quote! {
            #( #[doc = #real] )*
            pub struct A {
                #( #[doc = #real] )*
                pub a: u8,
            }
        }]);
        assert_eq!(with_placeholders, with_literals);
        assert!(!with_placeholders.contains('\u{1}'), "{with_placeholders}");
        assert!(
            with_placeholders
                .contains("/// A \"quoted\" path C:\\dir and é, ü, 日本語 with trailing spaces\n"),
            "{with_placeholders}"
        );
    }

    #[test]
    fn list_continuations_keep_their_indent() {
        assert_eq!(
            doc_lines("- item\n  continued"),
            [" - item", "   continued"]
        );
    }
}

#[cfg(test)]
mod formatter_tests {
    use quote::quote;

    use super::{format_file, parse_file, Formatter};

    /// Members of a block printed one at a time, inside the block opened by
    /// the piece before, print as the whole block does: docs, attributes,
    /// a signature long enough to break, nested blocks, a member after
    /// the block.
    #[test]
    fn members_printed_one_at_a_time_print_as_the_block() {
        let prelude = quote! {
            //! A file.

            use std::fmt;

            /// A type.
            pub struct Client;
        };
        let constant = quote! {
            /// A constant.
            pub const LIMIT: usize = 1;
        };
        let first = quote! {
            /// The first method, with a signature long enough to be
            /// broken over lines by the printer.
            #[cfg(feature = "one")]
            pub fn first(&self, parameters: &types::operations::first_operation::Parameters, body: &types::FirstOperationRequestBody) -> Call<'_, types::operations::first_operation::Response> {
                if parameters.is_empty() { return Call::none(); }
                match body { Body::A => 1, Body::B => { let x = 2; x } };
                Call::new(self)
            }
        };
        let second = quote! {
            #[must_use]
            pub fn second(self) -> Self { self }
        };
        let tail = quote! {
            /// After the block.
            fn after() {}
        };
        let whole = format_file([
            quote! {
                #prelude
                impl Client {
                    #constant
                    #first
                    #second
                }
            },
            tail.clone(),
        ]);

        let mut pieces = Formatter::new();
        pieces.open(parse_file(quote! {
            #prelude
            impl Client {
                #constant
            }
        }));
        for member in [first, second] {
            pieces.members(parse_file(quote! { impl Client { #member } }));
        }
        pieces.close();
        pieces.items(parse_file(tail));
        assert_eq!(pieces.finish(), whole);
        assert!(whole.contains("\n    }\n\n    #[must_use]\n"), "{whole}");
    }

    #[test]
    fn inner_lines_leave_out_whole_lines_at_both_ends() {
        use super::inner_lines;
        let text = "mod a {\n    mod b {\n        x();\n    }\n}\n";
        assert_eq!(inner_lines(text, 2, 2), Some("        x();\n"));
        assert_eq!(
            inner_lines(text, 0, 1),
            Some("mod a {\n    mod b {\n        x();\n    }\n")
        );
        assert_eq!(inner_lines(text, 0, 0), Some(text));
        assert_eq!(inner_lines(text, 3, 2), Some(""));
        assert_eq!(inner_lines(text, 3, 3), None);
        assert_eq!(inner_lines(text, 6, 0), None);
    }

    /// A part printed before what precedes it and appended gives the file
    /// printed in order: spacing the part's lines again adds nothing but
    /// the blank line where the two meet.
    #[test]
    fn an_appended_part_prints_as_in_order() {
        let items = [
            quote! { use std::sync::Arc; },
            quote! { pub fn head() -> Arc<u8> { Arc::new(1) } },
            quote! {
                /// One.
                fn one() {}
            },
            quote! {
                fn two() {}
                struct Three;
            },
        ];
        let whole = format_file(items.clone());
        let mut part = Formatter::part();
        for item in &items[2..] {
            part.items(parse_file(item.clone()));
        }
        let mut file = Formatter::new();
        for item in &items[..2] {
            file.items(parse_file(item.clone()));
        }
        file.append(part);
        assert_eq!(file.finish(), whole);
        assert!(whole.contains("}\n\n/// One.\n"), "{whole}");
    }
}
