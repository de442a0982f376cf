//! `src/example_tests.rs` ([`crate::Config::example_tests`]): one test per
//! example of the spec, decoding it into its generated type and checking
//! that encoding the value again keeps everything the example said.
//!
//! Examples enter as string literals made by `quote`; test names come from
//! a [`Scope`] of the name registry.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::examples::Examples;
use crate::model::Ty;
use crate::names::{Case, Scope};

/// Names of the module's helpers, reserved before any test is named.
const HELPERS: &[&str] = &["check", "contains", "same_string"];

/// The test module.
pub fn example_tests(ctx: &Ctx<'_>, examples: &Examples) -> TokenStream {
    let mut scope = Scope::with_reserved(Case::Snake, HELPERS);
    let tests = examples.cases.iter().map(|case| {
        let name = ident(&scope.claim(&case.name, "example"));
        let ty = ctx.ty_tokens(&case.ty, false);
        let doc = format!(" {}", case.what);
        let location = format!("#{}", case.pointer);
        let json = case.json.as_str();
        let call = match &case.declared {
            None => quote!(check::<#ty>(#location, #json, None);),
            Some(declared) => {
                let declared = declared.as_str();
                quote!(check::<#ty>(#location, #json, Some(#declared));)
            }
        };
        quote! {
            #[doc = #doc]
            #[test]
            fn #name() {
                #call
            }
        }
    });
    let mut docs = vec![
        " Every example of the spec, decoded into its generated type and".to_owned(),
        " encoded again: the result must hold every value of the example that".to_owned(),
        " its schema declares (a discriminator the example left out may be".to_owned(),
        " added, and `null` stands for an absent value and the other way".to_owned(),
        " round).".to_owned(),
    ];
    if !examples.rejected.is_empty() {
        docs.push(String::new());
        docs.push(" Left out, because their own schema rejects them:".to_owned());
        docs.push(String::new());
        for rejected in &examples.rejected {
            docs.push(format!(
                " - `#{}`: {}",
                rejected.pointer.replace('`', "'"),
                rejected.reason.replace('`', "'")
            ));
        }
    }
    let docs = docs.iter().map(|line| quote!(#![doc = #line]));
    let dates = ctx.uses(&|t| matches!(t, Ty::DateTime)).then(|| {
        quote! {
            let dates = (
                ::chrono::DateTime::parse_from_rfc3339(a),
                ::chrono::DateTime::parse_from_rfc3339(b),
            );
            if let (Ok(a), Ok(b)) = dates {
                return a == b;
            }
        }
    });
    let uuids = ctx.uses(&|t| matches!(t, Ty::Uuid)).then(|| {
        quote! {
            if let (Ok(a), Ok(b)) = (::uuid::Uuid::parse_str(a), ::uuid::Uuid::parse_str(b)) {
                return a == b;
            }
        }
    });
    let same_string = if dates.is_none() && uuids.is_none() {
        quote!(a == b)
    } else {
        quote! {
            if a == b {
                return true;
            }
            #dates
            #uuids
            false
        }
    };
    quote! {
        #(#docs)*
        #![allow(deprecated)]

        use serde_json::Value;

        /// Decodes the example at `location` as `T`, encodes the value
        /// again and checks that nothing the example said was lost:
        /// the result must hold `declared` (the example without the
        /// properties its schema does not declare), or the example.
        fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
            location: &str,
            json: &str,
            declared: Option<&str>,
        ) {
            let declared = declared.unwrap_or(json);
            let value: T = match serde_json::from_str(json) {
                Ok(value) => value,
                Err(error) => panic!("the example at {location} does not decode: {error}"),
            };
            let again = match serde_json::to_string(&value) {
                Ok(text) => text,
                Err(error) => panic!("the example at {location} decodes but does not encode: {error}"),
            };
            let (Ok(again), Ok(original)) = (
                serde_json::from_str::<Value>(&again),
                serde_json::from_str::<Value>(declared),
            ) else {
                panic!("the example at {location} encodes as invalid JSON: {again}");
            };
            if !contains(&again, &original) {
                panic!("the example at {location} does not round-trip: {declared} came back as {again}");
            }
        }

        /// Whether `outer` holds everything `inner` does.
        fn contains(outer: &Value, inner: &Value) -> bool {
            match (outer, inner) {
                (Value::Object(outer), Value::Object(inner)) => inner.iter().all(|(key, value)| {
                    match outer.get(key) {
                        Some(o) => contains(o, value),
                        None => value.is_null(),
                    }
                }),
                (Value::Array(outer), Value::Array(inner)) => {
                    outer.len() == inner.len()
                        && outer.iter().zip(inner).all(|(o, i)| contains(o, i))
                }
                (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
                (Value::String(a), Value::String(b)) => same_string(a, b),
                _ => outer == inner,
            }
        }

        /// Equal strings, or equal values of a format the types normalise
        /// (date-times, UUIDs).
        fn same_string(a: &str, b: &str) -> bool {
            #same_string
        }

        #(#tests)*
    }
}
