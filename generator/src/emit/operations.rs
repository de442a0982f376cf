//! One method on `Client` and one request builder per operation. The
//! builder holds the arguments; `prepare` (see `prepare.rs`) and `decode`
//! (see `decode.rs`) are all an operation adds to the runtime's shared
//! sending path.

use proc_macro2::TokenStream;
use quote::quote;

use super::decode::{decode_fn, error_enum, error_ty, response_enum, success_ty};
use super::docs::{self, doc_attrs};
use super::prepare::prepare_fn;
use super::{Ctx, Piece, describe, ident, syntax};
use crate::model::{Operation, ParamLocation, Parameter, Ty};

/// The `operations` module.
pub fn operations_module<'a>(ctx: std::sync::Arc<Ctx<'a>>) -> super::FileContents<'a> {
    super::FileContents::Items {
        head: quote! {
            //! Request builders, one per operation. Create them with the methods of
            //! [`Client`](super::Client); await them to send.
        },
        count: ctx.api.operations.len(),
        parts: ctx
            .features
            .as_ref()
            .map(|f| f.operation_parts("operations")),
        items: Box::new(move |index| {
            let Some(op) = ctx.api.operations.get(index) else {
                return Vec::new();
            };
            let mut pieces = vec![Piece::item(client_method(&ctx, op))];
            pieces.extend(request_builder(&ctx, op));
            pieces
        }),
    }
}

/// How a value is held by a request builder and passed to its methods.
fn arg_ty(ctx: &Ctx<'_>, ty: &Ty) -> TokenStream {
    match ty.non_null() {
        Ty::String => quote!(&'a str),
        Ty::Bytes => quote!(&'a [u8]),
        Ty::Bool | Ty::Int(_) | Ty::Float { .. } => ctx.ty_tokens(ty.non_null(), false),
        Ty::Array(inner) => {
            let inner = ctx.ty_tokens(inner, false);
            quote!(&'a [#inner])
        }
        other => {
            let t = ctx.ty_tokens(other, false);
            quote!(&'a #t)
        }
    }
}

fn is_borrowed(ty: &Ty) -> bool {
    !matches!(ty.non_null(), Ty::Bool | Ty::Int(_) | Ty::Float { .. })
}

/// `Client::<operation>(required…)`, built as a syntax tree (see
/// `syntax`): it is in every operation.
fn client_method(ctx: &Ctx<'_>, op: &Operation) -> Result<syn::Item, String> {
    let required: Vec<&Parameter> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Parameter> = op.params.iter().filter(|p| !p.required).collect();
    let body_required = op.body.as_ref().filter(|b| b.required);
    let mut args = required
        .iter()
        .map(|p| Ok((ident(&p.name), syntax::ty(arg_ty(ctx, &p.ty))?)))
        .collect::<Result<Vec<_>, String>>()?;
    if let Some(body) = body_required {
        args.push((ident("body"), syntax::ty(arg_ty(ctx, &body.ty))?));
    }
    let borrows = required.iter().any(|p| is_borrowed(&p.ty)) || body_required.is_some();
    let mut fields: Vec<(proc_macro2::Ident, bool)> =
        required.iter().map(|p| (ident(&p.name), true)).collect();
    fields.extend(optional.iter().map(|p| (ident(&p.name), false)));
    if let Some(b) = &op.body {
        fields.push((ident("body"), b.required));
    }

    let mut doc_parts: Vec<String> = Vec::new();
    if let Some(summary) = &op.summary {
        doc_parts.push(docs::spec(summary));
    }
    if let Some(description) = &op.description
        && op.summary.as_deref() != Some(description.as_str())
    {
        doc_parts.push(docs::spec(description));
    }
    doc_parts.push(format!("`{} {}`", op.method, op.path.replace('`', "'")));
    let mut arg_docs: Vec<String> = required
        .iter()
        .map(|p| {
            format!(
                "- `{}`: {}",
                p.name,
                p.docs
                    .as_deref()
                    .map_or_else(|| param_facts(ctx, p), |d| docs::spec(&one_line(d)))
            )
        })
        .collect();
    if let Some(body) = body_required {
        arg_docs.push(format!(
            "- `body`: {}",
            body.docs.as_deref().map_or_else(
                || "the request body.".to_owned(),
                |d| docs::spec(&one_line(d))
            )
        ));
    }
    if !arg_docs.is_empty() {
        doc_parts.push(arg_docs.join("\n"));
    }
    let builder = ident(&op.builder);
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        doc_parts.push(format!(
            "Optional parameters are set on the returned [`{builder}`]."
        ));
    }
    let mut attrs = syntax::docs(&docs::paragraphs_text(
        doc_parts.iter().map(|s| Some(s.as_str())),
    ));
    if op.deprecated {
        attrs.push(syntax::path_attribute("deprecated"));
    }
    let too_many = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let allow_deprecated = ctx.allow_deprecated(op);
    attrs.extend(syntax::attributes(quote!(#too_many #allow_deprecated))?);
    syntax::ClientMethod {
        attrs,
        name: ident(&op.name),
        borrows,
        args,
        builder,
        args_type: ident(&op.args),
        fields,
    }
    .item()
}

/// The request type (an alias of the runtime's `Pending` for this
/// operation's arguments), the arguments, their setters, and the
/// `Operation` impl that prepares the request and decodes the response.
fn request_builder(ctx: &Ctx<'_>, op: &Operation) -> Vec<Piece> {
    let builder = ident(&op.builder);
    let args_type = ident(&op.args);
    let method_name = &op.name;
    let borrows = op.params.iter().any(|p| is_borrowed(&p.ty))
        || op.body.as_ref().is_some_and(|b| is_borrowed(&b.ty));
    let lifetime = borrows.then(|| quote!(<'a>));
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let ty = arg_ty(ctx, &p.ty);
        if p.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: Option<#ty>,)
        }
    });
    let body_field = op.body.as_ref().map(|b| {
        let ty = arg_ty(ctx, &b.ty);
        if b.required {
            quote!(body: #ty,)
        } else {
            quote!(body: Option<#ty>,)
        }
    });
    let allow = ctx.allow_deprecated(op);
    let setters = setters(ctx, op, &allow, &args_type, &lifetime);
    let output = success_ty(ctx, op);
    let error = error_ty(ctx, op);
    let response_enum = response_enum(ctx, op);
    let error_enum = error_enum(ctx, op);
    let alias_doc = doc_attrs(&format!(
        "A prepared [`Client::{method_name}`](super::Client::{method_name}) request: set optional parameters and request options, then `.await` it."
    ));
    let args_doc = doc_attrs(&format!(
        "The arguments of [`Client::{method_name}`](super::Client::{method_name})."
    ));
    let complex = is_complex(op).then(|| quote!(#[allow(clippy::type_complexity)]));
    let operation = op.name.as_str();
    let impl_lifetime = borrows.then(|| quote!(<'_>));
    let head = quote! {
        #alias_doc
        #allow
        pub type #builder<'a> = super::runtime::Pending<'a, #args_type #lifetime>;

        #args_doc
        #allow
        pub struct #args_type #lifetime {
            #(#fields)*
            #body_field
        }
    };
    let operation_impl = || {
        syntax::operation_impl(
            syntax::attributes(quote!(#allow #complex))?,
            syntax::ty(quote!(#args_type #impl_lifetime))?,
            [syntax::ty(output)?, syntax::ty(error)?],
            operation,
            [prepare_fn(ctx, op)?, decode_fn(op)?],
        )
    };
    let mut pieces = vec![Piece::Tokens(head)];
    pieces.extend(setters.map(Piece::item));
    pieces.push(Piece::item(operation_impl()));
    if response_enum.is_some() || error_enum.is_some() {
        pieces.push(Piece::Tokens(quote! {
            #response_enum
            #error_enum
        }));
    }
    pieces
}

/// The setters of the optional arguments, on the request builder, built
/// as a syntax tree (see `syntax`): large specs have many of them.
fn setters(
    ctx: &Ctx<'_>,
    op: &Operation,
    allow: &Option<TokenStream>,
    args_type: &proc_macro2::Ident,
    lifetime: &Option<TokenStream>,
) -> Option<Result<syn::Item, String>> {
    let optional: Vec<&Parameter> = op.params.iter().filter(|p| !p.required).collect();
    let optional_body = op.body.as_ref().filter(|b| !b.required);
    if optional.is_empty() && optional_body.is_none() {
        return None;
    }
    let build = || {
        let mut methods = Vec::new();
        for p in optional {
            let facts = param_facts(ctx, p);
            let text = match &p.docs {
                Some(d) => docs::spec(d),
                None => describe::capitalized(&facts),
            };
            let mut attrs = syntax::docs(&docs::paragraphs_text([Some(text.as_str())]));
            if p.deprecated {
                attrs.push(syntax::path_attribute("deprecated"));
            }
            let ty = syntax::ty(arg_ty(ctx, &p.ty))?;
            methods.push(syntax::setter(attrs, ident(&p.name), ty)?);
        }
        if let Some(b) = optional_body {
            let text = b
                .docs
                .as_deref()
                .map_or_else(|| "Sets the request body.".to_owned(), docs::spec);
            let attrs = syntax::docs(&docs::paragraphs_text([Some(text.as_str())]));
            let ty = syntax::ty(arg_ty(ctx, &b.ty))?;
            methods.push(syntax::setter(attrs, ident("body"), ty)?);
        }
        let self_ty = syntax::ty(quote!(super::runtime::Pending<'a, #args_type #lifetime>))?;
        syntax::setters_impl(syntax::attributes(quote!(#allow))?, self_ty, methods)
    };
    Some(build())
}

/// Whether the result types are complex enough for clippy's
/// `type_complexity` in the builder's signatures (deeply nested lists and
/// maps are what the spec says; an alias would not read better).
fn is_complex(op: &Operation) -> bool {
    use super::types::complexity;
    let output = match &op.success {
        crate::model::SuccessShape::Single {
            body: Some((ty, _)),
            ..
        } => complexity(ty, 2),
        _ => 0,
    };
    let error = match &op.errors {
        crate::model::ErrorShape::Single(ty) => complexity(ty, 2),
        _ => 0,
    };
    output + error + 40 > 250
}

/// One line of prose, for list items and variant docs.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What is known of an undescribed parameter: its type, where it goes and
/// its constraints (`an integer (the `limit` query parameter). At most 100.`).
fn param_facts(ctx: &Ctx<'_>, p: &Parameter) -> String {
    let mut text = format!(
        "{} (the `{}` {} parameter).",
        describe::phrase(ctx, &p.ty, false),
        p.wire.replace('`', "'"),
        location_word(p.location)
    );
    for sentence in describe::constraints(&p.constraints) {
        text.push(' ');
        text.push_str(&sentence);
    }
    text
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}
