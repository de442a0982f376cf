//! `oneOf` / `anyOf` types: an enum with one variant per alternative, and
//! a `Deserialize` that picks the alternative the data matches best.
//!
//! serde's `untagged` takes the first alternative that decodes, so a
//! variant whose fields are all optional swallows everything and the
//! fields of the right one are lost. Instead, every alternative gets a
//! [`Shape`](runtime) (its JSON kind, required and declared properties,
//! known enum values) computed here from the model; at runtime the
//! alternatives are tried best match first. A discriminator, when the
//! data carries it, decides directly; when it is missing (optional) or the
//! value is not an object, shapes decide.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::{Ctx, describe, ident};
use crate::model::{Ty, TypeId, TypeKind, UnionType, UnionVariant};

/// Aliases followed at most this deep (they are acyclic by now).
const MAX_ALIAS_DEPTH: usize = 32;

/// The enum and its serde impls.
pub fn union_item(
    ctx: &Ctx<'_>,
    id: TypeId,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    deprecated: TokenStream,
    allow: &TokenStream,
    u: &UnionType,
) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let payload = ctx.payload_tokens(&v.ty, v.boxed, true);
        let doc = doc_attrs(&describe::capitalized(&format!(
            "{}.",
            describe::phrase(ctx, &v.ty, true)
        )));
        quote! {
            #doc
            #variant(#payload),
        }
    });
    let variant_idents: Vec<proc_macro2::Ident> =
        u.variants.iter().map(|v| ident(&v.name)).collect();
    let serialize = match &u.tag {
        None => quote! {
            #allow
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(Self::#variant_idents(value) => serde::Serialize::serialize(value, serializer),)*
                    }
                }
            }
        },
        Some(tag) => tagged_serialize(name, allow, u, tag),
    };
    let deserialize = deserialize(ctx, name, allow, u);
    let serialize_cfg = ctx
        .serialize_feature(id)
        .map(|feature| quote!(#[cfg(feature = #feature)]));
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        #serialize_cfg
        #serialize
        #deserialize
    }
}

/// `Serialize` that adds the discriminator to objects that lack it.
fn tagged_serialize(
    name: &proc_macro2::Ident,
    allow: &TokenStream,
    u: &UnionType,
    tag: &str,
) -> TokenStream {
    let arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let first = v.tag_values.first().cloned().unwrap_or_default();
        quote!(Self::#variant(inner) => (serde_json::to_value(inner), #first),)
    });
    quote! {
        #allow
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let (value, tag) = match self {
                    #(#arms)*
                };
                let mut value = value.map_err(<S::Error as serde::ser::Error>::custom)?;
                if let Some(object) = value.as_object_mut() {
                    object.entry(#tag).or_insert_with(|| serde_json::Value::from(tag));
                }
                serde::Serialize::serialize(&value, serializer)
            }
        }
    }
}

/// `Deserialize`: by discriminator when the data has a known one, else
/// the alternatives in order of how well the data matches their shapes.
fn deserialize(
    ctx: &Ctx<'_>,
    name: &proc_macro2::Ident,
    allow: &TokenStream,
    u: &UnionType,
) -> TokenStream {
    let type_name = name.to_string();
    let count = Literal::usize_unsuffixed(u.variants.len());
    let shapes = u.variants.iter().map(|v| shape(ctx, &v.ty));
    let attempts = u.variants.iter().enumerate().map(|(index, v)| {
        let index = Literal::usize_unsuffixed(index);
        let decode = decode_variant(v);
        quote!(#index => #decode,)
    });
    let by_tag = u.tag.as_ref().map(|tag| {
        let arms = u
            .variants
            .iter()
            .filter(|v| !v.tag_values.is_empty())
            .map(|v| {
                let values = &v.tag_values;
                let decode = decode_variant(v);
                quote! {
                    Some(#(#values)|*) => {
                        return #decode.map_err(<D::Error as serde::de::Error>::custom);
                    }
                }
            });
        quote! {
            match value.get(#tag).and_then(serde_json::Value::as_str) {
                #(#arms)*
                // No discriminator, an unknown one, or not an object:
                // the shapes decide.
                _ => {}
            }
        }
    });
    quote! {
        #allow
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const SHAPES: [super::runtime::Shape; #count] = [#(#shapes),*];
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #by_tag
                let mut first_error = None;
                for index in super::runtime::best_matches(&value, &SHAPES) {
                    let decoded: Result<Self, serde_json::Error> = match index {
                        #(#attempts)*
                        _ => continue,
                    };
                    match decoded {
                        Ok(decoded) => return Ok(decoded),
                        Err(error) => {
                            first_error.get_or_insert(error);
                        }
                    }
                }
                Err(<D::Error as serde::de::Error>::custom(match first_error {
                    Some(error) => ::std::format!("no alternative of `{}` matches: {}", #type_name, error),
                    None => ::std::format!("no alternative of `{}` accepts this kind of value", #type_name),
                }))
            }
        }
    }
}

/// `decode_value::<T>(&value).map(Self::Variant)`, boxing as the model
/// says.
fn decode_variant(v: &UnionVariant) -> TokenStream {
    let variant = ident(&v.name);
    let wrap = match (v.boxed, v.ty.is_nullable()) {
        (false, _) => quote!(Self::#variant),
        (true, false) => quote!(|inner| Self::#variant(Box::new(inner))),
        (true, true) => {
            quote!(|inner: Option<_>| Self::#variant(inner.map(Box::new)))
        }
    };
    quote!(super::runtime::decode_value(&value).map(#wrap))
}

/// The runtime `Shape` of a variant's payload.
fn shape(ctx: &Ctx<'_>, ty: &Ty) -> TokenStream {
    let nullable = ty.is_nullable();
    match resolve(ctx, ty.non_null(), 0) {
        Resolved::Struct(id) => {
            let TypeKind::Struct(s) = &ctx.api.types.get(id).kind else {
                return quote!(super::runtime::Shape::kind(super::runtime::JsonKind::Any, #nullable));
            };
            let required = s
                .fields
                .iter()
                .filter(|f| f.required && !f.ty.is_nullable())
                .map(|f| f.wire.as_str());
            let properties = s.fields.iter().map(|f| f.wire.as_str());
            let enums = s.fields.iter().filter_map(|f| {
                let known = string_enum_values(ctx, f.ty.non_null())?;
                let wire = f.wire.as_str();
                Some(quote!((#wire, &[#(#known),*])))
            });
            quote!(super::runtime::Shape::object(#nullable, &[#(#required),*], &[#(#properties),*], &[#(#enums),*]))
        }
        Resolved::Structs(ids) => {
            // A union of structs: any of their properties may be present,
            // none is required of all.
            let mut properties: Vec<&str> = Vec::new();
            for id in ids {
                if let TypeKind::Struct(s) = &ctx.api.types.get(id).kind {
                    for f in &s.fields {
                        if !properties.contains(&f.wire.as_str()) {
                            properties.push(f.wire.as_str());
                        }
                    }
                }
            }
            quote!(super::runtime::Shape::object(#nullable, &[], &[#(#properties),*], &[]))
        }
        Resolved::Enum(values) => {
            quote!(super::runtime::Shape::strings(#nullable, &[#(#values),*]))
        }
        Resolved::Kind(kind) => {
            let kind = ident(kind);
            quote!(super::runtime::Shape::kind(super::runtime::JsonKind::#kind, #nullable))
        }
    }
}

/// What a payload type is, seen through aliases and newtypes.
enum Resolved {
    /// A struct: its properties matter.
    Struct(TypeId),
    /// A union whose alternatives are all structs: their properties
    /// matter, so that a nested union competes by what it declares.
    Structs(Vec<TypeId>),
    /// A string enum: its known values matter.
    Enum(Vec<String>),
    /// Only the JSON kind matters (`JsonKind` variant name).
    Kind(&'static str),
}

fn resolve(ctx: &Ctx<'_>, ty: &Ty, depth: usize) -> Resolved {
    match ty {
        Ty::Bool => Resolved::Kind("Boolean"),
        Ty::Int(_) => Resolved::Kind("Integer"),
        Ty::Float { .. } => Resolved::Kind("Number"),
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid | Ty::Bytes => Resolved::Kind("String"),
        Ty::Json | Ty::Nullable(_) => Resolved::Kind("Any"),
        Ty::JsonObject | Ty::Map(_) => Resolved::Kind("Object"),
        Ty::Array(_) => Resolved::Kind("Array"),
        Ty::Named(id) => match &ctx.api.types.get(*id).kind {
            TypeKind::Struct(_) => Resolved::Struct(*id),
            TypeKind::Enum(e) if e.integer => Resolved::Kind("Integer"),
            TypeKind::Enum(e) => {
                Resolved::Enum(e.variants.iter().map(|v| v.wire.clone()).collect())
            }
            TypeKind::Union(u) if depth < MAX_ALIAS_DEPTH => {
                let mut ids = Vec::with_capacity(u.variants.len());
                for v in &u.variants {
                    match resolve(ctx, v.ty.non_null(), depth + 1) {
                        Resolved::Struct(id) => ids.push(id),
                        _ => return Resolved::Kind("Any"),
                    }
                }
                Resolved::Structs(ids)
            }
            TypeKind::Union(_) => Resolved::Kind("Any"),
            TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. }
                if depth < MAX_ALIAS_DEPTH =>
            {
                resolve(ctx, ty.non_null(), depth + 1)
            }
            TypeKind::Alias { .. } | TypeKind::Newtype { .. } => Resolved::Kind("Any"),
        },
    }
}

/// The known values of a string enum type (through aliases).
fn string_enum_values(ctx: &Ctx<'_>, ty: &Ty) -> Option<Vec<String>> {
    match resolve(ctx, ty, 0) {
        Resolved::Enum(values) => Some(values),
        _ => None,
    }
}
