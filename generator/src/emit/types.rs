//! Named types: structs, open string enums, unions and aliases.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::{Ctx, Piece, describe, ident, implements_default, syntax};
use crate::model::{Api, EnumType, Field, StructType, Ty, TypeDef, TypeId, TypeKind};

/// The `types` module.
pub fn types_module<'a>(ctx: std::sync::Arc<Ctx<'a>>) -> super::FileContents<'a> {
    super::FileContents::Items {
        head: quote! {
            //! Types of the API's schemas.
        },
        count: ctx.api.types.defs.len(),
        parts: ctx.features.as_ref().map(|f| f.type_parts("types")),
        items: Box::new(move |index| {
            let id = TypeId(index);
            type_item(&ctx, id, ctx.api.types.get(id))
        }),
    }
}

/// Which types implement `Default`: structs whose fields are all optional
/// (or themselves `Default`), computed to a fixed point.
pub fn default_types(api: &Api) -> Vec<bool> {
    let defs = &api.types.defs;
    let mut defaults = vec![false; defs.len()];
    loop {
        let mut changed = false;
        for (i, def) in defs.iter().enumerate() {
            if defaults.get(i).copied().unwrap_or(true) {
                continue;
            }
            let is_default = match &def.kind {
                // Required fields have no meaningful default value.
                TypeKind::Struct(s) => s.fields.iter().all(|f| !f.required),
                TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } => {
                    implements_default(&defaults, ty)
                }
                TypeKind::Enum(_) | TypeKind::Union(_) => false,
            };
            if is_default && let Some(flag) = defaults.get_mut(i) {
                *flag = true;
                changed = true;
            }
        }
        if !changed {
            return defaults;
        }
    }
}

fn type_item(ctx: &Ctx<'_>, id: TypeId, def: &TypeDef) -> Vec<Piece> {
    let name = ident(&def.name);
    let doc_text = match &def.docs {
        Some(text) => super::docs::spec(text),
        None => describe::type_def(ctx, def),
    };
    let allow = ctx.allow_deprecated_type(id).unwrap_or_default();
    let deprecated = match def.deprecated {
        true => quote!(#[deprecated] #allow),
        false => allow.clone(),
    };
    // Structs build their docs as syntax trees; the other kinds as tokens.
    let docs = || doc_attrs(&doc_text);
    let tokens = match &def.kind {
        TypeKind::Struct(s) => {
            return struct_item(ctx, id, &name, &doc_text, deprecated, &allow, s);
        }
        TypeKind::Enum(e) => {
            let item = enum_item(&name, docs(), deprecated, &allow, e);
            let validate = super::validate::other_validate(ctx, id);
            quote!(#item #validate)
        }
        TypeKind::Union(u) => {
            let item = super::unions::union_item(ctx, id, &name, docs(), deprecated, &allow, u);
            let validate = super::validate::other_validate(ctx, id);
            quote!(#item #validate)
        }
        TypeKind::Alias { ty, .. } => {
            let ty = ctx.ty_tokens(ty, true);
            let validate = super::validate::alias_note(ctx, id);
            let docs = docs();
            quote! {
                #docs
                #validate
                #deprecated
                pub type #name = #ty;
            }
        }
        TypeKind::Newtype { ty, .. } => {
            let inner = ctx.ty_tokens(ty, true);
            let default = ctx.ty_default(&Ty::Named(id)).then(|| quote!(Default,));
            let validate = super::validate::other_validate(ctx, id);
            let serialize = match ctx.serialize_feature(id) {
                None => quote!(#[derive(serde::Serialize)]),
                Some(feature) => quote!(#[cfg_attr(feature = #feature, derive(serde::Serialize))]),
            };
            let docs = docs();
            quote! {
                #docs
                #deprecated
                #[derive(Debug, Clone, PartialEq, #default serde::Deserialize)]
                #serialize
                #[serde(transparent)]
                pub struct #name(pub #inner);
                #validate
            }
        }
    };
    vec![Piece::Tokens(tokens)]
}

/// The Rust type of a struct field, with `Option`, `Nullable` and `Box`.
pub fn field_ty(ctx: &Ctx<'_>, field: &Field, local: bool) -> TokenStream {
    let inner = ctx.ty_tokens(field.ty.non_null(), local);
    let inner = if field.boxed {
        quote!(Box<#inner>)
    } else {
        inner
    };
    match (field.required, field.ty.is_nullable()) {
        (true, false) => inner,
        (false, false) | (true, true) => quote!(Option<#inner>),
        (false, true) => quote!(super::runtime::Nullable<#inner>),
    }
}

/// A struct and its impls. The struct and its serde impls are built as
/// syntax trees (see `syntax`): they are most of a large client.
fn struct_item(
    ctx: &Ctx<'_>,
    id: TypeId,
    name: &proc_macro2::Ident,
    docs: &str,
    deprecated: TokenStream,
    allow: &TokenStream,
    s: &StructType,
) -> Vec<Piece> {
    let has_secret = s.fields.iter().any(|f| f.secret);
    let is_default = ctx.ty_default(&Ty::Named(id));
    let serialize = serialize_impl(ctx.serialize_feature(id), name, allow, s);
    let (deserialize, object) = match deserialize_impl(ctx, name, allow, s) {
        Ok([deserialize, object]) => (Ok(deserialize), Ok(object)),
        Err(error) => (Err(error.clone()), Err(error)),
    };
    let debug = has_secret.then(|| debug_impl(name, allow, s));
    // Constructors help build requests; response types are decoded.
    let constructor = ctx
        .in_requests(id)
        .then(|| constructor(ctx, name, allow, s, is_default))
        .flatten();
    let validate = super::validate::struct_validate(ctx, id, name, s);
    vec![
        Piece::item(struct_def(
            ctx, name, docs, deprecated, s, has_secret, is_default,
        )),
        Piece::item(deserialize),
        Piece::item(object),
        Piece::item(serialize),
        Piece::Tokens(quote!(#constructor #debug)),
    ]
    .into_iter()
    .chain(validate.map(Piece::item))
    .collect()
}

/// `pub struct #name { … }`, with its docs and derives.
fn struct_def(
    ctx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    docs: &str,
    deprecated: TokenStream,
    s: &StructType,
    has_secret: bool,
    is_default: bool,
) -> Result<syn::Item, String> {
    // Deserialize and Serialize are written by hand (`deserialize_impl`,
    // `serialize_impl`): derived ones are most of a large client's compile
    // time.
    let mut derives = vec!["Clone", "PartialEq"];
    if !has_secret {
        derives.insert(0, "Debug");
    }
    if is_default {
        derives.push("Default");
    }
    let mut attrs = syntax::docs(docs);
    attrs.extend(syntax::attributes(deprecated)?);
    attrs.push(syntax::derive(&derives));
    let mut fields = Vec::with_capacity(s.fields.len() + 1);
    for f in &s.fields {
        let mut field_attrs = syntax::docs(&field_docs(ctx, f));
        if f.deprecated {
            field_attrs.push(syntax::path_attribute("deprecated"));
        }
        // Deeply nested lists (`Vec<Vec<Vec<…>>>`) are what the spec says;
        // an alias would not make them simpler to read.
        if field_complexity(f) > 250 {
            field_attrs.extend(syntax::attributes(
                quote!(#[allow(clippy::type_complexity)]),
            )?);
        }
        let ty = syntax::ty(field_ty(ctx, f, true))?;
        fields.push(syntax::field(field_attrs, ident(&f.name), ty));
    }
    if let Some(ty) = &s.additional {
        let ty = ctx.ty_tokens(ty, true);
        let ty = syntax::ty(quote!(::std::collections::BTreeMap<String, #ty>))?;
        let docs = syntax::docs("Properties not listed in the schema.");
        fields.push(syntax::field(docs, ident(&s.additional_name), ty));
    }
    Ok(syntax::struct_item(attrs, name.clone(), fields))
}

/// `Serialize` through the runtime's `Members`, the mirror of
/// `deserialize_impl`: one call per field, which says whether an absent
/// value is left out, and no early return per field. Behind `feature`
/// when only that feature adds it.
fn serialize_impl(
    feature: Option<&str>,
    name: &proc_macro2::Ident,
    allow: &TokenStream,
    s: &StructType,
) -> Result<syn::Item, String> {
    use super::syntax::{method_call, path_expr, self_field_ref, stmt, string, word};
    let members = word("members");
    let write = |method: &str, args: Vec<syn::Expr>| {
        method_call(
            path_expr(std::slice::from_ref(&members)),
            word(method),
            args,
        )
    };
    let mut stmts = vec![syntax::local(
        syntax::binding(members.clone(), true),
        syntax::call(
            path_expr(&[word("super"), word("runtime"), word("Members"), word("new")]),
            vec![path_expr(&[word("serializer")])],
        ),
        None,
    )];
    for f in &s.fields {
        // JSON has no bytes: binary properties travel as strings.
        let bytes = matches!(f.ty.non_null(), Ty::Bytes) && !f.boxed;
        let method = match (f.required, f.ty.is_nullable()) {
            (true, false) if bytes => "bytes",
            (true, false) => "field",
            (false, false) if bytes => "optional_bytes",
            (false, false) => "optional",
            (true, true) if bytes => "bytes_or_null",
            (true, true) => "field",
            (false, true) => "nullable",
        };
        let args = vec![string(&f.wire), self_field_ref(ident(&f.name))];
        stmts.push(stmt(write(method, args), true));
    }
    if s.additional.is_some() {
        let args = vec![self_field_ref(ident(&s.additional_name))];
        stmts.push(stmt(write("rest", args), true));
    }
    stmts.push(stmt(write("finish", Vec::new()), false));
    let gate = feature.map(|feature| quote!(#[cfg(feature = #feature)]));
    let attrs = syntax::attributes(quote!(#gate #allow))?;
    syntax::serialize_impl(attrs, name, stmts)
}

/// `Deserialize` through the runtime's `read_object`, and the struct's
/// `Object::read` that it calls with the object's `Fields`: one call per
/// field, which says how a missing or `null` value reads. The calls record
/// errors instead of returning them: the required fields are matched by
/// one refutable pattern and the rest read in place, so `read` has two
/// exits instead of an early return (with its drops) per field, which is
/// much less for rustc to check. The reads stream (see the runtime's
/// `Fields`), which makes decoding as fast as a derived visitor's.
fn deserialize_impl(
    ctx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    allow: &TokenStream,
    s: &StructType,
) -> Result<[syn::Item; 2], String> {
    use super::syntax::{method_call, path_expr, some, string, word};
    let type_name = name.to_string();
    // The reader must not be shadowed by a required field's binding.
    let taken = |candidate: &str| s.fields.iter().any(|f| f.name == candidate);
    let reader = ["fields", "object", "reader"]
        .into_iter()
        .map(str::to_owned)
        .chain((0..).map(|n| format!("fields_{n}")))
        .find(|candidate| !taken(candidate))
        .map(|candidate| ident(&candidate))
        .unwrap_or_else(|| ident("fields"));
    let read = |method: &str, args: Vec<syn::Expr>| {
        method_call(path_expr(std::slice::from_ref(&reader)), word(method), args)
    };
    // Per field: its name, its binding, its read, and whether the read
    // gives an `Option` that must be `Some`.
    let mut reads = Vec::with_capacity(s.fields.len());
    for f in &s.fields {
        let field = ident(&f.name);
        let bytes = matches!(f.ty.non_null(), Ty::Bytes) && !f.boxed;
        let (method, required) = match (f.required, f.ty.is_nullable()) {
            (true, false) if bytes => ("bytes", true),
            // Responses leave write-only properties out, required or not.
            (true, false) if f.write_only && ctx.ty_default(&f.ty) => ("or_default", false),
            (true, false) => ("required", true),
            (false, false) | (true, true) if bytes => ("optional_bytes", false),
            (false, false) | (true, true) => ("optional", false),
            (false, true) => ("nullable", false),
        };
        // Bound under the field's name, unless clippy's `disallowed_names`
        // rejects that as a binding.
        let binding = if crate::names::DISALLOWED_BINDINGS.contains(&f.name.as_str()) {
            ident(&format!("{}_", f.name))
        } else {
            field.clone()
        };
        reads.push((
            field,
            binding,
            read(method, vec![string(&f.wire)]),
            required,
        ));
    }
    // Fields read in the schema's order meet the members in the order
    // servers send them, so none is kept aside (see the runtime's
    // `Fields`). Those up to the last required field are read in one
    // tuple, bound by one refutable pattern; those after it in place, in
    // order too (a tuple of every field of a large struct costs the build
    // a copy of the struct).
    let tuple_len = reads
        .iter()
        .rposition(|read| read.3)
        .map_or(0, |last| last + 1);
    // The tuple's bindings, each with whether it must be `Some`, and reads.
    let mut bound = Vec::with_capacity(tuple_len);
    let mut values = Vec::with_capacity(tuple_len);
    let mut inits = Vec::with_capacity(reads.len() + 1);
    for (index, (field, binding, value, required)) in reads.into_iter().enumerate() {
        if index >= tuple_len {
            inits.push((field, Some(value)));
            continue;
        }
        let init = (binding != field).then(|| path_expr(std::slice::from_ref(&binding)));
        inits.push((field, init));
        bound.push((binding, required));
        values.push(value);
    }
    let mut stmts = Vec::new();
    if let ([(binding, _)], [value]) = (bound.as_slice(), values.as_slice()) {
        // One (required, since the tuple ends at one): `let x = …?;`
        // (clippy's `question_mark`).
        stmts.push(syntax::local(
            syntax::binding(binding.clone(), false),
            syntax::try_expr(value.clone()),
            None,
        ));
    } else if !bound.is_empty() {
        let patterns = bound
            .into_iter()
            .map(|(binding, required)| {
                if required {
                    some(binding)
                } else {
                    syntax::binding(binding, false)
                }
            })
            .collect();
        let none = syntax::return_expr(path_expr(&[word("None")]));
        stmts.push(syntax::local(
            syntax::tuple_pat(patterns),
            syntax::tuple_expr(values),
            Some(vec![syntax::stmt(none, true)]),
        ));
    }
    if s.additional.is_some() {
        let field = ident(&s.additional_name);
        inits.push((field, Some(read("rest", vec![string(&s.additional_name)]))));
    }
    stmts.push(syntax::stmt(
        syntax::call(path_expr(&[word("Some")]), vec![syntax::self_struct(inits)]),
        false,
    ));
    let attrs = syntax::attributes(allow.clone())?;
    let object = syntax::object_impl(attrs.clone(), name, reader, stmts)?;
    let read = syntax::call(
        path_expr(&[word("super"), word("runtime"), word("read_object")]),
        vec![path_expr(&[word("deserializer")]), string(&type_name)],
    );
    let deserialize = syntax::deserialize_impl(attrs, name, vec![syntax::stmt(read, false)])?;
    Ok([deserialize, object])
}

/// Clippy's type-complexity score of a type written at nesting `nest`:
/// every path type counts ten times its nesting, generic arguments nest one
/// deeper.
pub fn complexity(ty: &Ty, nest: u32) -> u32 {
    let here = 10 * nest;
    here + match ty {
        Ty::Array(inner) | Ty::Nullable(inner) => complexity(inner, nest + 1),
        Ty::Map(inner) => 10 * (nest + 1) + complexity(inner, nest + 1),
        Ty::JsonObject => 20 * (nest + 1),
        Ty::DateTime => 10 * (nest + 1),
        _ => 0,
    }
}

/// The score of a field's declared type, with its `Option` / `Nullable`
/// and `Box` wrappers.
fn field_complexity(f: &Field) -> u32 {
    let wrappers = u32::from(!f.required || f.ty.is_nullable()) + u32::from(f.boxed);
    (0..wrappers).map(|w| 10 * (w + 1)).sum::<u32>() + complexity(f.ty.non_null(), wrappers + 1)
}

/// The doc text of a field: its description, or what its type says.
fn field_docs(ctx: &Ctx<'_>, f: &Field) -> String {
    let mut notes = Vec::new();
    if f.docs.is_none() {
        notes.extend(describe::constraints(&f.constraints));
        notes.extend(f.example.as_ref().and_then(describe::example));
    }
    if f.read_only {
        notes.push("Set by the server; ignored in requests.".to_owned());
    }
    if f.write_only {
        notes.push("Sent by the client only; responses leave it out.".to_owned());
    }
    if let Some(default) = &f.default {
        let text = default.to_string();
        if text.len() <= 80 {
            notes.push(format!("Default: `{}`.", text.replace('`', "'")));
        }
    }
    if f.secret {
        notes.push("Holds a secret: shown as `<redacted>` by `Debug`.".to_owned());
    }
    let main = match &f.docs {
        Some(text) => super::docs::spec(text),
        None => describe::capitalized(&format!("{}.", describe::phrase(ctx, &f.ty, true))),
    };
    let main = main.as_str();
    let notes = notes.join(" ");
    super::docs::paragraphs_text([Some(main), Some(notes.as_str())])
}

/// `Debug` that prints secrets as `<redacted>`.
fn debug_impl(name: &proc_macro2::Ident, allow: &TokenStream, s: &StructType) -> TokenStream {
    let type_name = name.to_string();
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let label = f.name.as_str();
        if f.secret {
            quote!(.field(#label, &super::runtime::Redacted::of(&self.#field)))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = ident(&s.additional_name);
        let label = s.additional_name.as_str();
        quote!(.field(#label, &self.#field))
    });
    quote! {
        #allow
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    #additional
                    .finish()
            }
        }
    }
}

/// `new(required…)` for structs with required fields (and at most seven of
/// them, beyond which a struct literal reads better than positional args).
fn constructor(
    ctx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    allow: &TokenStream,
    s: &StructType,
    is_default: bool,
) -> Option<TokenStream> {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    if is_default
        && required
            .iter()
            .all(|f| f.ty.is_nullable() || ctx.ty_default(&f.ty))
        && required.is_empty()
    {
        return None;
    }
    if required.is_empty() || required.len() > 7 {
        return None;
    }
    let params = required.iter().map(|f| {
        let param = ident(&f.param);
        if matches!(f.ty, Ty::String) && !f.boxed {
            quote!(#param: impl Into<String>)
        } else {
            let ty = field_ty(ctx, f, true);
            quote!(#param: #ty)
        }
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let param = ident(&f.param);
        if !f.required {
            quote!(#field: Default::default())
        } else if matches!(f.ty, Ty::String) && !f.boxed {
            quote!(#field: #param.into())
        } else if f.param == f.name {
            quote!(#field)
        } else {
            quote!(#field: #param)
        }
    });
    let additional = s.additional.as_ref().map(|_| {
        let field = ident(&s.additional_name);
        quote!(#field: ::std::collections::BTreeMap::new())
    });
    let listed = required
        .iter()
        .map(|f| format!("`{}`", f.param))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = doc_attrs(&format!(
        "Creates a value from its required fields ({listed}); optional fields start empty."
    ));
    // A type named `New` has a constructor named like it; that is the
    // name users look for, so the lint does not apply.
    let self_named = (name == "New").then(|| quote!(#[allow(clippy::self_named_constructors)]));
    Some(quote! {
        #allow
        impl #name {
            #doc
            #self_named
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits,)*
                    #additional
                }
            }
        }
    })
}

/// A string or integer enum that keeps unknown values: the type, with a
/// variant per known value and the catch-all, and its impls from the
/// runtime's `string_enum!` / `int_enum!` (`KNOWN`, `as_str` or `value`,
/// `is_known`, `Display`, conversions, serde), which every enum shares.
fn enum_item(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    allow: &TokenStream,
    e: &EnumType,
) -> TokenStream {
    let catch_all = ident(&e.catch_all);
    let count = Literal::usize_unsuffixed(e.variants.len());
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = doc_attrs(&format!("`{}`", v.wire.replace('`', "'")));
        quote! {
            #doc
            #variant,
        }
    });
    let (derives, payload, table, implement) = if e.integer {
        let pairs = e.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let value = Literal::i64_unsuffixed(v.wire.parse().unwrap_or_default());
            quote!(#variant = #value)
        });
        (
            quote!(Debug, Clone, Copy, PartialEq, Eq, Hash),
            quote!(i64),
            quote!([#(#pairs),*]),
            quote!(super::runtime::int_enum!),
        )
    } else {
        let pairs = e.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let wire = v.wire.as_str();
            quote!(#variant = #wire)
        });
        (
            quote!(Debug, Clone, PartialEq, Eq, Hash),
            quote!(String),
            quote!([#(#pairs),*]),
            quote!(super::runtime::string_enum!),
        )
    };
    quote! {
        #docs
        #deprecated
        #[derive(#derives)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know, kept as sent by the server.
            #catch_all(#payload),
        }

        #implement(#allow #name, #catch_all, #count, #table);
    }
}
