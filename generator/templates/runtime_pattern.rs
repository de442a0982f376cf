/// `pattern`, checked with the `regex` crate. A pattern that crate cannot
/// compile (look-around, backreferences) is not checked.
pub fn check_pattern(
    field: &str,
    value: &str,
    pattern: &'static str,
) -> Result<(), ValidationError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};

    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = match cache.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    let regex = cache
        .entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).ok());
    match regex {
        Some(regex) if !regex.is_match(value) => Err(ValidationError::new(
            field,
            format!("must match the pattern `{pattern}`"),
        )),
        _ => Ok(()),
    }
}
