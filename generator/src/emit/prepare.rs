//! An operation's `prepare`: validate the arguments, then describe the
//! request (path, query, headers, cookies, body, accepted credentials) as a
//! runtime `Request`. Sending is the runtime's job.

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax::{self, word};
use super::validate::{CheckPath, value_checks};
use super::{Ctx, ident};
use crate::model::{BodyMedia, Operation, ParamLocation, ParamStyle, PathPart, Ty, TypeKind};

thread_local! {
    static PREPARE: Result<syn::ImplItemFn, String> = syn::parse2(quote! {
        fn prepare(&self) -> Result<super::runtime::Request, super::runtime::ValidationError> {}
    })
    .map_err(|e| format!("the prepare template does not parse: {e}"));
}

/// `fn prepare(&self) -> Result<Request, ValidationError>`, built as a
/// syntax tree (see `syntax`): checks, then the request.
pub fn prepare_fn(ctx: &Ctx<'_>, op: &Operation) -> Result<syn::ImplItemFn, String> {
    let mut stmts = checks(ctx, op);
    let credentials = op.auth.iter().map(|i| syntax::int(*i as u64)).collect();
    let new = syntax::call(
        syntax::words(&["super", "runtime", "Request", "new"]),
        vec![
            syntax::global_words(&["reqwest", "Method", &op.method]),
            syntax::string(&path_template(op)),
            syntax::slice_ref(credentials),
        ],
    );
    let path = path_stmts(op);
    let params = param_stmts(op);
    let body = body_stmts(ctx, op)?;
    let ok = |value| syntax::stmt(syntax::call(syntax::words(&["Ok"]), vec![value]), false);
    if path.is_empty() && params.is_empty() && body.is_none() {
        stmts.push(ok(new));
    } else {
        let request = || syntax::words(&["request"]);
        stmts.push(syntax::local(
            syntax::binding(word("request"), true),
            new,
            None,
        ));
        stmts.extend(path);
        stmts.extend(params);
        stmts.extend(body);
        stmts.push(ok(request()));
    }
    let mut method = PREPARE.with(Clone::clone)?;
    method.block.stmts = stmts;
    Ok(method)
}

/// `request.#method(#args)?;`
fn request_call(method: &str, args: Vec<syn::Expr>) -> syn::Stmt {
    syntax::stmt(
        syntax::try_expr(syntax::method_call(
            syntax::words(&["request"]),
            word(method),
            args,
        )),
        true,
    )
}

/// `{ let #value = &self.#name; #stmts }` for a required argument, or
/// `if let Some(#value) = &self.#name { #stmts }`; `by_ref` says whether
/// the field is borrowed (`&self.x`) or copied (`self.x`).
fn with_argument(
    name: &str,
    value: &str,
    required: bool,
    by_ref: bool,
    stmts: Vec<syn::Stmt>,
) -> syn::Stmt {
    let field = if by_ref {
        syntax::self_field_ref(ident(name))
    } else {
        syntax::self_field(ident(name))
    };
    if required {
        let mut block = vec![syntax::local(
            syntax::binding(word(value), false),
            field,
            None,
        )];
        block.extend(stmts);
        syntax::block_stmt(block)
    } else {
        syntax::if_let_stmt(syntax::some(word(value)), field, stmts)
    }
}

/// Checks of the parameters' and the body's constraints.
fn checks(ctx: &Ctx<'_>, op: &Operation) -> Vec<syn::Stmt> {
    let mut checks = Vec::new();
    for p in &op.params {
        let mut check = value_checks(
            ctx,
            "value",
            p.ty.non_null(),
            &p.constraints,
            CheckPath::Wire(&p.wire),
        );
        if check.is_empty() {
            continue;
        }
        // Named values are held by reference; checks take `&T`.
        if matches!(p.ty.non_null(), Ty::Named(_)) {
            let copy = syntax::local(
                syntax::binding(word("value"), false),
                syntax::deref(syntax::words(&["value"])),
                None,
            );
            check.insert(0, copy);
        }
        checks.push(with_argument(&p.name, "value", p.required, true, check));
    }
    if let Some(body) = &op.body
        && ctx.ty_validates(&body.ty)
    {
        let check = value_checks(
            ctx,
            "value",
            body.ty.non_null(),
            &Default::default(),
            CheckPath::Wire(""),
        );
        checks.push(with_argument("body", "value", body.required, false, check));
    }
    checks
}

/// The runtime's name for a style.
fn style_tokens(style: ParamStyle) -> TokenStream {
    let name = word(style_name(style));
    quote!(super::runtime::Style::#name)
}

/// The runtime's name for a style, as an expression.
fn style_expr(style: ParamStyle) -> syn::Expr {
    syntax::words(&["super", "runtime", "Style", style_name(style)])
}

/// The name of a style's variant in the runtime's `Style`.
fn style_name(style: ParamStyle) -> &'static str {
    match style {
        ParamStyle::Simple => "Simple",
        ParamStyle::Form => "Form",
        ParamStyle::Label => "Label",
        ParamStyle::Matrix => "Matrix",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
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
fn path_stmts(op: &Operation) -> Vec<syn::Stmt> {
    let mut out: Vec<(&str, syn::Stmt)> = Vec::new();
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
        if out.iter().any(|(w, _)| *w == wire.as_str()) {
            continue;
        }
        let value = syntax::self_field_ref(ident(&p.name));
        let statement = if p.style == ParamStyle::Simple && !p.explode {
            request_call("path_param", vec![syntax::string(wire), value])
        } else {
            request_call(
                "path_styled",
                vec![
                    syntax::string(wire),
                    value,
                    style_expr(p.style),
                    syntax::boolean(p.explode),
                ],
            )
        };
        out.push((wire.as_str(), statement));
    }
    out.into_iter().map(|(_, statement)| statement).collect()
}

/// The statements that add query, header and cookie parameters.
fn param_stmts(op: &Operation) -> Vec<syn::Stmt> {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let wire = syntax::string(&p.wire);
            let value = syntax::words(&["value"]);
            let add = match p.location {
                ParamLocation::Query if p.style == ParamStyle::Form && p.explode => {
                    request_call("query", vec![wire, value])
                }
                ParamLocation::Query => request_call(
                    "query_styled",
                    vec![wire, value, style_expr(p.style), syntax::boolean(p.explode)],
                ),
                ParamLocation::Header => request_call("header", vec![wire, value]),
                ParamLocation::Cookie | ParamLocation::Path => {
                    request_call("cookie", vec![wire, value])
                }
            };
            with_argument(&p.name, "value", p.required, true, vec![add])
        })
        .collect()
}

/// The statement that sets the body, if the operation has one.
fn body_stmts(ctx: &Ctx<'_>, op: &Operation) -> Result<Option<syn::Stmt>, String> {
    let Some(b) = op.body.as_ref() else {
        return Ok(None);
    };
    let content_type = b.content_type.as_str();
    let set = match b.media {
        BodyMedia::Json => vec![request_call(
            "json",
            vec![
                syntax::string(content_type),
                syntax::reference(syntax::words(&["value"])),
            ],
        )],
        BodyMedia::Form => {
            let encodings = b.encodings.iter().map(|e| {
                let name = e.property.as_str();
                let style = style_tokens(e.style);
                let explode = e.explode;
                quote!((#name, #style, #explode))
            });
            syntax::stmts(quote!(request.form(#content_type, &value, &[#(#encodings),*])?;))?
        }
        BodyMedia::Multipart => syntax::stmts(multipart_tokens(ctx, b))?,
        BodyMedia::Text => syntax::stmts(
            quote!(request.bytes(#content_type, ::std::string::ToString::to_string(value).into_bytes());),
        )?,
        BodyMedia::Binary => syntax::stmts(quote!(request.bytes(#content_type, value.to_vec());))?,
    };
    Ok(Some(with_argument("body", "value", b.required, false, set)))
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
