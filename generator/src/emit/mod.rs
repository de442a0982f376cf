//! Model → Rust tokens. The only place that builds code; every spec string
//! enters the output as a literal token made by `quote`, never as source
//! text, so no spec can inject code.
//!
//! One submodule per kind of output file or item: `types` (schemas),
//! `validate` (constraint checks), `client` (the `Client` and its
//! builder), `operations` (one request builder per operation), `manifest`
//! (`Cargo.toml`, `lib.rs`), `example`.

mod client;
mod decode;
mod describe;
mod docs;
mod example;
mod example_tests;
mod features;
mod manifest;
mod operations;
mod prepare;
mod syntax;
mod types;
mod unions;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

pub use docs::is_bidi_control;

use crate::model::{Api, IntKind, Ty, TypeId, TypeKind};
use crate::names;

/// What the emitter produces for one file.
pub enum FileContents<'a> {
    /// Rust source, formatted later.
    Rust(TokenStream),
    /// A large Rust module: its inner docs, then `count` groups of items,
    /// the `i`th made by `items(i)`. Formatting makes the groups on
    /// several threads (token streams cannot cross threads, so they are
    /// made where they are formatted) and joins them in order.
    Items {
        /// Inner attributes (`//!` docs) at the top.
        head: TokenStream,
        /// How many groups.
        count: usize,
        /// The tokens of group `i`.
        items: ItemsFn<'a>,
        /// With per-tag features, the files the groups are split into.
        parts: Option<Parts>,
    },
    /// Any other text, written as it is.
    Text(String),
    /// One Rust file holding inline modules (module layout): each module's
    /// name, whether it is public, and its contents; then items for the
    /// file's top level.
    Modules(Vec<(&'static str, bool, FileContents<'a>)>, TokenStream),
}

/// Makes one group of items of a large module.
pub type ItemsFn<'a> = Box<dyn Fn(usize) -> Vec<Piece> + Send + Sync + 'a>;

/// Part of a group of items, in order: tokens to parse, or an item built
/// as a syntax tree (see `syntax`), or why building it failed.
pub enum Piece {
    Tokens(TokenStream),
    Item(Result<Box<syn::Item>, String>),
}

impl Piece {
    pub(super) fn item(item: Result<syn::Item, String>) -> Self {
        Self::Item(item.map(Box::new))
    }
}

/// How the item groups of a large module are split into files, one per
/// feature gate, each brought in by `#[cfg(…)] include!("…")`: rustc
/// reads only the files of enabled features, where `#[cfg]` on every item
/// would still make it parse them all (seconds on the largest specs).
pub struct Parts {
    /// The directory of the part files, beside the module's file
    /// (`types` for `src/types.rs`).
    pub dir: &'static str,
    /// Per item group, the index of its part.
    pub of_group: Vec<usize>,
    /// Per part, its file stem and the `#[cfg(…)]` that gates it.
    pub files: Vec<(String, TokenStream)>,
}

/// The shape of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A whole crate: `Cargo.toml`, `src/`, maybe `examples/`.
    Crate,
    /// One `.rs` file to `include!` inside a module of the consumer's
    /// crate, relying on the consumer's dependencies.
    Module,
}

/// Options that change the emitted crate.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// The generated crate's package name.
    pub crate_name: String,
    /// The command named in the `@generated` header.
    pub regenerate_command: String,
    /// Crate or module.
    pub layout: Layout,
    /// The file name of the module layout's one file.
    pub module_file: String,
    /// The examples to turn into `src/example_tests.rs` (crate layout).
    pub examples: Option<crate::examples::Examples>,
    /// Whether tags become Cargo features (crate layout).
    pub tag_features: bool,
}

/// Emits every file of the client, keyed by path relative to the output
/// directory.
pub fn emit<'a>(api: &'a Api, options: &EmitOptions) -> Vec<(String, FileContents<'a>)> {
    let ctx = std::sync::Arc::new(Ctx::new(api, options));
    if options.layout == Layout::Module {
        let modules = vec![
            ("types", true, types::types_module(ctx.clone())),
            (
                "client",
                false,
                FileContents::Rust(client::client_module(&ctx)),
            ),
            (
                "operations",
                true,
                operations::operations_module(ctx.clone()),
            ),
            (
                "runtime",
                true,
                FileContents::Text(runtime_source(&ctx, false)),
            ),
        ];
        return vec![(
            options.module_file.clone(),
            FileContents::Modules(modules, manifest::reexports()),
        )];
    }
    let mut files = vec![
        (
            "Cargo.toml".to_owned(),
            FileContents::Text(manifest::cargo_toml(&ctx, options)),
        ),
        (
            "src/lib.rs".to_owned(),
            FileContents::Rust(manifest::lib_rs(&ctx, options)),
        ),
        ("src/types.rs".to_owned(), types::types_module(ctx.clone())),
        (
            "src/client.rs".to_owned(),
            FileContents::Rust(client::client_module(&ctx)),
        ),
        (
            "src/operations.rs".to_owned(),
            operations::operations_module(ctx.clone()),
        ),
        (
            "src/runtime.rs".to_owned(),
            FileContents::Text(runtime_source(&ctx, true)),
        ),
    ];
    if let Some(examples) = &options.examples {
        files.push((
            "src/example_tests.rs".to_owned(),
            FileContents::Rust(example_tests::example_tests(&ctx, examples)),
        ));
    }
    if let Some((name, tokens)) = example::example(&ctx, options) {
        files.push((format!("examples/{name}.rs"), FileContents::Rust(tokens)));
    }
    files
}

const RUNTIME: &str = include_str!("../../templates/runtime.rs");
const RUNTIME_PATTERN: &str = include_str!("../../templates/runtime_pattern.rs");
const RUNTIME_STRING_ENUM: &str = include_str!("../../templates/runtime_string_enum.rs");
const RUNTIME_INT_ENUM: &str = include_str!("../../templates/runtime_int_enum.rs");
/// Unit tests of the runtime; last, since clippy wants tests after items.
const RUNTIME_TESTS: &str = include_str!("../../templates/runtime_tests.rs");

fn runtime_source(ctx: &Ctx<'_>, with_tests: bool) -> String {
    let mut source = RUNTIME.to_owned();
    let enums = |integer: bool| {
        ctx.api
            .types
            .defs
            .iter()
            .any(|d| matches!(&d.kind, TypeKind::Enum(e) if e.integer == integer))
    };
    if enums(false) {
        source.push_str(RUNTIME_STRING_ENUM);
    }
    if enums(true) {
        source.push_str(RUNTIME_INT_ENUM);
    }
    if ctx.uses_pattern {
        source.push('\n');
        source.push_str(RUNTIME_PATTERN);
    }
    if with_tests {
        source.push_str(RUNTIME_TESTS);
    }
    source
}

/// Everything emission needs to know about the model, computed once.
pub struct Ctx<'a> {
    /// The model.
    pub api: &'a Api,
    /// Per type: whether it has anything to validate.
    validates: Vec<bool>,
    /// Per type: whether it implements `Default`.
    defaults: Vec<bool>,
    /// Per type: whether requests carry it (as a parameter or in a body),
    /// so it needs what building requests needs: constructors, checks.
    requests: Vec<bool>,
    /// Per type: whether its items mention something deprecated.
    deprecated: Vec<bool>,
    /// Some constraint has a `pattern` (the crate needs `regex`).
    pub uses_pattern: bool,
    /// Whether every type implements `Serialize`. In a crate, types only
    /// responses carry implement it with the `serialize` feature: most of
    /// a large client's types are never sent, and derived serializers are
    /// a large part of its compile time. A module file (no features of
    /// its own) and example tests (which encode what they decode) get it
    /// everywhere.
    serialize_all: bool,
    /// The per-tag features, when asked for.
    pub features: Option<features::Features>,
}

impl<'a> Ctx<'a> {
    fn new(api: &'a Api, options: &EmitOptions) -> Self {
        let requests = request_types(api);
        // Only what requests carry is checked before sending.
        let validates = validate::validating_types(api)
            .into_iter()
            .zip(&requests)
            .map(|(validates, sent)| validates && *sent)
            .collect();
        let defaults = types::default_types(api);
        let mut ctx = Ctx {
            api,
            validates,
            defaults,
            requests,
            deprecated: Vec::new(),
            uses_pattern: false,
            serialize_all: options.layout == Layout::Module || options.examples.is_some(),
            features: options.tag_features.then(|| features::Features::new(api)),
        };
        ctx.deprecated = api
            .types
            .iter()
            .map(|(id, _)| ctx.def_mentions_deprecated(id))
            .collect();
        ctx.uses_pattern = api.types.defs.iter().any(|d| match &d.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.constraints.pattern.is_some()),
            TypeKind::Alias { constraints, .. } | TypeKind::Newtype { constraints, .. } => {
                constraints.pattern.is_some()
            }
            _ => false,
        }) || api
            .operations
            .iter()
            .any(|o| o.params.iter().any(|p| p.constraints.pattern.is_some()));
        ctx
    }

    /// Whether requests carry values of type `id`.
    pub fn in_requests(&self, id: TypeId) -> bool {
        self.requests.get(id.0).copied().unwrap_or(false)
    }

    /// `None` when type `id` always implements `Serialize`, else the
    /// feature that adds it.
    pub fn serialize_feature(&self, id: TypeId) -> Option<&'static str> {
        (!self.serialize_all && !self.in_requests(id)).then_some("serialize")
    }

    /// Whether values of `ty` implement `Serialize` without features.
    pub fn ty_serializes(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(id) => self.serialize_feature(*id).is_none(),
            Ty::Nullable(inner) | Ty::Array(inner) | Ty::Map(inner) => self.ty_serializes(inner),
            _ => true,
        }
    }

    /// Whether some type implements `Serialize` only with its feature.
    pub fn has_serialize_feature(&self) -> bool {
        self.api
            .types
            .iter()
            .any(|(id, _)| self.serialize_feature(id).is_some())
    }

    /// Whether values of `ty` have constraints to check.
    pub fn ty_validates(&self, ty: &Ty) -> bool {
        reaches(&self.validates, ty)
    }

    /// Whether `ty` implements `Default`.
    pub fn ty_default(&self, ty: &Ty) -> bool {
        implements_default(&self.defaults, ty)
    }

    /// Whether the model uses `ty_pred` anywhere (for optional dependencies).
    pub fn uses(&self, pred: &dyn Fn(&Ty) -> bool) -> bool {
        fn walk(ty: &Ty, pred: &dyn Fn(&Ty) -> bool) -> bool {
            pred(ty)
                || match ty {
                    Ty::Array(inner) | Ty::Map(inner) | Ty::Nullable(inner) => walk(inner, pred),
                    _ => false,
                }
        }
        let api = self.api;
        api.types.defs.iter().any(|d| match &d.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().any(|f| walk(&f.ty, pred))
                    || s.additional.as_ref().is_some_and(|t| walk(t, pred))
            }
            TypeKind::Union(u) => u.variants.iter().any(|v| walk(&v.ty, pred)),
            TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } => walk(ty, pred),
            TypeKind::Enum(_) => false,
        }) || api.operations.iter().any(|o| {
            o.params.iter().any(|p| walk(&p.ty, pred))
                || o.body.as_ref().is_some_and(|b| walk(&b.ty, pred))
                || o.responses
                    .iter()
                    .any(|r| r.body.as_ref().is_some_and(|(t, _)| walk(t, pred)))
        })
    }

    /// Whether `ty` names a deprecated type.
    pub fn ty_deprecated(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(id) => self.api.types.get(*id).deprecated,
            Ty::Nullable(inner) | Ty::Array(inner) | Ty::Map(inner) => self.ty_deprecated(inner),
            _ => false,
        }
    }

    /// Whether a type's items mention something deprecated: itself, one of
    /// its fields, or a deprecated type.
    fn def_mentions_deprecated(&self, id: TypeId) -> bool {
        let def = self.api.types.get(id);
        def.deprecated
            || match &def.kind {
                TypeKind::Struct(s) => {
                    s.fields
                        .iter()
                        .any(|f| f.deprecated || self.ty_deprecated(&f.ty))
                        || s.additional.as_ref().is_some_and(|t| self.ty_deprecated(t))
                }
                TypeKind::Union(u) => u.variants.iter().any(|v| self.ty_deprecated(&v.ty)),
                TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } => self.ty_deprecated(ty),
                TypeKind::Enum(_) => false,
            }
    }

    /// `#[allow(deprecated)]` for the items of type `id` when they mention
    /// something deprecated: the crate must not warn about itself (users
    /// still get the warning where they use the deprecated item).
    pub fn allow_deprecated_type(&self, id: TypeId) -> Option<TokenStream> {
        self.deprecated
            .get(id.0)
            .copied()
            .unwrap_or(false)
            .then(|| quote!(#[allow(deprecated)]))
    }

    /// `#[allow(deprecated)]` for an operation's items when they touch
    /// something deprecated: the operation, a parameter, a type of its
    /// signature, or a field of its body that the request code reads.
    pub fn allow_deprecated(&self, op: &crate::model::Operation) -> Option<TokenStream> {
        let touches = |ty: &Ty| match ty.non_null() {
            Ty::Named(id) => self.deprecated.get(id.0).copied().unwrap_or(false),
            other => self.ty_deprecated(other),
        };
        let mentions = op.deprecated
            || op.params.iter().any(|p| p.deprecated || touches(&p.ty))
            || op.body.as_ref().is_some_and(|b| touches(&b.ty))
            || op
                .responses
                .iter()
                .any(|r| r.body.as_ref().is_some_and(|(t, _)| touches(t)));
        mentions.then(|| quote!(#[allow(deprecated)]))
    }

    /// The Rust type for `ty`. `local` is true inside the `types` module,
    /// where named types need no path.
    pub fn ty_tokens(&self, ty: &Ty, local: bool) -> TokenStream {
        match ty {
            Ty::Bool => quote!(bool),
            Ty::Int(kind) => int_tokens(*kind),
            Ty::Float { single: true } => quote!(f32),
            Ty::Float { single: false } => quote!(f64),
            Ty::String => quote!(String),
            Ty::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
            Ty::Date => quote!(::chrono::NaiveDate),
            Ty::Uuid => quote!(::uuid::Uuid),
            Ty::Bytes => quote!(Vec<u8>),
            Ty::Json => quote!(serde_json::Value),
            Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
            Ty::Array(inner) => {
                let inner = self.ty_tokens(inner, local);
                quote!(Vec<#inner>)
            }
            Ty::Map(inner) => {
                let inner = self.ty_tokens(inner, local);
                quote!(::std::collections::BTreeMap<String, #inner>)
            }
            Ty::Named(id) => self.named(*id, local),
            Ty::Nullable(inner) => {
                let inner = self.ty_tokens(inner, local);
                quote!(Option<#inner>)
            }
        }
    }

    /// The type of an enum variant's payload, boxed inside its `Option`
    /// when the model says so.
    pub fn payload_tokens(&self, ty: &Ty, boxed: bool, local: bool) -> TokenStream {
        match ty {
            Ty::Nullable(inner) => {
                let inner = self.payload_tokens(inner, boxed, local);
                quote!(Option<#inner>)
            }
            _ if boxed => {
                let inner = self.ty_tokens(ty, local);
                quote!(Box<#inner>)
            }
            _ => self.ty_tokens(ty, local),
        }
    }

    /// The path of a named type.
    pub fn named(&self, id: TypeId, local: bool) -> TokenStream {
        let ident = ident(&self.api.types.get(id).name);
        if local {
            quote!(#ident)
        } else {
            quote!(super::types::#ident)
        }
    }
}

/// Per type: whether an operation's parameters or body reach it.
fn request_types(api: &Api) -> Vec<bool> {
    let mut reached = vec![false; api.types.defs.len()];
    let mut work: Vec<TypeId> = Vec::new();
    let push = |ty: &Ty, work: &mut Vec<TypeId>| named_in(ty, work);
    for op in &api.operations {
        for p in &op.params {
            push(&p.ty, &mut work);
        }
        if let Some(body) = &op.body {
            push(&body.ty, &mut work);
        }
    }
    while let Some(id) = work.pop() {
        match reached.get_mut(id.0) {
            Some(flag) if !*flag => *flag = true,
            _ => continue,
        }
        type_edges(api.types.get(id), &mut work);
    }
    reached
}

/// The named types a type's own definition mentions.
fn type_edges(def: &crate::model::TypeDef, out: &mut Vec<TypeId>) {
    match &def.kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                named_in(&f.ty, out);
            }
            if let Some(ty) = &s.additional {
                named_in(ty, out);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| named_in(&v.ty, out)),
        TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } => named_in(ty, out),
        TypeKind::Enum(_) => {}
    }
}

/// The named types `ty` mentions.
fn named_in(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Nullable(inner) | Ty::Array(inner) | Ty::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Whether a value of `ty` holds a type whose flag is set (through
/// `Option`, lists and maps): the shape of "validates".
pub fn reaches(flags: &[bool], ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => flags.get(id.0).copied().unwrap_or(false),
        Ty::Nullable(inner) | Ty::Array(inner) | Ty::Map(inner) => reaches(flags, inner),
        _ => false,
    }
}

/// Whether `ty` implements `Default`, given the flags of named types.
pub fn implements_default(flags: &[bool], ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => flags.get(id.0).copied().unwrap_or(false),
        Ty::DateTime | Ty::Date | Ty::Uuid => false,
        _ => true,
    }
}

fn int_tokens(kind: IntKind) -> TokenStream {
    match kind {
        IntKind::I8 => quote!(i8),
        IntKind::I16 => quote!(i16),
        IntKind::I32 => quote!(i32),
        IntKind::I64 => quote!(i64),
        IntKind::U8 => quote!(u8),
        IntKind::U16 => quote!(u16),
        IntKind::U32 => quote!(u32),
        IntKind::U64 => quote!(u64),
    }
}

/// Whether an operation's success value is JSON that implements
/// `Serialize` without features (printable as JSON).
fn operations_success_is_json(ctx: &Ctx<'_>, op: &crate::model::Operation) -> bool {
    match &op.success {
        crate::model::SuccessShape::Single {
            body: Some((ty, crate::model::BodyMedia::Json)),
            ..
        } => ctx.ty_serializes(ty),
        _ => false,
    }
}

/// An identifier, raw when it is a keyword.
pub fn ident(name: &str) -> proc_macro2::Ident {
    names::ident(name)
}
