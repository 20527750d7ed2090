//! Fixed helper code pruned to what the spec-specific code reaches.
//!
//! An emitter writes every helper it may need, then keeps the items that the
//! code written for the spec names, directly or through other kept helpers:
//! functions, types, the methods of inherent `impl` blocks one by one, and
//! the variants of enums that kept code constructs. Nothing decides by hand
//! which helpers a spec needs, so a helper is never emitted unused (which
//! `-D warnings` would reject) nor missing (which would not build).
//!
//! Names are resolved the way the helpers are written, without types:
//!
//! - a path (`name`, `extract::name`, `Type::member`, `Self::member`) names
//!   an item, a method or a variant; a one-segment path bound in the same
//!   function (a parameter, `let`, closure or pattern binding) is local;
//! - a method call `value.name(...)` names the method `name` of the helper
//!   types in scope in that function: its `Self`, the types it names, and
//!   the helper types in the signatures of the helpers it calls;
//! - a trait `impl` is kept with its type;
//! - an enum variant exists when kept code constructs it (an expression, not
//!   a pattern); a `match` arm whose pattern only names removed variants is
//!   removed with them.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// The items of `helpers` that `roots` (the spec-specific code of the same
/// crate) reach, in their order, without the methods, variants and `match`
/// arms nothing reaches.
pub fn reachable(roots: &[TokenStream], helpers: TokenStream) -> TokenStream {
    let helpers = parse(helpers);
    let mut pruner = Pruner::new(&helpers);
    // Each root parsed on its own (the syntax tree of a large file never
    // exists at once), without its doc attributes: they name nothing, and
    // parsing the spec's descriptions again would cost as much as the rest
    // of the pruning.
    for root in roots {
        pruner.add(&parse(without_docs(root.clone())));
    }
    pruner.decide().keep(helpers)
}

/// [`reachable`] with the roots given one file at a time, for an emitter
/// that parses its files to print them: it adds each as it goes, so a root
/// is parsed once and need not outlive its printing.
pub struct Pruner<'h> {
    index: Index<'h>,
    /// What the roots added so far name. Each item is walked once; only an
    /// item with a `match` arm on a helper's variant depends on which
    /// variants are removed: those (rare, and small) are kept as tokens, to
    /// be walked again.
    names: Resolved,
    variant_matching: Vec<TokenStream>,
}

impl<'h> Pruner<'h> {
    /// A pruning of `helpers` (parsed with [`parse_file`](super::parse_file))
    /// without roots yet.
    pub fn new(helpers: &'h syn::File) -> Self {
        Pruner {
            index: Index::new(&helpers.items),
            names: Resolved::default(),
            variant_matching: Vec::new(),
        }
    }

    /// Adds the items of `root` to the roots.
    pub fn add(&mut self, root: &syn::File) {
        for item in &root.items {
            let (names, matches_variants) = self.index.item_names(item, &BTreeSet::new());
            if matches_variants {
                self.variant_matching.push(item.to_token_stream());
            } else {
                self.names.extend(names);
            }
        }
    }

    /// What the roots reach, decided: [`Decision::keep`] applies it to the
    /// helpers.
    pub fn decide(self) -> Decision {
        let variant_matching: Vec<syn::Item> = self
            .variant_matching
            .into_iter()
            .map(|tokens| match syn::parse2(tokens) {
                Ok(item) => item,
                Err(e) => panic!("apiforge emitted tokens that do not parse: {e}"),
            })
            .collect();
        decide(&self.index, &self.names, &variant_matching)
    }
}

/// What pruning keeps of the helpers.
pub struct Decision {
    reached: Reached,
    removed: BTreeSet<Member>,
    defined: BTreeSet<String>,
}

/// What `root_names` and `variant_matching` (root items walked again as
/// variants are removed) reach of the helpers indexed by `index`.
fn decide(index: &Index<'_>, root_names: &Resolved, variant_matching: &[syn::Item]) -> Decision {
    let mut removed = BTreeSet::new();
    // Removing a variant removes arms, which may construct other variants:
    // repeat until the removed variants settle.
    let reached = loop {
        let mut names = root_names.clone();
        for item in variant_matching {
            names.extend(index.item_names(item, &removed).0);
        }
        let reached = index.reach(names, &removed);
        let unconstructed: BTreeSet<Member> = index
            .variants
            .iter()
            .filter(|variant| reached.items.contains(&variant.0))
            .filter(|variant| !reached.constructed.contains(*variant))
            .cloned()
            .collect();
        if unconstructed == removed {
            break reached;
        }
        removed = unconstructed;
    };

    let defined: BTreeSet<String> = index.items.keys().cloned().collect();
    Decision {
        reached,
        removed,
        defined,
    }
}

impl Decision {
    /// The items of `helpers` (those the [`Pruner`] indexed) that the roots
    /// reach, in their order, without the methods, variants and `match`
    /// arms nothing reaches.
    pub fn keep(self, helpers: syn::File) -> TokenStream {
        let Decision {
            reached,
            removed,
            defined,
        } = self;
        keep(helpers, &reached, &removed, &defined)
    }
}

fn keep(
    helpers: syn::File,
    reached: &Reached,
    removed: &BTreeSet<Member>,
    defined: &BTreeSet<String>,
) -> TokenStream {
    let mut kept = Vec::new();
    for item in helpers.items {
        let item = match item {
            syn::Item::Impl(mut block) => {
                // An `impl` of a type defined elsewhere is kept whole, with
                // its trait when that is a helper.
                let Some(ty) = self_type(&block.self_ty).filter(|ty| defined.contains(ty)) else {
                    let trait_removed = trait_name(&block).is_some_and(|name| {
                        defined.contains(&name) && !reached.items.contains(&name)
                    });
                    if !trait_removed {
                        kept.push(syn::Item::Impl(block));
                    }
                    continue;
                };
                if block.trait_.is_some() {
                    if !reached.items.contains(&ty) {
                        continue;
                    }
                } else {
                    block.items.retain(|item| match item {
                        syn::ImplItem::Fn(method) => reached
                            .methods
                            .contains(&(ty.clone(), method.sig.ident.to_string())),
                        _ => true,
                    });
                    if block.items.is_empty() {
                        continue;
                    }
                }
                syn::Item::Impl(block)
            }
            syn::Item::Enum(mut definition) => {
                let name = definition.ident.to_string();
                if !reached.items.contains(&name) {
                    continue;
                }
                definition.variants = std::mem::take(&mut definition.variants)
                    .into_pairs()
                    .map(syn::punctuated::Pair::into_value)
                    .filter(|v| !removed.contains(&(name.clone(), v.ident.to_string())))
                    .collect();
                syn::Item::Enum(definition)
            }
            item => match item_name(&item) {
                Some(name) if !reached.items.contains(&name) => continue,
                _ => item,
            },
        };
        kept.push(item);
    }
    let mut arms = RemoveArms {
        removed,
        self_ty: None,
    };
    let mut out = TokenStream::new();
    for mut item in kept {
        arms.visit_item_mut(&mut item);
        item.to_tokens(&mut out);
    }
    out
}

/// `tokens` without their doc attributes (`#[doc = ...]`, at any depth),
/// which name nothing: the roots carry the spec's descriptions, and parsing
/// those literals again would cost as much as the rest of the pruning.
fn without_docs(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let is_doc = |tree: &TokenTree| match tree {
        TokenTree::Group(group) if group.delimiter() == Delimiter::Bracket => {
            matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(ident)) if ident == "doc")
        }
        _ => false,
    };
    let mut out = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(punct)
                if punct.as_char() == '#' && trees.peek().is_some_and(is_doc) =>
            {
                trees.next();
            }
            TokenTree::Group(group) => {
                let mut stripped = Group::new(group.delimiter(), without_docs(group.stream()));
                stripped.set_span(group.span());
                out.push(TokenTree::Group(stripped));
            }
            tree => out.push(tree),
        }
    }
    out.into_iter().collect()
}

fn parse(tokens: TokenStream) -> syn::File {
    match syn::parse2(tokens) {
        Ok(file) => file,
        // Helpers and roots are the generator's own tokens.
        Err(e) => panic!("apiforge emitted tokens that do not parse: {e}"),
    }
}

/// A method or a variant: its type's name and its own.
type Member = (String, String);

/// The name a free item is known by.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Const(c) => Some(c.ident.to_string()),
        syn::Item::Static(s) => Some(s.ident.to_string()),
        syn::Item::Trait(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// The name of the trait an `impl` implements, if it does.
fn trait_name(block: &syn::ItemImpl) -> Option<String> {
    let (path, _) = block.trait_.as_ref()?;
    path.segments.last().map(|s| s.ident.to_string())
}

/// The name of the type an `impl` is for (`Input<'a>`, `&'de FormValue`).
fn self_type(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        syn::Type::Reference(reference) => self_type(&reference.elem),
        syn::Type::Paren(inner) => self_type(&inner.elem),
        _ => None,
    }
}

/// What can be reached, and what each piece of code names.
struct Index<'h> {
    /// Free items by name.
    items: BTreeMap<String, &'h syn::Item>,
    /// Names of the types among them.
    types: BTreeSet<String>,
    /// Inherent methods.
    methods: BTreeMap<Member, &'h syn::ImplItemFn>,
    /// Trait `impl`s, by the name of their type.
    trait_impls: BTreeMap<String, Vec<&'h syn::ItemImpl>>,
    /// Trait `impl`s of types defined elsewhere (`&T`), by the name of
    /// their trait: followed with the trait.
    foreign_impls: BTreeMap<String, Vec<&'h syn::ItemImpl>>,
    /// Every enum variant.
    variants: BTreeSet<Member>,
}

/// What a search reached.
#[derive(Default)]
struct Reached {
    items: BTreeSet<String>,
    methods: BTreeSet<Member>,
    constructed: BTreeSet<Member>,
}

/// A piece of code to follow: a free item, a method, or a whole trait impl.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Item(String),
    Method(Member),
}

impl<'h> Index<'h> {
    fn new(items: &'h [syn::Item]) -> Self {
        let mut index = Index {
            items: BTreeMap::new(),
            types: BTreeSet::new(),
            methods: BTreeMap::new(),
            trait_impls: BTreeMap::new(),
            foreign_impls: BTreeMap::new(),
            variants: BTreeSet::new(),
        };
        for item in items {
            if let syn::Item::Impl(block) = item {
                let Some(ty) = self_type(&block.self_ty) else {
                    continue;
                };
                if block.trait_.is_some() {
                    index.trait_impls.entry(ty).or_default().push(block);
                } else {
                    for inner in &block.items {
                        if let syn::ImplItem::Fn(method) = inner {
                            index
                                .methods
                                .insert((ty.clone(), method.sig.ident.to_string()), method);
                        }
                    }
                }
                continue;
            }
            let Some(name) = item_name(item) else {
                continue;
            };
            match item {
                syn::Item::Struct(_) | syn::Item::Type(_) => {
                    index.types.insert(name.clone());
                }
                syn::Item::Enum(definition) => {
                    index.types.insert(name.clone());
                    for variant in &definition.variants {
                        index
                            .variants
                            .insert((name.clone(), variant.ident.to_string()));
                    }
                }
                _ => {}
            }
            index.items.insert(name, item);
        }
        let foreign: Vec<String> = index
            .trait_impls
            .keys()
            .filter(|ty| !index.items.contains_key(*ty))
            .cloned()
            .collect();
        for ty in foreign {
            for block in index.trait_impls.remove(&ty).into_iter().flatten() {
                if let Some(name) = trait_name(block) {
                    index.foreign_impls.entry(name).or_default().push(block);
                }
            }
        }
        index
    }

    /// What `item` (of the roots) names, and whether one of its `match`
    /// arms is on a helper's variant (which `removed` may remove).
    fn item_names(&self, item: &syn::Item, removed: &BTreeSet<Member>) -> (Resolved, bool) {
        let mut matches_variants = false;
        let names = self.names(
            None,
            |v| {
                v.visit_item(item);
                matches_variants |= v.matches_variants;
            },
            removed,
        );
        (names, matches_variants)
    }

    /// Everything `roots` (what the roots name) reach, `removed` variants'
    /// arms not followed.
    fn reach(&self, roots: Resolved, removed: &BTreeSet<Member>) -> Reached {
        let mut reached = Reached::default();
        let mut queue: Vec<Node> = Vec::new();
        self.follow(roots, &mut reached, &mut queue);
        while let Some(node) = queue.pop() {
            let names = match &node {
                Node::Item(name) => {
                    let Some(item) = self.items.get(name) else {
                        continue;
                    };
                    let mut names = self.names(None, |v| v.visit_item(item), removed);
                    for block in self.trait_impls.get(name).into_iter().flatten() {
                        names.extend(self.names(Some(name), |v| v.visit_item_impl(block), removed));
                    }
                    for block in self.foreign_impls.get(name).into_iter().flatten() {
                        names.extend(self.names(None, |v| v.visit_item_impl(block), removed));
                    }
                    names
                }
                Node::Method((ty, method)) => {
                    let Some(f) = self.methods.get(&(ty.clone(), method.clone())) else {
                        continue;
                    };
                    let mut names = self.names(Some(ty), |v| v.visit_impl_item_fn(f), removed);
                    names.items.insert(ty.clone());
                    names
                }
            };
            self.follow(names, &mut reached, &mut queue);
        }
        reached
    }

    /// Marks what `names` reference as reached, queueing what is new.
    fn follow(&self, names: Resolved, reached: &mut Reached, queue: &mut Vec<Node>) {
        for name in names.items {
            if self.items.contains_key(&name) && reached.items.insert(name.clone()) {
                queue.push(Node::Item(name));
            }
        }
        for member in names.methods {
            if reached.methods.insert(member.clone()) {
                queue.push(Node::Method(member));
            }
        }
        reached.constructed.extend(names.constructed);
    }

    /// What the code `visit` walks (in `Self` = `self_ty`) names among the
    /// helpers, method calls resolved by the types in scope.
    fn names(
        &self,
        self_ty: Option<&String>,
        visit: impl FnOnce(&mut Names<'_>),
        removed: &BTreeSet<Member>,
    ) -> Resolved {
        let mut names = Names {
            removed,
            variants: &self.variants,
            self_ty: self_ty.cloned(),
            impl_self: Vec::new(),
            paths: BTreeSet::new(),
            members: BTreeSet::new(),
            constructed: BTreeSet::new(),
            calls: BTreeSet::new(),
            scopes: Vec::new(),
            matches_variants: false,
        };
        visit(&mut names);
        let mut resolved = Resolved::default();
        for name in &names.paths {
            if self.items.contains_key(name) {
                resolved.items.insert(name.clone());
            }
        }
        for member in &names.members {
            if self.methods.contains_key(member) {
                resolved.methods.insert(member.clone());
            }
        }
        resolved.constructed = names.constructed;
        // The helper types in scope: `Self`, those named, and those in the
        // signatures of the helpers called; then the methods called on them.
        let mut scope: BTreeSet<String> = names.self_ty.iter().cloned().collect();
        scope.extend(names.impl_self.iter().cloned());
        loop {
            scope.extend(
                resolved
                    .items
                    .iter()
                    .filter(|name| self.types.contains(*name))
                    .cloned(),
            );
            for name in &resolved.items {
                if let Some(syn::Item::Fn(f)) = self.items.get(name) {
                    scope.extend(self.signature_types(&f.sig));
                }
            }
            for member in &resolved.methods {
                if let Some(f) = self.methods.get(member) {
                    scope.extend(self.signature_types(&f.sig));
                }
            }
            let before = resolved.methods.len();
            for call in &names.calls {
                for ty in &scope {
                    let member = (ty.clone(), call.clone());
                    if self.methods.contains_key(&member) {
                        resolved.methods.insert(member);
                    }
                }
            }
            if resolved.methods.len() == before {
                break;
            }
        }
        resolved
    }

    /// The helper types a signature names.
    fn signature_types(&self, sig: &syn::Signature) -> BTreeSet<String> {
        let mut names = TypeNames::default();
        names.visit_signature(sig);
        names
            .0
            .into_iter()
            .filter(|name| self.types.contains(name))
            .collect()
    }
}

/// What a piece of code names, resolved against the helpers.
#[derive(Default, Clone)]
struct Resolved {
    items: BTreeSet<String>,
    methods: BTreeSet<Member>,
    constructed: BTreeSet<Member>,
}

impl Resolved {
    fn extend(&mut self, other: Resolved) {
        self.items.extend(other.items);
        self.methods.extend(other.methods);
        self.constructed.extend(other.constructed);
    }
}

/// Collects what a piece of code names, before resolution.
struct Names<'r> {
    removed: &'r BTreeSet<Member>,
    /// Every helper enum's variants (of which `removed` is a part).
    variants: &'r BTreeSet<Member>,
    /// The `Self` of the code walked.
    self_ty: Option<String>,
    /// The types of `impl` blocks met inside the code walked.
    impl_self: Vec<String>,
    /// Item names from paths.
    paths: BTreeSet<String>,
    /// `Type::member` and `Self::member`.
    members: BTreeSet<Member>,
    /// Variants in expressions.
    constructed: BTreeSet<Member>,
    /// Names of called methods.
    calls: BTreeSet<String>,
    /// The names bound around the code being walked, innermost last.
    scopes: Vec<BTreeSet<String>>,
    /// Some `match` arm is on a helper's variant (`Type::Variant` or
    /// `Self::Variant`): which variants are removed may remove it.
    matches_variants: bool,
}

impl Names<'_> {
    /// The segments of `path` after a leading `crate::extract::`, `extract::`
    /// or `self::` (how other modules and the helpers themselves name them);
    /// `None` for a path into another crate or module.
    fn own_segments(path: &syn::Path) -> Vec<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let rest = match segments.as_slice() {
            [first, second, rest @ ..] if first == "crate" && second == "extract" => rest,
            [first, rest @ ..] if first == "extract" || first == "self" => rest,
            all => all,
        };
        rest.to_vec()
    }

    /// A path as an item, or a type's member.
    fn path(&mut self, path: &syn::Path) -> Option<Member> {
        let segments = Self::own_segments(path);
        match segments.as_slice() {
            [name] => {
                let local = path.segments.len() == 1
                    && self.scopes.iter().any(|scope| scope.contains(name));
                if !local {
                    self.paths.insert(name.clone());
                }
                None
            }
            [ty, member] => {
                let ty = if ty == "Self" {
                    self.self_ty.clone()?
                } else {
                    ty.clone()
                };
                self.paths.insert(ty.clone());
                let member = (ty, member.clone());
                self.members.insert(member.clone());
                Some(member)
            }
            _ => None,
        }
    }

    /// Walks `pat` (the paths it names) and binds its names in the
    /// innermost scope.
    fn bind(&mut self, pat: &syn::Pat) {
        self.visit_pat(pat);
        let mut bindings = Bindings::default();
        bindings.visit_pat(pat);
        if let Some(scope) = self.scopes.last_mut() {
            scope.extend(bindings.0);
        }
    }

    /// Walks `walk` in a new scope.
    fn scoped(&mut self, walk: impl FnOnce(&mut Self)) {
        self.scopes.push(BTreeSet::new());
        walk(self);
        self.scopes.pop();
    }

    /// Whether an arm's pattern only names removed variants.
    fn removed_pattern(&self, pat: &syn::Pat) -> bool {
        match pat {
            syn::Pat::Or(or) => or.cases.iter().all(|case| self.removed_pattern(case)),
            _ => pattern_variant(pat, self.self_ty.as_deref())
                .is_some_and(|variant| self.removed.contains(&variant)),
        }
    }
}

/// The variant a pattern matches, when it is `Type::Variant...`.
fn pattern_variant(pat: &syn::Pat, self_ty: Option<&str>) -> Option<Member> {
    let path = match pat {
        syn::Pat::TupleStruct(p) => &p.path,
        syn::Pat::Path(p) => &p.path,
        syn::Pat::Struct(p) => &p.path,
        _ => return None,
    };
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [ty, variant] if ty == "Self" => Some((self_ty?.to_owned(), variant.clone())),
        [ty, variant] => Some((ty.clone(), variant.clone())),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for Names<'_> {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.path(path);
        syn::visit::visit_path(self, path);
    }

    fn visit_expr_path(&mut self, expr: &'ast syn::ExprPath) {
        if let Some(member) = self.path(&expr.path) {
            self.constructed.insert(member);
        }
        syn::visit::visit_expr_path(self, expr);
    }

    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        if let Some(member) = self.path(&expr.path) {
            self.constructed.insert(member);
        }
        syn::visit::visit_expr_struct(self, expr);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.calls.insert(call.method.to_string());
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        // An arm's guard is part of its pattern: `pattern if guard`.
        let (pat, guard) = match &arm.pat {
            syn::Pat::Guard(guarded) => (&*guarded.pat, Some(&*guarded.guard)),
            pat => (pat, None),
        };
        let self_ty = self.self_ty.as_deref();
        let variant = |pat: &syn::Pat| {
            pattern_variant(pat, self_ty).is_some_and(|variant| self.variants.contains(&variant))
        };
        self.matches_variants |= match pat {
            syn::Pat::Or(or) => or.cases.iter().any(variant),
            pat => variant(pat),
        };
        if self.removed_pattern(pat) {
            return;
        }
        self.scoped(|names| {
            names.bind(pat);
            if let Some(guard) = guard {
                names.visit_expr(guard);
            }
            names.visit_expr(&arm.body);
        });
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        self.scoped(|names| syn::visit::visit_block(names, block));
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let Some(init) = &local.init {
            self.visit_expr(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
        }
        self.bind(&local.pat);
    }

    fn visit_expr_let(&mut self, expr: &'ast syn::ExprLet) {
        // Binds in the enclosing scope (`if let`, `while let` open one).
        self.visit_expr(&expr.expr);
        self.bind(&expr.pat);
    }

    fn visit_expr_if(&mut self, expr: &'ast syn::ExprIf) {
        self.scoped(|names| {
            names.visit_expr(&expr.cond);
            names.visit_block(&expr.then_branch);
        });
        if let Some((_, other)) = &expr.else_branch {
            self.visit_expr(other);
        }
    }

    fn visit_expr_while(&mut self, expr: &'ast syn::ExprWhile) {
        self.scoped(|names| {
            names.visit_expr(&expr.cond);
            names.visit_block(&expr.body);
        });
    }

    fn visit_expr_for_loop(&mut self, expr: &'ast syn::ExprForLoop) {
        self.visit_expr(&expr.expr);
        self.scoped(|names| {
            names.bind(&expr.pat);
            names.visit_block(&expr.body);
        });
    }

    fn visit_expr_closure(&mut self, closure: &'ast syn::ExprClosure) {
        self.scoped(|names| {
            for input in &closure.inputs {
                names.bind(input);
            }
            names.visit_expr(&closure.body);
        });
    }

    fn visit_signature(&mut self, sig: &'ast syn::Signature) {
        // Parameters bind in the scope of the function (see `visit_item_fn`).
        for input in &sig.inputs {
            match input {
                syn::FnArg::Typed(typed) => {
                    self.visit_type(&typed.ty);
                    self.bind(&typed.pat);
                }
                syn::FnArg::Receiver(receiver) => self.visit_receiver(receiver),
            }
        }
        self.visit_generics(&sig.generics);
        self.visit_return_type(&sig.output);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.scoped(|names| syn::visit::visit_item_fn(names, f));
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.scoped(|names| syn::visit::visit_impl_item_fn(names, f));
    }

    fn visit_item_impl(&mut self, block: &'ast syn::ItemImpl) {
        if let Some(ty) = self_type(&block.self_ty) {
            self.impl_self.push(ty.clone());
            let outer = self.self_ty.replace(ty);
            syn::visit::visit_item_impl(self, block);
            self.self_ty = outer;
        } else {
            syn::visit::visit_item_impl(self, block);
        }
    }
}

/// The names a pattern binds.
#[derive(Default)]
struct Bindings(BTreeSet<String>);

impl<'ast> Visit<'ast> for Bindings {
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        self.0.insert(pat.ident.to_string());
        syn::visit::visit_pat_ident(self, pat);
    }
}

/// The last segments of the type paths in a signature.
#[derive(Default)]
struct TypeNames(BTreeSet<String>);

impl<'ast> Visit<'ast> for TypeNames {
    fn visit_type_path(&mut self, ty: &'ast syn::TypePath) {
        for segment in &ty.path.segments {
            self.0.insert(segment.ident.to_string());
        }
        syn::visit::visit_type_path(self, ty);
    }
}

/// Removes the `match` arms whose pattern only names removed variants, and
/// removed variants from or-patterns.
struct RemoveArms<'r> {
    removed: &'r BTreeSet<Member>,
    /// The `Self` of the `impl` walked.
    self_ty: Option<String>,
}

impl RemoveArms<'_> {
    fn removed(&self, pat: &syn::Pat, self_ty: Option<&str>) -> bool {
        match pat {
            syn::Pat::Or(or) => or.cases.iter().all(|case| self.removed(case, self_ty)),
            _ => pattern_variant(pat, self_ty).is_some_and(|v| self.removed.contains(&v)),
        }
    }
}

impl VisitMut for RemoveArms<'_> {
    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        let self_ty = self.self_ty.as_deref();
        expr.arms.retain(|arm| !self.removed(&arm.pat, self_ty));
        for arm in &mut expr.arms {
            if let syn::Pat::Or(or) = &mut arm.pat {
                let cases = std::mem::take(&mut or.cases);
                or.cases = cases
                    .into_pairs()
                    .map(syn::punctuated::Pair::into_value)
                    .filter(|case| !self.removed(case, self_ty))
                    .collect();
            }
        }
        syn::visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let outer = std::mem::replace(&mut self.self_ty, self_type(&block.self_ty));
        syn::visit_mut::visit_item_impl_mut(self, block);
        self.self_ty = outer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn pruned(roots: TokenStream, helpers: TokenStream) -> String {
        reachable(&[roots], helpers).to_string()
    }

    #[test]
    fn keeps_what_is_named_and_what_that_names() {
        let out = pruned(
            quote!(
                fn root() {
                    extract::a();
                }
            ),
            quote!(
                fn a() {
                    b()
                }
                fn b() {}
                fn c() {}
            ),
        );
        assert!(out.contains("fn a"));
        assert!(out.contains("fn b"));
        assert!(!out.contains("fn c"));
    }

    #[test]
    fn an_impl_of_a_helper_trait_for_another_type_goes_with_the_trait() {
        let helpers = || {
            quote!(
                trait Written {
                    fn written(&self) -> bool;
                }
                impl<T> Written for &T {
                    fn written(&self) -> bool {
                        counted()
                    }
                }
                fn counted() -> bool {
                    true
                }
                fn unrelated() {}
            )
        };
        let kept = pruned(
            quote!(
                fn root(value: &u8) -> bool {
                    Written::written(&value)
                }
            ),
            helpers(),
        );
        assert!(kept.contains("impl < T > Written for & T"), "{kept}");
        assert!(kept.contains("fn counted"), "{kept}");
        assert!(!kept.contains("fn unrelated"), "{kept}");
        let removed = pruned(
            quote!(
                fn root() {
                    unrelated()
                }
            ),
            helpers(),
        );
        assert!(!removed.contains("Written"), "{removed}");
        assert!(!removed.contains("fn counted"), "{removed}");
    }

    #[test]
    fn a_local_binding_is_not_an_item() {
        let out = pruned(
            quote!(
                fn root() {
                    let invalid = |x: u8| x;
                    invalid(1);
                }
            ),
            quote!(
                fn invalid() {}
            ),
        );
        assert!(!out.contains("fn invalid"));
    }

    #[test]
    fn a_binding_shadows_an_item_only_in_its_scope() {
        let out = pruned(
            quote!(
                fn root() {
                    extract::media_type().is_some_and(|media_type| media_type);
                }
            ),
            quote!(
                fn media_type() -> Option<bool> {
                    None
                }
            ),
        );
        assert!(out.contains("fn media_type"));
    }

    #[test]
    fn methods_resolve_by_the_types_in_scope() {
        let helpers = quote!(
            struct Input;
            impl Input {
                fn new() -> Self {
                    Input
                }
                fn optional(&self) {}
            }
            struct Form;
            fn form() -> Form {
                Form
            }
            impl Form {
                fn optional(&self) {}
                fn file(&self) {}
            }
        );
        let out = pruned(
            quote!(
                fn root() {
                    let input = Input::new();
                    input.optional();
                }
                fn other() {
                    let form = extract::form();
                    form.file();
                }
            ),
            helpers,
        );
        let file: syn::File = syn::parse_str(&out).unwrap();
        let methods: Vec<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(block) => Some(block),
                _ => None,
            })
            .flat_map(|block| {
                let ty = self_type(&block.self_ty).unwrap();
                block.items.iter().filter_map(move |item| match item {
                    syn::ImplItem::Fn(f) => Some(format!("{ty}::{}", f.sig.ident)),
                    _ => None,
                })
            })
            .collect();
        assert_eq!(methods, ["Input::new", "Input::optional", "Form::file"]);
    }

    #[test]
    fn an_arm_guard_reaches_what_it_names_with_the_arm_bindings() {
        // The guard is part of the arm's pattern (`V::A(n) if ...`): the
        // variant is still read from the pattern beneath it, and the guard
        // sees the arm's bindings.
        let out = pruned(
            quote!(
                fn root(v: extract::V) {
                    match v {
                        extract::V::A(n) if extract::small(n) => {}
                        _ => {}
                    }
                }
            ),
            quote!(
                enum V {
                    A(u8),
                }
                fn small(_: u8) -> bool {
                    true
                }
                fn n() {}
            ),
        );
        assert!(out.contains("fn small"), "{out}");
        assert!(!out.contains("fn n"), "{out}");
    }

    #[test]
    fn an_impl_of_a_type_defined_elsewhere_is_kept_whole() {
        let out = pruned(
            quote!(
                fn root() {}
            ),
            quote!(
                impl Client {
                    fn unused(&self) {}
                }
                impl From<u8> for Error {
                    fn from(_: u8) -> Self {
                        Error
                    }
                }
            ),
        );
        assert!(out.contains("fn unused"), "{out}");
        assert!(out.contains("for Error"), "{out}");
    }

    #[test]
    fn a_root_arm_on_a_removed_variant_reaches_nothing() {
        // The root's arm on `V::B` is walked again once `B` is removed
        // (nothing constructs it): `on_b` is then reached by nothing.
        let roots = quote!(
            fn root(v: extract::V) {
                match v {
                    extract::V::A => {}
                    V::B(n) => extract::on_b(n),
                }
                let _ = extract::V::A;
            }
        );
        let helpers = quote!(
            enum V {
                A,
                B(u8),
            }
            fn on_b(_: u8) {}
        );
        let out = pruned(roots.clone(), helpers.clone());
        assert!(!out.contains("on_b"), "{out}");
        assert!(!out.contains("B"), "{out}");
        // Roots given one parsed file at a time prune the same.
        let helpers_file = parse(helpers);
        let mut pruner = Pruner::new(&helpers_file);
        pruner.add(&parse(roots));
        assert_eq!(pruner.decide().keep(helpers_file).to_string(), out);
    }

    #[test]
    fn variants_nothing_constructs_go_with_their_arms() {
        let out = pruned(
            quote!(
                fn root() {
                    extract::V::A.name();
                }
            ),
            quote!(
                enum V {
                    A,
                    B(u8),
                }
                impl V {
                    fn name(&self) -> u8 {
                        match self {
                            V::A => 0,
                            V::B(n) => *n,
                        }
                    }
                }
                impl Clone for V {
                    fn clone(&self) -> Self {
                        match self {
                            V::A | V::B(_) => V::A,
                        }
                    }
                }
            ),
        );
        assert!(!out.contains("B"), "{out}");
        assert!(out.contains("impl Clone for V"), "{out}");
    }
}
