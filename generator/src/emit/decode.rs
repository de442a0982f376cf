//! An operation's results: its success and error types (one type, or an
//! enum per status) and `decode`, which turns a raw response into them.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{self, doc_attrs, doc_paragraphs};
use super::{Ctx, ident, syntax};
use crate::model::{
    BodyMedia, ErrorShape, Operation, StatusMatch, StatusVariant, SuccessShape, Ty,
};

/// The operation's success type.
pub fn success_ty(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.success {
        SuccessShape::Single { body, .. } => body_ty(ctx, body.as_ref()),
        SuccessShape::PerStatus(_) => {
            let name = ident(&op.response_enum);
            quote!(#name)
        }
    }
}

/// The operation's error body type.
pub fn error_ty(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.errors {
        ErrorShape::Value => quote!(serde_json::Value),
        ErrorShape::Single(ty) => ctx.ty_tokens(ty, false),
        ErrorShape::PerStatus { .. } => {
            let name = ident(&op.error_enum);
            quote!(#name)
        }
    }
}

fn body_ty(ctx: &Ctx<'_>, body: Option<&(Ty, BodyMedia)>) -> TokenStream {
    match body {
        None => quote!(()),
        Some((_, BodyMedia::Text)) => quote!(String),
        Some((_, BodyMedia::Binary)) => quote!(Vec<u8>),
        Some((ty, _)) => ctx.ty_tokens(ty, false),
    }
}

thread_local! {
    static DECODE: Result<syn::ImplItemFn, String> = syn::parse2(quote! {
        fn decode(raw: super::runtime::RawResponse) -> super::runtime::Decoded<Self::Output, Self::Error> {
            match raw.status.as_u16() {}
        }
    })
    .map_err(|e| format!("the decode template does not parse: {e}"));
}

/// `fn decode(raw) -> Result<Response<T>, Error<E>>`: success statuses to
/// the success type, the rest to `Error::Api`.
///
/// The common shape (one success type, one error type) is built as a
/// syntax tree (see `syntax`); per-status enums are parsed from tokens.
pub fn decode_fn(op: &Operation) -> Result<syn::ImplItemFn, String> {
    let (SuccessShape::Single { body, statuses }, false) = (
        &op.success,
        matches!(op.errors, ErrorShape::PerStatus { .. }),
    ) else {
        let mut arms = success_arms(op);
        arms.extend(error_arms(op));
        return syn::parse2(quote! {
            fn decode(raw: super::runtime::RawResponse) -> super::runtime::Decoded<Self::Output, Self::Error> {
                match raw.status.as_u16() {
                    #(#arms)*
                }
            }
        })
        .map_err(|e| format!("a decode fn does not parse: {e}"));
    };
    let raw = || syntax::words(&["raw"]);
    let read = read_method(body.as_ref());
    let patterns = merged_statuses(statuses)
        .into_iter()
        .map(|codes| match codes {
            Codes::One(code) => syntax::int_pat(code),
            Codes::Range(low, high) => syntax::range_pat(low, high),
        })
        .collect();
    let arms = vec![
        syntax::arm(
            syntax::or_pat(patterns),
            syntax::method_call(raw(), syntax::word(read), Vec::new()),
        ),
        syntax::arm(
            syntax::wild_pat(),
            syntax::call(
                syntax::words(&["Err"]),
                vec![syntax::method_call(
                    raw(),
                    syntax::word("error"),
                    Vec::new(),
                )],
            ),
        ),
    ];
    let mut method = DECODE.with(Clone::clone)?;
    let Some(syn::Stmt::Expr(syn::Expr::Match(matched), _)) = method.block.stmts.first_mut() else {
        return Err("the decode template has no match".to_owned());
    };
    matched.arms = arms;
    Ok(method)
}

/// `raw.json()`, `raw.text()`, … for a body.
fn read(body: Option<&(Ty, BodyMedia)>) -> TokenStream {
    let method = ident(read_method(body));
    quote!(raw.#method())
}

/// The `RawResponse` method that reads a body.
fn read_method(body: Option<&(Ty, BodyMedia)>) -> &'static str {
    match body {
        None => "empty",
        Some((_, BodyMedia::Text)) => "text",
        Some((_, BodyMedia::Binary)) => "bytes",
        Some(_) => "json",
    }
}

fn success_arms(op: &Operation) -> Vec<TokenStream> {
    match &op.success {
        SuccessShape::Single { body, statuses } => {
            let read = read(body.as_ref());
            let patterns = merged_patterns(statuses);
            vec![quote!(#(#patterns)|* => #read,)]
        }
        SuccessShape::PerStatus(variants) => {
            let name = ident(&op.response_enum);
            let codes = explicit_codes(variants);
            variants
                .iter()
                .filter_map(|v| {
                    let pattern = pattern_excluding(v.status, &codes)?;
                    let variant = ident(&v.name);
                    let read = read(v.body.as_ref());
                    Some(match &v.body {
                        None => {
                            quote!(#pattern => raw.empty().map(|r| r.map(|()| #name::#variant)),)
                        }
                        Some(_) => {
                            let wrap = wrap(&name, v);
                            quote!(#pattern => #read.map(|r| r.map(#wrap)),)
                        }
                    })
                })
                .collect()
        }
    }
}

fn error_arms(op: &Operation) -> Vec<TokenStream> {
    let ErrorShape::PerStatus {
        variants, fallback, ..
    } = &op.errors
    else {
        return vec![quote!(_ => Err(raw.error()),)];
    };
    let name = ident(&op.error_enum);
    let codes = explicit_codes(variants);
    let mut arms: Vec<TokenStream> = variants
        .iter()
        .filter(|v| v.status != StatusMatch::Default)
        .filter_map(|v| {
            let pattern = pattern_excluding(v.status, &codes)?;
            let error = error_into(&name, v);
            Some(quote!(#pattern => Err(#error),))
        })
        .collect();
    let error = match variants.iter().find(|v| v.status == StatusMatch::Default) {
        Some(v) => error_into(&name, v),
        None => {
            let fallback = ident(fallback);
            quote!(raw.error_as(#name::#fallback))
        }
    };
    arms.push(quote!(_ => Err(#error),));
    arms
}

/// The `Error::Api` for a response whose body goes into variant `v` of
/// the error enum `name`.
fn error_into(name: &proc_macro2::Ident, v: &StatusVariant) -> TokenStream {
    let variant = ident(&v.name);
    let nullable = v.body.as_ref().is_some_and(|(ty, _)| ty.is_nullable());
    match (v.boxed, nullable) {
        (true, false) => quote!(raw.error_boxed(#name::#variant)),
        (false, _) => quote!(raw.error_as(#name::#variant)),
        (true, true) => {
            let wrap = wrap(name, v);
            quote!(raw.api_error(|body| super::runtime::decode_json(body).map(#wrap)))
        }
    }
}

/// The function that puts a decoded body into its variant, boxing it (or
/// what its `Option` holds) when the model says so.
fn wrap(name: &proc_macro2::Ident, v: &StatusVariant) -> TokenStream {
    let variant = ident(&v.name);
    let nullable = v.body.as_ref().is_some_and(|(ty, _)| ty.is_nullable());
    match (v.boxed, nullable) {
        (false, _) => quote!(#name::#variant),
        (true, false) => quote!(|body| #name::#variant(Box::new(body))),
        (true, true) => {
            quote!(|body: Option<_>| #name::#variant(body.map(Box::new)))
        }
    }
}

/// The codes that variants match one by one.
fn explicit_codes(variants: &[StatusVariant]) -> Vec<u16> {
    variants
        .iter()
        .filter_map(|v| match v.status {
            StatusMatch::Code(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// The pattern for `status`, leaving out `codes` that earlier arms match
/// (a range arm after `200 =>` covers `201..=299`), so that no two arms
/// overlap (`clippy::match_overlapping_arm`).
fn pattern_excluding(status: StatusMatch, codes: &[u16]) -> Option<TokenStream> {
    let StatusMatch::Range(r) = status else {
        return Some(status_pattern(status));
    };
    let (low, high) = (
        r.saturating_mul(100),
        r.saturating_mul(100).saturating_add(99),
    );
    let mut inside: Vec<u16> = codes
        .iter()
        .copied()
        .filter(|c| (low..=high).contains(c))
        .collect();
    if inside.is_empty() {
        return Some(status_pattern(status));
    }
    inside.sort_unstable();
    inside.dedup();
    let mut pieces = Vec::new();
    let mut start = low;
    for code in inside
        .into_iter()
        .chain(std::iter::once(high.saturating_add(1)))
    {
        if code > start {
            let end = code - 1;
            let (a, b) = (Literal::u16_unsuffixed(start), Literal::u16_unsuffixed(end));
            pieces.push(if start == end {
                quote!(#a)
            } else {
                quote!(#a..=#b)
            });
        }
        start = code.saturating_add(1);
    }
    // Every code of the range has its own arm: nothing is left for it.
    (!pieces.is_empty()).then(|| quote!(#(#pieces)|*))
}

fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let low = Literal::u16_unsuffixed(r.saturating_mul(100));
            let high = Literal::u16_unsuffixed(r.saturating_mul(100).saturating_add(99));
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(200..=299),
    }
}

/// Patterns for a set of statuses: codes first (consecutive codes as one
/// range, as `clippy::manual_range_patterns` wants), then ranges.
fn merged_patterns(statuses: &[StatusMatch]) -> Vec<TokenStream> {
    merged_statuses(statuses)
        .into_iter()
        .map(|codes| match codes {
            Codes::One(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            Codes::Range(low, high) => {
                let (low, high) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high));
                quote!(#low..=#high)
            }
        })
        .collect()
}

/// One status pattern: a code, or an inclusive range of codes.
enum Codes {
    One(u16),
    Range(u16, u16),
}

/// The statuses as patterns, in order: codes first, consecutive ones
/// merged, then the ranges (`2XX`, `default`).
fn merged_statuses(statuses: &[StatusMatch]) -> Vec<Codes> {
    let mut codes: Vec<u16> = statuses
        .iter()
        .filter_map(|s| match s {
            StatusMatch::Code(c) => Some(*c),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    // Runs of consecutive codes, as (first, last).
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for code in codes {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(code) => *end = code,
            _ => runs.push((code, code)),
        }
    }
    let mut patterns: Vec<Codes> = runs
        .into_iter()
        .map(|(start, end)| {
            if start == end {
                Codes::One(start)
            } else {
                Codes::Range(start, end)
            }
        })
        .collect();
    patterns.extend(statuses.iter().filter_map(|s| match *s {
        StatusMatch::Code(_) => None,
        StatusMatch::Range(r) => Some(Codes::Range(
            r.saturating_mul(100),
            r.saturating_mul(100).saturating_add(99),
        )),
        StatusMatch::Default => Some(Codes::Range(200, 299)),
    }));
    patterns
}

/// `{Op}Response`, when success bodies differ by status.
pub fn response_enum(ctx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let SuccessShape::PerStatus(variants) = &op.success else {
        return None;
    };
    let items = variants
        .iter()
        .map(|v| status_enum_variant(ctx, v, &status_text(v.status)))
        .collect();
    Some(status_enum(
        ctx,
        op,
        &op.response_enum,
        &format!(
            "The successful responses of [`Client::{0}`](super::Client::{0}).",
            op.name
        ),
        items,
    ))
}

/// `{Op}Error`, when error responses have different schemas.
pub fn error_enum(ctx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let ErrorShape::PerStatus {
        variants,
        fallback,
        fallback_declared,
    } = &op.errors
    else {
        return None;
    };
    let mut items: Vec<TokenStream> = variants
        .iter()
        .map(|v| status_enum_variant(ctx, v, &status_text(v.status)))
        .collect();
    if !fallback_declared {
        let fallback = ident(fallback);
        items.push(quote! {
            /// A status the spec does not describe, with its JSON body.
            #fallback(serde_json::Value),
        });
    }
    Some(status_enum(
        ctx,
        op,
        &op.error_enum,
        &format!(
            "The error bodies of [`Client::{0}`](super::Client::{0}), by status.",
            op.name
        ),
        items,
    ))
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("Status {c}"),
        StatusMatch::Range(r) => format!("Status {r}XX"),
        StatusMatch::Default => "Any other status".to_owned(),
    }
}

/// One variant of a per-status enum, documented with its status.
fn status_enum_variant(ctx: &Ctx<'_>, v: &StatusVariant, label: &str) -> TokenStream {
    let name = ident(&v.name);
    let text = format!(
        "{label}{}",
        v.docs
            .as_deref()
            .map(|d| format!(": {}", docs::spec(&super::operations::one_line(d))))
            .unwrap_or_default()
    );
    let docs = doc_paragraphs([Some(text.as_str())]);
    match &v.body {
        None => quote!(#docs #name,),
        Some(body @ (_, BodyMedia::Text | BodyMedia::Binary)) => {
            let ty = body_ty(ctx, Some(body));
            quote!(#docs #name(#ty),)
        }
        Some((ty, _)) => {
            let ty = ctx.payload_tokens(ty, v.boxed, false);
            quote!(#docs #name(#ty),)
        }
    }
}

/// A per-operation enum with one variant per status.
fn status_enum(
    ctx: &Ctx<'_>,
    op: &Operation,
    name: &str,
    doc: &str,
    variants: Vec<TokenStream>,
) -> TokenStream {
    let name = ident(name);
    let doc = doc_attrs(doc);
    let allow = ctx.allow_deprecated(op);
    quote! {
        #doc
        #allow
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}
