//! Client-side checks of the spec's constraints, run before a request is
//! sent so that a bad value fails fast with the field's name instead of a
//! server round trip.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::{Expr, Stmt};

use super::{Ctx, ident, reaches, syntax};
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

/// `impl Validate` for a struct, when it has anything to check, built as a
/// syntax tree (see `syntax`).
pub fn struct_validate(
    ctx: &Ctx<'_>,
    id: TypeId,
    name: &proc_macro2::Ident,
    s: &StructType,
) -> Option<Result<syn::Item, String>> {
    if !ctx.ty_validates(&Ty::Named(id)) {
        return None;
    }
    let mut stmts = Vec::new();
    for f in s.fields.iter().filter(|f| !f.read_only) {
        let constraints = effective(ctx.api, &f.ty, &f.constraints);
        let check = value_checks(
            ctx,
            "value",
            f.ty.non_null(),
            constraints,
            CheckPath::Wire(&f.wire),
        );
        if check.is_empty() {
            continue;
        }
        let field = syntax::self_field_ref(ident(&f.name));
        let value = || syntax::word("value");
        stmts.push(match (f.required, f.ty.is_nullable()) {
            (true, false) => syntax::block_stmt(
                std::iter::once(syntax::local(syntax::binding(value(), false), field, None))
                    .chain(check)
                    .collect(),
            ),
            (false, true) => syntax::if_let_stmt(
                syntax::tuple_struct_pat(&["super", "runtime", "Nullable", "Value"], value()),
                field,
                check,
            ),
            _ => syntax::if_let_stmt(syntax::some(value()), field, check),
        });
    }
    let allow = ctx.allow_deprecated_type(id);
    Some(
        syntax::attributes(quote!(#allow))
            .and_then(|attrs| syntax::validate_impl(attrs, name, stmts)),
    )
}

/// `impl Validate` for enums (unknown values may not be sent) and unions.
pub fn other_validate(ctx: &Ctx<'_>, id: TypeId) -> Option<TokenStream> {
    let def = ctx.api.types.get(id);
    let name = ident(&def.name);
    let allow = ctx.allow_deprecated_type(id);
    match &def.kind {
        TypeKind::Newtype { ty, constraints } if ctx.ty_validates(&Ty::Named(id)) => {
            let check = value_checks(
                ctx,
                "value",
                ty.non_null(),
                constraints,
                CheckPath::Wire(""),
            );
            let check = quote!(#(#check)*);
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
                    "value",
                    &v.ty,
                    &Constraints::default(),
                    CheckPath::Wire(""),
                );
                let check = quote!(#(#check)*);
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

/// Where a checked value sits, for the error's path: a field or parameter
/// by its wire name (`""` at the root of a request body), or a list or map
/// element at `item_path`.
#[derive(Clone, Copy)]
pub enum CheckPath<'a> {
    Wire(&'a str),
    Item,
}

impl CheckPath<'_> {
    fn expr(self) -> Expr {
        match self {
            CheckPath::Wire(wire) => syntax::string(wire),
            CheckPath::Item => syntax::reference(syntax::words(&["item_path"])),
        }
    }

    fn tokens(self) -> TokenStream {
        match self {
            CheckPath::Wire(wire) => quote!(#wire),
            CheckPath::Item => quote!(&item_path),
        }
    }
}

/// `super::runtime::#check(#args)?;`
fn runtime_check(check: &str, args: Vec<Expr>) -> Stmt {
    syntax::stmt(
        syntax::try_expr(syntax::call(
            syntax::words(&["super", "runtime", check]),
            args,
        )),
        true,
    )
}

/// Statements that check `value` (a variable holding a reference to a
/// `ty`) and return early with a `ValidationError` at `path`, built as
/// syntax trees (see `syntax`).
pub fn value_checks(
    ctx: &Ctx<'_>,
    value: &str,
    ty: &Ty,
    c: &Constraints,
    path: CheckPath<'_>,
) -> Vec<Stmt> {
    let value_expr = || syntax::words(&[value]);
    let mut out = Vec::new();
    match ty {
        Ty::String => {
            if c.min_length.is_some() || c.max_length.is_some() {
                out.push(runtime_check(
                    "check_length",
                    vec![
                        path.expr(),
                        value_expr(),
                        opt_u64(c.min_length),
                        opt_u64(c.max_length),
                    ],
                ));
            }
            if let Some(pattern) = &c.pattern {
                out.push(runtime_check(
                    "check_pattern",
                    vec![path.expr(), value_expr(), syntax::string(pattern)],
                ));
            }
        }
        Ty::Int(_) | Ty::Float { .. } => out.extend(number_checks(value, ty, c, path)),
        Ty::Array(inner) => {
            if c.min_items.is_some() || c.max_items.is_some() {
                out.push(runtime_check(
                    "check_items",
                    vec![
                        path.expr(),
                        syntax::method_call(value_expr(), syntax::word("len"), Vec::new()),
                        opt_u64(c.min_items),
                        opt_u64(c.max_items),
                    ],
                ));
            }
            if validates_itself(ctx, inner) {
                out.push(runtime_check(
                    "validate_each",
                    vec![path.expr(), value_expr()],
                ));
            } else if ctx.ty_validates(inner) {
                let path = path.tokens();
                let iter = syntax::method_call(value_expr(), syntax::word("iter"), Vec::new());
                out.push(element_loop(
                    ctx,
                    inner,
                    "index",
                    syntax::method_call(iter, syntax::word("enumerate"), Vec::new()),
                    quote!("{}[{}]", #path, index),
                ));
            }
        }
        Ty::Map(inner) if ctx.ty_validates(inner) => {
            let path = path.tokens();
            out.push(element_loop(
                ctx,
                inner,
                "key",
                syntax::method_call(value_expr(), syntax::word("iter"), Vec::new()),
                quote!("{}.{}", #path, key),
            ));
        }
        Ty::Named(id) => match &ctx.api.types.get(*id).kind {
            TypeKind::Alias { ty, .. } => {
                let inner = value_checks(ctx, value, ty.non_null(), c, path);
                if ty.is_nullable() && !inner.is_empty() {
                    out.push(syntax::if_let_stmt(
                        syntax::some(syntax::word("value")),
                        value_expr(),
                        inner,
                    ));
                } else {
                    out.extend(inner);
                }
            }
            _ if ctx.ty_validates(ty) => {
                let validate = syntax::call(
                    syntax::words(&["super", "runtime", "Validate", "validate"]),
                    vec![value_expr()],
                );
                // The request body is checked at the root: no path prefix.
                let validate = if matches!(path, CheckPath::Wire("")) {
                    validate
                } else {
                    syntax::method_call(
                        validate,
                        syntax::word("map_err"),
                        vec![syntax::closure(
                            syntax::word("error"),
                            syntax::method_call(
                                syntax::words(&["error"]),
                                syntax::word("within"),
                                vec![path.expr()],
                            ),
                        )],
                    )
                };
                out.push(syntax::stmt(syntax::try_expr(validate), true));
            }
            _ => {}
        },
        _ => {}
    }
    out
}

/// `for (#position, item) in #iter { let item_path =
/// ::std::format!(#path_format); … }`, checking each element `item` (of a
/// list or map whose elements are `inner`) at `item_path`, skipping `null`
/// elements.
fn element_loop(
    ctx: &Ctx<'_>,
    inner: &Ty,
    position: &str,
    iter: Expr,
    path_format: TokenStream,
) -> Stmt {
    let item_check = value_checks(
        ctx,
        "item",
        inner.non_null(),
        &Constraints::default(),
        CheckPath::Item,
    );
    let item = if inner.is_nullable() {
        vec![syntax::if_let_stmt(
            syntax::some(syntax::word("item")),
            syntax::words(&["item"]),
            item_check,
        )]
    } else {
        item_check
    };
    let item_path = syntax::local(
        syntax::binding(syntax::word("item_path"), false),
        syntax::macro_call(&["std", "format"], path_format),
        None,
    );
    let pattern = syntax::tuple_pat(vec![
        syntax::binding(syntax::word(position), false),
        syntax::binding(syntax::word("item"), false),
    ]);
    syntax::for_stmt(
        pattern,
        iter,
        std::iter::once(item_path).chain(item).collect(),
    )
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

/// `Some(v)` or `None`.
fn opt_u64(v: Option<u64>) -> Expr {
    match v {
        Some(v) => syntax::call(syntax::words(&["Some"]), vec![syntax::int(v)]),
        None => syntax::words(&["None"]),
    }
}

/// `Some(v)` for a finite `v`, else `None`.
fn opt_f64(v: Option<f64>) -> Expr {
    match v {
        Some(v) if v.is_finite() => syntax::call(
            syntax::words(&["Some"]),
            vec![syntax::literal(Literal::f64_suffixed(v))],
        ),
        _ => syntax::words(&["None"]),
    }
}

/// Range and allowed-value checks of a number.
fn number_checks(value: &str, ty: &Ty, c: &Constraints, path: CheckPath<'_>) -> Vec<Stmt> {
    let deref = || syntax::deref(syntax::words(&[value]));
    let mut out = Vec::new();
    if c.minimum.is_some() || c.maximum.is_some() {
        let as_f64 = match ty {
            Ty::Float { single: false } => deref(),
            Ty::Float { single: true }
            | Ty::Int(
                IntKind::I8
                | IntKind::I16
                | IntKind::I32
                | IntKind::U8
                | IntKind::U16
                | IntKind::U32,
            ) => syntax::call(syntax::words(&["f64", "from"]), vec![deref()]),
            _ => syntax::cast(deref(), "f64"),
        };
        out.push(runtime_check(
            "check_range",
            vec![
                path.expr(),
                as_f64,
                opt_f64(c.minimum),
                syntax::boolean(c.exclusive_minimum),
                opt_f64(c.maximum),
                syntax::boolean(c.exclusive_maximum),
            ],
        ));
    }
    if matches!(ty, Ty::Int(_)) && !c.allowed.is_empty() {
        let allowed = c
            .allowed
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .map(|v| syntax::literal(Literal::i64_unsuffixed(v)))
            .collect();
        let as_i64 = match ty {
            Ty::Int(IntKind::I64) => deref(),
            Ty::Int(IntKind::U64) => syntax::cast(deref(), "i64"),
            _ => syntax::call(syntax::words(&["i64", "from"]), vec![deref()]),
        };
        out.push(runtime_check(
            "check_one_of",
            vec![path.expr(), as_i64, syntax::slice_ref(allowed)],
        ));
    }
    out
}
