//! One method on `Client` and one request builder per operation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, doc_paragraphs};
use super::validate::value_checks;
use super::{Ctx, ident};
use crate::model::{
    BodyMedia, ErrorShape, Operation, ParamLocation, Parameter, PathPart, StatusMatch,
    StatusVariant, SuccessShape, Ty,
};

/// The `operations` module.
pub fn operations_module(ctx: &Ctx<'_>) -> TokenStream {
    let methods = ctx.api.operations.iter().map(|op| client_method(ctx, op));
    let builders = ctx.api.operations.iter().map(|op| request_builder(ctx, op));
    quote! {
        //! Request builders, one per operation. Create them with the methods of
        //! [`Client`](crate::Client); await them to send.

        impl crate::Client {
            #(#methods)*
        }

        #(#builders)*
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

/// The operation's error body type.
fn error_ty(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.errors {
        ErrorShape::Value => quote!(::serde_json::Value),
        ErrorShape::Single(ty) => ctx.ty_tokens(ty, false),
        ErrorShape::PerStatus { .. } => {
            let name = ident(&op.error_enum);
            quote!(#name)
        }
    }
}

/// `{Op}Error`, when error responses have different schemas.
fn error_enum(ctx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
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
            #fallback(::serde_json::Value),
        });
    }
    Some(status_enum(
        ctx,
        op,
        &op.error_enum,
        &format!(
            "The error bodies of [`Client::{0}`](crate::Client::{0}), by status.",
            op.name
        ),
        items,
    ))
}

/// One variant of a per-status enum, documented with its status.
fn status_enum_variant(ctx: &Ctx<'_>, v: &StatusVariant, label: &str) -> TokenStream {
    let name = ident(&v.name);
    let text = format!(
        "{label}{}",
        v.docs
            .as_deref()
            .map(|d| format!(": {}", one_line(d)))
            .unwrap_or_default()
    );
    let docs = doc_paragraphs([Some(text.as_str())]);
    match &v.body {
        None => quote!(#docs #name,),
        Some(body @ (_, BodyMedia::Text | BodyMedia::Binary)) => {
            let ty = body_tokens(ctx, Some(body));
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

/// The match arms that turn an error response into `Error::Api`.
fn error_arms(op: &Operation) -> Vec<TokenStream> {
    let ErrorShape::PerStatus {
        variants, fallback, ..
    } = &op.errors
    else {
        return vec![
            quote!(_ => ::std::result::Result::Err(crate::runtime::api_error(response).await),),
        ];
    };
    let name = ident(&op.error_enum);
    let mut arms: Vec<TokenStream> = variants
        .iter()
        .filter(|v| v.status != StatusMatch::Default)
        .map(|v| {
            let pattern = status_pattern(v.status);
            let variant = ident(&v.name);
            quote!(#pattern => ::std::result::Result::Err(crate::runtime::api_error_with(response, |body| ::serde_json::from_slice(body).map(#name::#variant)).await),)
        })
        .collect();
    let fallback = ident(fallback);
    arms.push(quote!(_ => ::std::result::Result::Err(crate::runtime::api_error_with(response, |body| ::serde_json::from_slice(body).map(#name::#fallback)).await),));
    arms
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("Status {c}"),
        StatusMatch::Range(r) => format!("Status {r}XX"),
        StatusMatch::Default => "Any other status".to_owned(),
    }
}

fn body_tokens(ctx: &Ctx<'_>, body: Option<&(Ty, BodyMedia)>) -> TokenStream {
    match body {
        None => quote!(()),
        Some((_, BodyMedia::Text)) => quote!(::std::string::String),
        Some((_, BodyMedia::Binary)) => quote!(::std::vec::Vec<u8>),
        Some((ty, _)) => ctx.ty_tokens(ty, false),
    }
}

fn success_ty(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.success {
        SuccessShape::Single { body, .. } => body_tokens(ctx, body.as_ref()),
        SuccessShape::PerStatus(_) => {
            let name = ident(&op.response_enum);
            quote!(#name)
        }
    }
}

/// `Client::<operation>(required…)`.
fn client_method(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let method = ident(&op.name);
    let builder = ident(&op.builder);
    let required: Vec<&Parameter> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Parameter> = op.params.iter().filter(|p| !p.required).collect();
    let body_required = op.body.as_ref().filter(|b| b.required);
    let mut args: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            let ty = arg_ty(ctx, &p.ty);
            quote!(#name: #ty)
        })
        .collect();
    if let Some(body) = body_required {
        let ty = arg_ty(ctx, &body.ty);
        args.push(quote!(body: #ty));
    }
    let borrows = required.iter().any(|p| is_borrowed(&p.ty)) || body_required.is_some();
    let inits = required.iter().map(|p| {
        let name = ident(&p.name);
        quote!(#name,)
    });
    let optional_inits = optional.iter().map(|p| {
        let name = ident(&p.name);
        quote!(#name: ::std::option::Option::None,)
    });
    let body_init = op.body.as_ref().map(|b| {
        if b.required {
            quote!(body,)
        } else {
            quote!(body: ::std::option::Option::None,)
        }
    });

    let mut doc_parts: Vec<String> = Vec::new();
    if let Some(summary) = &op.summary {
        doc_parts.push(summary.clone());
    }
    if let Some(description) = &op.description
        && op.summary.as_deref() != Some(description.as_str())
    {
        doc_parts.push(description.clone());
    }
    doc_parts.push(format!("`{} {}`", op.method, op.path.replace('`', "'")));
    let mut arg_docs: Vec<String> = required
        .iter()
        .map(|p| {
            format!(
                "- `{}`: {}",
                p.name,
                p.docs.as_deref().map_or_else(
                    || format!(
                        "the `{}` {} parameter.",
                        p.wire.replace('`', "'"),
                        location_word(p.location)
                    ),
                    one_line
                )
            )
        })
        .collect();
    if let Some(body) = body_required {
        arg_docs.push(format!(
            "- `body`: {}",
            body.docs
                .as_deref()
                .map_or_else(|| "the request body.".to_owned(), one_line)
        ));
    }
    if !arg_docs.is_empty() {
        doc_parts.push(arg_docs.join("\n"));
    }
    if !optional.is_empty() || op.body.as_ref().is_some_and(|b| !b.required) {
        doc_parts.push(format!(
            "Optional parameters are set on the returned [`{builder}`]."
        ));
    }
    let docs = doc_paragraphs(doc_parts.iter().map(|s| Some(s.as_str())));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let too_many = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let allow_deprecated = ctx.allow_deprecated(op);
    let (generics, self_ref, ret) = if borrows {
        (quote!(<'a>), quote!(&'a self), quote!(#builder<'a>))
    } else {
        (quote!(), quote!(&self), quote!(#builder<'_>))
    };
    quote! {
        #docs
        #deprecated
        #too_many
        #allow_deprecated
        pub fn #method #generics(#self_ref, #(#args),*) -> #ret {
            #builder {
                client: self,
                #(#inits)*
                #(#optional_inits)*
                #body_init
                timeout: ::std::option::Option::None,
            }
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn request_builder(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let method_name = &op.name;
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let ty = arg_ty(ctx, &p.ty);
        if p.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: ::std::option::Option<#ty>,)
        }
    });
    let body_field = op.body.as_ref().map(|b| {
        let ty = arg_ty(ctx, &b.ty);
        if b.required {
            quote!(body: #ty,)
        } else {
            quote!(body: ::std::option::Option<#ty>,)
        }
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let name = ident(&p.name);
        let ty = arg_ty(ctx, &p.ty);
        let fallback = format!(
            "Sets the `{}` {} parameter.",
            p.wire.replace('`', "'"),
            location_word(p.location)
        );
        let docs = doc_paragraphs([Some(p.docs.as_deref().unwrap_or(&fallback))]);
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #docs
            #deprecated
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = ::std::option::Option::Some(value);
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = arg_ty(ctx, &b.ty);
        let docs = doc_paragraphs([Some(b.docs.as_deref().unwrap_or("Sets the request body."))]);
        quote! {
            #docs
            pub fn body(mut self, value: #ty) -> Self {
                self.body = ::std::option::Option::Some(value);
                self
            }
        }
    });
    let output = success_ty(ctx, op);
    let error = error_ty(ctx, op);
    let send_body = send_body(ctx, op);
    let response_enum = response_enum(ctx, op);
    let error_enum = error_enum(ctx, op);
    let doc = doc_attrs(&format!(
        "A prepared [`Client::{method_name}`](crate::Client::{method_name}) request: set optional parameters, then `.await` it (or call [`send`](Self::send))."
    ));
    let allow = ctx.allow_deprecated(op);
    quote! {
        #doc
        #allow
        #[derive(Debug)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields)*
            #body_field
            timeout: ::std::option::Option<::std::time::Duration>,
        }

        #allow
        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setter

            /// Overrides the client's timeout for this request.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = ::std::option::Option::Some(timeout);
                self
            }

            /// Validates the arguments, sends the request and decodes the response.
            pub async fn send(self) -> ::std::result::Result<#output, crate::Error<#error>> {
                #send_body
            }
        }

        #allow
        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<#output, crate::Error<#error>>;
            type IntoFuture = crate::runtime::ResponseFuture<'a, #output, #error>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }

        #response_enum
        #error_enum
    }
}

fn response_enum(ctx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
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
            "The successful responses of [`Client::{0}`](crate::Client::{0}).",
            op.name
        ),
        items,
    ))
}

/// The body of `send`: validate, build the URL, add parameters, body and
/// credentials, send, and decode by status.
fn send_body(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let mut checks = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let wire = p.wire.as_str();
        let check = value_checks(
            ctx,
            quote!(value),
            p.ty.non_null(),
            &p.constraints,
            &quote!(#wire),
        );
        let check = if matches!(p.ty.non_null(), Ty::Named(_)) && !check.is_empty() {
            // Named values are held by reference; checks take `&T`.
            quote!(let value = *value; #check)
        } else {
            check
        };
        if check.is_empty() {
            continue;
        }
        checks.push(if p.required {
            quote!({ let value = &self.#name; #check })
        } else {
            quote!(if let ::std::option::Option::Some(value) = &self.#name { #check })
        });
    }
    if let Some(body) = &op.body
        && ctx.ty_validates(&body.ty)
    {
        let check = value_checks(
            ctx,
            quote!(value),
            body.ty.non_null(),
            &Default::default(),
            &quote!(""),
        );
        checks.push(if body.required {
            quote!({ let value = self.body; #check })
        } else {
            quote!(if let ::std::option::Option::Some(value) = self.body { #check })
        });
    }

    let url = url_tokens(op);
    let method = ident(&op.method);

    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut cookies = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let wire = p.wire.as_str();
        let explode = p.explode;
        let (access, wrap): (TokenStream, fn(TokenStream, TokenStream) -> TokenStream) =
            if p.required {
                (
                    quote!(let value = &self.#name;),
                    |access, stmt| quote!({ #access #stmt }),
                )
            } else {
                (
                    quote!(::std::option::Option::Some(value) = &self.#name),
                    |access, stmt| quote!(if let #access { #stmt }),
                )
            };
        match p.location {
            ParamLocation::Path => {}
            ParamLocation::Query => {
                let style = style_tokens(p.style);
                query.push(wrap(access, quote!(crate::runtime::push_query(&mut query, #wire, value, #style, #explode)?;)))
            }
            ParamLocation::Header => headers.push(wrap(access, quote!(request = request.header(#wire, crate::runtime::header_value(#wire, value)?);))),
            ParamLocation::Cookie => cookies.push(wrap(access, quote!(cookies.push(::std::format!("{}={}", #wire, crate::runtime::encode_cookie(&crate::runtime::param_text(#wire, value)?)));))),
        }
    }
    let query = (!query.is_empty()).then(|| {
        quote! {
            let mut query: ::std::vec::Vec<(::std::string::String, ::std::string::String)> = ::std::vec::Vec::new();
            #(#query)*
            request = request.query(&query);
        }
    });
    let cookies = (!cookies.is_empty()).then(|| {
        quote! {
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#cookies)*
            if !cookies.is_empty() {
                request = request.header(::reqwest::header::COOKIE, crate::runtime::header_value("Cookie", &cookies.join("; "))?);
            }
        }
    });

    let auth = op
        .auth
        .iter()
        .filter_map(|index| ctx.api.credentials.get(*index))
        .map(|credential| {
            let method = ident(&credential.apply);
            quote!(request = self.client.#method(request);)
        });

    let body = op.body.as_ref().map(|b| {
        let content_type = b.content_type.as_str();
        let send = match b.media {
            BodyMedia::Json => quote!(crate::runtime::json_body(request, value, #content_type)?),
            BodyMedia::Form => quote!(crate::runtime::form_body(request, value, #content_type)?),
            BodyMedia::Multipart => {
                let form = multipart_form(ctx, &b.ty);
                quote!({ #form request.multipart(form) })
            }
            BodyMedia::Text => quote!(request.header(::reqwest::header::CONTENT_TYPE, #content_type).body(::std::string::ToString::to_string(value))),
            BodyMedia::Binary => quote!(request.header(::reqwest::header::CONTENT_TYPE, #content_type).body(value.to_vec())),
        };
        if b.required {
            quote!({ let value = &self.body; request = #send; })
        } else {
            quote!(if let ::std::option::Option::Some(value) = &self.body { request = #send; })
        }
    });

    let arms = status_arms(op);
    let error_arms = error_arms(op);
    quote! {
        #(#checks)*
        #url
        let mut request = self.client.http.request(::reqwest::Method::#method, url);
        #query
        #(#headers)*
        #cookies
        #(#auth)*
        #body
        if let ::std::option::Option::Some(timeout) = self.timeout.or(self.client.timeout) {
            request = request.timeout(timeout);
        }
        let response = request.send().await.map_err(crate::Error::Transport)?;
        let status = response.status().as_u16();
        match status {
            #(#arms)*
            #(#error_arms)*
        }
    }
}

/// Statements that build `form` (a `reqwest::multipart::Form`) from
/// `value`: one part per struct field, file parts for binary fields.
fn multipart_form(ctx: &Ctx<'_>, ty: &Ty) -> TokenStream {
    let fields = match ty.non_null() {
        Ty::Named(id) => match &ctx.api.types.get(*id).kind {
            crate::model::TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        },
        _ => None,
    };
    let Some(fields) = fields else {
        return quote!(let form = crate::runtime::multipart_from_json(value)?;);
    };
    let parts = fields.iter().filter(|f| !f.read_only).map(|f| {
        let name = ident(&f.name);
        let wire = f.wire.as_str();
        let add = match f.ty.non_null() {
            Ty::Bytes => quote!(form = form.part(#wire, crate::runtime::file_part(#wire, part));),
            Ty::Array(inner) if matches!(inner.non_null(), Ty::Bytes) => quote! {
                for item in part.iter() {
                    form = form.part(#wire, crate::runtime::file_part(#wire, item));
                }
            },
            Ty::Array(_) => quote! {
                for item in part.iter() {
                    form = form.text(#wire, crate::runtime::part_text(#wire, item)?);
                }
            },
            _ => quote!(form = form.text(#wire, crate::runtime::part_text(#wire, part)?);),
        };
        match (f.required, f.ty.is_nullable()) {
            (true, false) => quote!({ let part = &value.#name; #add }),
            (false, true) => {
                quote!(if let crate::runtime::Nullable::Value(part) = &value.#name { #add })
            }
            _ => quote!(if let ::std::option::Option::Some(part) = &value.#name { #add }),
        }
    });
    quote! {
        let mut form = ::reqwest::multipart::Form::new();
        #(#parts)*
    }
}

fn read_tokens(body: Option<&(Ty, BodyMedia)>) -> TokenStream {
    match body {
        None => quote!(::std::result::Result::Ok(())),
        Some((_, BodyMedia::Text)) => quote!(crate::runtime::read_text(response).await),
        Some((_, BodyMedia::Binary)) => quote!(crate::runtime::read_bytes(response).await),
        Some(_) => quote!(crate::runtime::read_json(response).await),
    }
}

fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let (low, high) = (
                Literal::u16_unsuffixed(r * 100),
                Literal::u16_unsuffixed(r * 100 + 99),
            );
            quote!(#low..=#high)
        }
        StatusMatch::Default => quote!(200..=299),
    }
}

/// Patterns for a set of statuses: codes first (consecutive codes as one
/// range, as clippy::manual_range_patterns wants), then ranges.
fn merged_patterns(mut statuses: Vec<StatusMatch>) -> Vec<TokenStream> {
    let mut codes: Vec<u16> = statuses
        .iter()
        .filter_map(|s| match s {
            StatusMatch::Code(c) => Some(*c),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    statuses.retain(|s| !matches!(s, StatusMatch::Code(_)));
    // Runs of consecutive codes, as (first, last).
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for code in codes {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(code) => *end = code,
            _ => runs.push((code, code)),
        }
    }
    let mut patterns: Vec<TokenStream> = runs
        .into_iter()
        .map(|(start, end)| {
            let (low, high) = (Literal::u16_unsuffixed(start), Literal::u16_unsuffixed(end));
            if start == end {
                quote!(#low)
            } else {
                quote!(#low..=#high)
            }
        })
        .collect();
    patterns.extend(statuses.into_iter().map(status_pattern));
    patterns
}

fn status_arms(op: &Operation) -> Vec<TokenStream> {
    match &op.success {
        SuccessShape::Single { body, statuses } => {
            let read = read_tokens(body.as_ref());
            let patterns = merged_patterns(statuses.clone());
            vec![quote!(#(#patterns)|* => #read,)]
        }
        SuccessShape::PerStatus(variants) => {
            let name = ident(&op.response_enum);
            variants
                .iter()
                .map(|v| {
                    let pattern = status_pattern(v.status);
                    let variant = ident(&v.name);
                    match &v.body {
                        None => quote!(#pattern => ::std::result::Result::Ok(#name::#variant),),
                        Some(_) => {
                            let read = read_tokens(v.body.as_ref());
                            quote!(#pattern => #read.map(#name::#variant),)
                        }
                    }
                })
                .collect()
        }
    }
}

fn style_tokens(style: crate::model::ParamStyle) -> TokenStream {
    use crate::model::ParamStyle as S;
    match style {
        S::Simple => quote!(crate::runtime::Style::Simple),
        S::Form => quote!(crate::runtime::Style::Form),
        S::Label => quote!(crate::runtime::Style::Label),
        S::Matrix => quote!(crate::runtime::Style::Matrix),
        S::SpaceDelimited => quote!(crate::runtime::Style::SpaceDelimited),
        S::PipeDelimited => quote!(crate::runtime::Style::PipeDelimited),
        S::DeepObject => quote!(crate::runtime::Style::DeepObject),
    }
}

/// Characters allowed unencoded in a literal path segment.
fn encode_literal(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `url.push_str(literal)`, or `url.push(c)` for one character
/// (clippy::single_char_add_str).
fn push_literal(literal: &str) -> Option<TokenStream> {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (None, _) => None,
        (Some(c), None) => Some(quote!(url.push(#c);)),
        _ => Some(quote!(url.push_str(#literal);)),
    }
}

/// Statements that build `url` from the base URL and the path template.
fn url_tokens(op: &Operation) -> TokenStream {
    let mut pushes = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => pushes.extend(push_literal(&encode_literal(text))),
            PathPart::Param(wire) => {
                if let Some(p) = op
                    .params
                    .iter()
                    .find(|p| p.location == ParamLocation::Path && p.wire == *wire)
                {
                    let name = ident(&p.name);
                    let style = style_tokens(p.style);
                    let explode = p.explode;
                    pushes.push(quote!(url.push_str(&crate::runtime::path_segment(#wire, &self.#name, #style, #explode)?);));
                }
            }
        }
    }
    if pushes.is_empty() {
        return quote!(let url = ::std::string::ToString::to_string(self.client.base_url()););
    }
    quote! {
        let mut url = ::std::string::ToString::to_string(self.client.base_url());
        #(#pushes)*
    }
}
