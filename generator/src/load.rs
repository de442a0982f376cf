//! Reads a spec file, parses JSON or YAML, gates on the OpenAPI version and
//! hands a 3.0-shaped document to `openapiv3`.
//!
//! This is the only module that knows about `serde_yaml` and about the text
//! of the file; everything after it works on the parsed document.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

use crate::Error;
use crate::diagnostics::{self, Diagnostic, Diagnostics, Location, Severity, SourceLine};
pub use crate::normalize::SpecVersion;
use crate::normalize::{self, HTTP_METHODS};
use crate::pointer::escape as escape_pointer_token;
use crate::span::SourceMap;

/// A parsed and normalised spec.
#[derive(Debug)]
pub struct Document {
    /// The file it was read from (as given, used in diagnostics).
    pub path: PathBuf,
    /// The version the file declared.
    pub version: SpecVersion,
    /// The document as the `openapiv3` crate models it.
    pub api: openapiv3::OpenAPI,
    /// The file's text, for showing diagnostics' source lines.
    pub text: String,
    /// Whether the text was read as JSON (else YAML).
    pub json: bool,
    /// How long each loading phase took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The tree as parsed (converted, for Swagger 2.0), before
    /// normalisation. Only `$ref`s that point outside the components
    /// `openapiv3` models need it, so it is parsed again from `text` on
    /// first use instead of being kept beside `api` for every spec (a
    /// multi-file spec's bundled tree is kept: `text` is only its root).
    raw: OnceLock<Value>,
}

impl Document {
    /// The tree as parsed, before normalisation: `$ref`s that point inside
    /// schemas (`…/allOf/3/properties/x`) or at other objects are resolved
    /// here, because normalisation may move what they point at.
    pub fn raw(&self) -> &Value {
        self.raw.get_or_init(|| {
            let Ok(raw) = parse_text(&self.text, &self.path, self.json) else {
                return Value::Null;
            };
            if crate::swagger2::is_swagger2(&raw) {
                crate::swagger2::convert(&raw, &mut Diagnostics::new(&self.path))
            } else {
                raw
            }
        })
    }

    /// Adds line, column and source line to diagnostics about this file.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        locate_in(&self.text, self.json, diagnostics);
    }

    /// Like [`Document::locate`], with a source map built in advance (see
    /// [`Document::source_map`]), or `None` to build one if needed.
    pub(crate) fn locate_with(&self, diagnostics: &mut [Diagnostic], map: Option<SourceMap>) {
        match map {
            Some(map) => diagnostics::locate(diagnostics, &map),
            None => self.locate(diagnostics),
        }
    }

    /// The source map of a large JSON document: built while lowering runs
    /// on one core, so that locating its warnings costs no time after
    /// (13 MB take about 40 ms to map, a tenth of lowering them). `None`
    /// for small documents, which map quickly when there is something to
    /// locate, and for YAML, which maps as slowly as it parses.
    pub(crate) fn source_map(&self) -> Option<SourceMap> {
        (self.json && self.text.len() >= PARALLEL_PARSE_BYTES)
            .then(|| SourceMap::new(self.text.as_str(), true))
    }
}

/// Adds positions to `diagnostics` from `text` (a source map is built
/// only when there is something to locate: for a large YAML file it costs
/// about as much as parsing).
fn locate_in(text: &str, json: bool, diagnostics: &mut [Diagnostic]) {
    if diagnostics.iter().all(|d| d.location.source.is_some()) {
        return;
    }
    let map = SourceMap::new(text, json);
    diagnostics::locate(diagnostics, &map);
}

/// Adds the source line to a syntax error that has a line and column.
pub(crate) fn with_source_line(mut error: Error, text: &str) -> Error {
    if let Error::Spec(diagnostics) = &mut error {
        for diagnostic in diagnostics {
            let location = &mut diagnostic.location;
            let Some((line, column)) = location.line_column else {
                continue;
            };
            // A parser may point just past the end (an unclosed flow at
            // the end of the file): show the last line then.
            let lines = text.lines().count();
            let shown = line.min(lines).max(1);
            let Some(line_text) = text.lines().nth(shown - 1) else {
                continue;
            };
            if shown != line {
                location.line_column = Some((shown, line_text.chars().count() + 1));
            }
            let column = location.line_column.map_or(column, |(_, c)| c);
            let start = line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i);
            let end = line_text
                .get(start..)
                .and_then(|rest| rest.chars().next())
                .map_or(start, |c| start + c.len_utf8());
            location.source = Some(SourceLine {
                text: line_text.to_owned(),
                range: (start, end),
            });
        }
    }
    error
}

/// Reads and parses the spec at `path`.
///
/// Warnings (constructs that were normalised away) are added to `diags`;
/// anything that stops parsing is returned as [`Error::Spec`].
pub fn load(path: &Path, diags: &mut Diagnostics) -> Result<Document, Error> {
    let started = Instant::now();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let read = started.elapsed();
    let mut doc = load_text(&text, path, true, diags)?;
    doc.timings.insert(0, ("read", read));
    Ok(doc)
}

/// Parses spec `text` as if it had been read from `path` (external
/// `$ref`s are not followed: there is no file system behind `text`).
pub fn load_str(text: &str, path: &Path, diags: &mut Diagnostics) -> Result<Document, Error> {
    load_text(text, path, false, diags)
}

/// Parses spec `text` read from `path`; with `files`, the local files its
/// `$ref`s name are bundled in (see `bundle.rs`).
fn load_text(
    text: &str,
    path: &Path,
    files: bool,
    diags: &mut Diagnostics,
) -> Result<Document, Error> {
    let json = looks_like_json(text, path);
    let located = |error: Error| match error {
        Error::Spec(mut diagnostics) => {
            locate_in(text, json, &mut diagnostics);
            Error::Spec(diagnostics)
        }
        other => other,
    };
    let mut clock = Instant::now();
    let mut timings = Vec::new();
    let mut lap = |phase: &'static str| {
        timings.push((phase, clock.elapsed()));
        clock = Instant::now();
    };
    let mut raw = parse_text(text, path, json).map_err(|e| with_source_line(e, text))?;
    // A bundled tree is kept: `text` alone no longer gives it.
    let bundled =
        (files && crate::bundle::bundle(&mut raw, text, json, path, diags)?).then(|| raw.clone());
    if crate::swagger2::is_swagger2(&raw) {
        raw = crate::swagger2::convert(&raw, diags);
    }
    lap("parse");
    let version = gate_version(&raw, path).map_err(located)?;
    let mut tree = raw;
    let parts = normalize::normalize_split(&mut tree, version, diags);
    lap("normalize");
    // Moved into `openapiv3`'s types, the tree's strings are not copied.
    let api = match deserialize_parallel(tree, parts, diags) {
        Ok(api) => api,
        Err(_) => {
            // Again, from a fresh parse and on one thread: this says where
            // the document is broken, and still reads it should the split
            // itself have failed (no thread to start).
            let mut tree = match &bundled {
                Some(tree) => tree.clone(),
                None => parse_text(text, path, json)?,
            };
            if crate::swagger2::is_swagger2(&tree) {
                tree = crate::swagger2::convert(&tree, &mut Diagnostics::new(path));
            }
            // Its warnings repeat those already found, which sorting
            // removes, and add any of path items that went missing.
            normalize::normalize(&mut tree, version, diags);
            deserialize(&tree, path).map_err(located)?
        }
    };
    lap("deserialize");
    Ok(Document {
        path: path.to_path_buf(),
        version,
        api,
        text: text.to_owned(),
        json,
        timings,
        raw: bundled.map_or_else(OnceLock::new, OnceLock::from),
    })
}

/// Path items or schemas per chunk of work: small enough that two
/// threads finish within a chunk of each other, large enough that a chunk
/// is worth a map of its own.
const MEMBERS_PER_CHUNK: usize = 128;

/// One chunk of deserializing work.
enum Chunk {
    /// The document without its path items and component schemas
    /// (normalised already).
    Rest(Value),
    /// Some path items, in document order, to normalise and deserialize.
    PathItems(serde_json::Map<String, Value>),
    /// Some component schemas, likewise.
    Schemas(serde_json::Map<String, Value>),
}

/// Pushes `members` onto `chunks` in order, `MEMBERS_PER_CHUNK` a chunk.
fn push_chunks(
    chunks: &mut Vec<Chunk>,
    members: serde_json::Map<String, Value>,
    chunk: fn(serde_json::Map<String, Value>) -> Chunk,
) {
    let mut members = members.into_iter().peekable();
    while members.peek().is_some() {
        chunks.push(chunk(members.by_ref().take(MEMBERS_PER_CHUNK).collect()));
    }
}

/// Component schemas, deserialized, in document order.
type Schemas = Vec<(String, openapiv3::ReferenceOr<openapiv3::Schema>)>;

/// What a chunk became.
enum Deserialized {
    Rest(Box<openapiv3::OpenAPI>),
    PathItems(openapiv3::Paths, Diagnostics),
    Schemas(Schemas, Diagnostics),
}

/// Deserializes the document (`rest`, normalised, with `paths` and
/// `components.schemas` empty) and the members taken out of those
/// (`parts`, normalised here) on the machine's cores. The members go in
/// chunks: path items are 85% of graph-beta, schemas and path items most
/// of GitHub's description, so chunks are what balances the threads.
/// Their warnings are added to `diags`.
fn deserialize_parallel(
    rest: Value,
    parts: normalize::Parts,
    diags: &mut Diagnostics,
) -> Result<openapiv3::OpenAPI, serde_json::Error> {
    // The document first: it is the largest chunk.
    let mut chunks = vec![Chunk::Rest(rest)];
    push_chunks(&mut chunks, parts.schemas, Chunk::Schemas);
    push_chunks(&mut chunks, parts.path_items, Chunk::PathItems);
    let file = diags.file().to_path_buf();
    let chunks: Vec<std::sync::Mutex<Option<Chunk>>> = chunks
        .into_iter()
        .map(|chunk| std::sync::Mutex::new(Some(chunk)))
        .collect();
    let deserialize = |index: usize| -> Result<Deserialized, serde_json::Error> {
        let chunk = chunks
            .get(index)
            .and_then(|slot| slot.lock().ok().and_then(|mut chunk| chunk.take()));
        match chunk {
            Some(Chunk::Rest(tree)) => {
                openapiv3::OpenAPI::deserialize(tree).map(|api| Deserialized::Rest(Box::new(api)))
            }
            Some(Chunk::PathItems(mut items)) => {
                let mut diags = Diagnostics::new(&file);
                normalize::normalize_path_items(&mut items, &mut diags);
                openapiv3::Paths::deserialize(Value::Object(items))
                    .map(|paths| Deserialized::PathItems(paths, diags))
            }
            Some(Chunk::Schemas(mut schemas)) => {
                let mut diags = Diagnostics::new(&file);
                normalize::normalize_component_schemas(&mut schemas, &mut diags);
                schemas
                    .into_iter()
                    .map(|(name, schema)| {
                        openapiv3::ReferenceOr::<openapiv3::Schema>::deserialize(schema)
                            .map(|schema| (name, schema))
                    })
                    .collect::<Result<Schemas, _>>()
                    .map(|schemas| Deserialized::Schemas(schemas, diags))
            }
            None => Err(serde::de::Error::custom("a chunk was taken twice")),
        }
    };
    let ((), done) = crate::parallel::run(chunks.len(), DESERIALIZE_STACK, deserialize, || ());
    let mut api = None;
    let mut paths = openapiv3::Paths::default();
    let mut schemas = Schemas::new();
    for result in done {
        // Never a document short of the members of a lost chunk.
        let result = result.unwrap_or_else(|| {
            Err(serde::de::Error::custom(
                "deserializing the document failed on a thread",
            ))
        });
        match result? {
            Deserialized::Rest(rest) => api = Some(*rest),
            Deserialized::PathItems(items, found) => {
                paths.paths.extend(items.paths);
                paths.extensions.extend(items.extensions);
                diags.absorb(found);
            }
            Deserialized::Schemas(found_schemas, found) => {
                schemas.extend(found_schemas);
                diags.absorb(found);
            }
        }
    }
    let mut api = api.ok_or_else(|| serde::de::Error::custom("the document went missing"))?;
    api.paths = paths;
    if !schemas.is_empty() {
        // Schemas were taken out of a `components` object, so the
        // document has its `Components`.
        let components = api
            .components
            .as_mut()
            .ok_or_else(|| serde::de::Error::custom("the components went missing"))?;
        components.schemas.extend(schemas);
    }
    Ok(api)
}

/// Stack of a thread deserializing: `openapiv3`'s deserializers recurse
/// deeply on nested inline schemas.
const DESERIALIZE_STACK: usize = 256 * 1024 * 1024;

fn spec_error(
    path: &Path,
    pointer: &str,
    line_column: Option<(usize, usize)>,
    message: String,
) -> Error {
    Error::Spec(vec![Diagnostic {
        location: Location {
            file: path.to_path_buf(),
            pointer: pointer.to_owned(),
            line_column,
            source: None,
        },
        severity: Severity::Error,
        message,
    }])
}

pub(crate) fn looks_like_json(text: &str, path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

/// Parses JSON or YAML into one JSON tree.
pub(crate) fn parse_text(text: &str, path: &Path, json: bool) -> Result<Value, Error> {
    if json {
        if let Some(tree) = parse_json_parallel(text) {
            return Ok(tree);
        }
        return serde_json::from_str(text).map_err(|e| {
            spec_error(
                path,
                "",
                Some((e.line(), e.column())),
                format!("invalid JSON: {e}"),
            )
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let line_column = e.location().map(|l| (l.line(), l.column()));
        spec_error(path, "", line_column, format!("invalid YAML: {e}"))
    })?;
    yaml.apply_merge()
        .map_err(|e| spec_error(path, "", None, format!("invalid YAML merge key: {e}")))?;
    yaml_to_json(yaml, "", path)
}

/// Below this size, one thread parses the whole text.
const PARALLEL_PARSE_BYTES: usize = 1 << 20;

/// Bytes of JSON text per job of parsing, about: small enough that two
/// threads finish within a job of each other.
const BYTES_PER_PARSE: usize = 128 * 1024;

/// Stack of a thread parsing JSON (serde_json stops at 128 levels).
const PARSE_STACK: usize = 16 * 1024 * 1024;

/// Parses a large JSON document on the machine's cores: a quick scan
/// finds the text of each member of the root object, of `paths`, of
/// `components` and of `components.schemas`; those texts are parsed in
/// parallel and put together in order, as one parse would (a repeated key
/// keeps its first place and its last value; nesting is limited as
/// serde_json limits it). `None` for anything else, or any error: the
/// caller parses the text again on one thread, which says where the error
/// is.
fn parse_json_parallel(text: &str) -> Option<Value> {
    if text.len() < PARALLEL_PARSE_BYTES {
        return None;
    }
    let mut scan = Scan { text, at: 0 };
    scan.skip_whitespace();
    let root = scan.object(Level::Root)?;
    scan.skip_whitespace();
    if scan.at != text.len() {
        return None;
    }
    let mut texts = Vec::new();
    root.texts(0, &mut texts);
    // Jobs of consecutive texts, about `BYTES_PER_PARSE` each.
    let mut jobs: Vec<&[(&str, usize)]> = Vec::new();
    let mut rest: &[(&str, usize)] = &texts;
    while !rest.is_empty() {
        let mut bytes = 0;
        let end = rest
            .iter()
            .position(|(text, _)| {
                bytes += text.len();
                bytes >= BYTES_PER_PARSE
            })
            .map_or(rest.len(), |last| last + 1);
        let (job, after) = rest.split_at(end);
        jobs.push(job);
        rest = after;
    }
    let parse = |index: usize| -> Option<Vec<Value>> {
        jobs.get(index)?
            .iter()
            .map(|&(text, enclosing)| {
                let value: Value = serde_json::from_str(text).ok()?;
                // serde_json refuses a 128th level of nesting; parsed
                // alone, a member would get its own 127.
                (enclosing + nesting(&value) < 128).then_some(value)
            })
            .collect()
    };
    let ((), parsed) = crate::parallel::run(jobs.len(), PARSE_STACK, parse, || ());
    let mut values = Vec::with_capacity(texts.len());
    for job in parsed {
        values.extend(job??);
    }
    root.build(&mut values.into_iter())
}

/// How many arrays and objects `value` nests.
fn nesting(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(members) => 1 + members.values().map(nesting).max().unwrap_or(0),
        _ => 0,
    }
}

/// A JSON value found by the quick scan: its text, or an object whose
/// members' texts were found one by one.
enum RawNode<'a> {
    Text(&'a str),
    Members(Vec<(String, RawNode<'a>)>),
}

impl<'a> RawNode<'a> {
    /// The texts to parse, in document order, each with the number of
    /// objects around it (`enclosing` around this node).
    fn texts(&self, enclosing: usize, out: &mut Vec<(&'a str, usize)>) {
        match self {
            RawNode::Text(text) => out.push((text, enclosing)),
            RawNode::Members(members) => {
                for (_, member) in members {
                    member.texts(enclosing + 1, out);
                }
            }
        }
    }

    /// The value, from the parsed texts in document order.
    fn build(self, values: &mut impl Iterator<Item = Value>) -> Option<Value> {
        match self {
            RawNode::Text(_) => values.next(),
            RawNode::Members(members) => {
                let mut map = serde_json::Map::new();
                for (key, member) in members {
                    map.insert(key, member.build(values)?);
                }
                Some(Value::Object(map))
            }
        }
    }
}

/// Which members of an object the quick scan opens.
#[derive(Clone, Copy)]
enum Level {
    /// The document: `paths` and `components`.
    Root,
    /// `components`: `schemas`.
    Components,
    /// `paths` or `components.schemas`: none, each member is one text.
    Members,
}

/// The quick scan: finds where values start and end without building
/// them. It checks only the structure it walks (objects, keys, strings,
/// brackets); serde_json checks each text it hands over.
struct Scan<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `byte` after any whitespace.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// An object at `level`, its members' values opened as `level` says.
    fn object(&mut self, level: Level) -> Option<RawNode<'a>> {
        self.expect(b'{')?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(RawNode::Members(members));
        }
        loop {
            self.skip_whitespace();
            let start = self.at;
            self.string()?;
            let key: String = serde_json::from_str(self.text.get(start..self.at)?).ok()?;
            self.expect(b':')?;
            self.skip_whitespace();
            let opened = match (level, key.as_str()) {
                (Level::Root, "paths") => Some(Level::Members),
                (Level::Root, "components") => Some(Level::Components),
                (Level::Components, "schemas") => Some(Level::Members),
                _ => None,
            };
            let member = match opened {
                Some(level) => self.object(level)?,
                None => {
                    let start = self.at;
                    self.value()?;
                    RawNode::Text(self.text.get(start..self.at)?)
                }
            };
            members.push((key, member));
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(RawNode::Members(members));
                }
                _ => return None,
            }
        }
    }

    /// Skips a string, from its opening quote.
    fn string(&mut self) -> Option<()> {
        (self.peek()? == b'"').then_some(())?;
        self.at += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => self.at += 2,
                _ => self.at += 1,
            }
        }
    }

    /// Skips any value: a string; an object or array to its matching
    /// bracket; a number or literal to the next delimiter.
    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => self.string()?,
                        b'{' | b'[' => {
                            depth += 1;
                            self.at += 1;
                        }
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            self.at += 1;
                            if depth == 0 {
                                return Some(());
                            }
                        }
                        _ => self.at += 1,
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}

/// Converts a YAML tree into JSON. YAML allows non-string keys (`200:` in a
/// responses map is an integer); JSON Schema and OpenAPI mean their text.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str, path: &Path) -> Result<Value, Error> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}"), path))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err(spec_error(
                            path,
                            pointer,
                            None,
                            "mapping keys must be scalars".to_owned(),
                        ));
                    }
                };
                let child = format!("{pointer}/{}", escape_pointer_token(&key));
                out.insert(key, yaml_to_json(value, &child, path)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer, path)?,
    })
}

fn gate_version(tree: &Value, path: &Path) -> Result<SpecVersion, Error> {
    if !tree.is_object() {
        return Err(spec_error(
            path,
            "",
            None,
            "an OpenAPI document must be an object".to_owned(),
        ));
    }
    if let Some(swagger) = tree.get("swagger") {
        return Err(spec_error(
            path,
            "/swagger",
            None,
            format!(
                "Swagger version `{}` is not supported; supported are 2.0 and OpenAPI 3.0.x and 3.1.x",
                display_scalar(swagger)
            ),
        ));
    }
    let Some(version) = tree.get("openapi") else {
        return Err(spec_error(
            path,
            "",
            None,
            "missing `openapi` version field; is this an OpenAPI document?".to_owned(),
        ));
    };
    let text = display_scalar(version);
    if text.starts_with("3.0.") || text == "3.0" {
        Ok(SpecVersion::V3_0)
    } else if text.starts_with("3.1.") || text == "3.1" {
        Ok(SpecVersion::V3_1)
    } else {
        Err(spec_error(
            path,
            "/openapi",
            None,
            format!("unsupported OpenAPI version `{text}`; supported are 3.0.x and 3.1.x"),
        ))
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Deserializes the normalised tree into `openapiv3`. On failure, the
/// path items and components are tried one by one, so that every broken
/// object is reported with the deepest pointer serde can give (some
/// `openapiv3` maps deserialize through custom code that loses the path).
fn deserialize(tree: &Value, path: &Path) -> Result<openapiv3::OpenAPI, Error> {
    let error = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(tree) {
        Ok(api) => return Ok(api),
        Err(error) => error,
    };
    let mut diagnostics = Vec::new();
    let mut report = |pointer: String, message: String| {
        diagnostics.push(Diagnostic {
            location: Location::new(path, pointer),
            severity: Severity::Error,
            message: format!("not a valid OpenAPI document: {message}"),
        });
    };
    let mut found_any = false;
    if let Some(paths) = tree.get("paths").and_then(Value::as_object) {
        for (key, item) in paths {
            if key.starts_with("x-") {
                continue;
            }
            let base = format!("/paths/{}", escape_pointer_token(key));
            let Err(e) = serde_path_to_error::deserialize::<
                _,
                openapiv3::ReferenceOr<openapiv3::PathItem>,
            >(item) else {
                continue;
            };
            found_any = true;
            // Look into the operations, which keep their paths better.
            let mut in_operation = false;
            for method in HTTP_METHODS {
                if let Some(operation) = item.get(method)
                    && let Err((inner, message)) = check::<openapiv3::Operation>(operation)
                {
                    report(format!("{base}/{method}{inner}"), message);
                    in_operation = true;
                }
            }
            if !in_operation {
                report(
                    format!("{base}{}", pointer_of(e.path())),
                    e.inner().to_string(),
                );
            }
        }
    }
    if let Some(components) = tree.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            for (name, entry) in entries {
                let base = format!(
                    "/components/{}/{}",
                    escape_pointer_token(kind),
                    escape_pointer_token(name)
                );
                let result = match kind.as_str() {
                    "schemas" => check::<openapiv3::ReferenceOr<openapiv3::Schema>>(entry),
                    "parameters" => check::<openapiv3::ReferenceOr<openapiv3::Parameter>>(entry),
                    "responses" => check::<openapiv3::ReferenceOr<openapiv3::Response>>(entry),
                    "requestBodies" => {
                        check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(entry)
                    }
                    "securitySchemes" => {
                        check::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>(entry)
                    }
                    "headers" => check::<openapiv3::ReferenceOr<openapiv3::Header>>(entry),
                    _ => Ok(()),
                };
                if let Err((inner, message)) = result {
                    report(format!("{base}{inner}"), message);
                    found_any = true;
                }
            }
        }
    }
    if !found_any {
        report(pointer_of(error.path()), error.inner().to_string());
    }
    Err(Error::Spec(diagnostics))
}

fn check<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map(|_| ())
        .map_err(|e| (pointer_of(e.path()), e.inner().to_string()))
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    /// A JSON document over the parallel-parse threshold: `items` path
    /// items (every third without `responses`, which normalising repairs
    /// with a warning), components, extensions, and a repeated path key
    /// and root key, whose first place and last value must win.
    fn large_document(items: usize) -> String {
        // Every fourth schema has a mistyped `minLength`, which
        // normalising drops with a warning.
        let schemas: Vec<String> = (0..items)
            .map(|i| {
                let min = if i % 4 == 0 { r#""one""# } else { "1" };
                format!(r#""S{i}": {{"type": "string", "minLength": {min}}}"#)
            })
            .collect();
        let mut paths = Vec::new();
        for i in 0..items {
            let responses = if i % 3 == 0 {
                String::new()
            } else {
                r#", "responses": {"200": {"description": "ok"}}"#.to_owned()
            };
            paths.push(format!(
                r#""/things/{i}": {{"get": {{"operationId": "get{i}", "description": "{}"{responses}}}}}"#,
                "x".repeat(2000)
            ));
        }
        paths.push(r#""x-note": {"kept": true}"#.to_owned());
        paths.push(r#""/things/1": {"get": {"operationId": "again", "responses": {}}}"#.to_owned());
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "Large", "version": "1"}},
            "paths": {{{}}},
            "components": {{"schemas": {{{}}}}},
            "x-root": 1, "x-root": [2, 3]}}"#,
            paths.join(",\n"),
            schemas.join(",\n")
        )
    }

    #[test]
    fn a_parallel_parse_equals_one_parse() {
        let text = large_document(700);
        assert!(text.len() > PARALLEL_PARSE_BYTES);
        let parallel = parse_json_parallel(&text).expect("parsed in parallel");
        let serial: Value = serde_json::from_str(&text).expect("parsed");
        assert_eq!(parallel, serial);
        // `Value`'s equality ignores order; the keys' order matters too.
        let keys = |value: &Value, pointer: &str| -> Vec<String> {
            value
                .pointer(pointer)
                .and_then(Value::as_object)
                .map(|map| map.keys().cloned().collect())
                .unwrap_or_default()
        };
        assert_eq!(keys(&parallel, ""), keys(&serial, ""));
        assert_eq!(keys(&parallel, "/paths"), keys(&serial, "/paths"));
        assert_eq!(parallel["x-root"], serde_json::json!([2, 3]));
        assert_eq!(
            parallel["paths"]["/things/1"]["get"]["operationId"],
            "again"
        );
    }

    #[test]
    fn the_quick_scan_reads_what_one_parse_reads() {
        // Escapes in keys and strings, brackets inside strings, scalars,
        // empty containers and odd whitespace, at every level it opens.
        let tricky = r#""/a\"b{": {"get": {"x": "]}\\\"[{", "y": [[], {}, [1, -2.5e3]]}},
            "/\u00e9\t" :	{ } ,"/n": null"#;
        let text = format!(
            "{{\"openapi\":\"3.0.3\",\"x-n\": -1.5e3 ,\"x-t\":true,\"x-s\":\"}}\",
            \"paths\": {{{tricky}, \"/pad\": \"{}\"}},
            \"components\": {{\"schemas\": {{{tricky}}}, \"x-e\": {{}}}}}}\r\n",
            "p".repeat(PARALLEL_PARSE_BYTES)
        );
        let serial: Value = serde_json::from_str(&text).expect("parsed");
        let parallel = parse_json_parallel(&text).expect("parsed in parallel");
        assert_eq!(parallel, serial);
        assert_eq!(
            serde_json::to_string(&parallel).expect("prints"),
            serde_json::to_string(&serial).expect("prints")
        );
    }

    #[test]
    fn a_parallel_parse_limits_nesting_as_one_parse_does() {
        let padding = format!(",\"x-pad\": \"{}\"", "p".repeat(PARALLEL_PARSE_BYTES));
        // serde_json takes 127 nested arrays and objects: the root and
        // `paths` are two, so a path item may nest 125 and not 126.
        for (nested, fits) in [(125, true), (126, false)] {
            let item = format!("{}{}", "[".repeat(nested), "]".repeat(nested));
            let text = format!("{{\"paths\": {{\"/deep\": {item}}}{padding}}}");
            assert_eq!(serde_json::from_str::<Value>(&text).is_ok(), fits);
            assert_eq!(parse_json_parallel(&text).is_some(), fits, "{nested}");
        }
    }

    #[test]
    fn what_a_parallel_parse_cannot_split_is_left_to_one_parse() {
        let padding = " ".repeat(PARALLEL_PARSE_BYTES);
        for text in [
            format!(r#"{{"openapi": "3.0.3", "paths": null}}{padding}"#),
            format!(r#"[1, 2]{padding}"#),
            format!(r#"{{"openapi": "3.0.3", "paths": {{"/a": {{]}}}}{padding}"#),
            format!(r#"{{"openapi": "3.0.3"}} trailing{padding}"#),
            format!(r#"{{"openapi": "3.0.3", "x": }}{padding}"#),
            format!(r#"{{"openapi": "3.0.3", "components": {{"schemas": [1]}}}}{padding}"#),
            format!(r#"{{"openapi" "3.0.3"}}{padding}"#),
        ] {
            assert_eq!(parse_json_parallel(&text), None, "{}", &text[..40]);
        }
    }

    #[test]
    fn members_normalised_in_chunks_keep_their_order_and_warnings() {
        let items = 3 * MEMBERS_PER_CHUNK + 10;
        let text = large_document(items);
        let path = Path::new("large.json");
        let mut diags = Diagnostics::new(path);
        let doc = load_str(&text, path, &mut diags).expect("loads");
        let mut expected: Vec<String> = (0..items).map(|i| format!("/things/{i}")).collect();
        expected.dedup();
        let paths: Vec<&String> = doc.api.paths.paths.keys().collect();
        assert_eq!(paths, expected.iter().collect::<Vec<_>>());
        assert!(doc.api.paths.extensions.contains_key("x-note"));
        let schemas: Vec<String> = doc
            .api
            .components
            .iter()
            .flat_map(|c| c.schemas.keys().cloned())
            .collect();
        assert_eq!(
            schemas,
            (0..items).map(|i| format!("S{i}")).collect::<Vec<_>>()
        );
        let diagnostics = diags.into_sorted();
        let warned = |about: &str| -> Vec<String> {
            diagnostics
                .iter()
                .filter(|d| d.message.contains(about))
                .map(|d| d.location.pointer.clone())
                .collect()
        };
        let mut mistyped: Vec<String> = (0..items)
            .filter(|i| i % 4 == 0)
            .map(|i| format!("/components/schemas/S{i}/minLength"))
            .collect();
        mistyped.sort();
        assert_eq!(warned("minLength"), mistyped);
        let warned = warned("declares no `responses`");
        // Every third item, but not `/things/1`, whose last value has them.
        let mut missing: Vec<String> = (0..items)
            .filter(|i| i % 3 == 0)
            .map(|i| format!("/paths/~1things~1{i}/get"))
            .collect();
        missing.sort();
        assert_eq!(warned, missing);
    }
}
