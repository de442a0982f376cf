/// A `multipart/form-data` body from any serializable object: one text part
/// per property (lists repeat the name, objects are sent as JSON).
pub fn multipart_from_json<T: serde::Serialize + ?Sized>(
    body: &T,
) -> Result<reqwest::multipart::Form, ValidationError> {
    let json =
        serde_json::to_value(body).map_err(|e| ValidationError::new("body", e.to_string()))?;
    let mut form = reqwest::multipart::Form::new();
    if let serde_json::Value::Object(map) = json {
        for (key, value) in map {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => {
                    for item in items {
                        form = form.text(key.clone(), json_part_text(&item));
                    }
                }
                other => form = form.text(key, json_part_text(&other)),
            }
        }
    }
    Ok(form)
}

/// The text of one multipart part: strings as they are, anything else as
/// JSON.
pub fn json_part_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The text of one multipart part for a typed value.
pub fn part_text<T: serde::Serialize + ?Sized>(
    field: &str,
    value: &T,
) -> Result<String, ValidationError> {
    let json =
        serde_json::to_value(value).map_err(|e| ValidationError::new(field, e.to_string()))?;
    Ok(json_part_text(&json))
}

/// A file part holding `bytes`, named after its field.
pub fn file_part(field: &str, bytes: &[u8]) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(field.to_owned())
}
