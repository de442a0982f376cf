//! Syntax trees built directly, without tokens to parse, for the items
//! every struct and every operation has: a struct, its `Deserialize`,
//! `Serialize` and `Validate` impls, and an operation's client method,
//! request setters and `Operation` impl (`prepare` and the common
//! `decode`). They are most of a large client's lines, and `syn` parsing
//! their token streams was the largest single cost of generating one. The
//! trees are the ones parsing the equivalent tokens gives, so prettyplease
//! prints the same text; the snapshot tests compare it byte for byte.
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
    static OBJECT: Template = Template::parse(quote! {
        impl super::runtime::Object for T {
            fn read<'de, M: serde::de::MapAccess<'de>>(
                fields: &mut super::runtime::Fields<'de, M>,
            ) -> Option<Self> {}
        }
    });
    static SERIALIZE: Template = Template::parse(quote! {
        impl serde::Serialize for T {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {}
        }
    });
    static VALIDATE: Template = Template::parse(quote! {
        impl super::runtime::Validate for T {
            fn validate(&self) -> Result<(), super::runtime::ValidationError> {}
        }
    });
    static SETTERS: Result<syn::ItemImpl, String> =
        syn::parse2(quote!(impl<'a> T {}))
            .map_err(|e| format!("the setters template does not parse: {e}"));
    static OPERATION: Result<syn::ItemImpl, String> = syn::parse2(quote! {
        impl super::runtime::Operation for T {
            type Output = ();
            type Error = ();
            const NAME: &'static str = "";
        }
    })
    .map_err(|e| format!("the operation template does not parse: {e}"));
    static CLIENT_METHOD: Result<syn::ItemImpl, String> = syn::parse2(quote! {
        impl super::Client {
            pub fn name(&self) -> T<'_> {
                super::runtime::Pending::new(&self.config, T {})
            }
        }
    })
    .map_err(|e| format!("the client method template does not parse: {e}"));
    static CLIENT_METHOD_BORROWING: Result<syn::ItemImpl, String> = syn::parse2(quote! {
        impl super::Client {
            pub fn name<'a>(&'a self) -> T<'a> {
                super::runtime::Pending::new(&self.config, T {})
            }
        }
    })
    .map_err(|e| format!("the client method template does not parse: {e}"));
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

/// `#attrs impl super::runtime::Operation for #self_ty { type Output =
/// #output; type Error = #error; const NAME: &'static str = #name; #prepare
/// #decode }`.
pub fn operation_impl(
    attrs: Vec<syn::Attribute>,
    self_ty: syn::Type,
    [output, error]: [syn::Type; 2],
    name: &str,
    methods: [syn::ImplItemFn; 2],
) -> Result<syn::Item, String> {
    let mut item = OPERATION.with(Clone::clone)?;
    item.attrs = attrs;
    *item.self_ty = self_ty;
    let [
        syn::ImplItem::Type(output_item),
        syn::ImplItem::Type(error_item),
        syn::ImplItem::Const(name_item),
    ] = item.items.as_mut_slice()
    else {
        return Err("the operation template has other items".to_owned());
    };
    output_item.ty = output;
    error_item.ty = error;
    name_item.expr = string(name);
    item.items.extend(methods.map(syn::ImplItem::Fn));
    Ok(syn::Item::Impl(item))
}

/// An operation's method on the client:
/// `impl super::Client { #attrs pub fn #name(&self, #args) -> #builder<'_> {
/// super::runtime::Pending::new(&self.config, #args_type { #fields }) } }`,
/// with `<'a>` and `&'a self` when the arguments borrow. Each field is
/// set from the argument of its name, or to `None`.
pub struct ClientMethod {
    pub attrs: Vec<syn::Attribute>,
    pub name: Ident,
    pub borrows: bool,
    pub args: Vec<(Ident, syn::Type)>,
    pub builder: Ident,
    pub args_type: Ident,
    pub fields: Vec<(Ident, bool)>,
}

impl ClientMethod {
    pub fn item(self) -> Result<syn::Item, String> {
        let template = if self.borrows {
            &CLIENT_METHOD_BORROWING
        } else {
            &CLIENT_METHOD
        };
        let mut item = template.with(Clone::clone)?;
        let Some(syn::ImplItem::Fn(method)) = item.items.first_mut() else {
            return Err("the client method template has no method".to_owned());
        };
        method.attrs = self.attrs;
        method.sig.ident = self.name;
        method
            .sig
            .inputs
            .extend(self.args.into_iter().map(|(name, ty)| {
                syn::FnArg::Typed(syn::PatType {
                    attrs: Vec::new(),
                    pat: Box::new(binding(name, false)),
                    colon_token: Token![:](Span::call_site()),
                    ty: Box::new(ty),
                })
            }));
        let syn::ReturnType::Type(_, ret) = &mut method.sig.output else {
            return Err("the client method template returns nothing".to_owned());
        };
        let syn::Type::Path(ret) = &mut **ret else {
            return Err("the client method template returns no path".to_owned());
        };
        let Some(segment) = ret.path.segments.last_mut() else {
            return Err("the client method template returns an empty path".to_owned());
        };
        segment.ident = self.builder;
        let Some(Stmt::Expr(Expr::Call(call), _)) = method.block.stmts.first_mut() else {
            return Err("the client method template makes no call".to_owned());
        };
        let Some(Expr::Struct(args)) = call.args.last_mut() else {
            return Err("the client method template passes no arguments".to_owned());
        };
        args.path = path(std::slice::from_ref(&self.args_type));
        args.fields = field_values(
            self.fields
                .into_iter()
                .map(|(field, from_argument)| {
                    let value = (!from_argument).then(|| path_expr(&[word("None")]));
                    (field, value)
                })
                .collect(),
        );
        Ok(syn::Item::Impl(item))
    }
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

/// `impl super::runtime::Object for #name { fn read<'de, M: …>(#reader:
/// &mut super::runtime::Fields<'de, M>) -> Option<Self> { #stmts } }`.
pub fn object_impl(
    attrs: Vec<syn::Attribute>,
    name: &Ident,
    reader: Ident,
    stmts: Vec<Stmt>,
) -> Result<syn::Item, String> {
    let mut item = OBJECT.with(|template| template.instantiate(attrs, name, stmts))?;
    if let syn::Item::Impl(item) = &mut item
        && let Some(syn::ImplItem::Fn(method)) = item.items.first_mut()
        && let Some(syn::FnArg::Typed(param)) = method.sig.inputs.first_mut()
        && let Pat::Ident(binding) = &mut *param.pat
    {
        binding.ident = reader;
    }
    Ok(item)
}

/// `impl super::runtime::Validate for #name { fn validate(&self) -> … {
/// #stmts Ok(()) } }`.
pub fn validate_impl(
    attrs: Vec<syn::Attribute>,
    name: &Ident,
    mut stmts: Vec<Stmt>,
) -> Result<syn::Item, String> {
    stmts.push(stmt(
        call(path_expr(&[word("Ok")]), vec![tuple_expr(Vec::new())]),
        false,
    ));
    VALIDATE.with(|template| template.instantiate(attrs, name, stmts))
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

/// `self.#field`.
pub fn self_field(field: Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(path_expr(&[word("self")])),
        dot_token: Token![.](Span::call_site()),
        member: Member::Named(field),
    })
}

/// `&self.#field`.
pub fn self_field_ref(field: Ident) -> Expr {
    reference(self_field(field))
}

/// `&#expr`.
pub fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Token![&](Span::call_site()),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// A path expression of words the generator writes (`super::runtime::x`).
pub fn words(segments: &[&str]) -> Expr {
    let segments: Vec<Ident> = segments.iter().map(|name| word(name)).collect();
    path_expr(&segments)
}

fn global_path(segments: &[&str]) -> syn::Path {
    let segments: Vec<Ident> = segments.iter().map(|name| word(name)).collect();
    let mut path = path(&segments);
    path.leading_colon = Some(Token![::](Span::call_site()));
    path
}

/// A path expression into a dependency, from the root: `::a::b`.
pub fn global_words(segments: &[&str]) -> Expr {
    Expr::Path(ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: global_path(segments),
    })
}

fn int_lit(value: u64) -> syn::ExprLit {
    syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Int(syn::LitInt::new(&value.to_string(), Span::call_site())),
    }
}

/// An unsuffixed integer literal.
pub fn int(value: u64) -> Expr {
    Expr::Lit(int_lit(value))
}

/// `true` or `false`.
pub fn boolean(value: bool) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Bool(syn::LitBool::new(value, Span::call_site())),
    })
}

/// `&[#items]`.
pub fn slice_ref(items: Vec<Expr>) -> Expr {
    reference(Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: syn::token::Bracket::default(),
        elems: items.into_iter().collect(),
    }))
}

/// `#expr?`.
pub fn try_expr(expr: Expr) -> Expr {
    Expr::Try(syn::ExprTry {
        attrs: Vec::new(),
        expr: Box::new(expr),
        question_token: Token![?](Span::call_site()),
    })
}

fn block(stmts: Vec<Stmt>) -> syn::Block {
    syn::Block {
        brace_token: syn::token::Brace::default(),
        stmts,
    }
}

/// `{ #stmts }`, a block statement.
pub fn block_stmt(stmts: Vec<Stmt>) -> Stmt {
    stmt(
        Expr::Block(syn::ExprBlock {
            attrs: Vec::new(),
            label: None,
            block: block(stmts),
        }),
        false,
    )
}

/// `if let #pat = #expr { #stmts }`, a statement.
pub fn if_let_stmt(pat: Pat, expr: Expr, stmts: Vec<Stmt>) -> Stmt {
    stmt(
        Expr::If(syn::ExprIf {
            attrs: Vec::new(),
            if_token: Token![if](Span::call_site()),
            cond: Box::new(Expr::Let(syn::ExprLet {
                attrs: Vec::new(),
                let_token: Token![let](Span::call_site()),
                pat: Box::new(pat),
                eq_token: Token![=](Span::call_site()),
                expr: Box::new(expr),
            })),
            then_branch: block(stmts),
            else_branch: None,
        }),
        false,
    )
}

/// `#pattern => #body,`.
pub fn arm(pat: Pat, body: Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        fat_arrow_token: Token![=>](Span::call_site()),
        body: Box::new(body),
        comma: Some(Token![,](Span::call_site())),
    }
}

/// A literal pattern: an unsuffixed integer.
pub fn int_pat(value: u16) -> Pat {
    Pat::Lit(int_lit(value.into()))
}

/// `#low..=#high`.
pub fn range_pat(low: u16, high: u16) -> Pat {
    Pat::Range(syn::ExprRange {
        attrs: Vec::new(),
        start: Some(Box::new(int(low.into()))),
        limits: syn::RangeLimits::Closed(Token![..=](Span::call_site())),
        end: Some(Box::new(int(high.into()))),
    })
}

/// `#a | #b | …`, or the one pattern.
pub fn or_pat(cases: Vec<Pat>) -> Pat {
    only(cases).unwrap_or_else(|cases| {
        Pat::Or(syn::PatOr {
            attrs: Vec::new(),
            leading_vert: None,
            cases: cases.into_iter().collect(),
        })
    })
}

/// The one item of `items`, or all of them back: a list of one is written
/// as the item alone (`a`, not `(a)` or `a |`).
fn only<T>(mut items: Vec<T>) -> Result<T, Vec<T>> {
    match items.pop() {
        Some(item) if items.is_empty() => Ok(item),
        Some(item) => {
            items.push(item);
            Err(items)
        }
        None => Err(items),
    }
}

/// `_`.
pub fn wild_pat() -> Pat {
    Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: Token![_](Span::call_site()),
    })
}

/// A literal as `syn` reads it from the token.
pub fn literal(literal: proc_macro2::Literal) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::new(literal),
    })
}

/// `*#expr`.
pub fn deref(expr: Expr) -> Expr {
    Expr::Unary(syn::ExprUnary {
        attrs: Vec::new(),
        op: syn::UnOp::Deref(Token![*](Span::call_site())),
        expr: Box::new(expr),
    })
}

/// `#expr as #primitive`.
pub fn cast(expr: Expr, primitive: &str) -> Expr {
    Expr::Cast(syn::ExprCast {
        attrs: Vec::new(),
        expr: Box::new(expr),
        as_token: Token![as](Span::call_site()),
        ty: Box::new(syn::Type::Path(syn::TypePath {
            attrs: Vec::new(),
            qself: None,
            path: path(&[word(primitive)]),
        })),
    })
}

/// `|#input| #body`.
pub fn closure(input: Ident, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        modifiers: syn::ClosureModifiers::default(),
        constness: None,
        asyncness: None,
        capture: None,
        inputs_begin: Token![|](Span::call_site()),
        inputs: std::iter::once(binding(input, false)).collect(),
        inputs_end: Token![|](Span::call_site()),
        output: syn::ReturnType::Default,
        body: Box::new(body),
    })
}

/// `::#path!(#tokens)`, a macro of a dependency (`::std::format!`).
pub fn macro_call(segments: &[&str], tokens: TokenStream) -> Expr {
    Expr::Macro(syn::ExprMacro {
        attrs: Vec::new(),
        mac: syn::Macro {
            path: global_path(segments),
            bang_token: Token![!](Span::call_site()),
            delimiter: syn::MacroDelimiter::Paren(syn::token::Paren::default()),
            tokens,
        },
    })
}

/// `for #pat in #iter { #stmts }`, a statement.
pub fn for_stmt(pat: Pat, iter: Expr, stmts: Vec<Stmt>) -> Stmt {
    stmt(
        Expr::ForLoop(syn::ExprForLoop {
            attrs: Vec::new(),
            label: None,
            for_token: Token![for](Span::call_site()),
            pat: Box::new(pat),
            in_token: Token![in](Span::call_site()),
            expr: Box::new(iter),
            body: block(stmts),
        }),
        false,
    )
}

/// The statements in `tokens`.
pub fn stmts(tokens: TokenStream) -> Result<Vec<Stmt>, String> {
    syn::parse::Parser::parse2(syn::Block::parse_within, tokens)
        .map_err(|e| format!("generated statements do not parse: {e}"))
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
    tuple_struct_pat(&["Some"], name)
}

/// `#path(#name)`, a tuple-struct pattern binding `name`.
pub fn tuple_struct_pat(segments: &[&str], name: Ident) -> Pat {
    let segments: Vec<Ident> = segments.iter().map(|segment| word(segment)).collect();
    Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&segments),
        paren_token: syn::token::Paren::default(),
        elems: std::iter::once(binding(name, false)).collect(),
    })
}

/// `(#patterns)`, or the pattern alone.
pub fn tuple_pat(patterns: Vec<Pat>) -> Pat {
    only(patterns).unwrap_or_else(|patterns| {
        Pat::Tuple(syn::PatTuple {
            attrs: Vec::new(),
            paren_token: syn::token::Paren::default(),
            elems: patterns.into_iter().collect(),
        })
    })
}

/// `(#exprs)`, or the expression alone.
pub fn tuple_expr(exprs: Vec<Expr>) -> Expr {
    only(exprs).unwrap_or_else(|exprs| {
        Expr::Tuple(syn::ExprTuple {
            attrs: Vec::new(),
            paren_token: syn::token::Paren::default(),
            elems: exprs.into_iter().collect(),
        })
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

/// The fields of a struct expression: each a field and its value, or a
/// field alone when the value is the binding of the same name.
fn field_values(fields: Vec<(Ident, Option<Expr>)>) -> Punctuated<FieldValue, Token![,]> {
    fields
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
        .collect()
}

/// `Self { #fields }`: each a field and its value, or a field alone when
/// the value is the binding of the same name.
pub fn self_struct(fields: Vec<(Ident, Option<Expr>)>) -> Expr {
    let fields = field_values(fields);
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
