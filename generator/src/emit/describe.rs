//! Docs for items the spec leaves undescribed: what is known of them (the
//! type, its format, constraints, example), rather than filler such as
//! "The `config` property."

use super::Ctx;
use crate::model::{Constraints, Ty, TypeDef, TypeKind};

/// How many names a list in a description shows before "and N more".
const LISTED: usize = 6;

/// What a value of `ty` is, as a phrase: "a string", "an RFC 3339
/// date-time", "a list of [`Pet`]". `local`: said inside the `types`
/// module, where type names link without a path.
pub fn phrase(ctx: &Ctx<'_>, ty: &Ty, local: bool) -> String {
    match ty {
        Ty::Bool => "a boolean".to_owned(),
        Ty::Int(_) => "an integer".to_owned(),
        Ty::Float { .. } => "a number".to_owned(),
        Ty::String => "a string".to_owned(),
        Ty::DateTime => "an RFC 3339 date-time".to_owned(),
        Ty::Date => "an RFC 3339 date".to_owned(),
        Ty::Uuid => "a UUID".to_owned(),
        Ty::Bytes => "bytes".to_owned(),
        Ty::Json => "any JSON value".to_owned(),
        Ty::JsonObject => "a JSON object".to_owned(),
        Ty::Array(inner) => format!("a list of {}", plural(ctx, inner, local)),
        Ty::Map(inner) => format!("a map from names to {}", plural(ctx, inner, local)),
        Ty::Named(id) => {
            let name = &ctx.api.types.get(*id).name;
            if local {
                format!("a [`{name}`]")
            } else {
                format!("a [`{name}`](super::types::{name})")
            }
        }
        Ty::Nullable(inner) => format!("{}, or null", phrase(ctx, inner, local)),
    }
}

/// `ty` as the element of a list or map.
fn plural(ctx: &Ctx<'_>, ty: &Ty, local: bool) -> String {
    let one = phrase(ctx, ty, local);
    let bare = one
        .strip_prefix("an ")
        .or_else(|| one.strip_prefix("a "))
        .unwrap_or(&one);
    if bare.starts_with('[') {
        format!("{bare} values")
    } else {
        format!("{bare}s")
    }
}

/// Sentences for the constraints a value must meet.
pub fn constraints(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => out.push(format!("{min} to {max} characters.")),
        (Some(min), None) => out.push(format!("At least {min} characters.")),
        (None, Some(max)) => out.push(format!("At most {max} characters.")),
        (None, None) => {}
    }
    if let Some(pattern) = &c.pattern {
        out.push(format!("Matches `{}`.", pattern.replace('`', "'")));
    }
    let bound = |value: f64, exclusive: bool, word: &str, strict: &str| {
        format!("{} {value}.", if exclusive { strict } else { word })
    };
    if let Some(min) = c.minimum {
        out.push(bound(min, c.exclusive_minimum, "At least", "Greater than"));
    }
    if let Some(max) = c.maximum {
        out.push(bound(max, c.exclusive_maximum, "At most", "Less than"));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => out.push(format!("{min} to {max} items.")),
        (Some(min), None) => out.push(format!("At least {min} items.")),
        (None, Some(max)) => out.push(format!("At most {max} items.")),
        (None, None) => {}
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(|v| format!("`{v}`")).collect();
        out.push(format!("One of {}.", values.join(", ")));
    }
    out
}

/// A sentence for an example value, when it is short enough to read.
pub fn example(value: &serde_json::Value) -> Option<String> {
    let text = value.to_string();
    (text.len() <= 80).then(|| format!("Example: `{}`.", text.replace('`', "'")))
}

/// The docs of a type the spec does not describe.
pub fn type_def(ctx: &Ctx<'_>, def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Struct(s) if s.fields.is_empty() => "An object.".to_owned(),
        TypeKind::Struct(s) => {
            let names: Vec<String> = s
                .fields
                .iter()
                .map(|f| format!("`{}`", f.wire.replace('`', "'")))
                .collect();
            format!(
                "An object with {}.",
                listed(&names, "the property", "the properties")
            )
        }
        TypeKind::Enum(e) => {
            let names: Vec<String> = e
                .variants
                .iter()
                .map(|v| format!("`{}`", v.wire.replace('`', "'")))
                .collect();
            format!("One of {}.", listed(&names, "", ""))
        }
        TypeKind::Union(u) => {
            let names: Vec<String> = u
                .variants
                .iter()
                .map(|v| phrase(ctx, &v.ty, true))
                .collect();
            format!("One of: {}.", listed(&names, "", ""))
        }
        TypeKind::Alias { ty, constraints: c } | TypeKind::Newtype { ty, constraints: c } => {
            let mut text = capitalized(&format!("{}.", phrase(ctx, ty, true)));
            for sentence in constraints(c) {
                text.push(' ');
                text.push_str(&sentence);
            }
            text
        }
    }
}

/// `a`, `a and b`, `a, b and c`, … with at most [`LISTED`] names.
fn listed(names: &[String], one: &str, many: &str) -> String {
    let lead = |word: &str| {
        if word.is_empty() {
            String::new()
        } else {
            format!("{word} ")
        }
    };
    match names {
        [] => String::new(),
        [only] => format!("{}{only}", lead(one)),
        _ => {
            let shown: Vec<&str> = names.iter().take(LISTED).map(String::as_str).collect();
            let rest = names.len().saturating_sub(LISTED);
            let body = if rest > 0 {
                format!("{} and {rest} more", shown.join(", "))
            } else {
                let (last, init) = shown.split_last().map_or(("", &[][..]), |(l, i)| (*l, i));
                format!("{} and {last}", init.join(", "))
            };
            format!("{}{body}", lead(many))
        }
    }
}

/// The text with its first letter upper case.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
