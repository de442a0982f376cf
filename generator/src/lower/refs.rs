//! Local `$ref` lookup in a JSON tree, shared by schema and operation
//! lowering.

use serde_json::Value;

use super::schema::percent_decode;

/// The value a local `$ref` (`#/…`) points at, one step.
pub fn lookup<'t>(tree: &'t Value, reference: &str) -> Result<&'t Value, String> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(format!("external $ref `{reference}` is not supported yet"));
    };
    tree.pointer(&percent_decode(fragment))
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
    for _ in 0..32 {
        let value = lookup(tree, &current)?;
        match only_reference(value) {
            Some(next) => current = next.to_owned(),
            None => return Ok((value, current)),
        }
    }
    Err(format!("$ref `{reference}` loops"))
}
