//! Converts a Swagger 2.0 (OpenAPI 2.0) document into an OpenAPI 3.0.3
//! document, in the JSON tree, before normalisation.
//!
//! The rules follow the reference converter `swagger2openapi`:
//! `host`/`basePath`/`schemes` become `servers`; `definitions`,
//! `parameters`, `responses` and `securityDefinitions` move under
//! `components`; body and form parameters become request bodies; the
//! other parameters, response headers and array items get a `schema`;
//! `collectionFormat` becomes `style`/`explode`; `produces`/`consumes`
//! become the keys of `content`; every local `$ref` is rewritten to the new
//! place of its target. Whatever cannot be expressed is reported as a
//! warning pointing into the original 2.0 document.

use serde_json::{Map, Value, json};

use crate::diagnostics::Diagnostics;
use crate::pointer::{escape, join, join_index, percent_decode, unescape};

/// The version written into the converted document.
const TARGET_VERSION: &str = "3.0.3";

/// The media type of bodies when neither the operation nor the document
/// says (`consumes`/`produces`).
const DEFAULT_MEDIA_TYPE: &str = "application/json";

const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// The operations a 2.0 path item can hold.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Keywords of a 2.0 non-body parameter, header or form field that belong
/// to its schema in 3.0 (`type` and `items` are handled on their own).
const SCHEMA_KEYWORDS: &[&str] = &[
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "additionalProperties",
    "pattern",
    "enum",
    "default",
];

/// Whether `tree` declares `swagger: "2.0"` (as a string or as the number
/// 2.0, which is what an unquoted YAML `2.0` parses to).
pub fn is_swagger2(tree: &Value) -> bool {
    match tree.get("swagger") {
        Some(Value::String(version)) => version.trim() == "2.0",
        Some(Value::Number(version)) => version.as_f64() == Some(2.0),
        _ => false,
    }
}

/// Converts the Swagger 2.0 document `tree` into OpenAPI 3.0.3.
///
/// Constructs that have no 3.0 equivalent are reported in `diags` with a
/// pointer into `tree`. Malformed input is carried over as it is, for the
/// 3.0 deserializer to report.
pub fn convert(tree: &Value, diags: &mut Diagnostics) -> Value {
    let Some(doc) = tree.as_object() else {
        return tree.clone();
    };
    let mut converter = Converter {
        doc,
        diags,
        consumes: media_types(doc.get("consumes")).unwrap_or_default(),
        produces: media_types(doc.get("produces")).unwrap_or_default(),
    };
    Value::Object(converter.document())
}

/// A media type list (`consumes`, `produces`): an array of strings (a lone
/// string is accepted), without duplicates. `None` when absent.
fn media_types(value: Option<&Value>) -> Option<Vec<String>> {
    let listed: Vec<&str> = match value? {
        Value::String(one) => vec![one.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    let mut unique: Vec<String> = Vec::with_capacity(listed.len());
    for media_type in listed {
        if !unique.iter().any(|m| m == media_type) {
            unique.push(media_type.to_owned());
        }
    }
    Some(unique)
}

/// An empty media type list means the default, JSON.
fn or_default_media(list: Vec<String>) -> Vec<String> {
    if list.is_empty() {
        vec![DEFAULT_MEDIA_TYPE.to_owned()]
    } else {
        list
    }
}

/// A media type without parameters, lowercased.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// `#/` followed by `tokens`, which are already escaped.
fn fragment(tokens: &[&str]) -> String {
    format!("#/{}", tokens.join("/"))
}

/// A parameter as an operation or path item lists it.
struct Param<'a> {
    /// The list entry as written (a parameter or a `$ref`).
    written: &'a Value,
    /// Where the entry is.
    pointer: String,
    /// The `$ref` text, for a reference.
    reference: Option<&'a str>,
    /// The parameter object (the entry itself, or what its `#/parameters/…`
    /// reference names) and where it is.
    resolved: Option<(&'a Map<String, Value>, String)>,
}

impl Param<'_> {
    fn field(&self, key: &str) -> Option<&str> {
        self.resolved
            .as_ref()
            .and_then(|(param, _)| param.get(key))
            .and_then(Value::as_str)
    }

    fn location(&self) -> Option<&str> {
        self.field("in")
    }

    fn name(&self) -> Option<&str> {
        self.field("name")
    }

    fn is_body_or_form(&self) -> bool {
        matches!(self.location(), Some("body" | "formData"))
    }
}

struct Converter<'a, 'd> {
    /// The 2.0 document.
    doc: &'a Map<String, Value>,
    diags: &'d mut Diagnostics,
    /// The document's `consumes`, as written (possibly empty).
    consumes: Vec<String>,
    /// The document's `produces`, as written (possibly empty).
    produces: Vec<String>,
}

impl<'a> Converter<'a, '_> {
    fn document(&mut self) -> Map<String, Value> {
        let doc = self.doc;
        let mut out = Map::new();
        out.insert("openapi".to_owned(), json!(TARGET_VERSION));
        let mut servers_done = false;
        for (key, value) in doc {
            let pointer = join("", key);
            match key.as_str() {
                "swagger"
                | "host"
                | "basePath"
                | "schemes"
                | "consumes"
                | "produces"
                | "definitions"
                | "parameters"
                | "responses"
                | "securityDefinitions" => {}
                "info" => {
                    out.insert(key.clone(), self.info(value, &pointer));
                    if let Some(servers) = self.servers(&self.schemes(doc.get("schemes"))) {
                        out.insert("servers".to_owned(), servers);
                    }
                    servers_done = true;
                }
                "paths" => {
                    out.insert(key.clone(), self.paths(value, &pointer));
                }
                // security, tags, externalDocs and extensions are the same.
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if !servers_done && let Some(servers) = self.servers(&self.schemes(doc.get("schemes"))) {
            out.insert("servers".to_owned(), servers);
        }
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".to_owned(), Value::Object(components));
        }
        out
    }

    /// `info`, with `version` (and `title`) made strings.
    fn info(&mut self, info: &Value, pointer: &str) -> Value {
        let Some(info) = info.as_object() else {
            return info.clone();
        };
        let mut out = info.clone();
        for key in ["title", "version"] {
            match out.get(key) {
                Some(Value::String(_) | Value::Array(_) | Value::Object(_)) => {}
                Some(Value::Number(n)) => {
                    let text = n.to_string();
                    out.insert(key.to_owned(), Value::String(text));
                }
                Some(Value::Bool(b)) => {
                    let text = b.to_string();
                    out.insert(key.to_owned(), Value::String(text));
                }
                None | Some(Value::Null) => {
                    self.diags.warn(
                        pointer,
                        format!("`info` has no `{key}`; using an empty one"),
                    );
                    out.insert(key.to_owned(), json!(""));
                }
            }
        }
        Value::Object(out)
    }

    /// A `schemes` list; the document's defaults to `https`.
    fn schemes(&self, value: Option<&Value>) -> Vec<String> {
        let schemes: Vec<String> = value
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if schemes.is_empty() {
            vec!["https".to_owned()]
        } else {
            schemes
        }
    }

    /// `servers` from `host`, `basePath` and `schemes`: one per scheme, or
    /// a relative URL when there is no host.
    fn servers(&self, schemes: &[String]) -> Option<Value> {
        let host = self
            .doc
            .get("host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty());
        let base_path = self
            .doc
            .get("basePath")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let urls: Vec<String> = match host {
            Some(host) => {
                let base_path = base_path.trim_end_matches('/');
                schemes
                    .iter()
                    .map(|scheme| format!("{scheme}://{host}{base_path}"))
                    .collect()
            }
            None if !base_path.is_empty() => vec![base_path.to_owned()],
            None => return None,
        };
        Some(Value::Array(
            urls.into_iter().map(|url| json!({ "url": url })).collect(),
        ))
    }

    fn components(&mut self) -> Map<String, Value> {
        let mut schemas = Map::new();
        let mut responses = Map::new();
        let mut parameters = Map::new();
        let mut request_bodies = Map::new();
        let mut security_schemes = Map::new();

        if let Some(definitions) = self.section("definitions") {
            for (name, schema) in definitions {
                let pointer = join("/definitions", name);
                schemas.insert(name.clone(), self.schema(schema, &pointer));
            }
        }
        if let Some(defined) = self.section("responses") {
            let produces = or_default_media(self.produces.clone());
            for (name, response) in defined {
                let pointer = join("/responses", name);
                responses.insert(name.clone(), self.response(response, &produces, &pointer));
            }
        }
        if let Some(defined) = self.section("parameters") {
            let consumes = or_default_media(self.consumes.clone());
            for (name, param) in defined {
                let pointer = join("/parameters", name);
                let Some(param) = param.as_object() else {
                    parameters.insert(name.clone(), param.clone());
                    continue;
                };
                match param.get("in").and_then(Value::as_str) {
                    Some("body") if !param.contains_key("$ref") => {
                        request_bodies.insert(name.clone(), self.body(param, &consumes, &pointer));
                    }
                    // Form fields are merged into each operation's body.
                    Some("formData") => {}
                    _ => {
                        parameters.insert(name.clone(), self.parameter(param, &pointer));
                    }
                }
            }
        }
        if let Some(defined) = self.section("securityDefinitions") {
            for (name, scheme) in defined {
                let pointer = join("/securityDefinitions", name);
                if let Some(scheme) = self.security_scheme(scheme, &pointer) {
                    security_schemes.insert(name.clone(), scheme);
                }
            }
        }

        let mut components = Map::new();
        for (key, entries) in [
            ("schemas", schemas),
            ("responses", responses),
            ("parameters", parameters),
            ("requestBodies", request_bodies),
            ("securitySchemes", security_schemes),
        ] {
            if !entries.is_empty() {
                components.insert(key.to_owned(), Value::Object(entries));
            }
        }
        components
    }

    /// A top-level map (`definitions`, …), warning when it is not a map.
    fn section(&mut self, key: &str) -> Option<&'a Map<String, Value>> {
        let doc = self.doc;
        let value = doc.get(key)?;
        let section = value.as_object();
        if section.is_none() {
            self.diags.warn(
                &join("", key),
                format!("`{key}` must be a map; it is ignored"),
            );
        }
        section
    }

    // ----- schemas and references -----

    /// A schema: `$ref`s rewritten, `x-nullable` → `nullable`, a string
    /// `discriminator` → `{propertyName}`, `type: file` → binary string,
    /// recursively.
    fn schema(&mut self, schema: &Value, pointer: &str) -> Value {
        let Some(map) = schema.as_object() else {
            return schema.clone();
        };
        let mut out = Map::with_capacity(map.len());
        for (key, value) in map {
            let at = join(pointer, key);
            let converted = match key.as_str() {
                "$ref" => match value.as_str() {
                    Some(reference) => Value::String(self.map_ref(reference, &at)),
                    None => value.clone(),
                },
                "x-nullable" => match value {
                    Value::Bool(nullable) => {
                        if !map.contains_key("nullable") {
                            out.insert("nullable".to_owned(), Value::Bool(*nullable));
                        }
                        continue;
                    }
                    _ => value.clone(),
                },
                "discriminator" => match value {
                    Value::String(property) => json!({ "propertyName": property }),
                    _ => value.clone(),
                },
                "properties" => match value.as_object() {
                    Some(properties) => Value::Object(
                        properties
                            .iter()
                            .map(|(name, property)| {
                                (name.clone(), self.schema(property, &join(&at, name)))
                            })
                            .collect(),
                    ),
                    None => value.clone(),
                },
                "additionalProperties" | "not" => self.schema(value, &at),
                "allOf" | "anyOf" | "oneOf" => match value.as_array() {
                    Some(items) => Value::Array(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| self.schema(item, &join_index(&at, i)))
                            .collect(),
                    ),
                    None => value.clone(),
                },
                "items" => match value.as_array().map(Vec::as_slice) {
                    // Tuple items (not allowed in 2.0, but seen): as
                    // `swagger2openapi` does.
                    Some([]) => json!({}),
                    Some([one]) => self.schema(one, &join_index(&at, 0)),
                    Some(many) => json!({
                        "anyOf": many
                            .iter()
                            .enumerate()
                            .map(|(i, item)| self.schema(item, &join_index(&at, i)))
                            .collect::<Vec<_>>()
                    }),
                    None => self.schema(value, &at),
                },
                // Data (`default`, `example`, `enum`), extensions and the
                // other keywords are the same in 3.0.
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if out.get("type").and_then(Value::as_str) == Some("file") {
            out.insert("type".to_owned(), json!("string"));
            out.insert("format".to_owned(), json!("binary"));
        }
        Value::Object(out)
    }

    /// Rewrites a `$ref` to where its target is in the 3.0 document.
    /// Escaping (`~1`, percent-encoding) of the tokens that stay is kept as
    /// written; references to other documents are left alone.
    fn map_ref(&mut self, reference: &str, pointer: &str) -> String {
        let Some(fragment_text) = reference.strip_prefix('#') else {
            return reference.to_owned();
        };
        let mut tokens = fragment_text.split('/');
        if tokens.next() != Some("") {
            return reference.to_owned();
        }
        let raw: Vec<&str> = tokens.collect();
        let decoded: Vec<String> = raw
            .iter()
            .map(|token| unescape(&percent_decode(token)))
            .collect();
        let decoded: Vec<&str> = decoded.iter().map(String::as_str).collect();
        let rest = |from: usize| raw.get(from..).unwrap_or_default();
        let mut head: Vec<&str> = Vec::new();
        let media_type;
        let tail: &[&str] = match decoded.as_slice() {
            ["definitions", _, ..] => {
                head.extend(["components", "schemas"]);
                rest(1)
            }
            ["parameters", name, "schema", ..] if self.parameter_location(name) == Some("body") => {
                media_type = escape(&self.first_media(None, "consumes"));
                head.extend(["components", "requestBodies"]);
                head.extend(rest(1).get(..1).unwrap_or_default());
                head.extend(["content", media_type.as_str(), "schema"]);
                rest(3)
            }
            ["parameters", name, ..] => {
                match self.parameter_location(name) {
                    Some("body") => head.extend(["components", "requestBodies"]),
                    Some("formData") => {
                        self.diags.warn(
                            pointer,
                            "a formData parameter only exists inside an operation's request body in \
                             OpenAPI 3; this reference cannot be converted",
                        );
                        head.extend(["components", "parameters"]);
                    }
                    _ => head.extend(["components", "parameters"]),
                }
                rest(1)
            }
            ["responses", _, "schema", ..] => {
                media_type = escape(&self.first_media(None, "produces"));
                head.extend(["components", "responses"]);
                head.extend(rest(1).get(..1).unwrap_or_default());
                head.extend(["content", media_type.as_str(), "schema"]);
                rest(3)
            }
            ["responses", _, ..] => {
                head.extend(["components", "responses"]);
                rest(1)
            }
            ["securityDefinitions", _, ..] => {
                head.extend(["components", "securitySchemes"]);
                rest(1)
            }
            ["paths", path, method, "responses", _, "schema", ..] => {
                media_type = escape(&self.first_media(Some((path, method)), "produces"));
                head.extend(rest(0).get(..5).unwrap_or_default());
                head.extend(["content", media_type.as_str(), "schema"]);
                rest(6)
            }
            ["paths", path, method, "parameters", index, "schema", ..]
                if self.operation_parameter_location(path, method, index) == Some("body") =>
            {
                media_type = escape(&self.first_media(Some((path, method)), "consumes"));
                head.extend(rest(0).get(..3).unwrap_or_default());
                head.extend(["requestBody", "content", media_type.as_str(), "schema"]);
                rest(6)
            }
            ["paths", ..]
                if decoded
                    .iter()
                    .any(|t| matches!(*t, "parameters" | "headers")) =>
            {
                self.diags.warn(
                    pointer,
                    format!(
                        "`{reference}` points into a parameter or header, which OpenAPI 3 \
                         restructures; the reference is kept as written"
                    ),
                );
                return reference.to_owned();
            }
            _ => return reference.to_owned(),
        };
        head.extend(tail);
        fragment(&head)
    }

    /// `in` of the top-level parameter `name`.
    fn parameter_location(&self, name: &str) -> Option<&'a str> {
        let doc = self.doc;
        doc.get("parameters")?.get(name)?.get("in")?.as_str()
    }

    /// `in` of an operation's parameter, written inline at `index`.
    fn operation_parameter_location(
        &self,
        path: &str,
        method: &str,
        index: &str,
    ) -> Option<&'a str> {
        let doc = self.doc;
        let index: usize = index.parse().ok()?;
        doc.get("paths")?
            .get(path)?
            .get(method)?
            .get("parameters")?
            .get(index)?
            .get("in")?
            .as_str()
    }

    /// The first media type an operation (or, with `None`, the document)
    /// consumes or produces: the key of the first `content` entry.
    fn first_media(&self, operation: Option<(&str, &str)>, key: &str) -> String {
        let doc = self.doc;
        let global = if key == "consumes" {
            &self.consumes
        } else {
            &self.produces
        };
        let own = operation
            .and_then(|(path, method)| doc.get("paths")?.get(path)?.get(method))
            .and_then(|op| media_types(op.get(key)));
        or_default_media(own.unwrap_or_else(|| global.clone()))
            .into_iter()
            .next()
            .unwrap_or_else(|| DEFAULT_MEDIA_TYPE.to_owned())
    }

    // ----- paths and operations -----

    fn paths(&mut self, paths: &'a Value, pointer: &str) -> Value {
        let Some(paths) = paths.as_object() else {
            return paths.clone();
        };
        let mut out = Map::with_capacity(paths.len());
        for (path, item) in paths {
            let converted = match item.as_object() {
                Some(item) if !path.starts_with("x-") => {
                    Value::Object(self.path_item(item, &join(pointer, path)))
                }
                _ => item.clone(),
            };
            out.insert(path.clone(), converted);
        }
        Value::Object(out)
    }

    fn path_item(&mut self, item: &'a Map<String, Value>, pointer: &str) -> Map<String, Value> {
        let shared = self.param_list(item.get("parameters"), &join(pointer, "parameters"));
        let mut out = Map::with_capacity(item.len());
        for (key, value) in item {
            let at = join(pointer, key);
            match key.as_str() {
                "$ref" => {
                    let converted = match value.as_str() {
                        Some(reference) => Value::String(self.map_ref(reference, &at)),
                        None => value.clone(),
                    };
                    out.insert(key.clone(), converted);
                }
                "parameters" => {
                    // Body and form parameters move into each operation's
                    // request body.
                    let kept: Vec<Value> = shared
                        .iter()
                        .filter(|p| !p.is_body_or_form())
                        .map(|p| self.param_entry(p))
                        .collect();
                    if !kept.is_empty() {
                        out.insert(key.clone(), Value::Array(kept));
                    }
                }
                method if METHODS.contains(&method) && value.is_object() => {
                    if let Some(operation) = value.as_object() {
                        let converted = self.operation(operation, &shared, &at);
                        out.insert(key.clone(), Value::Object(converted));
                    }
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out
    }

    /// The entries of a `parameters` list, with `#/parameters/…`
    /// references resolved.
    fn param_list(&mut self, list: Option<&'a Value>, pointer: &str) -> Vec<Param<'a>> {
        let Some(list) = list else {
            return Vec::new();
        };
        let Some(items) = list.as_array() else {
            self.diags
                .warn(pointer, "`parameters` must be a list; it is ignored");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .map(|(i, written)| {
                let at = join_index(pointer, i);
                let reference = written.get("$ref").and_then(Value::as_str);
                let resolved = match reference {
                    Some(reference) => self.resolve_parameter(reference),
                    None => written.as_object().map(|param| (param, at.clone())),
                };
                Param {
                    written,
                    pointer: at,
                    reference,
                    resolved,
                }
            })
            .collect()
    }

    /// The top-level parameter a `#/parameters/name` reference names.
    fn resolve_parameter(&self, reference: &str) -> Option<(&'a Map<String, Value>, String)> {
        let doc = self.doc;
        let token = reference.strip_prefix("#/parameters/")?;
        if token.contains('/') {
            return None;
        }
        let name = unescape(&percent_decode(token));
        let param = doc.get("parameters")?.get(&name)?.as_object()?;
        Some((param, join("/parameters", &name)))
    }

    /// A non-body parameter list entry, converted.
    fn param_entry(&mut self, param: &Param<'a>) -> Value {
        match (param.reference, &param.resolved) {
            (Some(reference), _) => {
                json!({ "$ref": self.map_ref(reference, &join(&param.pointer, "$ref")) })
            }
            (None, Some((resolved, at))) => self.parameter(resolved, at),
            (None, None) => param.written.clone(),
        }
    }

    fn operation(
        &mut self,
        operation: &'a Map<String, Value>,
        shared: &[Param<'a>],
        pointer: &str,
    ) -> Map<String, Value> {
        let consumes = or_default_media(
            media_types(operation.get("consumes")).unwrap_or_else(|| self.consumes.clone()),
        );
        let produces = or_default_media(
            media_types(operation.get("produces")).unwrap_or_else(|| self.produces.clone()),
        );
        let own = self.param_list(operation.get("parameters"), &join(pointer, "parameters"));
        // Shared body and form parameters apply unless the operation
        // overrides them (same name and location); the others stay on the
        // path item.
        let inherited = shared.iter().filter(|p| {
            p.is_body_or_form()
                && !own
                    .iter()
                    .any(|o| o.name() == p.name() && o.location() == p.location())
        });

        let mut parameters = Vec::new();
        let mut body: Option<(Value, String)> = None;
        let mut form: Vec<(&'a Map<String, Value>, String)> = Vec::new();
        for param in inherited.chain(own.iter()) {
            match (param.location(), &param.resolved) {
                (Some("body"), Some((resolved, at))) => {
                    if body.is_some() {
                        self.diags.warn(
                            &param.pointer,
                            "an operation has at most one body parameter; this one is ignored",
                        );
                        continue;
                    }
                    let converted = match param.reference {
                        Some(reference) if consumes == or_default_media(self.consumes.clone()) => {
                            json!({ "$ref": self.map_ref(reference, &join(&param.pointer, "$ref")) })
                        }
                        _ => self.body(resolved, &consumes, at),
                    };
                    body = Some((converted, param.pointer.clone()));
                }
                (Some("formData"), Some((resolved, at))) => form.push((resolved, at.clone())),
                _ => parameters.push(self.param_entry(param)),
            }
        }
        let mut body = match (body, form.first()) {
            (Some((body, _)), Some((_, at))) => {
                self.diags.warn(
                    at,
                    "formData parameters cannot be combined with a body parameter; they are ignored",
                );
                Some(body)
            }
            (Some((body, _)), None) => Some(body),
            (None, Some(_)) => Some(self.form_body(&form, &consumes)),
            (None, None) => None,
        };

        let mut parameters = Some(parameters);
        let mut out = Map::with_capacity(operation.len() + 1);
        for (key, value) in operation {
            let at = join(pointer, key);
            match key.as_str() {
                "consumes" | "produces" => {}
                "schemes" => {
                    if let Some(servers) = self.operation_servers(value) {
                        out.insert("servers".to_owned(), servers);
                    }
                }
                "parameters" => {
                    if let Some(parameters) = parameters.take().filter(|p| !p.is_empty()) {
                        out.insert(key.clone(), Value::Array(parameters));
                    }
                    if let Some(body) = body.take() {
                        out.insert("requestBody".to_owned(), body);
                    }
                }
                "responses" => {
                    out.insert(key.clone(), self.responses(value, &produces, &at));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(body) = body {
            // From path-level parameters, on an operation without its own.
            out.insert("requestBody".to_owned(), body);
        }
        out
    }

    /// An operation's `schemes` become its own `servers` when they name a
    /// scheme the document does not.
    fn operation_servers(&self, schemes: &Value) -> Option<Value> {
        let doc = self.doc;
        let own = self.schemes(Some(schemes));
        let global = self.schemes(doc.get("schemes"));
        if own.iter().all(|scheme| global.contains(scheme)) || !doc.contains_key("host") {
            return None;
        }
        self.servers(&own)
    }

    // ----- parameters and bodies -----

    /// A non-body parameter: `type`, `items` and the validation keywords
    /// move into `schema`, `collectionFormat` becomes `style`/`explode`.
    fn parameter(&mut self, param: &Map<String, Value>, pointer: &str) -> Value {
        if let Some(reference) = param.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": self.map_ref(reference, &join(pointer, "$ref")) });
        }
        let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
        let mut schema = self.simple_schema(param, pointer);
        if !schema.contains_key("type") {
            match param.get("schema") {
                Some(written) => {
                    if let Value::Object(written) = self.schema(written, &join(pointer, "schema")) {
                        schema = written;
                    }
                }
                None => {
                    self.diags
                        .warn(pointer, "parameter has no `type`; treating it as a string");
                    schema.insert("type".to_owned(), json!("string"));
                }
            }
        }
        if param.get("type").and_then(Value::as_str) == Some("file") {
            self.diags.warn(
                &join(pointer, "type"),
                "`type: file` is only valid for formData parameters; sending it as a binary string",
            );
        }
        let (style, explode) = if schema.get("type").and_then(Value::as_str) == Some("array") {
            let format = param
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            self.collection_style(format, location, &join(pointer, "collectionFormat"))
        } else {
            (None, None)
        };

        let mut out = Map::new();
        let mut extensions = Map::new();
        for (key, value) in param {
            match key.as_str() {
                "name" | "in" | "description" | "required" | "allowEmptyValue" => {
                    out.insert(key.clone(), value.clone());
                }
                "x-example" => {
                    extensions.insert("example".to_owned(), value.clone());
                }
                key if key.starts_with("x-") => {
                    extensions.insert(key.to_owned(), value.clone());
                }
                _ => {}
            }
        }
        if location == "path" {
            out.insert("required".to_owned(), Value::Bool(true));
        }
        if let Some(style) = style {
            out.insert("style".to_owned(), json!(style));
        }
        if let Some(explode) = explode {
            out.insert("explode".to_owned(), Value::Bool(explode));
        }
        out.insert("schema".to_owned(), Value::Object(schema));
        out.extend(extensions);
        Value::Object(out)
    }

    /// The schema of a non-body parameter, header or form field: `type`,
    /// `items` and the validation keywords; `type: file` → binary string.
    fn simple_schema(&mut self, object: &Map<String, Value>, pointer: &str) -> Map<String, Value> {
        let outer = object
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let mut schema = Map::new();
        if let Some(ty) = object.get("type") {
            schema.insert("type".to_owned(), ty.clone());
        }
        for (key, value) in object {
            if key == "items" {
                let items = self.items(value, &join(pointer, key), outer);
                schema.insert(key.clone(), items);
            } else if SCHEMA_KEYWORDS.contains(&key.as_str()) {
                schema.insert(key.clone(), value.clone());
            }
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".to_owned(), json!("string"));
            schema.insert("format".to_owned(), json!("binary"));
        }
        schema
    }

    /// The `items` of a parameter or header: a schema, without the nested
    /// `collectionFormat`s 3.0 cannot express.
    fn items(&mut self, items: &Value, pointer: &str, outer: &str) -> Value {
        let mut stripped = items.clone();
        let mut level = Some(&mut stripped);
        let mut at = pointer.to_owned();
        while let Some(Value::Object(map)) = level {
            if let Some(format) = map.remove("collectionFormat")
                && format.as_str() != Some(outer)
            {
                self.diags.warn(
                    &join(&at, "collectionFormat"),
                    "nested arrays with their own `collectionFormat` cannot be described in \
                     OpenAPI 3; the outer format applies",
                );
            }
            at = join(&at, "items");
            level = map.get_mut("items");
        }
        self.schema(&stripped, pointer)
    }

    /// `style` and `explode` for a `collectionFormat` in `location`.
    fn collection_style(
        &mut self,
        format: &str,
        location: &str,
        pointer: &str,
    ) -> (Option<&'static str>, Option<bool>) {
        let query = location == "query";
        let csv = if matches!(location, "query" | "cookie") {
            (Some("form"), Some(false))
        } else {
            (Some("simple"), None)
        };
        match format {
            "csv" => csv,
            "multi" if query => (None, Some(true)),
            "ssv" if query => (Some("spaceDelimited"), None),
            "pipes" if query => (Some("pipeDelimited"), None),
            "multi" | "ssv" | "pipes" => {
                self.diags.warn(
                    pointer,
                    format!(
                        "`collectionFormat: {format}` is only supported in the query in OpenAPI 3; \
                         using comma-separated values"
                    ),
                );
                csv
            }
            "tsv" => {
                self.diags.warn(
                    pointer,
                    "`collectionFormat: tsv` has no OpenAPI 3 equivalent; using comma-separated values",
                );
                csv
            }
            other => {
                self.diags.warn(
                    pointer,
                    format!("unknown `collectionFormat: {other}`; using comma-separated values"),
                );
                csv
            }
        }
    }

    /// A body parameter as a request body: one `content` entry per media
    /// type consumed.
    fn body(&mut self, param: &Map<String, Value>, consumes: &[String], pointer: &str) -> Value {
        let schema = match param.get("schema") {
            Some(schema) => self.schema(schema, &join(pointer, "schema")),
            None => {
                self.diags.warn(
                    pointer,
                    "body parameter has no `schema`; accepting any JSON value",
                );
                json!({})
            }
        };
        let mut out = Map::new();
        if let Some(description) = param.get("description") {
            out.insert("description".to_owned(), description.clone());
        }
        out.insert(
            "content".to_owned(),
            Value::Object(
                consumes
                    .iter()
                    .map(|media_type| (media_type.clone(), json!({ "schema": schema })))
                    .collect(),
            ),
        );
        if param.get("required") == Some(&Value::Bool(true)) {
            out.insert("required".to_owned(), Value::Bool(true));
        }
        for (key, value) in param {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    /// formData parameters as one request body whose schema has a property
    /// per parameter: multipart when a file is sent or `consumes` says so,
    /// else URL-encoded.
    fn form_body(
        &mut self,
        fields: &[(&Map<String, Value>, String)],
        consumes: &[String],
    ) -> Value {
        let any_file = fields
            .iter()
            .any(|(field, _)| field.get("type").and_then(Value::as_str) == Some("file"));
        let essences: Vec<String> = consumes.iter().map(|m| essence(m)).collect();
        let media_type = if any_file || essences.iter().any(|m| m == MULTIPART) {
            MULTIPART
        } else {
            URLENCODED
        };
        if !essences.iter().any(|m| m == MULTIPART || m == URLENCODED)
            && let Some((_, at)) = fields.first()
        {
            self.diags.warn(
                at,
                format!(
                    "formData parameters need `consumes` to list {MULTIPART} or {URLENCODED}; \
                     sending them as {media_type}"
                ),
            );
        }

        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for (field, at) in fields {
            let Some(name) = field.get("name").and_then(Value::as_str) else {
                self.diags
                    .warn(at, "formData parameter without a `name`; it is ignored");
                continue;
            };
            if properties.contains_key(name) {
                self.diags.warn(
                    at,
                    format!("formData parameter `{name}` is declared twice; the first one is used"),
                );
                continue;
            }
            let mut property = Map::new();
            if let Some(description) = field.get("description") {
                property.insert("description".to_owned(), description.clone());
            }
            let schema = self.simple_schema(field, at);
            if !schema.contains_key("type") {
                self.diags.warn(
                    at,
                    "formData parameter has no `type`; treating it as a string",
                );
                property.insert("type".to_owned(), json!("string"));
            }
            property.extend(schema);
            for (key, value) in *field {
                if key == "x-example" {
                    property.insert("example".to_owned(), value.clone());
                } else if key.starts_with("x-") {
                    property.insert(key.clone(), value.clone());
                }
            }
            if field.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            let is_array = property.get("type").and_then(Value::as_str) == Some("array");
            if is_array && media_type == URLENCODED {
                let format = field
                    .get("collectionFormat")
                    .and_then(Value::as_str)
                    .unwrap_or("csv");
                // The 3.0 default for a form field is `form` exploded, which
                // is 2.0's `multi`.
                if format != "multi" {
                    let (style, _) =
                        self.collection_style(format, "query", &join(at, "collectionFormat"));
                    encoding.insert(
                        name.to_owned(),
                        json!({ "style": style.unwrap_or("form"), "explode": false }),
                    );
                }
            }
            properties.insert(name.to_owned(), Value::Object(property));
        }

        let mut schema = Map::new();
        schema.insert("type".to_owned(), json!("object"));
        schema.insert("properties".to_owned(), Value::Object(properties));
        let any_required = !required.is_empty();
        if any_required {
            schema.insert("required".to_owned(), Value::Array(required));
        }
        let mut media = Map::new();
        media.insert("schema".to_owned(), Value::Object(schema));
        if !encoding.is_empty() {
            media.insert("encoding".to_owned(), Value::Object(encoding));
        }
        let mut out = Map::new();
        out.insert("content".to_owned(), json!({ media_type: media }));
        if any_required {
            out.insert("required".to_owned(), Value::Bool(true));
        }
        Value::Object(out)
    }

    // ----- responses -----

    fn responses(&mut self, responses: &Value, produces: &[String], pointer: &str) -> Value {
        let Some(responses) = responses.as_object() else {
            return responses.clone();
        };
        Value::Object(
            responses
                .iter()
                .map(|(status, response)| {
                    let converted = if status.starts_with("x-") {
                        response.clone()
                    } else {
                        self.response(response, produces, &join(pointer, status))
                    };
                    (status.clone(), converted)
                })
                .collect(),
        )
    }

    /// A response: `schema` → one `content` entry per media type produced,
    /// `examples` → those entries' `example` (or entries of their own),
    /// headers with a `schema`.
    fn response(&mut self, response: &Value, produces: &[String], pointer: &str) -> Value {
        let Some(map) = response.as_object() else {
            return response.clone();
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": self.map_ref(reference, &join(pointer, "$ref")) });
        }
        let mut out = Map::with_capacity(map.len());
        match map.get("description") {
            Some(description @ Value::String(_)) => {
                out.insert("description".to_owned(), description.clone());
            }
            _ => {
                self.diags
                    .warn(pointer, "response has no `description`; using an empty one");
                out.insert("description".to_owned(), json!(""));
            }
        }
        let examples = map.get("examples").and_then(Value::as_object);
        for (key, value) in map {
            let at = join(pointer, key);
            match key.as_str() {
                "description" | "examples" => {}
                "schema" => {
                    let schema = self.schema(value, &at);
                    let content: Map<String, Value> = produces
                        .iter()
                        .map(|media_type| {
                            let mut media = Map::new();
                            media.insert("schema".to_owned(), schema.clone());
                            if let Some(example) = examples.and_then(|e| e.get(media_type)) {
                                media.insert("example".to_owned(), example.clone());
                            }
                            (media_type.clone(), Value::Object(media))
                        })
                        .collect();
                    out.insert("content".to_owned(), Value::Object(content));
                }
                "headers" => {
                    out.insert(key.clone(), self.headers(value, &at));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        // An example for a media type without a schema still documents a
        // body of that type (as `swagger2openapi` reads it): an entry with
        // the example and no schema, so the body is kept as any JSON or text.
        for (media_type, example) in examples.into_iter().flatten() {
            let content = out
                .entry("content")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(content) = content
                && !content.contains_key(media_type)
            {
                content.insert(media_type.clone(), json!({ "example": example }));
            }
        }
        Value::Object(out)
    }

    fn headers(&mut self, headers: &Value, pointer: &str) -> Value {
        let Some(headers) = headers.as_object() else {
            return headers.clone();
        };
        Value::Object(
            headers
                .iter()
                .map(|(name, header)| (name.clone(), self.header(header, &join(pointer, name))))
                .collect(),
        )
    }

    /// A response header: its type becomes a `schema`.
    fn header(&mut self, header: &Value, pointer: &str) -> Value {
        let Some(map) = header.as_object() else {
            return header.clone();
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": self.map_ref(reference, &join(pointer, "$ref")) });
        }
        let schema = self.simple_schema(map, pointer);
        let (style, explode) = if schema.get("type").and_then(Value::as_str) == Some("array") {
            let format = map
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            if format == "multi" {
                (None, Some(true))
            } else {
                self.collection_style(format, "header", &join(pointer, "collectionFormat"))
            }
        } else {
            (None, None)
        };
        let mut out = Map::new();
        if let Some(description) = map.get("description") {
            out.insert("description".to_owned(), description.clone());
        }
        if let Some(style) = style {
            out.insert("style".to_owned(), json!(style));
        }
        if let Some(explode) = explode {
            out.insert("explode".to_owned(), Value::Bool(explode));
        }
        out.insert("schema".to_owned(), Value::Object(schema));
        for (key, value) in map {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    // ----- security -----

    /// A security definition as a 3.0 security scheme; `None` (with a
    /// warning) for one that cannot be converted.
    fn security_scheme(&mut self, scheme: &Value, pointer: &str) -> Option<Value> {
        let Some(map) = scheme.as_object() else {
            self.diags.warn(
                pointer,
                "security definition is not an object; it is skipped",
            );
            return None;
        };
        let mut out = Map::new();
        match map.get("type").and_then(Value::as_str) {
            Some("apiKey") => return Some(scheme.clone()),
            Some("basic") => {
                out.insert("type".to_owned(), json!("http"));
                out.insert("scheme".to_owned(), json!("basic"));
            }
            Some("oauth2") => {
                let flow = match map.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        self.diags.warn(
                            &join(pointer, "flow"),
                            format!(
                                "unknown OAuth2 flow {}; the security scheme is skipped",
                                other.map_or_else(|| "(none)".to_owned(), |f| format!("`{f}`"))
                            ),
                        );
                        return None;
                    }
                };
                let mut details = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(url) = map.get(key) {
                        details.insert(key.to_owned(), url.clone());
                    }
                }
                details.insert(
                    "scopes".to_owned(),
                    map.get("scopes").cloned().unwrap_or_else(|| json!({})),
                );
                out.insert("type".to_owned(), json!("oauth2"));
                out.insert("flows".to_owned(), json!({ flow: details }));
            }
            other => {
                self.diags.warn(
                    &join(pointer, "type"),
                    format!(
                        "unknown security definition type {}; it is skipped",
                        other.map_or_else(|| "(none)".to_owned(), |t| format!("`{t}`"))
                    ),
                );
                return None;
            }
        }
        for (key, value) in map {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn run(doc: Value) -> (Value, Vec<String>) {
        let mut diags = Diagnostics::new(Path::new("spec.yaml"));
        let out = convert(&doc, &mut diags);
        let warnings = diags
            .into_sorted()
            .into_iter()
            .map(|d| format!("{}: {}", d.location.pointer, d.message))
            .collect();
        (out, warnings)
    }

    fn doc(extra: Value) -> Value {
        let mut base = json!({
            "swagger": "2.0",
            "info": {"title": "T", "version": "1"},
            "paths": {}
        });
        if let (Some(base_map), Value::Object(extra)) = (base.as_object_mut(), extra) {
            base_map.extend(extra);
        }
        base
    }

    fn operation(op: Value) -> Value {
        doc(json!({"paths": {"/a": {"post": op}}}))
    }

    #[test]
    fn detects_version() {
        assert!(is_swagger2(&json!({"swagger": "2.0"})));
        assert!(is_swagger2(&json!({"swagger": 2.0})));
        assert!(!is_swagger2(&json!({"swagger": "1.2"})));
        assert!(!is_swagger2(&json!({"openapi": "3.0.3"})));
    }

    #[test]
    fn header_info_and_servers() {
        let (out, warnings) = run(doc(json!({
            "info": {"title": "T", "version": 1.5},
            "host": "api.example.com",
            "basePath": "/v1/",
            "schemes": ["http", "https"],
            "tags": [{"name": "t"}],
            "x-top": 1
        })));
        assert_eq!(out["openapi"], "3.0.3");
        assert!(out.get("swagger").is_none());
        assert_eq!(out["info"]["version"], "1.5");
        assert_eq!(
            out["servers"],
            json!([{"url": "http://api.example.com/v1"}, {"url": "https://api.example.com/v1"}])
        );
        assert_eq!(out["tags"], json!([{"name": "t"}]));
        assert_eq!(out["x-top"], 1);
        assert!(out.get("host").is_none() && out.get("basePath").is_none());
        assert!(warnings.is_empty(), "{warnings:?}");

        let (out, _) = run(doc(json!({"host": "h.io"})));
        assert_eq!(out["servers"], json!([{"url": "https://h.io"}]));
        let (out, _) = run(doc(json!({"basePath": "/api"})));
        assert_eq!(out["servers"], json!([{"url": "/api"}]));
        let (out, _) = run(doc(json!({})));
        assert!(out.get("servers").is_none());
    }

    #[test]
    fn definitions_and_schema_rules() {
        let (out, warnings) = run(doc(json!({"definitions": {
            "Pet": {
                "type": "object",
                "discriminator": "kind",
                "required": ["kind"],
                "properties": {
                    "kind": {"type": "string"},
                    "tag": {"type": "string", "x-nullable": true},
                    "photo": {"type": "file"},
                    "owner": {"$ref": "#/definitions/Person"},
                    "list": {"type": "array", "items": {"$ref": "#/definitions/a~1b"}},
                    "map": {"type": "object", "additionalProperties": {"$ref": "#/definitions/Foo%20Bar"}},
                    "default": {"type": "object", "default": {"$ref": "#/definitions/NotARef"}}
                }
            },
            "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}, {"type": "object"}]}
        }})));
        let schemas = &out["components"]["schemas"];
        let pet = &schemas["Pet"];
        assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(
            pet["properties"]["tag"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            pet["properties"]["photo"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            pet["properties"]["owner"]["$ref"],
            "#/components/schemas/Person"
        );
        assert_eq!(
            pet["properties"]["list"]["items"]["$ref"],
            "#/components/schemas/a~1b"
        );
        assert_eq!(
            pet["properties"]["map"]["additionalProperties"]["$ref"],
            "#/components/schemas/Foo%20Bar"
        );
        // Data is not rewritten.
        assert_eq!(
            pet["properties"]["default"]["default"]["$ref"],
            "#/definitions/NotARef"
        );
        assert_eq!(
            schemas["Dog"]["allOf"][0]["$ref"],
            "#/components/schemas/Pet"
        );
        assert!(out.get("definitions").is_none());
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn refs_into_moved_places() {
        let (out, _) = run(doc(json!({
            "produces": ["application/xml"],
            "definitions": {
                "A": {"$ref": "#/definitions/B/properties/x"},
                "C": {"$ref": "#/responses/R/schema/items"},
                "D": {"$ref": "#/paths/~1a/get/responses/200/schema"},
                "E": {"$ref": "#/paths/~1a/post/parameters/0/schema/properties/y"},
                "F": {"$ref": "#/parameters/P/schema"},
                "G": {"$ref": "other.yaml#/definitions/X"}
            },
            "parameters": {"P": {"name": "p", "in": "body", "schema": {"type": "object"}}},
            "responses": {"R": {"description": "r", "schema": {"type": "array", "items": {}}}},
            "paths": {"/a": {
                "get": {"produces": ["text/plain"], "responses": {"200": {"description": "x", "schema": {}}}},
                "post": {"parameters": [{"name": "b", "in": "body", "schema": {"type": "object"}}], "responses": {}}
            }}
        })));
        let schemas = &out["components"]["schemas"];
        assert_eq!(schemas["A"]["$ref"], "#/components/schemas/B/properties/x");
        assert_eq!(
            schemas["C"]["$ref"],
            "#/components/responses/R/content/application~1xml/schema/items"
        );
        assert_eq!(
            schemas["D"]["$ref"],
            "#/paths/~1a/get/responses/200/content/text~1plain/schema"
        );
        assert_eq!(
            schemas["E"]["$ref"],
            "#/paths/~1a/post/requestBody/content/application~1json/schema/properties/y"
        );
        assert_eq!(
            schemas["F"]["$ref"],
            "#/components/requestBodies/P/content/application~1json/schema"
        );
        assert_eq!(schemas["G"]["$ref"], "other.yaml#/definitions/X");
    }

    #[test]
    fn component_parameters_responses_and_bodies() {
        let (out, warnings) = run(doc(json!({
            "parameters": {
                "limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 10, "default": 5},
                "Body": {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
                "Field": {"name": "f", "in": "formData", "type": "string"}
            },
            "responses": {"NotFound": {"description": "nf", "schema": {"$ref": "#/definitions/Error"}}}
        })));
        let components = &out["components"];
        assert_eq!(
            components["parameters"]["limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10, "default": 5}})
        );
        assert!(components["parameters"].get("Body").is_none());
        assert!(components["parameters"].get("Field").is_none());
        assert_eq!(
            components["requestBodies"]["Body"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true})
        );
        assert_eq!(
            components["responses"]["NotFound"],
            json!({"description": "nf", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn security_definitions() {
        let (out, warnings) = run(doc(json!({"securityDefinitions": {
            "basic": {"type": "basic", "description": "d"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {"s": "S"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t"},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}},
            "odd": {"type": "oauth2", "flow": "device"},
            "weird": {"type": "mystery"}
        }, "security": [{"key": []}]})));
        let schemes = &out["components"]["securitySchemes"];
        assert_eq!(
            schemes["basic"],
            json!({"type": "http", "scheme": "basic", "description": "d"})
        );
        assert_eq!(
            schemes["key"],
            json!({"type": "apiKey", "name": "X-Key", "in": "header"})
        );
        assert_eq!(
            schemes["implicit"]["flows"],
            json!({"implicit": {"authorizationUrl": "https://a", "scopes": {"s": "S"}}})
        );
        assert_eq!(
            schemes["password"]["flows"],
            json!({"password": {"tokenUrl": "https://t", "scopes": {}}})
        );
        assert!(schemes["app"]["flows"].get("clientCredentials").is_some());
        assert!(schemes["code"]["flows"].get("authorizationCode").is_some());
        assert!(schemes.get("odd").is_none() && schemes.get("weird").is_none());
        assert_eq!(out["security"], json!([{"key": []}]));
        assert_eq!(
            warnings,
            vec![
                "/securityDefinitions/odd/flow: unknown OAuth2 flow `device`; the security scheme is skipped",
                "/securityDefinitions/weird/type: unknown security definition type `mystery`; it is skipped",
            ]
        );
    }

    #[test]
    fn body_parameter_becomes_request_body() {
        let (out, warnings) = run(doc(json!({
            "consumes": ["application/json", "application/xml"],
            "paths": {"/a": {
                "post": {"parameters": [
                    {"name": "q", "in": "query", "type": "string"},
                    {"name": "b", "in": "body", "description": "the body", "required": true,
                     "x-ext": 1, "schema": {"$ref": "#/definitions/Pet"}}
                ], "responses": {}},
                "put": {"consumes": ["text/plain"], "parameters": [
                    {"name": "b", "in": "body", "schema": {"type": "string"}},
                    {"name": "c", "in": "body", "schema": {"type": "string"}}
                ], "responses": {}}
            }}
        })));
        let post = &out["paths"]["/a"]["post"];
        assert_eq!(post["parameters"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            post["requestBody"],
            json!({
                "description": "the body",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
                    "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}
                },
                "required": true,
                "x-ext": 1
            })
        );
        let put = &out["paths"]["/a"]["put"];
        assert!(put.get("parameters").is_none() && put.get("consumes").is_none());
        assert_eq!(
            put["requestBody"],
            json!({"content": {"text/plain": {"schema": {"type": "string"}}}})
        );
        assert_eq!(
            warnings,
            vec![
                "/paths/~1a/put/parameters/1: an operation has at most one body parameter; this one is ignored"
            ]
        );
    }

    #[test]
    fn referenced_body_parameter() {
        let (out, _) = run(doc(json!({
            "parameters": {"B": {"name": "b", "in": "body", "schema": {"type": "object"}}},
            "paths": {"/a": {
                "post": {"parameters": [{"$ref": "#/parameters/B"}], "responses": {}},
                "put": {"consumes": ["application/xml"], "parameters": [{"$ref": "#/parameters/B"}], "responses": {}}
            }}
        })));
        let item = &out["paths"]["/a"];
        assert_eq!(
            item["post"]["requestBody"],
            json!({"$ref": "#/components/requestBodies/B"})
        );
        assert!(item["post"].get("parameters").is_none());
        // Other media types than the shared component's: inlined.
        assert_eq!(
            item["put"]["requestBody"],
            json!({"content": {"application/xml": {"schema": {"type": "object"}}}})
        );
    }

    #[test]
    fn form_parameters_become_one_body() {
        let (out, warnings) = run(doc(json!({
            "parameters": {"Shared": {"name": "shared", "in": "formData", "type": "integer", "required": true}},
            "paths": {"/a": {
                "post": {"consumes": ["application/x-www-form-urlencoded"], "parameters": [
                    {"name": "name", "in": "formData", "type": "string", "description": "d", "required": true},
                    {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}},
                    {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    {"$ref": "#/parameters/Shared"}
                ], "responses": {}},
                "put": {"parameters": [
                    {"name": "file", "in": "formData", "type": "file", "x-e": true},
                    {"name": "note", "in": "formData", "type": "string"}
                ], "responses": {}}
            }}
        })));
        let post = &out["paths"]["/a"]["post"];
        assert_eq!(
            post["requestBody"],
            json!({
                "content": {"application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "name": {"description": "d", "type": "string"},
                            "ids": {"type": "array", "items": {"type": "integer"}},
                            "tags": {"type": "array", "items": {"type": "string"}},
                            "shared": {"type": "integer"}
                        },
                        "required": ["name", "shared"]
                    },
                    "encoding": {"ids": {"style": "form", "explode": false}}
                }},
                "required": true
            })
        );
        let put = &out["paths"]["/a"]["put"];
        assert_eq!(
            put["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["file"],
            json!({"type": "string", "format": "binary", "x-e": true})
        );
        assert!(put["requestBody"].get("required").is_none());
        // The put consumes only the default JSON.
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn parameter_schema_and_collection_formats() {
        let (out, warnings) = run(operation(json!({"parameters": [
            {"name": "csv", "in": "query", "type": "array", "items": {"type": "string", "enum": ["a"]}, "minItems": 1},
            {"name": "multi", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
            {"name": "ssv", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "ssv"},
            {"name": "pipes", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
            {"name": "tsv", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
            {"name": "id", "in": "path", "type": "array", "items": {"type": "string"}},
            {"name": "H", "in": "header", "type": "string", "format": "uuid", "x-h": 1},
            {"name": "e", "in": "query", "type": "boolean", "allowEmptyValue": true, "x-example": true},
            {"name": "notype", "in": "query"}
        ], "responses": {}})));
        let params = &out["paths"]["/a"]["post"]["parameters"];
        assert_eq!(
            params[0],
            json!({"name": "csv", "in": "query", "style": "form", "explode": false,
                   "schema": {"type": "array", "items": {"type": "string", "enum": ["a"]}, "minItems": 1}})
        );
        assert_eq!(params[1]["explode"], true);
        assert!(params[1].get("style").is_none());
        assert_eq!(params[2]["style"], "spaceDelimited");
        assert_eq!(params[3]["style"], "pipeDelimited");
        assert_eq!(
            (&params[4]["style"], &params[4]["explode"]),
            (&json!("form"), &json!(false))
        );
        assert_eq!(
            params[5],
            json!({"name": "id", "in": "path", "required": true, "style": "simple",
                   "schema": {"type": "array", "items": {"type": "string"}}})
        );
        assert_eq!(
            params[6],
            json!({"name": "H", "in": "header", "schema": {"type": "string", "format": "uuid"}, "x-h": 1})
        );
        assert_eq!(
            params[7],
            json!({"name": "e", "in": "query", "allowEmptyValue": true, "schema": {"type": "boolean"}, "example": true})
        );
        assert_eq!(params[8]["schema"], json!({"type": "string"}));
        assert_eq!(
            warnings,
            vec![
                "/paths/~1a/post/parameters/4/collectionFormat: `collectionFormat: tsv` has no OpenAPI 3 equivalent; using comma-separated values",
                "/paths/~1a/post/parameters/8: parameter has no `type`; treating it as a string",
            ]
        );
    }

    #[test]
    fn nested_collection_formats_warn() {
        let (out, warnings) = run(operation(json!({"parameters": [
            {"name": "m", "in": "query", "type": "array", "collectionFormat": "pipes",
             "items": {"type": "array", "collectionFormat": "csv", "items": {"type": "string"}}}
        ], "responses": {}})));
        let schema = &out["paths"]["/a"]["post"]["parameters"][0]["schema"];
        assert_eq!(
            schema["items"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("/paths/~1a/post/parameters/0/items/collectionFormat"));
    }

    #[test]
    fn path_level_parameters() {
        let (out, _) = run(doc(json!({
            "parameters": {"id": {"name": "id", "in": "path", "required": true, "type": "string"}},
            "paths": {"/a/{id}": {
                "parameters": [
                    {"$ref": "#/parameters/id"},
                    {"name": "b", "in": "body", "schema": {"type": "string"}},
                    {"name": "v", "in": "query", "type": "array", "items": {"type": "string"}}
                ],
                "get": {"responses": {}},
                "put": {"parameters": [{"name": "b", "in": "body", "schema": {"type": "integer"}}], "responses": {}}
            }, "/r": {"$ref": "#/x-paths/r"}}
        })));
        let item = &out["paths"]["/a/{id}"];
        assert_eq!(
            item["parameters"],
            json!([
                {"$ref": "#/components/parameters/id"},
                {"name": "v", "in": "query", "style": "form", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string"}}}
            ])
        );
        assert_eq!(
            item["get"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
        // Overridden by the operation's own.
        assert_eq!(
            item["put"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "integer"})
        );
        assert_eq!(out["paths"]["/r"], json!({"$ref": "#/x-paths/r"}));
    }

    #[test]
    fn responses_content_headers_and_examples() {
        let (out, warnings) = run(doc(json!({
            "produces": ["application/json"],
            "responses": {"E": {"description": "e"}},
            "paths": {"/a": {"get": {
                "produces": ["application/json", "application/xml"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                        "headers": {
                            "X-Rate": {"type": "integer", "format": "int32", "description": "r"},
                            "X-List": {"type": "array", "items": {"type": "string"}}
                        },
                        "examples": {"application/json": [{"id": 1}], "text/csv": "id\n1"},
                        "x-r": true
                    },
                    "404": {"$ref": "#/responses/E"},
                    "default": {"description": "err", "schema": {"type": "file"}},
                    "x-ext": {"kept": true}
                }
            }}}
        })));
        let responses = &out["paths"]["/a"]["get"]["responses"];
        let ok = &responses["200"];
        assert_eq!(
            ok["content"]["application/json"],
            json!({"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}, "example": [{"id": 1}]})
        );
        assert!(ok["content"]["application/xml"].get("example").is_none());
        assert_eq!(ok["content"]["text/csv"], json!({"example": "id\n1"}));
        assert_eq!(
            ok["headers"]["X-Rate"],
            json!({"description": "r", "schema": {"type": "integer", "format": "int32"}})
        );
        assert_eq!(
            ok["headers"]["X-List"],
            json!({"style": "simple", "schema": {"type": "array", "items": {"type": "string"}}})
        );
        assert_eq!(ok["x-r"], true);
        assert_eq!(
            responses["404"],
            json!({"$ref": "#/components/responses/E"})
        );
        assert_eq!(
            responses["default"]["content"]["application/xml"]["schema"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(responses["x-ext"], json!({"kept": true}));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn default_media_types_and_operation_schemes() {
        let (out, _) = run(doc(json!({
            "host": "h",
            "schemes": ["https"],
            "paths": {"/a": {"get": {
                "schemes": ["wss"],
                "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}
            }}}
        })));
        let get = &out["paths"]["/a"]["get"];
        assert!(
            get["responses"]["200"]["content"]
                .get("application/json")
                .is_some()
        );
        assert_eq!(get["servers"], json!([{"url": "wss://h"}]));
        assert!(get.get("schemes").is_none());
    }

    #[test]
    fn malformed_input_does_not_panic() {
        for input in [
            json!(null),
            json!([]),
            json!({"swagger": "2.0", "paths": 3, "definitions": [], "parameters": "x"}),
            json!({"swagger": "2.0", "paths": {"/a": {"get": {"parameters": {"a": 1}, "responses": []}}}}),
            json!({"swagger": "2.0", "paths": {"/a": {"parameters": [1, {"$ref": 2}], "get": {"parameters": [null, {"$ref": "#/parameters/"}], "responses": {"200": 1}}}}}),
            json!({"swagger": "2.0", "definitions": {"A": {"$ref": "#"}, "B": {"$ref": "#/"}, "C": {"items": [], "properties": 1}}}),
        ] {
            let _ = run(input);
        }
    }

    /// Generates the client of the Swagger 2.0 fixture `two` (converted
    /// here) and of `three` (its `swagger2openapi` conversion, after
    /// `patch`), both under `tests/fixtures`, and checks they are the same.
    fn assert_same_client_as_swagger2openapi(two: &str, three: &str, patch: fn(&mut Value)) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let read = |file: &str| std::fs::read_to_string(root.join(file)).unwrap_or_default();
        let config = crate::Config::new("spec.yaml")
            .crate_name("spec")
            .regenerate_command("generator");
        let ours = crate::generate_from_str(&config, &read(two), Path::new("spec.yaml"));
        let mut reference: Value = serde_yaml::from_str(&read(three)).unwrap_or_default();
        patch(&mut reference);
        let theirs =
            crate::generate_from_str(&config, &reference.to_string(), Path::new("spec.json"));
        let (Ok(ours), Ok(theirs)) = (ours, theirs) else {
            unreachable!("both fixtures generate")
        };
        assert!(ours.warnings.is_empty(), "{:?}", ours.warnings);
        assert_eq!(
            ours.files.files.keys().collect::<Vec<_>>(),
            theirs.files.files.keys().collect::<Vec<_>>()
        );
        for (name, text) in &ours.files.files {
            let other = theirs
                .files
                .files
                .get(name)
                .map(String::as_str)
                .unwrap_or_default();
            assert!(text == other, "{name} differs:\n{text}\n----\n{other}");
        }
    }

    /// The petstore fixture gives the same client as its `swagger2openapi`
    /// conversion, but for one known difference: `swagger2openapi` drops
    /// `required` from a multipart body when the required form field is
    /// not the first one (`uploadFile`'s `file`).
    #[test]
    fn petstore_fixture_generates_the_same_client() {
        assert_same_client_as_swagger2openapi(
            "swagger2/petstore.yaml",
            "swagger2/petstore.openapi3.yaml",
            |reference| {
                let body =
                    reference.pointer_mut("/paths/~1pets~1{petId}~1uploadImage/post/requestBody");
                assert!(
                    body.is_some(),
                    "the reference conversion has the upload body"
                );
                if let Some(Value::Object(body)) = body {
                    body.insert("required".to_owned(), Value::Bool(true));
                }
            },
        );
    }

    /// Responses documented only by `examples` keep their body, as in
    /// `swagger2openapi`'s conversion.
    #[test]
    fn response_examples_fixture_generates_the_same_client() {
        assert_same_client_as_swagger2openapi(
            "swagger2_response_examples.yaml",
            "swagger2/response_examples.openapi3.yaml",
            |_| {},
        );
    }
}
