//! Local `$ref` lookup in a JSON tree, shared by schema and operation
//! lowering.

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

/// Resolves a local `$ref` to a spec object of type `T`, following chains.
pub fn resolve<T: serde::de::DeserializeOwned>(tree: &Value, reference: &str) -> Result<T, String> {
    let (value, found) = follow(tree, reference)?;
    T::deserialize(value).map_err(|e| format!("$ref `{found}` points at something unexpected: {e}"))
}
