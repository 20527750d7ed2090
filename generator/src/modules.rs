//! Modules for `include!`: each generated crate made one module of the
//! crate that includes it.
//!
//! A generated crate is written to be a crate: its files are `mod x;`
//! declarations, its docs are inner (`//!`), its paths start at `crate::`,
//! and the client and server name the types crate by its library name.
//! None of that survives `include!` into a module of another crate. This
//! stage turns the files of each part into one module item:
//!
//! - `mod x;` becomes `mod x { ... }` with the items of `x.rs` (or
//!   `x/mod.rs`), the file's inner attributes and docs moved onto the
//!   module item;
//! - items under `#[cfg(test)]` or `#[cfg(doctest)]` are left out: they
//!   test the generated crate (the schemas' examples, the README's
//!   examples), not the including crate, and would need its
//!   dev-dependencies and files;
//! - a path `crate::x` becomes `ROOT::PART::x`, where ROOT is where the
//!   caller includes the file (`crate` at the crate root) and PART is the
//!   part's module (`types`, `client`, `server`); the types crate's library
//!   name becomes `ROOT::types`. Paths in macro input, in `serde` attribute
//!   strings and in doc links are rewritten alike. A type override written
//!   `crate::...` already names a type of the including crate, and stays;
//! - `include_str!("../file")` of a file the crate carries (the server's
//!   spec) becomes the file's text as a string literal: the including crate
//!   has the module file only, not the files beside it;
//! - Rust code blocks in docs become `text` blocks: they are the generated
//!   crates' examples and name those crates, which the including crate's
//!   doctests cannot reach.
//!
//! The parts are then printed with prettyplease, as one file holding
//! `pub mod types`, `pub mod client` and `pub mod server`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};
use syn::{AttrStyle, Attribute, Item, LitStr, Meta, UseTree};

use crate::emit::inner_lines;
use crate::error::Error;

/// One generated crate, to become the module `name` of the including crate.
pub(crate) struct Part<'a> {
    /// The module name: `types`, `client` or `server`.
    pub(crate) name: &'static str,
    /// The crate's directory in the output (its package name).
    pub(crate) package: &'a str,
}

/// How paths are rewritten: where the including crate puts the file, the
/// types crate's library name, and the paths that must stay.
pub(crate) struct Paths<'a> {
    /// Where the file is included: `crate`, or `crate::api`.
    pub(crate) root: &'a syn::Path,
    /// The library name of the types crate
    /// (`customer_identification_processes_types`).
    pub(crate) types_lib: &'a str,
    /// Paths starting with `crate::` that name a type of the including
    /// crate (type overrides), left as they are.
    pub(crate) keep: &'a [String],
}

/// The modules of `parts`, printed as one file, from the files generation
/// produced (paths relative to the output directory). `header` is the
/// comment the file starts with.
///
/// Printed a piece at a time ([`Writer`]): each file is parsed when its
/// `mod` is reached, a few items at a time, and each item printed once
/// rewritten, so the syntax trees of all the files never exist at once
/// (GitHub's types and client are 19 MB of text). The pieces of a file are
/// parsed and printed on two threads ([`Writer::pieces`]): a build script
/// pays this stage on every generation, unoptimised.
pub(crate) fn modules(
    files: &BTreeMap<PathBuf, String>,
    parts: &[Part<'_>],
    paths: &Paths<'_>,
    header: &str,
) -> Result<Printed, Error> {
    printed_modules(files, parts, paths, header, true)
}

/// The modules file, and what its crate roots declared that a module cannot.
pub(crate) struct Printed {
    pub(crate) text: String,
    /// The largest `recursion_limit` a part's `lib.rs` declared: the
    /// including crate's root must declare it (an attribute of a crate's
    /// root only, left out of the module).
    pub(crate) recursion_limit: Option<usize>,
}

/// [`modules`], the pieces of each file printed on two threads when
/// `parallel` (the same text either way).
fn printed_modules(
    files: &BTreeMap<PathBuf, String>,
    parts: &[Part<'_>],
    paths: &Paths<'_>,
    header: &str,
    parallel: bool,
) -> Result<Printed, Error> {
    let mut out = format!("{header}\n");
    let mut recursion_limit = None;
    let roots = Roots::new(paths);
    for part in parts {
        let src = Path::new(part.package).join("src");
        let (attrs, items) = parse(files, &src.join("lib.rs"))?;
        let (root_only, attrs): (Vec<_>, Vec<_>) = attrs.into_iter().partition(crate_root_only);
        recursion_limit = recursion_limit.max(root_only.iter().find_map(declared_recursion_limit));
        let mut writer = Writer::new(files, &src, &roots, part.name, &[]);
        writer.parallel = parallel;
        let module = Module {
            attrs: outer(attrs),
            vis: syn::parse_quote!(pub),
            ident: Ident::new(part.name, Span::call_site()),
        };
        writer.module(module, Items::File(items), &src)?;
        out.push_str(&writer.out);
    }
    Ok(Printed {
        text: out,
        recursion_limit,
    })
}

/// Whether `attr` (of a generated `lib.rs`) is one only a crate's root
/// takes, which on a module would be an unused attribute:
/// `recursion_limit`, and `doc(test(...))` for the crate's doctests.
fn crate_root_only(attr: &Attribute) -> bool {
    match &attr.meta {
        Meta::NameValue(meta) => meta.path.is_ident("recursion_limit"),
        Meta::List(meta) if meta.path.is_ident("doc") => meta
            .tokens
            .clone()
            .into_iter()
            .next()
            .is_some_and(|token| matches!(&token, TokenTree::Ident(ident) if ident == "test")),
        _ => false,
    }
}

/// `N` of `#![recursion_limit = "N"]`.
fn declared_recursion_limit(attr: &Attribute) -> Option<usize> {
    match &attr.meta {
        Meta::NameValue(meta) if meta.path.is_ident("recursion_limit") => match &meta.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(limit),
                ..
            }) => limit.value().parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// A module's head: what `mod x { ... }` is printed with before its items.
struct Module {
    attrs: Vec<Attribute>,
    vis: syn::Visibility,
    ident: Ident,
}

/// Prints the modules of one part, item by item, into `out`.
struct Writer<'a> {
    files: &'a BTreeMap<PathBuf, String>,
    /// The part's `src/`, which `include_str!` paths start from.
    src: &'a Path,
    /// What paths are rewritten to, for the writers of other threads.
    roots: &'a Roots,
    /// The part's module name.
    part: &'static str,
    rewriter: Rewriter,
    /// The modules the next item is printed inside, outermost first.
    chain: Vec<Ident>,
    /// Whether a file's pieces are printed on two threads
    /// ([`Writer::pieces`]); not within a piece, which is already one
    /// thread's work.
    parallel: bool,
    out: String,
}

/// The items of a module: those of a file, parsed as they are taken, or
/// those of a module written inline.
enum Items<'a> {
    File(FileItems<'a>),
    Inline(Vec<Item>),
}

/// How many pieces of a file are printed before their text is written
/// out: bounds what is held at once (a piece is an item or a few).
const PIECES_AT_ONCE: usize = 256;

impl<'a> Writer<'a> {
    fn new(
        files: &'a BTreeMap<PathBuf, String>,
        src: &'a Path,
        roots: &'a Roots,
        part: &'static str,
        chain: &[String],
    ) -> Self {
        Writer {
            files,
            src,
            roots,
            part,
            rewriter: Rewriter::new(roots, part),
            chain: chain.iter().map(|name| ident(name)).collect(),
            parallel: false,
            out: String::new(),
        }
    }

    /// Prints `module` with `items` (of a file in `dir`), those that
    /// compile in the including crate: each `mod x;` becomes `mod x { ... }`
    /// with the items of its file, its inner attributes made outer.
    fn module(&mut self, module: Module, items: Items<'a>, dir: &Path) -> Result<(), Error> {
        let mut head = syn::ItemMod {
            attrs: module.attrs,
            vis: module.vis,
            unsafety: None,
            mod_token: Default::default(),
            ident: module.ident,
            content: Some((syn::token::Brace::default(), Vec::new())),
            semi: None,
        };
        self.rewriter.visit_item_mod_mut(&mut head);
        // The head is printed with one placeholder item, whose line and the
        // closing brace's are then left out: `mod x {}` with no item prints
        // on one line, which is what is printed when no item compiles.
        let mut with_item = head.clone();
        if let Some((_, content)) = &mut with_item.content {
            content.push(syn::parse_quote!(
                const _: () = ();
            ));
        }
        let printed = self.printed(Item::Mod(with_item));
        let depth = self.chain.len();
        let before = self.out.len();
        self.out.push_str(
            inner_lines(&printed, depth, depth + 2).expect("a module with an item prints its head"),
        );
        let after_head = self.out.len();
        self.chain.push(head.ident.clone());
        match items {
            Items::Inline(items) => {
                for item in items {
                    self.take(item, dir)?;
                }
            }
            Items::File(items) => self.file(items, dir)?,
        }
        self.chain.pop();
        if self.out.len() == after_head {
            self.out.truncate(before);
            self.item(Item::Mod(head));
            return Ok(());
        }
        self.out.push_str(&"    ".repeat(self.chain.len()));
        self.out.push_str("}\n");
        Ok(())
    }

    /// Prints the items of a file in `dir`: those its first piece holds
    /// (parsed for the file's attributes), then the rest, on two threads
    /// when [`Writer::parallel`].
    fn file(&mut self, mut items: FileItems<'a>, dir: &Path) -> Result<(), Error> {
        for item in std::mem::take(&mut items.parsed) {
            self.take(item, dir)?;
        }
        if !self.parallel {
            for item in items {
                self.take(item?, dir)?;
            }
            return Ok(());
        }
        // Each piece from where the text not yet parsed starts.
        let starts: Vec<usize> = std::iter::once(items.start)
            .chain(
                items
                    .ends
                    .get(items.next_end..)
                    .unwrap_or_default()
                    .iter()
                    .copied(),
            )
            .filter(|&start| start < items.text.len())
            .collect();
        // Pieces printed on both threads, a window at a time; a piece left
        // to this thread is printed here, as far as it must go (a cut
        // inside a multi-line literal makes it longer), and the window's
        // pieces from where it ends are still the ones printed.
        let mut at = 0;
        while at < starts.len() {
            let window_start = at;
            let window_end = (at + PIECES_AT_ONCE).min(starts.len());
            let printed = self.pieces(
                items.text,
                &starts[window_start..window_end],
                starts.get(window_end),
                dir,
            );
            while at < window_end {
                if let Some(text) = &printed[at - window_start] {
                    self.out.push_str(text);
                    at += 1;
                    continue;
                }
                items.start = starts[at];
                items.next_end = items.ends.partition_point(|&end| end <= items.start);
                if let Some(piece) = items.next_piece()? {
                    for item in piece.items {
                        self.take(item, dir)?;
                    }
                }
                at = starts.partition_point(|&start| start < items.start);
            }
        }
        Ok(())
    }

    /// The pieces of `text` starting at `starts` (each ending where the
    /// next starts, the last at `end` or the text's end), each printed by a
    /// writer of its own thread, two threads taking the next piece in turn.
    /// `None` for a piece that does not parse alone, holds a file module or
    /// fails to print: the caller prints it.
    fn pieces(
        &self,
        text: &str,
        starts: &[usize],
        end: Option<&usize>,
        dir: &Path,
    ) -> Vec<Option<String>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;

        let chain: Vec<String> = self.chain.iter().map(ToString::to_string).collect();
        let (files, src, roots, part) = (self.files, self.src, self.roots, self.part);
        let next = AtomicUsize::new(0);
        let printed: Vec<Mutex<Option<String>>> = starts.iter().map(|_| Mutex::new(None)).collect();
        let work = || {
            let mut writer = Writer::new(files, src, roots, part, &chain);
            loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some(&start) = starts.get(at) else { break };
                let piece_end = starts.get(at + 1).or(end).copied().unwrap_or(text.len());
                let Ok(file) = syn::parse_file(&text[start..piece_end]) else {
                    continue;
                };
                // A file module's pieces are printed on both threads by
                // the caller, not by this thread alone.
                if file
                    .items
                    .iter()
                    .any(|item| matches!(item, Item::Mod(module) if module.content.is_none()))
                {
                    continue;
                }
                let took: Result<(), Error> = file
                    .items
                    .into_iter()
                    .try_for_each(|item| writer.take(item, dir));
                let piece = std::mem::take(&mut writer.out);
                if took.is_ok() {
                    *printed[at].lock().unwrap_or_else(|e| e.into_inner()) = Some(piece);
                }
            }
        };
        crate::on_two_threads("apiforge-modules", work);
        printed
            .into_iter()
            .map(|piece| piece.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect()
    }

    /// Prints `item`, an item of a file or module in `dir`, if it compiles
    /// in the including crate: a `mod` with the items of its file or its
    /// own, anything else rewritten.
    fn take(&mut self, item: Item, dir: &Path) -> Result<(), Error> {
        let Some(item) = compiled(item) else {
            return Ok(());
        };
        let Item::Mod(item_mod) = item else {
            let mut item = item;
            // Each item's docs on their own: a doc comment's code block
            // ends within it.
            self.rewriter.fence = None;
            self.rewriter.visit_item_mut(&mut item);
            // After the paths are rewritten: the files' text is data,
            // not paths.
            IncludedFiles {
                files: self.files,
                src: self.src,
            }
            .visit_item_mut(&mut item);
            self.item(item);
            return Ok(());
        };
        let sub_dir = dir.join(item_mod.ident.to_string());
        let mut attrs = item_mod.attrs;
        let items = match item_mod.content {
            Some((_, items)) => Items::Inline(items),
            None => {
                let name = item_mod.ident.to_string();
                let flat = dir.join(format!("{name}.rs"));
                let path = if self.files.contains_key(&flat) {
                    flat
                } else {
                    sub_dir.join("mod.rs")
                };
                let (file_attrs, items) = parse(self.files, &path)?;
                attrs.extend(outer(file_attrs));
                Items::File(items)
            }
        };
        // The client crate's `client.rs` becomes the private
        // `client::client`, whose items `client` re-exports: a module
        // named as its parent, which clippy's `module_inception`
        // refuses though nothing is confusing here.
        if self.chain.len() == 1 && self.chain[0] == item_mod.ident {
            attrs.push(syn::parse_quote!(#[allow(clippy::module_inception)]));
        }
        let module = Module {
            attrs,
            vis: item_mod.vis,
            ident: item_mod.ident,
        };
        self.module(module, items, &sub_dir)
    }

    /// Prints `item` (rewritten) at its place.
    fn item(&mut self, item: Item) {
        let printed = self.printed(item);
        let depth = self.chain.len();
        self.out.push_str(
            inner_lines(&printed, depth, depth).expect("an item prints inside its modules"),
        );
    }

    /// `item` as prettyplease prints it inside the modules of `chain`, each
    /// of which opens and closes on a line of its own: [`inner_lines`]
    /// leaves them out, and the item is laid out at its depth exactly as in
    /// the whole file.
    fn printed(&self, item: Item) -> String {
        let mut wrapped = item;
        for ident in self.chain.iter().rev() {
            wrapped = Item::Mod(syn::ItemMod {
                attrs: Vec::new(),
                vis: syn::Visibility::Inherited,
                unsafety: None,
                mod_token: Default::default(),
                ident: ident.clone(),
                content: Some((syn::token::Brace::default(), vec![wrapped])),
                semi: None,
            });
        }
        prettyplease::unparse(&syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: vec![wrapped],
        })
    }
}

/// Inner attributes made outer: a file's, put on the module it becomes.
fn outer(attrs: Vec<Attribute>) -> Vec<Attribute> {
    attrs
        .into_iter()
        .map(|mut attr| {
            attr.style = AttrStyle::Outer;
            attr
        })
        .collect()
}

/// `item` as the including crate compiles it: none for a `#[cfg(test)]`,
/// `#[cfg(doctest)]` or feature-only item, else without its
/// `#[cfg(not(feature = ...))]`.
fn compiled(mut item: Item) -> Option<Item> {
    if is_test_only(&item) || is_feature_only(&item) {
        return None;
    }
    without_feature_absence(&mut item);
    Some(item)
}

/// Replaces `include_str!("PATH")`, PATH relative to the crate's `src/`
/// (where the generated files that include one are), by the text of that
/// generated file.
struct IncludedFiles<'a> {
    files: &'a BTreeMap<PathBuf, String>,
    src: &'a Path,
}

impl VisitMut for IncludedFiles<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Macro(call) = expr {
            if call.mac.path.is_ident("include_str") {
                if let Ok(relative) = call.mac.parse_body::<LitStr>() {
                    let mut path = self.src.to_path_buf();
                    for component in Path::new(&relative.value()).components() {
                        match component {
                            std::path::Component::ParentDir => {
                                path.pop();
                            }
                            std::path::Component::Normal(part) => path.push(part),
                            _ => {}
                        }
                    }
                    if let Some(text) = self.files.get(&path) {
                        *expr = syn::Expr::Lit(syn::ExprLit {
                            attrs: Vec::new(),
                            lit: syn::Lit::Str(LitStr::new(text, relative.span())),
                        });
                        return;
                    }
                }
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }
}

/// The generated file at `path`: its inner attributes, and its items,
/// parsed as they are taken.
fn parse<'a>(
    files: &'a BTreeMap<PathBuf, String>,
    path: &Path,
) -> Result<(Vec<Attribute>, FileItems<'a>), Error> {
    let text = files.get(path).ok_or_else(|| {
        Error::other(format!(
            "cannot make modules: generation produced no {}",
            path.display()
        ))
    })?;
    let mut items = FileItems {
        path: path.to_owned(),
        text,
        ends: item_ends(text),
        next_end: 0,
        start: 0,
        parsed: Vec::new().into_iter(),
    };
    // The first piece holds the file's inner attributes.
    let attrs = match items.next_piece()? {
        Some(file) => {
            items.parsed = file.items.into_iter();
            file.attrs
        }
        None => Vec::new(),
    };
    Ok((attrs, items))
}

/// The items of a generated file, parsed a few at a time: the syntax tree
/// of a large file (GitHub's `models.rs` is 10 MB of text) never exists at
/// once.
struct FileItems<'a> {
    path: PathBuf,
    text: &'a str,
    /// Where the top-level items may end ([`item_ends`]), ascending.
    ends: Vec<usize>,
    /// The first of `ends` past `start`.
    next_end: usize,
    /// Where the text not yet parsed starts.
    start: usize,
    /// Items parsed and not yet taken.
    parsed: std::vec::IntoIter<Item>,
}

impl FileItems<'_> {
    /// The next piece of the text parsed: up to the next end that makes it
    /// parse. An end that is not one (a line of a multi-line literal that
    /// looks like an item's last) only makes the piece longer.
    fn next_piece(&mut self) -> Result<Option<syn::File>, Error> {
        if self.start >= self.text.len() {
            return Ok(None);
        }
        loop {
            let end = self
                .ends
                .get(self.next_end)
                .copied()
                .unwrap_or(self.text.len());
            self.next_end += 1;
            match syn::parse_file(&self.text[self.start..end]) {
                Ok(file) => {
                    self.start = end;
                    return Ok(Some(file));
                }
                Err(e) if end >= self.text.len() => {
                    return Err(Error::other(format!(
                        "cannot make modules: {} does not parse: {e}",
                        self.path.display()
                    )))
                }
                Err(_) => {}
            }
        }
    }
}

impl Iterator for FileItems<'_> {
    type Item = Result<Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.parsed.next() {
                return Some(Ok(item));
            }
            match self.next_piece() {
                Ok(Some(file)) => self.parsed = file.items.into_iter(),
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// Offsets in `text` (printed by prettyplease) where a top-level item may
/// start after another's end: a line at the margin that is `}` or ends with
/// `;` (not a comment), followed (after blank lines) by a line at the
/// margin. Every top-level item
/// ends so; a line inside a multi-line literal may look so too, which
/// [`FileItems::next_piece`] finds when the piece does not parse.
fn item_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut offset = 0;
    let mut ends_item = false;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            // Blank lines between items (the emitters space them out).
            offset += line.len();
            continue;
        }
        let starts_at_margin = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '}' | ')' | ']'));
        if ends_item && starts_at_margin {
            ends.push(offset);
        }
        let content = line.trim_end();
        ends_item = !line.starts_with([' ', '\t'])
            && !content.starts_with("//")
            && (content == "}" || content.ends_with(';'));
        offset += line.len();
    }
    ends
}

/// The attributes of the items a generated crate may put under `cfg`.
fn cfg_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    match item {
        Item::Fn(item) => Some(&mut item.attrs),
        Item::Impl(item) => Some(&mut item.attrs),
        Item::Struct(item) => Some(&mut item.attrs),
        Item::Use(item) => Some(&mut item.attrs),
        _ => None,
    }
}

/// Whether `item` is compiled only with a feature of the generated crate
/// (`#[cfg(feature = "tracing")]`): the including crate has no such
/// feature, and the code its absence compiles stays.
fn is_feature_only(item: &Item) -> bool {
    let attrs: &[Attribute] = match item {
        Item::Fn(item) => &item.attrs,
        Item::Impl(item) => &item.attrs,
        Item::Struct(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        _ => return false,
    };
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && matches!(&attr.meta, Meta::List(list)
                if list.tokens.to_string().starts_with("feature ="))
    })
}

/// Removes `#[cfg(not(feature = ...))]` from `item`: without the generated
/// crate's features, it is the code that compiles.
fn without_feature_absence(item: &mut Item) {
    if let Some(attrs) = cfg_attrs(item) {
        attrs.retain(|attr| {
            !(attr.path().is_ident("cfg")
                && matches!(&attr.meta, Meta::List(list)
                    if list.tokens.to_string().starts_with("not (feature =")))
        });
    }
}

/// Whether `item` is compiled only in the generated crate's own tests or
/// doctests.
fn is_test_only(item: &Item) -> bool {
    let attrs: &[Attribute] = match item {
        Item::Mod(item) => &item.attrs,
        Item::Struct(item) => &item.attrs,
        Item::Fn(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        Item::Impl(item) => &item.attrs,
        Item::Const(item) => &item.attrs,
        _ => return false,
    };
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && matches!(&attr.meta, Meta::List(list)
                if matches!(list.tokens.to_string().as_str(), "test" | "doctest"))
    })
}

/// Rewrites the paths of one part (see the module docs), and turns Rust
/// code blocks in docs into text.
struct Rewriter {
    /// Segments `crate::` becomes: ROOT and the part.
    part: Vec<Ident>,
    /// Segments the types crate's name becomes: ROOT and `types`.
    types: Vec<Ident>,
    /// The types crate's library name.
    types_lib: String,
    /// `crate::` paths to leave alone.
    keep: Vec<String>,
    /// Within a fenced code block of a doc comment: its fence's character
    /// and length (CommonMark closes it with as many or more).
    fence: Option<(char, usize)>,
}

/// What paths are rewritten to ([`Paths`]), as text: each thread that
/// prints makes its own [`Rewriter`] from it.
struct Roots {
    /// The segments of where the file is included.
    root: Vec<String>,
    types_lib: String,
    keep: Vec<String>,
}

impl Roots {
    fn new(paths: &Paths<'_>) -> Self {
        Roots {
            root: paths
                .root
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect(),
            types_lib: paths.types_lib.to_owned(),
            keep: paths.keep.to_vec(),
        }
    }
}

/// The identifier `name` (`crate`, `x` or `r#x`) as [`Ident`].
fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

impl Rewriter {
    fn new(roots: &Roots, part: &str) -> Self {
        let with = |name: &str| {
            let mut segments: Vec<Ident> =
                roots.root.iter().map(|segment| ident(segment)).collect();
            segments.push(ident(name));
            segments
        };
        Rewriter {
            part: with(part),
            types: with("types"),
            types_lib: roots.types_lib.clone(),
            keep: roots.keep.clone(),
            fence: None,
        }
    }

    /// The segments the leading segment `first` of a path stands for, when
    /// it is rewritten; `whole` is the path as text, for the kept paths.
    fn replacement(&self, first: &Ident, whole: &str) -> Option<&[Ident]> {
        if first == "crate" {
            (!self.keep.iter().any(|kept| kept == whole)).then_some(&self.part[..])
        } else if *first == self.types_lib {
            Some(&self.types[..])
        } else {
            None
        }
    }

    /// `text` with a leading `crate::` or types crate name rewritten; for
    /// paths held in strings (serde attributes) and doc links.
    fn rewrite_text_path(&self, text: &str) -> Option<String> {
        let (first, rest) = text.split_once("::")?;
        // `crate` is a keyword, which `Ident`'s parser refuses.
        let ident = if first == "crate" {
            Ident::new(first, Span::call_site())
        } else {
            syn::parse_str::<Ident>(first).ok()?
        };
        let segments = self.replacement(&ident, text)?;
        let prefix: Vec<String> = segments.iter().map(ToString::to_string).collect();
        Some(format!("{}::{rest}", prefix.join("::")))
    }

    /// Rewrites paths in macro input: `crate ::` and `types_lib ::`.
    fn rewrite_tokens(&self, tokens: TokenStream) -> TokenStream {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(trees.len());
        let mut i = 0;
        while i < trees.len() {
            let tree = &trees[i];
            let followed_by_path_sep = matches!(
                (trees.get(i + 1), trees.get(i + 2)),
                (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                    if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
            );
            // Only a path's first segment (not `a::crate`, not `$crate`).
            let first_segment = i == 0
                || !matches!(&trees[i - 1], TokenTree::Punct(p) if matches!(p.as_char(), ':' | '$'));
            match tree {
                TokenTree::Ident(ident) if followed_by_path_sep && first_segment => {
                    let whole = path_text_from(&trees[i..]);
                    if let Some(segments) = self.replacement(ident, &whole) {
                        for (n, segment) in segments.iter().enumerate() {
                            if n > 0 {
                                out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                                out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
                            }
                            out.push(TokenTree::Ident(segment.clone()));
                        }
                    } else {
                        out.push(tree.clone());
                    }
                }
                TokenTree::Group(group) => {
                    let mut rewritten =
                        Group::new(group.delimiter(), self.rewrite_tokens(group.stream()));
                    rewritten.set_span(group.span());
                    out.push(TokenTree::Group(rewritten));
                }
                TokenTree::Literal(literal) if holds_path(&trees[..i]) => {
                    out.push(match self.rewrite_literal(literal) {
                        Some(replaced) => TokenTree::Literal(replaced),
                        None => tree.clone(),
                    });
                }
                _ => out.push(tree.clone()),
            }
            i += 1;
        }
        out.into_iter().collect()
    }

    /// A string literal holding a path (`with = "crate::x"`), rewritten.
    fn rewrite_literal(&self, literal: &proc_macro2::Literal) -> Option<proc_macro2::Literal> {
        let lit: LitStr = syn::parse_str(&literal.to_string()).ok()?;
        let rewritten = self.rewrite_text_path(&lit.value())?;
        Some(proc_macro2::Literal::string(&rewritten))
    }

    /// A doc line: links to `crate::` paths rewritten, a Rust code fence
    /// made a text fence.
    fn rewrite_doc(&mut self, text: &str) -> String {
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| {
                let trimmed = line.trim_start();
                let indent = &line[..line.len() - trimmed.len()];
                let fence_char = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'));
                let run =
                    fence_char.map_or(0, |c| trimmed.len() - trimmed.trim_start_matches(c).len());
                match (self.fence, fence_char) {
                    // A closing fence: the opening's character, at least as
                    // many, nothing after them.
                    (Some((open_char, open_run)), Some(c))
                        if c == open_char
                            && run >= open_run
                            && trimmed[run..].trim().is_empty() =>
                    {
                        self.fence = None;
                        line.to_owned()
                    }
                    (Some(_), _) => line.to_owned(),
                    (None, Some(c)) if run >= 3 => {
                        self.fence = Some((c, run));
                        let info = &trimmed[run..];
                        if is_rust_fence(info) {
                            format!("{indent}{}text", &trimmed[..run])
                        } else {
                            line.to_owned()
                        }
                    }
                    (None, _) => self.rewrite_doc_links(line),
                }
            })
            .collect();
        lines.join("\n")
    }

    /// `](crate::x)` link targets rewritten.
    fn rewrite_doc_links(&self, line: &str) -> String {
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            out.push_str(&rest[..at + 2]);
            rest = &rest[at + 2..];
            let end = rest.find(')').unwrap_or(rest.len());
            // A target such as `crate::router()` keeps its parentheses.
            let target = &rest[..end];
            let target_end = target.find('(').unwrap_or(target.len());
            if let Some(rewritten) = self.rewrite_text_path(&target[..target_end]) {
                out.push_str(&rewritten);
                rest = &rest[target_end..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// Whether the string literal after `before` holds a path: the value of a
/// serde attribute key that names a function or a type (`with = "..."`).
/// Other strings are data (a `rename` is a name on the wire, which a spec
/// may spell `crate::x`) and stay as they are.
fn holds_path(before: &[TokenTree]) -> bool {
    const PATH_KEYS: &[&str] = &[
        "with",
        "serialize_with",
        "deserialize_with",
        "default",
        "from",
        "try_from",
        "into",
        "getter",
        "remote",
    ];
    match before {
        [.., TokenTree::Ident(key), TokenTree::Punct(eq)] => {
            eq.as_char() == '=' && PATH_KEYS.iter().any(|k| key == k)
        }
        _ => false,
    }
}

/// The path at the start of `trees` as text (`crate::a::B`), segments only.
fn path_text_from(trees: &[TokenTree]) -> String {
    let mut text = String::new();
    let mut i = 0;
    while let Some(TokenTree::Ident(ident)) = trees.get(i) {
        if !text.is_empty() {
            text.push_str("::");
        }
        text.push_str(&ident.to_string());
        match (trees.get(i + 1), trees.get(i + 2)) {
            (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
                if a.as_char() == ':' && b.as_char() == ':' =>
            {
                i += 3
            }
            _ => break,
        }
    }
    text
}

/// Whether a fence's info string makes the block a doctest, as rustdoc
/// reads it: no language, or `rust`, with any of rustdoc's attributes.
fn is_rust_fence(info: &str) -> bool {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|token| !token.is_empty())
        .all(|token| {
            matches!(
                token,
                "rust" | "no_run" | "ignore" | "should_panic" | "compile_fail" | "test_harness"
            ) || token.starts_with("edition")
        })
}

/// `a::b::c` of a path's segments.
fn segments_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

impl VisitMut for Rewriter {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() {
            if let Some(first) = path.segments.first() {
                let whole = segments_text(path);
                if let Some(replacement) = self.replacement(&first.ident, &whole) {
                    let replacement = replacement.to_vec();
                    let rest = std::mem::take(&mut path.segments).into_iter().skip(1);
                    path.segments = replacement
                        .into_iter()
                        .map(syn::PathSegment::from)
                        .chain(rest)
                        .collect();
                }
            }
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        if item.leading_colon.is_none() {
            self.rewrite_use_tree(&mut item.tree);
        }
        visit_mut::visit_item_use_mut(self, item);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.rewrite_tokens(std::mem::take(&mut mac.tokens));
        visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        match &mut attr.meta {
            Meta::NameValue(name_value) if name_value.path.is_ident("doc") => {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &mut name_value.value
                {
                    let rewritten = self.rewrite_doc(&text.value());
                    *text = LitStr::new(&rewritten, text.span());
                }
            }
            Meta::List(list) => {
                list.tokens = self.rewrite_tokens(std::mem::take(&mut list.tokens));
            }
            _ => {}
        }
    }
}

impl Rewriter {
    /// The first segment of a `use` tree rewritten, as in paths.
    fn rewrite_use_tree(&self, tree: &mut UseTree) {
        let (first, whole) = match &*tree {
            UseTree::Path(path) => (path.ident.clone(), use_tree_text(tree)),
            UseTree::Name(name) => (name.ident.clone(), name.ident.to_string()),
            UseTree::Rename(rename) => (rename.ident.clone(), rename.ident.to_string()),
            UseTree::Glob(_) | UseTree::Group(_) => return,
        };
        let Some(replacement) = self.replacement(&first, &whole) else {
            return;
        };
        let (last, prefix) = replacement.split_last().expect("a root path has a segment");
        let tail = match std::mem::replace(
            tree,
            UseTree::Glob(syn::UseGlob {
                star_token: Default::default(),
            }),
        ) {
            UseTree::Path(mut path) => {
                path.ident = last.clone();
                UseTree::Path(path)
            }
            // `use types_lib as types;` is `use ROOT::types;`.
            UseTree::Rename(rename) if rename.rename == *last => UseTree::Name(syn::UseName {
                ident: last.clone(),
            }),
            UseTree::Rename(mut rename) => {
                rename.ident = last.clone();
                UseTree::Rename(rename)
            }
            UseTree::Name(name) => UseTree::Rename(syn::UseRename {
                ident: last.clone(),
                as_token: Default::default(),
                rename: name.ident,
            }),
            other => other,
        };
        *tree = prefix.iter().rev().fold(tail, |tree, segment| {
            UseTree::Path(syn::UsePath {
                ident: segment.clone(),
                colon2_token: Default::default(),
                tree: Box::new(tree),
            })
        });
    }
}

/// The leading path of a `use` tree as text, up to a group or glob.
fn use_tree_text(tree: &UseTree) -> String {
    match tree {
        UseTree::Path(path) => format!("{}::{}", path.ident, use_tree_text(&path.tree)),
        UseTree::Name(name) => name.ident.to_string(),
        UseTree::Rename(rename) => rename.ident.to_string(),
        UseTree::Glob(_) => "*".to_owned(),
        UseTree::Group(_) => "{}".to_owned(),
    }
}

/// A module root path (`crate`, `crate::api`): parsed, and checked to start
/// at `crate`, the only start that reaches the same module from every depth
/// of the generated modules.
pub(crate) fn parse_root(root: &str) -> Result<syn::Path, Error> {
    let path: syn::Path = syn::parse_str(root).map_err(|_| {
        Error::other(format!(
            "the module root {root:?} is not a path; write `crate` or `crate::module`"
        ))
    })?;
    let plain = path.leading_colon.is_none()
        && path.segments.first().is_some_and(|s| s.ident == "crate")
        && path
            .segments
            .iter()
            .all(|s| matches!(s.arguments, syn::PathArguments::None));
    if !plain {
        return Err(Error::other(format!(
            "the module root {root:?} must start at `crate` (e.g. `crate` or `crate::api`): the \
             generated modules name each other from there"
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules of one part `client` whose files are `files`.
    fn rewrite(files: &[(&str, &str)], root: &str, keep: &[String]) -> String {
        printed(files, root, keep, true)
    }

    /// [`rewrite`], each file's pieces printed on two threads when
    /// `parallel`.
    fn printed(files: &[(&str, &str)], root: &str, keep: &[String], parallel: bool) -> String {
        printed_parts(files, root, keep, parallel).text
    }

    /// The modules of the client part of `files`, and what they report.
    fn printed_parts(
        files: &[(&str, &str)],
        root: &str,
        keep: &[String],
        parallel: bool,
    ) -> Printed {
        let files: BTreeMap<PathBuf, String> = files
            .iter()
            .map(|(path, text)| (PathBuf::from(path), (*text).to_owned()))
            .collect();
        let root = parse_root(root).expect("root");
        printed_modules(
            &files,
            &[Part {
                name: "client",
                package: "x-client",
            }],
            &Paths {
                root: &root,
                types_lib: "x_types",
                keep,
            },
            "// header",
            parallel,
        )
        .expect("modules")
    }

    /// A file is parsed a few items at a time, split where prettyplease
    /// ends a top-level item; a line inside a multi-line literal that looks
    /// like an item's end makes its piece longer, never a wrong item.
    #[test]
    fn files_are_parsed_in_pieces_and_literals_are_not_split() {
        let text = "//! Docs.\n\npub struct A;\n\nimpl A {\n    fn a() {}\n}\n\
                    const S: &str = \"first;\nfn not_an_item() {}\n}\nlast\";\n\
                    /// Docs of B;\n#[derive(Debug)]\npub struct B {\n    b: u8,\n}\n";
        assert_eq!(
            item_ends(text)
                .iter()
                .map(|&end| text[end..].lines().next().unwrap_or_default())
                .collect::<Vec<_>>(),
            [
                "impl A {",
                "const S: &str = \"first;",
                "fn not_an_item() {}",
                "last\";",
                "/// Docs of B;"
            ]
        );
        let files = BTreeMap::from([(PathBuf::from("f.rs"), text.to_owned())]);
        let (attrs, items) = parse(&files, Path::new("f.rs")).expect("parses");
        assert_eq!(attrs.len(), 1);
        let printed = |items: &[Item]| -> Vec<String> {
            use quote::ToTokens;
            items
                .iter()
                .map(|item| item.to_token_stream().to_string())
                .collect()
        };
        let items: Vec<Item> = items.collect::<Result<_, _>>().expect("parses");
        let whole = syn::parse_file(text).expect("parses");
        assert_eq!(items.len(), 4);
        assert_eq!(printed(&items), printed(&whole.items));
        // Each piece that parses is one item here: A, its impl, S, B.
        let mut pieces = parse(&files, Path::new("f.rs")).expect("parses").1;
        assert_eq!(pieces.parsed.len(), 1);
        assert!(pieces.next().is_some());
        assert_eq!(pieces.start, text.find("impl A").unwrap());
    }

    /// Printed on two threads, in windows of pieces, a file gives what one
    /// thread gives: with a literal cut where an item seems to end (its
    /// piece printed by the caller, and the rest from where it ends), a
    /// module inline, file modules (one in the first piece, one in a piece
    /// of a window) and an item left out, across windows.
    #[test]
    fn pieces_printed_on_two_threads_come_out_in_order() {
        let mut lib = String::from("//! The client.\nmod a;\n\n");
        for i in 0..2 * PIECES_AT_ONCE + 10 {
            lib.push_str(&format!("/// S{i}.\npub struct S{i};\n\n"));
            if i == PIECES_AT_ONCE - 1 {
                lib.push_str(
                    "const S: &str = \"first;\nfn not_an_item() {}\n}\nlast\";\n\n\
                     pub mod inline {\n    pub fn f() -> crate::S0 {\n        crate::S0\n    }\n}\n\n\
                     #[cfg(test)]\nmod tests {}\n\n",
                );
            }
            if i == 100 {
                // A file module in a piece of the window.
                lib.push_str("pub mod b;\n\n");
            }
        }
        let files = [
            ("x-client/src/lib.rs", lib.as_str()),
            ("x-client/src/a.rs", "//! Module a.\npub struct A;\n"),
            (
                "x-client/src/b.rs",
                "//! Module b.\npub struct B;\n\npub struct C;\n",
            ),
        ];
        let printed = |parallel| printed(&files, "crate", &[], parallel);
        let two = printed(true);
        assert_eq!(two, printed(false));
        assert!(two.contains("    const S: &str = \"first;\nfn not_an_item() {}\n}\nlast\";\n"));
        assert!(two.contains("        pub fn f() -> crate::client::S0 {\n"));
        assert!(!two.contains("mod tests"));
        assert!(two.contains(
            "    /// S100.\n    pub struct S100;\n    /// Module b.\n    pub mod b {\n        pub struct B;\n        pub struct C;\n    }\n"
        ));
        let structs: Vec<&str> = two
            .lines()
            .filter(|line| line.contains("pub struct S"))
            .collect();
        assert_eq!(structs.len(), 2 * PIECES_AT_ONCE + 10);
        assert!(structs.windows(2).all(|pair| {
            let number = |line: &str| -> usize {
                line.trim()
                    .trim_start_matches("pub struct S")
                    .trim_end_matches(';')
                    .parse()
                    .unwrap()
            };
            number(pair[0]) + 1 == number(pair[1])
        }));
    }

    #[test]
    fn file_modules_are_inlined_with_their_inner_docs() {
        let text = rewrite(
            &[
                (
                    "x-client/src/lib.rs",
                    "//! The client.\n#![allow(clippy::all)]\nmod a;\npub mod b;\n#[cfg(test)]\nmod tests;\n\
                     #[cfg(doctest)]\n#[doc = include_str!(\"../README.md\")]\nstruct ReadmeExamples;\n",
                ),
                ("x-client/src/a.rs", "//! Module a.\npub struct A;\n"),
                ("x-client/src/b/mod.rs", "mod c;\n"),
                ("x-client/src/b/c.rs", "pub fn c() {}\n"),
            ],
            "crate",
            &[],
        );
        assert_eq!(
            text,
            "// header\n/// The client.\n#[allow(clippy::all)]\npub mod client {\n    /// Module a.\n    mod a {\n        pub struct A;\n    }\n    pub mod b {\n        mod c {\n            pub fn c() {}\n        }\n    }\n}\n"
        );
    }

    /// What only a crate's root takes is left out of the module, and the
    /// `recursion_limit` reported for the including crate to declare.
    #[test]
    fn crate_root_attributes_are_reported_not_printed() {
        let lib = "//! The client.\n#![recursion_limit = \"256\"]\n\
                   #![doc(test(attr(recursion_limit = \"256\")))]\n#![allow(clippy::all)]\n\
                   pub struct A;\n";
        let printed = printed_parts(&[("x-client/src/lib.rs", lib)], "crate", &[], true);
        assert_eq!(
            printed.text,
            "// header\n/// The client.\n#[allow(clippy::all)]\npub mod client {\n    pub struct A;\n}\n"
        );
        assert_eq!(printed.recursion_limit, Some(256));
    }

    #[test]
    fn paths_in_code_macros_attributes_and_docs_are_rewritten() {
        let lib = r#"
pub use x_types as types;
use crate::error::{self, Error};
/// See [`Client`](crate::Client) and [`new`](crate::Client::new()).
///
/// ```no_run
/// let c = crate::Client::new();
/// ```
///
/// ```text
/// crate::Literal
/// ```
///
/// ````text
/// ```
/// not a fence
/// ```
/// ````
///
/// ~~~
/// let tilde = 1;
/// ~~~
pub struct S {
    #[serde(with = "crate::format")]
    pub a: crate::A<x_types::Pet>,
    #[serde(rename = "crate::wire")]
    pub w: u8,
    pub m: crate::Money,
    pub b: ::x_types::B,
}
fn f() -> bool {
    matches!(g(), crate::E::V | x_types::E::W) && h!($crate::a, other::crate::b)
}
"#;
        let text = rewrite(
            &[("x-client/src/lib.rs", lib)],
            "crate::api",
            &["crate::Money".to_owned()],
        );
        for expected in [
            "pub use crate::api::types;",
            "use crate::api::client::error::{self, Error};",
            "[`Client`](crate::api::client::Client)",
            "[`new`](crate::api::client::Client::new())",
            "```text\n    /// let c = crate::Client::new();",
            "/// crate::Literal",
            "/// ````text\n    /// ```\n    /// not a fence\n    /// ```\n    /// ````",
            "/// ~~~text\n    /// let tilde = 1;",
            r#"#[serde(with = "crate::api::client::format")]"#,
            // A name on the wire is data.
            r#"#[serde(rename = "crate::wire")]"#,
            "pub a: crate::api::client::A<crate::api::types::Pet>",
            // A type override naming the including crate's type stays.
            "pub m: crate::Money",
            // An absolute path names an external crate.
            "pub b: ::x_types::B",
            "crate::api::client::E::V | crate::api::types::E::W",
            "$crate::a, other::crate::b",
        ] {
            // prettyplease spaces `crate ::` in macro input.
            let squashed = |s: &str| s.replace(' ', "");
            assert!(
                squashed(&text).contains(&squashed(expected)),
                "{expected}\nin\n{text}"
            );
        }
    }

    #[test]
    fn rust_fences_are_those_rustdoc_tests() {
        for info in [
            "",
            "rust",
            "no_run",
            "rust,ignore",
            "should_panic",
            "edition2021",
        ] {
            assert!(is_rust_fence(info), "{info}");
        }
        for info in ["text", "json", "rust,text", "sh"] {
            assert!(!is_rust_fence(info), "{info}");
        }
    }
}
