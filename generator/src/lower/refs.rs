//! Local `$ref` lookup in a JSON tree, shared by schema and operation
//! lowering.

use std::borrow::Cow;

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};
use serde_json::Value;

use crate::pointer;

/// Longest chain of references-to-references followed before giving up.
const MAX_CHAIN: usize = 32;

/// The value a local `$ref` (`#/…`) points at, one step.
pub fn lookup<'t>(tree: &'t Value, reference: &str) -> Result<&'t Value, String> {
    let Some(target) = pointer::fragment_pointer(reference) else {
        return Err(format!("external $ref `{reference}` is not supported yet"));
    };
    tree.pointer(&target)
        .ok_or_else(|| format!("broken $ref `{reference}`: nothing at that location"))
}

/// The next `$ref` when `value` is only a reference (siblings that merely
/// annotate, `summary` and `description`, are allowed).
pub fn only_reference(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    let next = map.get("$ref")?.as_str()?;
    map.keys()
        .all(|k| matches!(k.as_str(), "$ref" | "summary" | "description"))
        .then_some(next)
}

/// Follows a chain of `$ref`s to the object it ends at, and that object's
/// reference.
pub fn follow<'t>(tree: &'t Value, reference: &str) -> Result<(&'t Value, String), String> {
    let mut current = reference.to_owned();
    for _ in 0..MAX_CHAIN {
        let value = lookup(tree, &current)?;
        match only_reference(value) {
            Some(next) => current = next.to_owned(),
            None => return Ok((value, current)),
        }
    }
    Err(format!("$ref `{reference}` loops"))
}

/// A kind of spec object that `$ref`s can name: where `openapiv3` keeps
/// the components of that kind, and how a copy from the raw tree is
/// normalised like the document was.
pub trait Component: Sized + Clone + serde::de::DeserializeOwned {
    /// The key under `components` (`parameters`, …).
    const KIND: &'static str;
    /// The components of this kind, when `openapiv3` models them.
    fn map(components: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>>;
}

impl Component for openapiv3::Parameter {
    const KIND: &'static str = "parameters";
    fn map(components: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        Some(&components.parameters)
    }
}

impl Component for openapiv3::RequestBody {
    const KIND: &'static str = "requestBodies";
    fn map(components: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        Some(&components.request_bodies)
    }
}

impl Component for openapiv3::Response {
    const KIND: &'static str = "responses";
    fn map(components: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        Some(&components.responses)
    }
}

impl Component for openapiv3::PathItem {
    const KIND: &'static str = "pathItems";
    fn map(_: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        // OpenAPI 3.1's `components.pathItems`: not in `openapiv3`.
        None
    }
}

/// Resolves a `$ref` to a `T`: borrowed from the typed components when
/// it names one (following chains), else a copy from the raw tree,
/// normalised.
pub fn resolve<'t, T: Component>(
    components: Option<&'t Components>,
    raw: impl FnOnce() -> &'t Value,
    reference: &str,
) -> Result<Cow<'t, T>, String> {
    let prefix = format!("/components/{}/", T::KIND);
    let mut current = reference.to_owned();
    for _ in 0..MAX_CHAIN {
        let typed = pointer::fragment_pointer(&current)
            .and_then(|target| target.strip_prefix(&prefix).map(pointer::unescape))
            .and_then(|name| Some((components?, name)))
            .and_then(|(components, name)| T::map(components)?.get(&name));
        match typed {
            Some(ReferenceOr::Item(item)) => return Ok(Cow::Borrowed(item)),
            Some(ReferenceOr::Reference { reference }) => current = reference.clone(),
            None => break,
        }
    }
    let (value, found) = follow(raw(), &current)?;
    let mut value = value.clone();
    crate::normalize::normalize_fragment(&mut value, T::KIND == "pathItems");
    T::deserialize(value)
        .map(Cow::Owned)
        .map_err(|e| format!("$ref `{found}` points at something unexpected: {e}"))
}
