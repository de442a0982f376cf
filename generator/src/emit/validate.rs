//! Client-side checks of the spec's constraints, run before a request is
//! sent so that a bad value fails fast with the field's name instead of a
//! server round trip.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Ctx, ident, reaches};
use crate::model::{Api, Constraints, IntKind, StructType, Ty, TypeId, TypeKind};

/// Which types have something to check, computed to a fixed point so that
/// cycles terminate.
pub fn validating_types(api: &Api) -> Vec<bool> {
    let defs = &api.types.defs;
    let mut validates = vec![false; defs.len()];
    loop {
        let mut changed = false;
        for (i, def) in defs.iter().enumerate() {
            if validates.get(i).copied().unwrap_or(true) {
                continue;
            }
            let needs = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| {
                    !f.read_only
                        && (!effective(api, &f.ty, &f.constraints).is_empty()
                            || reaches(&validates, &f.ty))
                }),
                TypeKind::Enum(_) => true,
                TypeKind::Union(u) => u.variants.iter().any(|v| reaches(&validates, &v.ty)),
                TypeKind::Newtype { ty, constraints } => {
                    !constraints.is_empty() || reaches(&validates, ty)
                }
                // Aliases are checked where they are used.
                TypeKind::Alias { .. } => false,
            };
            if needs && let Some(flag) = validates.get_mut(i) {
                *flag = true;
                changed = true;
            }
        }
        if !changed {
            return validates;
        }
    }
}

/// Constraints that apply to a value of `ty` used with `own` constraints:
/// a field's own, or those of the alias it names.
fn effective<'c>(api: &'c Api, ty: &Ty, own: &'c Constraints) -> &'c Constraints {
    if !own.is_empty() {
        return own;
    }
    if let Ty::Named(id) = ty.non_null()
        && let TypeKind::Alias { constraints, .. } = &api.types.get(*id).kind
    {
        return constraints;
    }
    own
}

/// Doc note for aliases that carry constraints (checked where used).
pub fn alias_note(ctx: &Ctx<'_>, id: TypeId) -> Option<TokenStream> {
    match &ctx.api.types.get(id).kind {
        TypeKind::Alias { constraints, .. } if !constraints.is_empty() => Some(quote! {
            ///
            /// Its constraints are checked wherever the type is used in a request.
        }),
        _ => None,
    }
}

/// `impl Validate` for a struct, when it has anything to check.
pub fn struct_validate(
    ctx: &Ctx<'_>,
    id: TypeId,
    name: &proc_macro2::Ident,
    s: &StructType,
) -> Option<TokenStream> {
    if !ctx.ty_validates(&Ty::Named(id)) {
        return None;
    }
    let checks = s.fields.iter().filter(|f| !f.read_only).map(|f| {
        let field = ident(&f.name);
        let path = f.wire.as_str();
        let constraints = effective(ctx.api, &f.ty, &f.constraints);
        let check = value_checks(
            ctx,
            quote!(value),
            f.ty.non_null(),
            constraints,
            &quote!(#path),
        );
        if check.is_empty() {
            return quote!();
        }
        match (f.required, f.ty.is_nullable()) {
            (true, false) => quote! {
                {
                    let value = &self.#field;
                    #check
                }
            },
            (false, true) => quote! {
                if let super::runtime::Nullable::Value(value) = &self.#field {
                    #check
                }
            },
            _ => quote! {
                if let Some(value) = &self.#field {
                    #check
                }
            },
        }
    });
    let allow = ctx.allow_deprecated_type(id);
    Some(quote! {
        #allow
        impl super::runtime::Validate for #name {
            fn validate(&self) -> Result<(), super::runtime::ValidationError> {
                #(#checks)*
                Ok(())
            }
        }
    })
}

/// `impl Validate` for enums (unknown values may not be sent) and unions.
pub fn other_validate(ctx: &Ctx<'_>, id: TypeId) -> Option<TokenStream> {
    let def = ctx.api.types.get(id);
    let name = ident(&def.name);
    let allow = ctx.allow_deprecated_type(id);
    match &def.kind {
        TypeKind::Newtype { ty, constraints } if ctx.ty_validates(&Ty::Named(id)) => {
            let check = value_checks(ctx, quote!(value), ty.non_null(), constraints, &quote!(""));
            let check = if ty.is_nullable() {
                quote!(if let Some(value) = &self.0 { #check })
            } else {
                quote!(let value = &self.0; #check)
            };
            Some(quote! {
                #allow
                impl super::runtime::Validate for #name {
                    fn validate(&self) -> Result<(), super::runtime::ValidationError> {
                        #check
                        Ok(())
                    }
                }
            })
        }
        TypeKind::Enum(e) => {
            let catch_all = ident(&e.catch_all);
            let known = e
                .variants
                .iter()
                .map(|v| v.wire.as_str())
                .collect::<Vec<_>>()
                .join("`, `");
            let message = format!("is not one of `{known}`");
            Some(quote! {
                #allow
                impl super::runtime::Validate for #name {
                    fn validate(&self) -> Result<(), super::runtime::ValidationError> {
                        match self {
                            Self::#catch_all(value) => Err(super::runtime::ValidationError::new(
                                "",
                                ::std::format!("`{}` {}", value, #message),
                            )),
                            _ => Ok(()),
                        }
                    }
                }
            })
        }
        TypeKind::Union(u) if ctx.ty_validates(&Ty::Named(id)) => {
            let arms = u.variants.iter().map(|v| {
                let variant = ident(&v.name);
                let check = value_checks(
                    ctx,
                    quote!(value),
                    &v.ty,
                    &Constraints::default(),
                    &quote!(""),
                );
                if check.is_empty() {
                    quote!(Self::#variant(_) => {})
                } else {
                    quote!(Self::#variant(value) => { #check })
                }
            });
            Some(quote! {
                #allow
                impl super::runtime::Validate for #name {
                    fn validate(&self) -> Result<(), super::runtime::ValidationError> {
                        match self {
                            #(#arms)*
                        }
                        Ok(())
                    }
                }
            })
        }
        _ => None,
    }
}

/// Statements that check `value` (a reference to a `ty`) and return early
/// with a `ValidationError` at `path` (an expression of type `&str`).
pub fn value_checks(
    ctx: &Ctx<'_>,
    value: TokenStream,
    ty: &Ty,
    c: &Constraints,
    path: &TokenStream,
) -> TokenStream {
    let mut out = Vec::new();
    match ty {
        Ty::String => {
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
                out.push(quote!(super::runtime::check_length(#path, #value, #min, #max)?;));
            }
            if let Some(pattern) = &c.pattern {
                out.push(quote!(super::runtime::check_pattern(#path, #value, #pattern)?;));
            }
        }
        Ty::Int(_) | Ty::Float { .. } => out.extend(number_checks(&value, ty, c, path)),
        Ty::Array(inner) => {
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
                out.push(quote!(super::runtime::check_items(#path, #value.len(), #min, #max)?;));
            }
            if validates_itself(ctx, inner) {
                out.push(quote!(super::runtime::validate_each(#path, #value)?;));
            } else if ctx.ty_validates(inner) {
                let item = element_checks(ctx, inner);
                out.push(quote! {
                    for (index, item) in #value.iter().enumerate() {
                        let item_path = ::std::format!("{}[{}]", #path, index);
                        #item
                    }
                });
            }
        }
        Ty::Map(inner) if ctx.ty_validates(inner) => {
            let item = element_checks(ctx, inner);
            out.push(quote! {
                for (key, item) in #value.iter() {
                    let item_path = ::std::format!("{}.{}", #path, key);
                    #item
                }
            });
        }
        Ty::Named(id) => match &ctx.api.types.get(*id).kind {
            TypeKind::Alias { ty, .. } => {
                let inner = value_checks(ctx, value.clone(), ty.non_null(), c, path);
                if ty.is_nullable() && !inner.is_empty() {
                    out.push(quote!(if let Some(value) = #value { #inner }));
                } else {
                    out.push(inner);
                }
            }
            _ if ctx.ty_validates(ty) => {
                // The request body is checked at the root: no path prefix.
                if path.to_string() == "\"\"" {
                    out.push(quote!(super::runtime::Validate::validate(#value)?;));
                } else {
                    out.push(quote!(super::runtime::Validate::validate(#value).map_err(|error| error.within(#path))?;));
                }
            }
            _ => {}
        },
        _ => {}
    }
    quote!(#(#out)*)
}

/// Whether values of `ty` are checked by their own `Validate` impl alone
/// (a named, non-null type that is not an alias): a list of them is then
/// checked by the runtime's `validate_each`, not a loop per field.
fn validates_itself(ctx: &Ctx<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(id) => {
            !matches!(ctx.api.types.get(*id).kind, TypeKind::Alias { .. }) && ctx.ty_validates(ty)
        }
        _ => false,
    }
}

/// `Some(v)` or `None`, as tokens.
fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// `Some(v)` for a finite `v`, else `None`, as tokens.
fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) if v.is_finite() => {
            let v = Literal::f64_suffixed(v);
            quote!(Some(#v))
        }
        _ => quote!(None),
    }
}

/// Range and allowed-value checks of a number.
fn number_checks(
    value: &TokenStream,
    ty: &Ty,
    c: &Constraints,
    path: &TokenStream,
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if c.minimum.is_some() || c.maximum.is_some() {
        let (min, max) = (opt_f64(c.minimum), opt_f64(c.maximum));
        let (xmin, xmax) = (c.exclusive_minimum, c.exclusive_maximum);
        let as_f64 = match ty {
            Ty::Float { single: false } => quote!(*#value),
            Ty::Float { single: true }
            | Ty::Int(
                IntKind::I8
                | IntKind::I16
                | IntKind::I32
                | IntKind::U8
                | IntKind::U16
                | IntKind::U32,
            ) => quote!(f64::from(*#value)),
            _ => quote!(*#value as f64),
        };
        out.push(quote!(super::runtime::check_range(#path, #as_f64, #min, #xmin, #max, #xmax)?;));
    }
    if matches!(ty, Ty::Int(_)) && !c.allowed.is_empty() {
        let allowed = c
            .allowed
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .map(Literal::i64_unsuffixed);
        let as_i64 = match ty {
            Ty::Int(IntKind::I64) => quote!(*#value),
            Ty::Int(IntKind::U64) => quote!(*#value as i64),
            _ => quote!(i64::from(*#value)),
        };
        out.push(quote!(super::runtime::check_one_of(#path, #as_i64, &[#(#allowed),*])?;));
    }
    out
}

/// The checks of one element `item` (of an array or map whose elements are
/// `inner`) at `item_path`, skipping `null` elements.
fn element_checks(ctx: &Ctx<'_>, inner: &Ty) -> TokenStream {
    let item_check = value_checks(
        ctx,
        quote!(item),
        inner.non_null(),
        &Constraints::default(),
        &quote!(&item_path),
    );
    if inner.is_nullable() {
        quote!(if let Some(item) = item { #item_check })
    } else {
        item_check
    }
}
