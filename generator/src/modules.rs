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
pub(crate) fn modules(
    files: &BTreeMap<PathBuf, String>,
    parts: &[Part<'_>],
    paths: &Paths<'_>,
    header: &str,
) -> Result<String, Error> {
    let mut items = Vec::new();
    for part in parts {
        let src = Path::new(part.package).join("src");
        let lib = parse(files, &src.join("lib.rs"))?;
        let mut module = module_item(part.name, lib, true);
        let Item::Mod(item_mod) = &mut module else {
            unreachable!("module_item makes a module");
        };
        if let Some((_, content)) = &mut item_mod.content {
            inline(files, &src, content)?;
            allow_inception(part.name, content);
        }
        let mut rewriter = Rewriter::new(paths, part.name);
        rewriter.visit_item_mut(&mut module);
        // After the paths are rewritten: the files' text is data, not paths.
        IncludedFiles { files, src: &src }.visit_item_mut(&mut module);
        items.push(module);
    }
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    };
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
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

/// Parses the generated file at `path`.
fn parse(files: &BTreeMap<PathBuf, String>, path: &Path) -> Result<syn::File, Error> {
    let text = files.get(path).ok_or_else(|| {
        Error::other(format!(
            "cannot make modules: generation produced no {}",
            path.display()
        ))
    })?;
    syn::parse_file(text).map_err(|e| {
        Error::other(format!(
            "cannot make modules: {} does not parse: {e}",
            path.display()
        ))
    })
}

/// `mod name { items of file }`, the file's inner attributes made outer.
fn module_item(name: &str, file: syn::File, public: bool) -> Item {
    let attrs = file
        .attrs
        .into_iter()
        .map(|mut attr| {
            attr.style = AttrStyle::Outer;
            attr
        })
        .collect();
    let ident = Ident::new(name, Span::call_site());
    let vis = if public {
        quote::quote!(pub)
    } else {
        TokenStream::new()
    };
    let mut item: syn::ItemMod = syn::parse_quote!(#vis mod #ident {});
    item.attrs = attrs;
    item.content = Some((syn::token::Brace::default(), file.items));
    Item::Mod(item)
}

/// Replaces each `mod x;` in `items` (of a file in `dir`) by `mod x { ... }`
/// with the items of its file, and drops `#[cfg(test)]` and
/// `#[cfg(doctest)]` items.
fn inline(
    files: &BTreeMap<PathBuf, String>,
    dir: &Path,
    items: &mut Vec<Item>,
) -> Result<(), Error> {
    items.retain(|item| !is_test_only(item) && !is_feature_only(item));
    for item in items.iter_mut() {
        without_feature_absence(item);
    }
    for item in items.iter_mut() {
        let Item::Mod(item_mod) = item else { continue };
        let sub_dir = dir.join(item_mod.ident.to_string());
        if item_mod.content.is_none() {
            let name = item_mod.ident.to_string();
            let flat = dir.join(format!("{name}.rs"));
            let path = if files.contains_key(&flat) {
                flat
            } else {
                sub_dir.join("mod.rs")
            };
            let file = parse(files, &path)?;
            for mut attr in file.attrs {
                attr.style = AttrStyle::Outer;
                item_mod.attrs.push(attr);
            }
            item_mod.content = Some((syn::token::Brace::default(), file.items));
            item_mod.semi = None;
        }
        if let Some((_, content)) = &mut item_mod.content {
            inline(files, &sub_dir, content)?;
        }
    }
    Ok(())
}

/// The client crate's `client.rs` becomes the private `client::client`,
/// whose items `client` re-exports: a module named as its parent, which
/// clippy's `module_inception` refuses though nothing is confusing here.
fn allow_inception(part: &str, items: &mut [Item]) {
    for item in items {
        if let Item::Mod(module) = item {
            if module.ident == part {
                module
                    .attrs
                    .push(syn::parse_quote!(#[allow(clippy::module_inception)]));
            }
        }
    }
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

impl Rewriter {
    fn new(paths: &Paths<'_>, part: &str) -> Self {
        let root: Vec<Ident> = paths
            .root
            .segments
            .iter()
            .map(|segment| segment.ident.clone())
            .collect();
        let with = |name: &str| {
            let mut segments = root.clone();
            segments.push(Ident::new(name, Span::call_site()));
            segments
        };
        Rewriter {
            part: with(part),
            types: with("types"),
            types_lib: paths.types_lib.to_owned(),
            keep: paths.keep.to_vec(),
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
        let files: BTreeMap<PathBuf, String> = files
            .iter()
            .map(|(path, text)| (PathBuf::from(path), (*text).to_owned()))
            .collect();
        let root = parse_root(root).expect("root");
        modules(
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
        )
        .expect("modules")
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
