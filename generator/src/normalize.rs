//! Rewrites a parsed document into the OpenAPI 3.0 shape `openapiv3` reads.
//!
//! OpenAPI 3.1 schemas are JSON Schema 2020-12: `type` may be an array with
//! `"null"`, `const` replaces one-value enums, `$ref` may carry siblings,
//! `exclusiveMinimum` is a number. Each of these is mapped onto its 3.0
//! spelling here, in the JSON tree, so the typed model downstream has one
//! shape to handle. A few 3.0 sloppiness patterns common in real specs
//! (a non-array `required`, a parameter without a schema) are repaired the
//! same way, with a warning.

use serde_json::{Map, Value, json};

use crate::diagnostics::Diagnostics;
use crate::pointer::join as pointer_join;

/// The OpenAPI version line a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// OpenAPI 3.0.x.
    V3_0,
    /// OpenAPI 3.1.x.
    V3_1,
}

/// The HTTP methods a path item can hold operations for, in the order
/// OpenAPI lists them.
pub const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Marks a schema that only admits `null` (3.1 `type: "null"`). It survives
/// `openapiv3` as an extension, and lowering reads it.
pub const NULL_MARKER: &str = "x-rustgen-null";

/// Keys whose values are data, not spec structure, outside schemas: never
/// walked. (`default` is data inside a schema, but in a `responses` map it
/// is the default response, so schemas are walked by `normalize_schema`,
/// which knows the difference.)
const DATA_KEYS: &[&str] = &["example", "examples"];

/// Normalises `tree` in place.
pub fn normalize(tree: &mut Value, version: SpecVersion, diags: &mut Diagnostics) {
    let Parts {
        mut path_items,
        mut schemas,
    } = normalize_split(tree, version, diags);
    normalize_path_items(&mut path_items, diags);
    normalize_component_schemas(&mut schemas, diags);
    if let Some(Value::Object(paths)) = tree.get_mut("paths") {
        *paths = path_items;
    }
    if let Some(Value::Object(components)) = tree.get_mut("components")
        && let Some(Value::Object(slot)) = components.get_mut("schemas")
    {
        *slot = schemas;
    }
}

/// The large parts of a document that [`normalize_split`] takes out,
/// each to be normalised member by member, on other threads if need be.
pub struct Parts {
    /// The members of `paths`, for [`normalize_path_items`].
    pub path_items: Map<String, Value>,
    /// The members of `components.schemas` (empty when it is not an
    /// object), for [`normalize_component_schemas`].
    pub schemas: Map<String, Value>,
}

/// Normalises `tree` in place except its path items and component
/// schemas, which are taken out (leaving `paths` and `components.schemas`
/// empty) and returned. With [`normalize_path_items`] and
/// [`normalize_component_schemas`] it does what [`normalize`] does: those
/// members are repaired and walked one by one.
pub fn normalize_split(tree: &mut Value, version: SpecVersion, diags: &mut Diagnostics) -> Parts {
    let Some(root) = tree.as_object_mut() else {
        return Parts {
            path_items: Map::new(),
            schemas: Map::new(),
        };
    };
    if version == SpecVersion::V3_1 {
        // `components.pathItems` stays: `$ref`s to it are resolved in the
        // tree, and `openapiv3` ignores what it does not model.
        for key in ["webhooks", "jsonSchemaDialect"] {
            root.remove(key);
        }
    }
    if !root.get("paths").is_some_and(Value::is_object) {
        root.insert("paths".to_owned(), json!({}));
    }
    repair_info(root, diags);
    let mut path_items = match root.get_mut("paths") {
        Some(Value::Object(paths)) => std::mem::take(paths),
        _ => Map::new(),
    };
    // What `walk` does to the paths object itself; its members are left
    // to `normalize_path_items`.
    repair_object(&mut path_items, "/paths", diags);
    let schemas = match root.get_mut("components") {
        Some(Value::Object(components)) => match components.get_mut("schemas") {
            Some(Value::Object(schemas)) => std::mem::take(schemas),
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    repair_security_schemes(root, diags);
    walk(tree, &mut Pointer::new(""), diags);
    Parts {
        path_items,
        schemas,
    }
}

/// Normalises path items (members of `paths`) that [`normalize_split`]
/// took out of the document.
pub fn normalize_path_items(items: &mut Map<String, Value>, diags: &mut Diagnostics) {
    for (path, item) in items.iter_mut() {
        if let Some(item) = item.as_object_mut() {
            repair_path_item(item, &pointer_join("/paths", path), diags);
        }
    }
    walk_members(items, &mut Pointer::new("/paths"), diags);
}

/// Normalises component schemas (members of `components.schemas`) that
/// [`normalize_split`] took out of the document, as `walk` does.
pub fn normalize_component_schemas(schemas: &mut Map<String, Value>, diags: &mut Diagnostics) {
    let mut pointer = Pointer::new("/components/schemas");
    for (name, schema) in schemas.iter_mut() {
        pointer.within(name, |p| normalize_schema_at(schema, p, diags));
    }
}

/// `info` must exist with a string `title` and `version`; YAML makes
/// `version: 1.0` a number, which real specs do often.
fn repair_info(root: &mut Map<String, Value>, diags: &mut Diagnostics) {
    if !root.get("info").is_some_and(Value::is_object) {
        diags.warn("", "missing `info`; using an empty one");
        root.insert("info".to_owned(), json!({"title": "API", "version": "0"}));
    }
    let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) else {
        return;
    };
    for key in ["title", "version"] {
        let text = match info.get(key) {
            Some(Value::String(_)) => continue,
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        };
        if !text.is_empty() {
            diags.warn(
                &pointer_join("/info", key),
                format!(
                    "`info.{key}` is a {} (quote it in YAML); read as \"{text}\"",
                    if key == "version" { "number" } else { "scalar" }
                ),
            );
        } else {
            diags.warn(
                &pointer_join("/info", key),
                format!("`info.{key}` is missing; using \"API\""),
            );
        }
        let text = if text.is_empty() {
            "API".to_owned()
        } else {
            text
        };
        info.insert(key.to_owned(), Value::String(text));
    }
}

/// Keys of spec objects (not schemas) whose value is a map or a list; an
/// empty key (`headers:` with nothing after it, which YAML reads as null)
/// means none.
const COLLECTION_KEYS: &[&str] = &[
    "headers",
    "parameters",
    "content",
    "links",
    "examples",
    "encoding",
    "variables",
    "servers",
    "security",
    "tags",
    "responses",
    "requestBodies",
    "schemas",
    "securitySchemes",
    "callbacks",
    "scopes",
    "mapping",
    "enum",
];

/// Drops collection keys whose value is `null`, with a warning.
fn drop_null_collections(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let empty: Vec<String> = map
        .iter()
        .filter(|(key, value)| value.is_null() && COLLECTION_KEYS.contains(&key.as_str()))
        .map(|(key, _)| key.clone())
        .collect();
    for key in empty {
        diags.warn(
            &pointer_join(pointer, &key),
            format!("`{key}` is empty (null); read as none"),
        );
        map.remove(&key);
    }
}

/// Normalises a copy of a spec object taken from the raw tree (a `$ref`
/// target outside the components `openapiv3` models) as the document was;
/// its warnings were reported with the document.
pub fn normalize_fragment(value: &mut Value, path_item: bool) {
    let mut quiet = Diagnostics::new(std::path::Path::new(""));
    if path_item && let Some(item) = value.as_object_mut() {
        repair_path_item(item, "", &mut quiet);
    }
    walk(value, &mut Pointer::new(""), &mut quiet);
}

/// Repairs the operations of one path item: `responses` is optional in
/// 3.1 (and forgotten in some 3.0 specs).
fn repair_path_item(item: &mut Map<String, Value>, item_pointer: &str, diags: &mut Diagnostics) {
    for method in HTTP_METHODS {
        let Some(Value::Object(operation)) = item.get_mut(*method) else {
            continue;
        };
        let pointer = pointer_join(item_pointer, method);
        if operation.get("responses").is_some_and(Value::is_null) {
            operation.remove("responses");
        }
        if !operation.contains_key("responses") {
            diags.warn(
                &pointer,
                "operation declares no `responses`; any 2xx is treated as success without a body",
            );
            operation.insert("responses".to_owned(), json!({}));
        }
        if operation.remove("callbacks").is_some() {
            diags.warn(
                &pointer_join(&pointer, "callbacks"),
                "callbacks are not supported yet; they are skipped",
            );
        }
    }
}

/// Drops security schemes the client cannot send (`mutualTLS`: configure
/// TLS on the `reqwest::Client` you pass to the builder instead).
fn repair_security_schemes(root: &mut Map<String, Value>, diags: &mut Diagnostics) {
    let Some(Value::Object(components)) = root.get_mut("components") else {
        return;
    };
    let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else {
        return;
    };
    schemes.retain(|name, scheme| {
        let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
        let known = matches!(kind, "apiKey" | "http" | "oauth2" | "openIdConnect") || scheme.get("$ref").is_some();
        if !known {
            diags.warn(
                &pointer_join("/components/securitySchemes", name),
                format!("security scheme type `{kind}` is not supported; it is skipped (for mutualTLS, pass a configured reqwest::Client)"),
            );
        }
        known
    });
}

/// Walks spec structure, normalising every schema it finds and repairing
/// objects that `openapiv3` would reject.
fn walk(value: &mut Value, pointer: &mut Pointer, diags: &mut Diagnostics) {
    match value {
        Value::Object(map) => {
            repair_object(map, pointer.as_str(), diags);
            walk_members(map, pointer, diags);
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                pointer.within(&i.to_string(), |p| walk(item, p, diags));
            }
        }
        _ => {}
    }
}

/// Walks the members of the object at `pointer`.
fn walk_members(map: &mut Map<String, Value>, pointer: &mut Pointer, diags: &mut Diagnostics) {
    let in_components = pointer.as_str() == "/components";
    for (key, child) in map.iter_mut() {
        if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        if key == "encoding" {
            default_explode(child);
        }
        pointer.within(key, |pointer| {
            if key == "schema" {
                normalize_schema_at(child, pointer, diags);
            } else if key == "schemas" && in_components {
                if let Some(schemas) = child.as_object_mut() {
                    for (name, schema) in schemas.iter_mut() {
                        pointer.within(name, |p| normalize_schema_at(schema, p, diags));
                    }
                }
            } else {
                walk(child, pointer, diags);
            }
        });
    }
}

/// The JSON pointer of the node being walked, in one buffer that grows and
/// shrinks with the walk: only a warning needs a node's pointer, so none
/// is allocated per node (millions of them in the largest specs).
struct Pointer(String);

impl Pointer {
    fn new(pointer: &str) -> Self {
        Self(pointer.to_owned())
    }

    fn as_str(&self) -> &str {
        &self.0
    }

    /// Runs `f` with `token` (escaped) appended to the pointer, then
    /// takes it off again.
    fn within<R>(&mut self, token: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.0.len();
        self.0.push('/');
        if token.contains(['~', '/']) {
            self.0.push_str(&crate::pointer::escape(token));
        } else {
            self.0.push_str(token);
        }
        let result = f(self);
        self.0.truncate(len);
        result
    }
}

/// Makes the default of `explode` in a media type's `encoding` entries
/// explicit (true for style `form`, the default style), since `openapiv3`
/// reads a missing `explode` as false.
fn default_explode(encodings: &mut Value) {
    let Some(encodings) = encodings.as_object_mut() else {
        return;
    };
    for encoding in encodings.values_mut() {
        if let Some(encoding) = encoding.as_object_mut()
            && !encoding.contains_key("explode")
        {
            let form = encoding
                .get("style")
                .and_then(Value::as_str)
                .is_none_or(|style| style == "form");
            encoding.insert("explode".to_owned(), Value::Bool(form));
        }
    }
}

/// Repairs non-schema objects that real specs often get slightly wrong.
fn repair_object(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    drop_null_collections(map, pointer, diags);
    // A parameter needs `schema` or `content`.
    // (`type` tells an apiKey security scheme, which also has `in` and `name`.)
    let is_parameter = map.get("in").is_some_and(Value::is_string)
        && map.get("name").is_some_and(Value::is_string)
        && !map.contains_key("type");
    if is_parameter && !map.contains_key("schema") && !map.contains_key("content") {
        diags.warn(
            pointer,
            "parameter has neither `schema` nor `content`; treating it as a string",
        );
        map.insert("schema".to_owned(), json!({"type": "string"}));
    }
    // Path parameters are always required; some specs forget to say so.
    if is_parameter
        && map.get("in").and_then(Value::as_str) == Some("path")
        && map.get("required") != Some(&Value::Bool(true))
    {
        map.insert("required".to_owned(), Value::Bool(true));
    }
}

/// Normalises one schema (and, recursively, its subschemas) in place;
/// `pointer` locates it for warnings.
pub fn normalize_schema(schema: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    normalize_schema_at(schema, &mut Pointer::new(pointer), diags);
}

fn normalize_schema_at(schema: &mut Value, pointer: &mut Pointer, diags: &mut Diagnostics) {
    // JSON Schema allows booleans as schemas.
    match schema {
        Value::Bool(true) => {
            *schema = json!({});
            return;
        }
        Value::Bool(false) => {
            *schema = json!({"not": {}});
            return;
        }
        Value::Object(_) => {}
        _ => {
            diags.warn(
                pointer.as_str(),
                "schema is not an object; treating it as any value",
            );
            *schema = json!({});
            return;
        }
    }
    let Some(map) = schema.as_object_mut() else {
        return;
    };

    normalize_type_keyword(map, pointer.as_str(), diags);
    rewrite_31_keywords(map);
    drop_mistyped_keywords(map, pointer.as_str(), diags);
    drop_unusable_keywords(map, pointer.as_str(), diags);

    // Recurse into subschemas before the `$ref` and `null` rewrites below,
    // which look at already-normalised children.
    recurse_subschemas(map, pointer, diags);
    lift_null_alternatives(map);
    wrap_ref_with_siblings(map);
}

/// 3.1 keywords with a 3.0 equivalent: `const`, `examples`, numeric
/// `exclusiveMinimum`/`exclusiveMaximum`, `contentEncoding` and
/// `contentMediaType`.
fn rewrite_31_keywords(map: &mut Map<String, Value>) {
    if let Some(value) = map.remove("const") {
        map.insert("enum".to_owned(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.entry("example").or_insert(first);
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(inclusive.to_owned(), bound);
            map.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
    if map.get("contentEncoding").and_then(Value::as_str) == Some("base64")
        && !map.contains_key("format")
    {
        map.insert("format".to_owned(), json!("byte"));
    } else if map.contains_key("contentMediaType") && !map.contains_key("format") {
        map.insert("format".to_owned(), json!("binary"));
    }
}

/// Keywords that 3.0 cannot express or that have a shape we cannot use:
/// dropped (with a warning where the reader would lose something).
fn drop_unusable_keywords(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    if map.get("required").is_some_and(|r| !r.is_array()) {
        diags.warn(
            &pointer_join(pointer, "required"),
            "`required` in a schema must be a list of property names; ignoring it",
        );
        map.remove("required");
    }
    for key in [
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "uniqueItems",
    ] {
        if map.get(key).is_some_and(|v| !v.is_boolean()) {
            map.remove(key);
        }
    }
    if map.get("items").is_some_and(Value::is_array) {
        diags.warn(
            &pointer_join(pointer, "items"),
            "tuple `items` are not supported; items are typed as any value",
        );
        map.remove("items");
    }
    if map.get("patternProperties").is_some() && !map.contains_key("additionalProperties") {
        // The closest 3.0 shape: values of the first pattern.
        if let Some(Value::Object(patterns)) = map.remove("patternProperties")
            && let Some((_, first)) = patterns.into_iter().next()
        {
            map.insert("additionalProperties".to_owned(), first);
        }
    }
    if map
        .get("additionalProperties")
        .is_some_and(|v| !v.is_object() && !v.is_boolean())
    {
        map.remove("additionalProperties");
    }
    if let Some(Value::Object(discriminator)) = map.get("discriminator")
        && !discriminator
            .get("propertyName")
            .is_some_and(Value::is_string)
    {
        diags.warn(
            &pointer_join(pointer, "discriminator"),
            "discriminator without `propertyName`; ignoring it",
        );
        map.remove("discriminator");
    }
    for key in [
        "prefixItems",
        "$defs",
        "definitions",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "propertyNames",
        "$schema",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$comment",
    ] {
        map.remove(key);
    }
}

/// Keywords whose value has the wrong JSON type are dropped with a warning
/// (`pattern: 0` is seen in the wild), instead of failing the whole spec.
fn drop_mistyped_keywords(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    const STRINGS: &[&str] = &["pattern", "format", "description", "title", "type"];
    const COUNTS: &[&str] = &[
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    ];
    const NUMBERS: &[&str] = &["minimum", "maximum", "multipleOf"];
    const OBJECTS: &[&str] = &["properties", "discriminator", "externalDocs", "xml"];
    let mut bad = Vec::new();
    for (key, value) in map.iter() {
        let ok = if STRINGS.contains(&key.as_str()) {
            value.is_string() || (key == "type" && value.is_array())
        } else if COUNTS.contains(&key.as_str()) {
            value.is_u64()
        } else if NUMBERS.contains(&key.as_str()) {
            value.is_number()
        } else if OBJECTS.contains(&key.as_str()) {
            value.is_object()
        } else if key == "enum" {
            value.is_array()
        } else {
            true
        };
        if !ok {
            bad.push(key.clone());
        }
    }
    for key in bad {
        diags.warn(
            &pointer_join(pointer, &key),
            format!("`{key}` has a value of the wrong type; ignoring it"),
        );
        map.remove(&key);
    }
}

fn recurse_subschemas(
    map: &mut Map<String, Value>,
    pointer: &mut Pointer,
    diags: &mut Diagnostics,
) {
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        pointer.within("properties", |pointer| {
            for (name, sub) in props.iter_mut() {
                pointer.within(name, |p| normalize_schema_at(sub, p, diags));
            }
        });
    }
    for key in ["items", "not"] {
        if let Some(sub) = map.get_mut(key) {
            pointer.within(key, |p| normalize_schema_at(sub, p, diags));
        }
    }
    if let Some(sub @ Value::Object(_)) = map.get_mut("additionalProperties") {
        pointer.within("additionalProperties", |p| {
            normalize_schema_at(sub, p, diags)
        });
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        match map.get_mut(key) {
            Some(Value::Array(items)) => {
                pointer.within(key, |pointer| {
                    for (i, sub) in items.iter_mut().enumerate() {
                        pointer.within(&i.to_string(), |p| normalize_schema_at(sub, p, diags));
                    }
                });
            }
            Some(_) => {
                diags.warn(
                    &pointer_join(pointer.as_str(), key),
                    format!("`{key}` must be a list; ignoring it"),
                );
                map.remove(key);
            }
            None => {}
        }
    }
}

/// `type: [string, "null"]` → `type: string, nullable: true`; several
/// non-null types become an `anyOf` of one schema per type.
fn normalize_type_keyword(map: &mut Map<String, Value>, pointer: &str, diags: &mut Diagnostics) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(_) => {
            diags.warn(
                &pointer_join(pointer, "type"),
                "`type` must be a string or a list of strings; ignoring it",
            );
            map.remove("type");
            return;
        }
        None => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let mut concrete: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
    concrete.dedup();
    if nullable {
        map.insert("nullable".to_owned(), Value::Bool(true));
    }
    const KNOWN: &[&str] = &["string", "number", "integer", "boolean", "object", "array"];
    if let Some(unknown) = concrete.iter().find(|t| !KNOWN.contains(&t.as_str())) {
        diags.warn(
            &pointer_join(pointer, "type"),
            format!("unknown type `{unknown}`; treating the schema as any value"),
        );
        map.remove("type");
        return;
    }
    match concrete.len() {
        0 => {
            map.remove("type");
            if nullable {
                map.insert(NULL_MARKER.to_owned(), Value::Bool(true));
            }
        }
        1 => {
            map.insert("type".to_owned(), Value::String(concrete.remove(0)));
        }
        _ => {
            map.remove("type");
            let alternatives: Vec<Value> = concrete
                .into_iter()
                .map(|t| type_alternative(map, &t))
                .collect();
            map.insert("anyOf".to_owned(), Value::Array(alternatives));
        }
    }
}

/// One branch of a multi-type schema, keeping the keywords that apply to it.
fn type_alternative(map: &Map<String, Value>, ty: &str) -> Value {
    let keys: &[&str] = match ty {
        "string" => &["format", "pattern", "minLength", "maxLength", "enum"],
        "integer" | "number" => &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "object" => &["properties", "required", "additionalProperties"],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        _ => &[],
    };
    let mut out = Map::new();
    out.insert("type".to_owned(), Value::String(ty.to_owned()));
    for key in keys {
        if let Some(v) = map.get(*key) {
            if *key == "enum" {
                let filtered: Vec<Value> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e.is_string())
                    .cloned()
                    .collect();
                if !filtered.is_empty() {
                    out.insert("enum".to_owned(), Value::Array(filtered));
                }
                continue;
            }
            out.insert((*key).to_owned(), v.clone());
        }
    }
    Value::Object(out)
}

fn is_null_schema(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    map.get(NULL_MARKER) == Some(&Value::Bool(true))
        || (map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| matches!(e.as_slice(), [Value::Null]))
            && !map.contains_key("type"))
}

/// `oneOf: [X, {type: "null"}]` → `X` with `nullable: true`.
fn lift_null_alternatives(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(items)) = map.get_mut(key) else {
            continue;
        };
        let before = items.len();
        items.retain(|item| !is_null_schema(item));
        if items.len() == before {
            continue;
        }
        map.insert("nullable".to_owned(), Value::Bool(true));
        let remaining = map.get(key).and_then(Value::as_array).map_or(0, Vec::len);
        if remaining == 0 {
            map.remove(key);
            map.insert(NULL_MARKER.to_owned(), Value::Bool(true));
        } else if remaining == 1 {
            // A single alternative is the schema itself.
            if let Some(Value::Array(mut items)) = map.remove(key)
                && let Some(only) = items.pop()
            {
                map.insert("allOf".to_owned(), Value::Array(vec![only]));
            }
        }
    }
}

/// `{$ref: X, description: …, nullable: true}` → `{allOf: [{$ref: X}], …}`:
/// `openapiv3` would otherwise drop every sibling of `$ref`.
fn wrap_ref_with_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.len() == 1 {
        return;
    }
    let Some(reference) = map.remove("$ref") else {
        return;
    };
    let mut target = Map::new();
    target.insert("$ref".to_owned(), reference);
    match map.get_mut("allOf") {
        Some(Value::Array(items)) => items.insert(0, Value::Object(target)),
        _ => {
            map.insert(
                "allOf".to_owned(),
                Value::Array(vec![Value::Object(target)]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::json;

    use super::*;

    fn schema(mut value: Value) -> (Value, Vec<String>) {
        let mut diags = Diagnostics::new(Path::new("spec.yaml"));
        normalize_schema(&mut value, "/s", &mut diags);
        let messages = diags.into_sorted().into_iter().map(|d| d.message).collect();
        (value, messages)
    }

    #[test]
    fn type_arrays_become_nullable_or_any_of() {
        assert_eq!(
            schema(json!({"type": ["string", "null"]})).0,
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            schema(json!({"type": ["integer", "string"], "minimum": 1, "maxLength": 3})).0,
            json!({"anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "maxLength": 3}
            ], "minimum": 1, "maxLength": 3})
        );
        assert_eq!(
            schema(json!({"type": "null"})).0,
            json!({NULL_MARKER: true, "nullable": true})
        );
    }

    #[test]
    fn json_schema_keywords_take_their_3_0_spelling() {
        assert_eq!(schema(json!({"const": "a"})).0, json!({"enum": ["a"]}));
        assert_eq!(
            schema(json!({"type": "number", "exclusiveMinimum": 0})).0,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/A", "description": "d"})).0,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            schema(json!({"oneOf": [{"type": "string"}, {"type": "null"}]})).0,
            json!({"nullable": true, "allOf": [{"type": "string"}]})
        );
        assert_eq!(schema(json!(true)).0, json!({}));
        assert_eq!(schema(json!(false)).0, json!({"not": {}}));
    }

    #[test]
    fn mistyped_keywords_are_dropped_with_a_warning() {
        let (value, messages) = schema(json!({"type": "string", "pattern": 0, "required": "a"}));
        assert_eq!(value, json!({"type": "string"}));
        assert_eq!(messages.len(), 2, "{messages:?}");
    }

    #[test]
    fn default_responses_are_normalised_but_default_values_are_not() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "paths": {"/x": {"get": {"responses": {"default": {
                "description": "d",
                "content": {"application/json": {"schema": {
                    "type": ["string", "null"],
                    "default": {"type": ["kept", "as", "data"]}
                }}}
            }}}}}
        });
        let mut diags = Diagnostics::new(Path::new("spec.yaml"));
        normalize(&mut doc, SpecVersion::V3_1, &mut diags);
        let schema = doc
            .pointer("/paths/~1x/get/responses/default/content/application~1json/schema")
            .cloned();
        assert_eq!(
            schema,
            Some(json!({
                "type": "string",
                "nullable": true,
                "default": {"type": ["kept", "as", "data"]}
            }))
        );
    }
}
