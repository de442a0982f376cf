//! An operation's `prepare`: validate the arguments, then describe the
//! request (path, query, headers, cookies, body, accepted credentials) as a
//! runtime `Request`. Sending is the runtime's job.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::validate::value_checks;
use super::{Ctx, ident};
use crate::model::{BodyMedia, Operation, ParamLocation, ParamStyle, PathPart, Ty, TypeKind};

/// `fn prepare(&self) -> Result<Request, ValidationError>`.
pub fn prepare_fn(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let checks = checks(ctx, op);
    let method = ident(&op.method);
    let credentials = op.auth.iter().map(|i| Literal::usize_unsuffixed(*i));
    let template = path_template(op);
    let path = path_tokens(op);
    let params = param_tokens(op);
    let body = body_tokens(ctx, op);
    let new = quote!(super::runtime::Request::new(::reqwest::Method::#method, #template, &[#(#credentials),*]));
    if path.is_empty() && params.is_empty() && body.is_none() {
        return quote! {
            fn prepare(&self) -> Result<super::runtime::Request, super::runtime::ValidationError> {
                #(#checks)*
                Ok(#new)
            }
        };
    }
    quote! {
        fn prepare(&self) -> Result<super::runtime::Request, super::runtime::ValidationError> {
            #(#checks)*
            let mut request = #new;
            #(#path)*
            #(#params)*
            #body
            Ok(request)
        }
    }
}

/// Checks of the parameters' and the body's constraints.
fn checks(ctx: &Ctx<'_>, op: &Operation) -> Vec<TokenStream> {
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
        if check.is_empty() {
            continue;
        }
        // Named values are held by reference; checks take `&T`.
        let check = if matches!(p.ty.non_null(), Ty::Named(_)) {
            quote!(let value = *value; #check)
        } else {
            check
        };
        checks.push(if p.required {
            quote!({ let value = &self.#name; #check })
        } else {
            quote!(if let Some(value) = &self.#name { #check })
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
            quote!(if let Some(value) = self.body { #check })
        });
    }
    checks
}

/// The runtime's name for a style.
pub fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Simple => quote!(super::runtime::Style::Simple),
        ParamStyle::Form => quote!(super::runtime::Style::Form),
        ParamStyle::Label => quote!(super::runtime::Style::Label),
        ParamStyle::Matrix => quote!(super::runtime::Style::Matrix),
        ParamStyle::SpaceDelimited => quote!(super::runtime::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(super::runtime::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(super::runtime::Style::DeepObject),
    }
}

/// Percent-encodes what a literal path segment may not hold as it is.
fn encode_literal(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The path template with literal text encoded and one `{name}` per
/// parameter, for `Request::new`.
fn path_template(op: &Operation) -> String {
    op.path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => encode_literal(text),
            PathPart::Param(wire) => format!("{{{wire}}}"),
        })
        .collect()
}

/// The statements that fill the path template's parameters.
fn path_tokens(op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for part in &op.path_parts {
        let PathPart::Param(wire) = part else {
            continue;
        };
        let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == *wire)
        else {
            continue;
        };
        if out
            .iter()
            .any(|(w, _): &(&str, TokenStream)| *w == wire.as_str())
        {
            continue;
        }
        let name = ident(&p.name);
        let statement = if p.style == ParamStyle::Simple && !p.explode {
            quote!(request.path_param(#wire, &self.#name)?;)
        } else {
            let style = style_tokens(p.style);
            let explode = p.explode;
            quote!(request.path_styled(#wire, &self.#name, #style, #explode)?;)
        };
        out.push((wire.as_str(), statement));
    }
    out.into_iter().map(|(_, statement)| statement).collect()
}

/// The statements that add query, header and cookie parameters.
fn param_tokens(op: &Operation) -> Vec<TokenStream> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let name = ident(&p.name);
            let wire = p.wire.as_str();
            let add = match p.location {
                ParamLocation::Query if p.style == ParamStyle::Form && p.explode => {
                    quote!(request.query(#wire, value)?;)
                }
                ParamLocation::Query => {
                    let style = style_tokens(p.style);
                    let explode = p.explode;
                    quote!(request.query_styled(#wire, value, #style, #explode)?;)
                }
                ParamLocation::Header => quote!(request.header(#wire, value)?;),
                ParamLocation::Cookie | ParamLocation::Path => {
                    quote!(request.cookie(#wire, value)?;)
                }
            };
            if p.required {
                quote!({ let value = &self.#name; #add })
            } else {
                quote!(if let Some(value) = &self.#name { #add })
            }
        })
        .collect()
}

/// The statement that sets the body, if the operation has one.
fn body_tokens(ctx: &Ctx<'_>, op: &Operation) -> Option<TokenStream> {
    let b = op.body.as_ref()?;
    let content_type = b.content_type.as_str();
    let set = match b.media {
        BodyMedia::Json => quote!(request.json(#content_type, &value)?;),
        BodyMedia::Form => {
            let encodings = b.encodings.iter().map(|e| {
                let name = e.property.as_str();
                let style = style_tokens(e.style);
                let explode = e.explode;
                quote!((#name, #style, #explode))
            });
            quote!(request.form(#content_type, &value, &[#(#encodings),*])?;)
        }
        BodyMedia::Multipart => multipart_tokens(ctx, b),
        BodyMedia::Text => {
            quote!(request.bytes(#content_type, ::std::string::ToString::to_string(value).into_bytes());)
        }
        BodyMedia::Binary => quote!(request.bytes(#content_type, value.to_vec());),
    };
    Some(if b.required {
        quote!({ let value = self.body; #set })
    } else {
        quote!(if let Some(value) = self.body { #set })
    })
}

/// Statements that build a multipart body from `value`: one part per
/// struct field (file parts for binary fields), with each part's content
/// type from the `encoding` object.
fn multipart_tokens(ctx: &Ctx<'_>, body: &crate::model::RequestBody) -> TokenStream {
    let fields = match body.ty.non_null() {
        Ty::Named(id) => match &ctx.api.types.get(*id).kind {
            TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        },
        _ => None,
    };
    let Some(fields) = fields else {
        return quote! {
            let mut form = super::runtime::Multipart::new();
            form.object(value)?;
            request.multipart(form);
        };
    };
    let parts = fields.iter().filter(|f| !f.read_only).map(|f| {
        let name = ident(&f.name);
        let wire = f.wire.as_str();
        let content_type = match body
            .encodings
            .iter()
            .find(|e| e.property == f.wire)
            .and_then(|e| e.content_type.as_deref())
        {
            Some(ct) => quote!(Some(#ct)),
            None => quote!(None),
        };
        let add = match f.ty.non_null() {
            Ty::Bytes => quote!(form.file(#wire, #content_type, part);),
            Ty::Array(inner) if matches!(inner.non_null(), Ty::Bytes) => quote! {
                for item in part.iter() {
                    form.file(#wire, #content_type, item);
                }
            },
            _ => quote!(form.text(#wire, part, #content_type)?;),
        };
        match (f.required, f.ty.is_nullable()) {
            (true, false) => quote!({ let part = &value.#name; #add }),
            (false, true) => {
                quote!(if let super::runtime::Nullable::Value(part) = &value.#name { #add })
            }
            _ => quote!(if let Some(part) = &value.#name { #add }),
        }
    });
    quote! {
        let mut form = super::runtime::Multipart::new();
        #(#parts)*
        request.multipart(form);
    }
}
