//! The spec's own examples, for the generated crate's example tests
//! ([`crate::Config::example_tests`]): found in the normalised document,
//! paired with the generated type they must decode into, and checked
//! against their own schema first.
//!
//! Examples come from three places: a schema's `example` (of a named or
//! inline type, or of a struct's property), and the `example` and
//! `examples` of the JSON media type a request body or response is
//! generated for. An example that its own schema rejects is a mistake in
//! the spec, not a test of the generator: it is reported as a located
//! warning and left out of the tests.
//!
//! The check is a small JSON Schema validator for the OpenAPI 3.0 shape the
//! normaliser produces (see [`validate`]), so that OpenAPI's own rules
//! apply: `nullable`, boolean `exclusiveMinimum`, and required `readOnly`
//! properties that requests leave out (`writeOnly` ones in responses).

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::model::{Api, BodyMedia, StatusMatch, Ty, TypeKind};
use crate::pointer;

/// How deep the validator follows schemas into each other (through
/// `$ref`s and nesting) before it gives up and accepts.
const MAX_DEPTH: usize = 128;

/// One example to test: where it is, what it must decode into, and its
/// JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleCase {
    /// JSON pointer of the example's value.
    pub pointer: String,
    /// Words for the test's name (converted by the name registry).
    pub name: String,
    /// What the example is, in a sentence, for the test's docs.
    pub what: String,
    /// The type it must decode into.
    pub ty: Ty,
    /// The example as compact JSON.
    pub json: String,
    /// What must come back after a round trip, when it is less than the
    /// example: the example without the properties its schema does not
    /// declare (which the generated types drop by default).
    pub declared: Option<String>,
}

/// An example its own schema rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// JSON pointer of the example's value.
    pub pointer: String,
    /// Why the schema rejects it.
    pub reason: String,
}

/// The examples of a spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Examples {
    /// Examples to test, in spec order (types first, then operations).
    pub cases: Vec<ExampleCase>,
    /// Examples left out because their schema rejects them.
    pub rejected: Vec<Rejected>,
}

/// Where an example is used: requests may leave out required `readOnly`
/// properties, responses required `writeOnly` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A schema's own example: every required property is expected.
    Either,
    /// A request body.
    Request,
    /// A response body.
    Response,
}

/// Finds every example of `tree` (the normalised document) that has a
/// generated type, checks it against its schema, and warns about the
/// ones the schema rejects.
pub fn collect(tree: &Value, api: &Api, keep_unknown: bool, diags: &mut Diagnostics) -> Examples {
    let mut collector = Collector {
        tree,
        keep_unknown,
        examples: Examples::default(),
        seen: std::collections::HashSet::new(),
    };
    collector.schemas(api);
    collector.operations(api);
    for rejected in &collector.examples.rejected {
        diags.warn(
            &rejected.pointer,
            format!(
                "the example contradicts its own schema ({}); it is left out of the example tests",
                rejected.reason
            ),
        );
    }
    collector.examples
}

struct Collector<'a> {
    tree: &'a Value,
    keep_unknown: bool,
    examples: Examples,
    seen: std::collections::HashSet<String>,
}

impl Collector<'_> {
    /// Examples of types and of struct properties.
    fn schemas(&mut self, api: &Api) {
        let tree = self.tree;
        for (id, def) in api.types.iter() {
            if def.origin.is_empty() {
                continue;
            }
            let Some(schema) = tree.pointer(&def.origin) else {
                continue;
            };
            let ty = Ty::Named(id);
            if let Some(example) = schema.get("example") {
                let what = format!("The example of the schema at `#{}`.", def.origin);
                self.add(
                    &pointer::join(&def.origin, "example"),
                    format!("{} example", def.name),
                    what,
                    ty,
                    example,
                    schema,
                    Direction::Either,
                );
            }
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            for field in &s.fields {
                let at = pointer::join(&pointer::join(&def.origin, "properties"), &field.wire);
                let Some(property) = tree.pointer(&at) else {
                    continue;
                };
                let Some(example) = property.get("example") else {
                    continue;
                };
                let what = format!(
                    "The example of property `{}` of `{}`.",
                    field.wire.replace('`', "'"),
                    def.name
                );
                self.add(
                    &pointer::join(&at, "example"),
                    format!("{} {} example", def.name, field.name),
                    what,
                    field.ty.clone(),
                    example,
                    property,
                    Direction::Either,
                );
            }
        }
    }

    /// Examples of JSON request bodies and responses.
    fn operations(&mut self, api: &Api) {
        let tree = self.tree;
        for op in &api.operations {
            let Some(operation) = tree.pointer(&op.origin) else {
                continue;
            };
            let title = format!("`{} {}`", op.method, op.path.replace('`', "'"));
            if let Some(body) = &op.body
                && body.media == BodyMedia::Json
                && let Some((at, request)) = self.resolve(
                    &pointer::join(&op.origin, "requestBody"),
                    operation.get("requestBody"),
                )
            {
                let at = pointer::join(&pointer::join(&at, "content"), &body.content_type);
                if let Some(media) = request
                    .get("content")
                    .and_then(|c| c.get(&body.content_type))
                {
                    let what = format!("the request body of {title}");
                    let name = format!("{} request", op.name);
                    self.media(&at, media, &name, &what, &body.ty, Direction::Request);
                }
            }
            let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (key, response) in responses {
                let Some(status) = status_of(key) else {
                    continue;
                };
                let Some(Some((ty, BodyMedia::Json))) = op
                    .responses
                    .iter()
                    .find(|r| r.status == status)
                    .map(|r| r.body.as_ref())
                else {
                    continue;
                };
                let Some((at, response)) = self.resolve(
                    &pointer::join(&pointer::join(&op.origin, "responses"), key),
                    Some(response),
                ) else {
                    continue;
                };
                // The media type lowering picked: the first JSON one.
                let Some((content_type, media)) = response
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.iter().find(|(ct, _)| is_json(ct)))
                else {
                    continue;
                };
                let at = pointer::join(&pointer::join(&at, "content"), content_type);
                let what = format!("the {key} response of {title}");
                let name = format!("{} {key}", op.name);
                self.media(&at, media, &name, &what, ty, Direction::Response);
            }
        }
    }

    /// The `example` and `examples` of one media type object at `at`.
    fn media(
        &mut self,
        at: &str,
        media: &Value,
        name: &str,
        what: &str,
        ty: &Ty,
        direction: Direction,
    ) {
        let Some(schema) = media.get("schema") else {
            return;
        };
        if let Some(example) = media.get("example") {
            self.add(
                &pointer::join(at, "example"),
                format!("{name} example"),
                format!("The example of {what}."),
                ty.clone(),
                example,
                schema,
                direction,
            );
        }
        let Some(examples) = media.get("examples").and_then(Value::as_object) else {
            return;
        };
        for (key, example) in examples {
            let Some((example_at, example)) = self.resolve(
                &pointer::join(&pointer::join(at, "examples"), key),
                Some(example),
            ) else {
                continue;
            };
            let Some(value) = example.get("value") else {
                continue;
            };
            self.add(
                &pointer::join(&example_at, "value"),
                format!("{name} {key}"),
                format!("Example `{}` of {what}.", key.replace('`', "'")),
                ty.clone(),
                value,
                schema,
                direction,
            );
        }
    }

    /// Follows a local `$ref` (a few times), giving the pointer and the
    /// object it names.
    fn resolve<'t>(&self, at: &str, node: Option<&'t Value>) -> Option<(String, &'t Value)>
    where
        Self: 't,
    {
        let tree: &'t Value = self.tree;
        let mut at = at.to_owned();
        let mut node = node?;
        for _ in 0..16 {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                return Some((at, node));
            };
            at = pointer::fragment_pointer(reference)?;
            node = tree.pointer(&at)?;
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        at: &str,
        name: String,
        what: String,
        ty: Ty,
        example: &Value,
        schema: &Value,
        direction: Direction,
    ) {
        // A shared component (response, example) is tested once.
        if !self.seen.insert(at.to_owned()) {
            return;
        }
        let validator = Validator {
            root: self.tree,
            direction,
        };
        if let Err(reason) = validator.check(example, schema, "", 0) {
            self.examples.rejected.push(Rejected {
                pointer: at.to_owned(),
                reason,
            });
            return;
        }
        self.examples.cases.push(ExampleCase {
            pointer: at.to_owned(),
            name,
            what,
            ty,
            json: example.to_string(),
            declared: if self.keep_unknown {
                None
            } else {
                let declared = validator.declared(example, schema, 0);
                (declared != *example).then(|| declared.to_string())
            },
        });
    }
}

/// Whether lowering reads a media type as JSON.
fn is_json(content_type: &str) -> bool {
    crate::lower::operation::media_of(content_type) == Some(BodyMedia::Json)
}

/// The status a `responses` key stands for.
fn status_of(key: &str) -> Option<StatusMatch> {
    if key == "default" {
        return Some(StatusMatch::Default);
    }
    if let Ok(code) = key.parse::<u16>() {
        return Some(StatusMatch::Code(code));
    }
    let rest = key.strip_suffix("XX").or_else(|| key.strip_suffix("xx"))?;
    rest.parse::<u16>().ok().map(StatusMatch::Range)
}

/// Checks a value against a schema of the normalised document.
pub struct Validator<'a> {
    /// The document, for `$ref`s.
    pub root: &'a Value,
    /// Which required properties may be left out.
    pub direction: Direction,
}

impl Validator<'_> {
    /// `Ok` when `schema` accepts `value`, else why not; `path` is the
    /// JSON pointer of `value` inside the example.
    pub fn check(
        &self,
        value: &Value,
        schema: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let Some(schema) = schema.as_object() else {
            return match schema {
                Value::Bool(false) => Err(at(path, "no value is allowed here")),
                _ => Ok(()),
            };
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return match pointer::fragment_pointer(reference).and_then(|p| self.root.pointer(&p)) {
                Some(target) => self.check(value, target, path, depth + 1),
                None => Ok(()),
            };
        }
        let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
        if value.is_null() && nullable {
            return Ok(());
        }
        if let Some(kind) = schema.get("type").and_then(Value::as_str)
            && !has_type(value, kind)
        {
            return Err(at(
                path,
                &format!("expected {kind}, found {}", kind_of(value)),
            ));
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.iter().any(|a| same(a, value))
        {
            return Err(at(
                path,
                &format!("{} is not one of the enum's values", short(value)),
            ));
        }
        match value {
            Value::String(text) => check_string(text, schema, path)?,
            Value::Number(_) => check_number(value, schema, path)?,
            Value::Array(items) => {
                self.check_array(items, schema, path, depth)?;
            }
            Value::Object(object) => self.check_object(object, schema, path, depth)?,
            Value::Null | Value::Bool(_) => {}
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for part in parts {
                self.check(value, part, path, depth + 1)?;
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(parts) = schema.get(keyword).and_then(Value::as_array) {
                self.check_alternatives(value, schema, parts, keyword, path, depth)?;
            }
        }
        if let Some(not) = schema.get("not")
            && self.check(value, not, path, depth + 1).is_ok()
        {
            return Err(at(path, "the value matches the schema under `not`"));
        }
        Ok(())
    }

    /// `oneOf` and `anyOf` alike: some alternative must accept the value
    /// (overlapping `oneOf` alternatives are common in OpenAPI documents
    /// and are not what this lint is for), the one the discriminator names
    /// when the value has one.
    fn check_alternatives(
        &self,
        value: &Value,
        schema: &serde_json::Map<String, Value>,
        parts: &[Value],
        keyword: &str,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        if parts.is_empty() {
            return Ok(());
        }
        let tag = schema
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str)
            .and_then(|property| value.get(property))
            .and_then(Value::as_str);
        if let Some(tag) = tag {
            let mapped = schema
                .get("discriminator")
                .and_then(|d| d.get("mapping"))
                .and_then(|m| m.get(tag))
                .and_then(Value::as_str)
                .map(|target| {
                    if target.starts_with('#') {
                        target.to_owned()
                    } else {
                        format!("#/components/schemas/{}", pointer::escape(target))
                    }
                })
                .unwrap_or_else(|| format!("#/components/schemas/{}", pointer::escape(tag)));
            if let Some(chosen) = parts
                .iter()
                .find(|p| p.get("$ref").and_then(Value::as_str) == Some(mapped.as_str()))
            {
                return self.check(value, chosen, path, depth + 1);
            }
        }
        let mut first = None;
        for part in parts {
            match self.check(value, part, path, depth + 1) {
                Ok(()) => return Ok(()),
                Err(reason) => {
                    first.get_or_insert(reason);
                }
            }
        }
        Err(format!(
            "no alternative of `{keyword}` at {} accepts the value; the first says: {}",
            display_path(path),
            first.unwrap_or_default()
        ))
    }

    fn check_array(
        &self,
        items: &[Value],
        schema: &serde_json::Map<String, Value>,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
            && count < min
        {
            return Err(at(
                path,
                &format!("{count} items, fewer than minItems {min}"),
            ));
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
            && count > max
        {
            return Err(at(
                path,
                &format!("{count} items, more than maxItems {max}"),
            ));
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.check(item, item_schema, &pointer::join_index(path, i), depth + 1)?;
            }
        }
        Ok(())
    }

    fn check_object(
        &self,
        object: &serde_json::Map<String, Value>,
        schema: &serde_json::Map<String, Value>,
        path: &str,
        depth: usize,
    ) -> Result<(), String> {
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if object.contains_key(name) {
                    continue;
                }
                let property = properties.and_then(|p| p.get(name));
                if property.is_some_and(|p| self.may_leave_out(p, depth)) {
                    continue;
                }
                return Err(at(path, &format!("required property `{name}` is missing")));
            }
        }
        for (key, value) in object {
            let inner = pointer::join(path, key);
            match properties.and_then(|p| p.get(key)) {
                Some(property) => self.check(value, property, &inner, depth + 1)?,
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        return Err(at(
                            path,
                            &format!(
                                "property `{key}` is not declared and additionalProperties is false"
                            ),
                        ));
                    }
                    Some(extra @ Value::Object(_)) => {
                        self.check(value, extra, &inner, depth + 1)?
                    }
                    _ => {}
                },
            }
        }
        Ok(())
    }

    /// `value` without the object properties `schema` does not declare
    /// (in `properties` of the schema or of any part of its `allOf`,
    /// `oneOf` or `anyOf`) when it does not admit others: what the
    /// generated types keep.
    pub fn declared(&self, value: &Value, schema: &Value, depth: usize) -> Value {
        let Some(schema) = self.follow(schema, depth) else {
            return value.clone();
        };
        match value {
            Value::Array(items) => match schema.get("items") {
                Some(item_schema) => Value::Array(
                    items
                        .iter()
                        .map(|item| self.declared(item, item_schema, depth + 1))
                        .collect(),
                ),
                None => value.clone(),
            },
            Value::Object(object) => {
                let mut properties = serde_json::Map::new();
                let mut open = false;
                self.declarations(schema, value, &mut properties, &mut open, depth);
                if properties.is_empty() {
                    return value.clone();
                }
                let mut kept = serde_json::Map::new();
                for (key, inner) in object {
                    match properties.get(key) {
                        Some(property) => {
                            kept.insert(key.clone(), self.declared(inner, property, depth + 1));
                        }
                        None if open => {
                            kept.insert(key.clone(), inner.clone());
                        }
                        None => {}
                    }
                }
                Value::Object(kept)
            }
            _ => value.clone(),
        }
    }

    /// Collects the properties a schema and its parts declare (of `oneOf`
    /// and `anyOf`, only the alternatives that accept `value`: the others'
    /// properties are not what the value is); `open` is set when some part
    /// admits undeclared properties.
    fn declarations(
        &self,
        schema: &Value,
        value: &Value,
        properties: &mut serde_json::Map<String, Value>,
        open: &mut bool,
        depth: usize,
    ) {
        let Some(schema) = self.follow(schema, depth) else {
            return;
        };
        let Some(object) = schema.as_object() else {
            *open = true;
            return;
        };
        let mut parts: Vec<&Value> = object
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        for keyword in ["oneOf", "anyOf"] {
            let alternatives = object.get(keyword).and_then(Value::as_array);
            let alternatives = alternatives.map(Vec::as_slice).unwrap_or_default();
            let accepting: Vec<&Value> = alternatives
                .iter()
                .filter(|a| self.check(value, a, "", depth + 1).is_ok())
                .collect();
            if accepting.is_empty() {
                parts.extend(alternatives);
            } else {
                parts.extend(accepting);
            }
        }
        let declared = object.get("properties").and_then(Value::as_object);
        match object.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(_) => *open = true,
        }
        if declared.is_none() && parts.is_empty() {
            // A free-form object: everything is kept.
            *open = true;
        }
        for (key, property) in declared.into_iter().flatten() {
            properties
                .entry(key.clone())
                .or_insert_with(|| property.clone());
        }
        for part in parts {
            self.declarations(part, value, properties, open, depth + 1);
        }
    }

    /// A schema with its `$ref`s followed.
    fn follow<'s>(&'s self, schema: &'s Value, depth: usize) -> Option<&'s Value> {
        let mut schema = schema;
        for _ in depth..MAX_DEPTH {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                return Some(schema);
            };
            schema = pointer::fragment_pointer(reference).and_then(|p| self.root.pointer(&p))?;
        }
        None
    }

    /// Whether a required property may be absent in this direction.
    fn may_leave_out(&self, property: &Value, depth: usize) -> bool {
        let mut property = property;
        for _ in 0..depth.min(16) + 1 {
            let Some(reference) = property.get("$ref").and_then(Value::as_str) else {
                break;
            };
            match pointer::fragment_pointer(reference).and_then(|p| self.root.pointer(&p)) {
                Some(target) => property = target,
                None => return false,
            }
        }
        let flag = |name: &str| property.get(name).and_then(Value::as_bool) == Some(true);
        match self.direction {
            Direction::Either => false,
            Direction::Request => flag("readOnly"),
            Direction::Response => flag("writeOnly"),
        }
    }
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => true,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// JSON equality with `1` equal to `1.0`.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A value for a message, cut short.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "the top".to_owned()
    } else {
        format!("`{path}`")
    }
}

fn at(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_owned()
    } else {
        format!("at `{path}`: {message}")
    }
}

fn check_string(
    text: &str,
    schema: &serde_json::Map<String, Value>,
    path: &str,
) -> Result<(), String> {
    let length = u64::try_from(text.chars().count()).unwrap_or(u64::MAX);
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && length < min
    {
        return Err(at(
            path,
            &format!("{length} characters, fewer than minLength {min}"),
        ));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && length > max
    {
        return Err(at(
            path,
            &format!("{length} characters, more than maxLength {max}"),
        ));
    }
    // Only the formats the generated types decode strictly.
    let valid = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => is_date_time(text),
        Some("date") => is_date(text),
        Some("uuid") => is_uuid(text),
        _ => true,
    };
    if !valid {
        let format = schema
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(at(
            path,
            &format!(
                "{} is not a valid {format}",
                short(&Value::String(text.to_owned()))
            ),
        ));
    }
    Ok(())
}

fn check_number(
    value: &Value,
    schema: &serde_json::Map<String, Value>,
    path: &str,
) -> Result<(), String> {
    let number = value.as_f64().unwrap_or_default();
    let bound = |name: &str| schema.get(name).and_then(Value::as_f64);
    let exclusive = |name: &str| schema.get(name).and_then(Value::as_bool) == Some(true);
    if let Some(min) = bound("minimum") {
        let below = if exclusive("exclusiveMinimum") {
            number <= min
        } else {
            number < min
        };
        if below {
            return Err(at(path, &format!("{value} is below the minimum {min}")));
        }
    }
    if let Some(max) = bound("maximum") {
        let above = if exclusive("exclusiveMaximum") {
            number >= max
        } else {
            number > max
        };
        if above {
            return Err(at(path, &format!("{value} is above the maximum {max}")));
        }
    }
    let fits = match schema.get("format").and_then(Value::as_str) {
        Some("int32") if schema.get("type").and_then(Value::as_str) == Some("integer") => {
            value.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
        }
        Some("int64") if schema.get("type").and_then(Value::as_str) == Some("integer") => {
            value.as_i64().is_some() || value.as_f64().is_some_and(|f| f.abs() < 9.2e18)
        }
        _ => true,
    };
    if !fits {
        let format = schema
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(at(path, &format!("{value} does not fit {format}")));
    }
    Ok(())
}

/// `digits` ASCII digits at the start of `text`, and the rest.
fn digits(text: &str, count: usize) -> Option<(u32, &str)> {
    let head = text.get(..count)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, text.get(count..)?))
}

/// RFC 3339 `full-date`, giving the rest of the text.
fn date_prefix(text: &str) -> Option<&str> {
    let (_, rest) = digits(text, 4)?;
    let (month, rest) = digits(rest.strip_prefix('-')?, 2)?;
    let (day, rest) = digits(rest.strip_prefix('-')?, 2)?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(rest)
}

fn is_date(text: &str) -> bool {
    date_prefix(text).is_some_and(str::is_empty)
}

/// RFC 3339 `date-time` (`T`, `t` or a space between date and time).
fn is_date_time(text: &str) -> bool {
    let Some(rest) = date_prefix(text) else {
        return false;
    };
    let Some(rest) = rest
        .strip_prefix('T')
        .or_else(|| rest.strip_prefix('t'))
        .or_else(|| rest.strip_prefix(' '))
    else {
        return false;
    };
    let time = || -> Option<&str> {
        let (hour, rest) = digits(rest, 2)?;
        let (minute, rest) = digits(rest.strip_prefix(':')?, 2)?;
        let (second, mut rest) = digits(rest.strip_prefix(':')?, 2)?;
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if let Some(fraction) = rest.strip_prefix('.') {
            let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if count == 0 {
                return None;
            }
            rest = fraction.get(count..)?;
        }
        Some(rest)
    };
    let Some(zone) = time() else {
        return false;
    };
    if zone == "Z" || zone == "z" {
        return true;
    }
    let Some(offset) = zone.strip_prefix('+').or_else(|| zone.strip_prefix('-')) else {
        return false;
    };
    let hours = digits(offset, 2);
    let minutes = hours.and_then(|(_, rest)| digits(rest.strip_prefix(':')?, 2));
    matches!((hours, minutes), (Some((h, _)), Some((m, ""))) if h < 24 && m < 60)
}

/// A UUID as the `uuid` crate reads it: hyphenated, simple, braced or
/// URN.
fn is_uuid(text: &str) -> bool {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let text = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    hex.len() == 32
        && hex.chars().all(|c| c.is_ascii_hexdigit())
        && (groups == [32] || groups == [8, 4, 4, 4, 12])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(value: Value, schema: Value, direction: Direction) -> Result<(), String> {
        let root = json!({"components": {"schemas": {
            "Id": {"type": "integer", "format": "int32"},
            "Cat": {"type": "object", "required": ["kind", "meows"], "properties": {"kind": {"type": "string"}, "meows": {"type": "boolean"}}},
            "Dog": {"type": "object", "required": ["kind", "barks"], "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}}
        }}});
        Validator {
            root: &root,
            direction,
        }
        .check(&value, &schema, "", 0)
    }

    #[test]
    fn types_and_nullable() {
        let either = Direction::Either;
        assert!(check(json!(1), json!({"type": "integer"}), either).is_ok());
        assert!(check(json!(1.0), json!({"type": "integer"}), either).is_ok());
        assert!(check(json!(1.5), json!({"type": "integer"}), either).is_err());
        assert!(check(json!(null), json!({"type": "string"}), either).is_err());
        assert!(
            check(
                json!(null),
                json!({"type": "string", "nullable": true}),
                either
            )
            .is_ok()
        );
        assert!(check(json!(null), json!({}), either).is_ok());
        assert!(
            check(
                json!(3_000_000_000_u64),
                json!({"$ref": "#/components/schemas/Id"}),
                either
            )
            .is_err()
        );
        let error = check(
            json!({"a": [1, "x"]}),
            json!({"properties": {"a": {"items": {"type": "integer"}}}}),
            either,
        )
        .err();
        assert_eq!(
            error.as_deref(),
            Some("at `/a/1`: expected integer, found string")
        );
    }

    #[test]
    fn objects_follow_the_direction() {
        let schema = json!({
            "type": "object",
            "required": ["id", "secret"],
            "properties": {"id": {"type": "string", "readOnly": true}, "secret": {"type": "string", "writeOnly": true}},
            "additionalProperties": false
        });
        assert!(check(json!({"secret": "s"}), schema.clone(), Direction::Request).is_ok());
        assert!(check(json!({"secret": "s"}), schema.clone(), Direction::Response).is_err());
        assert!(check(json!({"id": "i"}), schema.clone(), Direction::Response).is_ok());
        assert!(
            check(
                json!({"id": "i", "secret": "s"}),
                schema.clone(),
                Direction::Either
            )
            .is_ok()
        );
        let error = check(
            json!({"id": "i", "secret": "s", "x": 1}),
            schema,
            Direction::Either,
        )
        .err()
        .unwrap_or_default();
        assert!(error.contains("`x` is not declared"), "{error}");
    }

    #[test]
    fn alternatives_and_discriminators() {
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"dog": "#/components/schemas/Dog"}}
        });
        let either = Direction::Either;
        assert!(
            check(
                json!({"kind": "Cat", "meows": true}),
                schema.clone(),
                either
            )
            .is_ok()
        );
        assert!(
            check(
                json!({"kind": "dog", "barks": true}),
                schema.clone(),
                either
            )
            .is_ok()
        );
        // The discriminator names the dog, which needs `barks`.
        assert!(
            check(
                json!({"kind": "dog", "meows": true}),
                schema.clone(),
                either
            )
            .is_err()
        );
        assert!(check(json!({"kind": "x"}), schema, either).is_err());
    }

    #[test]
    fn formats_and_bounds() {
        assert!(is_date_time("2011-01-26T19:01:12Z"));
        assert!(is_date_time("2011-01-26T19:01:12.123+01:00"));
        assert!(!is_date_time("2011-01-26"));
        assert!(!is_date_time("2011-13-26T19:01:12Z"));
        assert!(is_date("2011-01-26"));
        assert!(is_uuid("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(!is_uuid("67e55044"));
        let either = Direction::Either;
        assert!(
            check(
                json!(0),
                json!({"minimum": 0, "exclusiveMinimum": true}),
                either
            )
            .is_err()
        );
        assert!(check(json!("ab"), json!({"maxLength": 1}), either).is_err());
        assert!(check(json!([1]), json!({"minItems": 2}), either).is_err());
        assert!(check(json!("c"), json!({"enum": ["a", "b"]}), either).is_err());
        assert!(check(json!({"a": 1}), json!({"not": {"required": ["a"]}}), either).is_err());
    }

    #[test]
    fn undeclared_properties_are_not_expected_back() {
        let root = json!({});
        let validator = Validator {
            root: &root,
            direction: Direction::Either,
        };
        let schema = json!({
            "properties": {"a": {"properties": {"x": {}}}, "list": {"items": {"properties": {"y": {}}}}},
            "allOf": [{"properties": {"b": {}}}]
        });
        let value = json!({"a": {"x": 1, "z": 2}, "b": 3, "c": 4, "list": [{"y": 1, "w": 2}]});
        assert_eq!(
            validator.declared(&value, &schema, 0),
            json!({"a": {"x": 1}, "b": 3, "list": [{"y": 1}]})
        );
        // Only the alternatives that accept the value declare.
        let either = json!({"anyOf": [
            {"properties": {"b": {}, "c": {"type": "string"}}},
            {"properties": {"a": {}, "b": {}}}
        ]});
        assert_eq!(
            validator.declared(&json!({"a": 1, "b": 2, "c": 3}), &either, 0),
            json!({"a": 1, "b": 2})
        );
        let open = json!({"properties": {"a": {}}, "additionalProperties": true});
        assert_eq!(validator.declared(&value, &open, 0), value);
        assert_eq!(
            validator.declared(&value, &json!({"type": "object"}), 0),
            value
        );
    }

    #[test]
    fn status_keys() {
        assert_eq!(status_of("200"), Some(StatusMatch::Code(200)));
        assert_eq!(status_of("4XX"), Some(StatusMatch::Range(4)));
        assert_eq!(status_of("default"), Some(StatusMatch::Default));
        assert_eq!(status_of("x"), None);
    }
}
