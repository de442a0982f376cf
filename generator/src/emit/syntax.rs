//! Syntax trees built directly, without tokens to parse, for the items
//! every struct has: its `Deserialize` and `Serialize` impls. They are a
//! third of a large client's lines, and `syn` parsing their token streams
//! was the largest single cost of generating one. The trees are the ones
//! parsing the equivalent tokens gives, so prettyplease prints the same
//! text; the snapshot tests compare it byte for byte.
//!
//! Identifiers come from `names::ident` and strings are `syn::LitStr`
//! (escaped by proc-macro2), so nothing from the spec is pasted into code.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprPath, FieldValue, Member, Pat, Stmt, Token};

/// The fixed parts of an impl (generics, trait, method signature), parsed
/// once per formatting thread from `template` and cloned per use.
struct Template {
    item: Result<syn::ItemImpl, String>,
}

impl Template {
    fn parse(tokens: TokenStream) -> Self {
        Self {
            item: syn::parse2(tokens).map_err(|e| format!("an impl template does not parse: {e}")),
        }
    }

    /// The impl for `name`, its one method's body `stmts`, under `attrs`.
    fn instantiate(
        &self,
        attrs: Vec<syn::Attribute>,
        name: &Ident,
        stmts: Vec<Stmt>,
    ) -> Result<syn::Item, String> {
        let mut item = self.item.clone()?;
        item.attrs = attrs;
        *item.self_ty = syn::Type::Path(syn::TypePath {
            attrs: Vec::new(),
            qself: None,
            path: path(std::slice::from_ref(name)),
        });
        match item.items.first_mut() {
            Some(syn::ImplItem::Fn(method)) => method.block.stmts = stmts,
            _ => return Err("an impl template has no method".to_owned()),
        }
        Ok(syn::Item::Impl(item))
    }
}

thread_local! {
    static DESERIALIZE: Template = Template::parse(quote! {
        impl<'de> serde::Deserialize<'de> for T {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {}
        }
    });
    static SERIALIZE: Template = Template::parse(quote! {
        impl serde::Serialize for T {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {}
        }
    });
    static SETTERS: Result<syn::ItemImpl, String> =
        syn::parse2(quote!(impl<'a> T {}))
            .map_err(|e| format!("the setters template does not parse: {e}"));
    static SETTER: Result<syn::ImplItemFn, String> = syn::parse2(quote! {
        pub fn name(mut self, value: T) -> Self {
            self.args_mut().name = Some(value);
            self
        }
    })
    .map_err(|e| format!("the setter template does not parse: {e}"));
}

/// `#attrs impl<'a> #self_ty { #methods }`: the setters of a request
/// builder (`self_ty` is its `Pending<'a, …>`).
pub fn setters_impl(
    attrs: Vec<syn::Attribute>,
    self_ty: syn::Type,
    methods: Vec<syn::ImplItemFn>,
) -> Result<syn::Item, String> {
    let mut item = SETTERS.with(Clone::clone)?;
    item.attrs = attrs;
    *item.self_ty = self_ty;
    item.items = methods.into_iter().map(syn::ImplItem::Fn).collect();
    Ok(syn::Item::Impl(item))
}

/// A request builder's setter of an optional argument:
/// `pub fn #name(mut self, value: #ty) -> Self`, which stores
/// `Some(value)` in the argument's field of the same name.
pub fn setter(
    attrs: Vec<syn::Attribute>,
    name: Ident,
    ty: syn::Type,
) -> Result<syn::ImplItemFn, String> {
    let mut method = SETTER.with(Clone::clone)?;
    method.attrs = attrs;
    let Some(syn::FnArg::Typed(value)) = method.sig.inputs.iter_mut().nth(1) else {
        return Err("the setter template has no value argument".to_owned());
    };
    *value.ty = ty;
    let Some(Stmt::Expr(Expr::Assign(assign), _)) = method.block.stmts.first_mut() else {
        return Err("the setter template has no assignment".to_owned());
    };
    let Expr::Field(field) = &mut *assign.left else {
        return Err("the setter template assigns no field".to_owned());
    };
    field.member = Member::Named(name.clone());
    method.sig.ident = name;
    Ok(method)
}

/// `impl<'de> serde::Deserialize<'de> for #name { fn deserialize(…) { #stmts } }`.
pub fn deserialize_impl(
    attrs: Vec<syn::Attribute>,
    name: &Ident,
    stmts: Vec<Stmt>,
) -> Result<syn::Item, String> {
    DESERIALIZE.with(|template| template.instantiate(attrs, name, stmts))
}

/// `impl serde::Serialize for #name { fn serialize(…) { #stmts } }`.
pub fn serialize_impl(
    attrs: Vec<syn::Attribute>,
    name: &Ident,
    stmts: Vec<Stmt>,
) -> Result<syn::Item, String> {
    SERIALIZE.with(|template| template.instantiate(attrs, name, stmts))
}

/// The outer attributes in `tokens` (`#[allow(deprecated)]`, `#[cfg(…)]`).
pub fn attributes(tokens: TokenStream) -> Result<Vec<syn::Attribute>, String> {
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    syn::parse::Parser::parse2(syn::Attribute::parse_outer, tokens)
        .map_err(|e| format!("generated attributes do not parse: {e}"))
}

/// An identifier written by the generator itself.
pub fn word(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn path(segments: &[Ident]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .cloned()
            .map(syn::PathSegment::from)
            .collect(),
    }
}

/// A path expression: `a::b::c`, or a variable.
pub fn path_expr(segments: &[Ident]) -> Expr {
    Expr::Path(ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
    })
}

/// A string literal.
pub fn string(value: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(value, Span::call_site())),
    })
}

/// `#receiver.#method(#args)`.
pub fn method_call(receiver: Expr, method: Ident, args: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Token![.](Span::call_site()),
        method,
        turbofish: None,
        paren_token: syn::token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// `#func(#args)`.
pub fn call(func: Expr, args: Vec<Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: syn::token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// `&self.#field`.
pub fn self_field_ref(field: Ident) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Token![&](Span::call_site()),
        mutability: None,
        expr: Box::new(Expr::Field(syn::ExprField {
            attrs: Vec::new(),
            base: Box::new(path_expr(&[Ident::new("self", Span::call_site())])),
            dot_token: Token![.](Span::call_site()),
            member: Member::Named(field),
        })),
    })
}

/// `#expr;`, or `#expr` as the block's value.
pub fn stmt(expr: Expr, semi: bool) -> Stmt {
    Stmt::Expr(expr, semi.then(|| Token![;](Span::call_site())))
}

/// A binding pattern, `mut` or not.
pub fn binding(name: Ident, mutable: bool) -> Pat {
    Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: mutable.then(|| Token![mut](Span::call_site())),
        ident: name,
        subpat: None,
    })
}

/// `Some(#name)`.
pub fn some(name: Ident) -> Pat {
    Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&[word("Some")]),
        paren_token: syn::token::Paren::default(),
        elems: std::iter::once(binding(name, false)).collect(),
    })
}

/// `(#patterns)`, or the pattern alone.
pub fn tuple_pat(mut patterns: Vec<Pat>) -> Pat {
    if patterns.len() == 1
        && let Some(pattern) = patterns.pop()
    {
        return pattern;
    }
    Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: syn::token::Paren::default(),
        elems: patterns.into_iter().collect(),
    })
}

/// `(#exprs)`, or the expression alone.
pub fn tuple_expr(mut exprs: Vec<Expr>) -> Expr {
    if exprs.len() == 1
        && let Some(expr) = exprs.pop()
    {
        return expr;
    }
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: syn::token::Paren::default(),
        elems: exprs.into_iter().collect(),
    })
}

/// `let #pat = #init;`, or `let #pat = #init else { #diverge };`.
pub fn local(pat: Pat, init: Expr, diverge: Option<Vec<Stmt>>) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Token![let](Span::call_site()),
        modifiers: syn::LocalModifiers::default(),
        pat,
        init: Some(syn::LocalInit {
            eq_token: Token![=](Span::call_site()),
            expr: Box::new(init),
            diverge: diverge.map(|stmts| {
                let block = Expr::Block(syn::ExprBlock {
                    attrs: Vec::new(),
                    label: None,
                    block: syn::Block {
                        brace_token: syn::token::Brace::default(),
                        stmts,
                    },
                });
                (Token![else](Span::call_site()), Box::new(block))
            }),
        }),
        semi_token: Token![;](Span::call_site()),
    })
}

/// `return #expr`.
pub fn return_expr(expr: Expr) -> Expr {
    Expr::Return(syn::ExprReturn {
        attrs: Vec::new(),
        return_token: Token![return](Span::call_site()),
        expr: Some(Box::new(expr)),
    })
}

/// `Self { #fields }`: each a field and its value, or a field alone when
/// the value is the binding of the same name.
pub fn self_struct(fields: Vec<(Ident, Option<Expr>)>) -> Expr {
    let fields: Punctuated<FieldValue, Token![,]> = fields
        .into_iter()
        .map(|(field, value)| {
            let (colon_token, expr) = match value {
                Some(expr) => (Some(Token![:](Span::call_site())), expr),
                None => (None, path_expr(std::slice::from_ref(&field))),
            };
            FieldValue {
                attrs: Vec::new(),
                member: Member::Named(field),
                colon_token,
                expr,
            }
        })
        .collect();
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&[Ident::new("Self", Span::call_site())]),
        brace_token: syn::token::Brace::default(),
        fields,
        dot2_token: None,
        rest: None,
    })
}

fn attribute(meta: syn::Meta) -> syn::Attribute {
    syn::Attribute {
        pound_token: Token![#](Span::call_site()),
        style: syn::AttrStyle::Outer,
        bracket_token: syn::token::Bracket::default(),
        meta,
    }
}

/// `#[doc = "…"]` attributes for `text`, one per line (`docs::doc_attrs`).
pub fn docs(text: &str) -> Vec<syn::Attribute> {
    super::docs::doc_values(text)
        .iter()
        .map(|line| {
            attribute(syn::Meta::NameValue(syn::MetaNameValue {
                path: path(&[word("doc")]),
                eq_token: Token![=](Span::call_site()),
                value: string(line),
            }))
        })
        .collect()
}

/// `#[#name]`.
pub fn path_attribute(name: &str) -> syn::Attribute {
    attribute(syn::Meta::Path(path(&[word(name)])))
}

/// `#[derive(#traits)]`.
pub fn derive(traits: &[&str]) -> syn::Attribute {
    let traits = traits.iter().map(|name| word(name));
    attribute(syn::Meta::List(syn::MetaList {
        path: path(&[word("derive")]),
        delimiter: syn::MacroDelimiter::Paren(syn::token::Paren::default()),
        tokens: quote!(#(#traits),*),
    }))
}

/// The type in `tokens`.
pub fn ty(tokens: TokenStream) -> Result<syn::Type, String> {
    syn::parse2(tokens).map_err(|e| format!("a generated type does not parse: {e}"))
}

/// `#attrs pub #name: #ty`, a named field.
pub fn field(attrs: Vec<syn::Attribute>, name: Ident, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(Token![pub](Span::call_site())),
        modifiers: syn::FieldModifiers::default(),
        ident: Some(name),
        colon_token: Some(Token![:](Span::call_site())),
        ty,
        default: None,
    }
}

/// `#attrs pub struct #name { #fields }`.
pub fn struct_item(attrs: Vec<syn::Attribute>, name: Ident, fields: Vec<syn::Field>) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Token![pub](Span::call_site())),
        struct_token: Token![struct](Span::call_site()),
        ident: name,
        generics: syn::Generics::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: syn::token::Brace::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}
