//! Multi-file specs: bundles the local files that `$ref`s name into the
//! root document's tree, before normalisation, so every later stage sees
//! one document with only local (`#/…`) references.
//!
//! The walk follows the OpenAPI object model (paths, operations,
//! parameters, responses, media types, schemas, …), so `$ref`-shaped data
//! in examples or extensions is left alone. An external `$ref` is resolved
//! relative to the file that contains it; what it points at is copied into
//! the root's `components` under the kind its position calls for
//! (`schemas`, `parameters`, `responses`, `requestBodies`, `headers`,
//! `examples`, `links`, `callbacks`) and the `$ref` is rewritten to point
//! there. Other positions get a copy in place: path items (3.0 has no
//! `components/pathItems`), media types, encodings, and security schemes
//! (which are named, not referenced, by security requirements: a second
//! entry would be a second scheme). A `$ref` to a node that is itself only
//! a `$ref` is followed to the end of the chain. References inside
//! an imported part are resolved relative to its own file, recursively;
//! `(file, pointer)` is imported once, so cycles across files end.
//!
//! Names and order follow `@redocly/cli bundle`, so a multi-file spec and
//! its bundled form give the same client: a part is named by the last
//! token of its pointer, or the file's stem for a whole file (`pet.yaml` →
//! `pet`); a name already taken by different content gets `-2`, `-3`, …;
//! identical content (or an alias of the same target) shares the name.
//! Components are added in the order the walk finishes them: a part after
//! the parts it refers to.
//!
//! Remote references (`http:`, `https:`, `//host`) are never fetched: they
//! are errors, like missing files, files that do not parse and fragments
//! that name nothing. Each error is located at the `$ref` in the file
//! that contains it.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::Error;
use crate::diagnostics::{self, Diagnostic, Diagnostics, Location, Severity};
use crate::pointer;
use crate::span::SourceMap;

/// Bundles the local files that `root`'s `$ref`s name into `root`.
/// `text`, `json` and `path` are the root file's, as the loader read it.
///
/// Returns whether anything was bundled (when not, `root` is unchanged).
/// Problems with references are returned together as [`Error::Spec`];
/// renamed components are warnings in `diags`.
pub(crate) fn bundle(
    root: &mut Value,
    text: &str,
    json: bool,
    path: &Path,
    diags: &mut Diagnostics,
) -> Result<bool, Error> {
    // Swagger 2.0 is converted after loading; its external references are
    // left to lowering, as before.
    if root.get("swagger").is_some() || !has_external_refs(root) {
        return Ok(false);
    }
    let v3_1 = root
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    let Some(root_map) = root.as_object_mut() else {
        return Ok(false);
    };
    let mut bundler = Bundler {
        files: vec![File {
            display: path.to_path_buf(),
            base: path.to_path_buf(),
            canonical: std::fs::canonicalize(path).ok(),
            text: text.to_owned(),
            json,
            tree: None,
        }],
        components: Map::new(),
        memo: HashMap::new(),
        resolved: HashMap::new(),
        inlining: HashSet::new(),
        root_refs: Vec::new(),
        errors: Vec::new(),
        diags,
        v3_1,
        changed: false,
    };
    let had_components = match root_map.get_mut("components") {
        Some(Value::Object(components)) => {
            bundler.components = std::mem::take(components);
            true
        }
        _ => false,
    };
    let order: &[&str] = if v3_1 {
        &["paths", "webhooks", "components"]
    } else {
        &["paths", "components"]
    };
    for key in order {
        match *key {
            "components" => bundler.walk_root_components(),
            "paths" => {
                if let Some(paths) = root_map.get_mut("paths") {
                    bundler.walk(paths, Kind::Paths, ROOT, "/paths");
                }
            }
            _ => {
                if let Some(webhooks) = root_map.get_mut("webhooks") {
                    bundler.walk(webhooks, Kind::Webhooks, ROOT, "/webhooks");
                }
            }
        }
    }
    let components = std::mem::take(&mut bundler.components);
    if had_components {
        if let Some(slot) = root_map.get_mut("components") {
            *slot = Value::Object(components);
        }
    } else if !components.is_empty() {
        root_map.insert("components".to_owned(), Value::Object(components));
    }
    bundler.check_root_refs(root);
    bundler.finish()
}

/// The root file's index in [`Bundler::files`].
const ROOT: usize = 0;

/// Longest chain of references-to-references followed before giving up.
const MAX_CHAIN: usize = 32;

/// One file that the bundle reads.
struct File {
    /// The path shown in diagnostics (lexically normalised).
    display: PathBuf,
    /// The path as reached; relative references resolve against its
    /// directory.
    base: PathBuf,
    /// The file's identity (symbolic links resolved).
    canonical: Option<PathBuf>,
    text: String,
    json: bool,
    /// The parsed tree; `None` for the root (whose tree is being
    /// rewritten) and for a file that does not parse.
    tree: Option<Value>,
}

/// What a node is in the OpenAPI object model, which says which of its
/// members can hold references and what a `$ref` in it names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Paths,
    Webhooks,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Encoding,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Schema,
}

impl Kind {
    /// The `components` member that holds objects of this kind; `None`
    /// for kinds whose references are copied in place.
    fn group(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::Example => "examples",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            _ => return None,
        })
    }
}

/// The members of `components`, in the order they are walked, and the
/// kind of their entries.
const COMPONENT_GROUPS: &[(&str, Kind)] = &[
    ("parameters", Kind::Parameter),
    ("schemas", Kind::Schema),
    ("responses", Kind::Response),
    ("examples", Kind::Example),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("securitySchemes", Kind::SecurityScheme),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
    ("pathItems", Kind::PathItem),
];

/// How a member holds nodes of a kind.
#[derive(Clone, Copy)]
enum Holds {
    One(Kind),
    /// A map of names to nodes.
    Map(Kind),
    /// A list of nodes (or, for sloppy `items`, one node).
    List(Kind),
    /// A discriminator, whose `mapping` values are references.
    Discriminator,
}

/// The members of a node of `kind` that can hold references, in the
/// order the walk visits them (the order of the OpenAPI object model).
fn members(kind: Kind, v3_1: bool) -> &'static [(&'static str, Holds)] {
    use Holds::{Discriminator, List, Map, One};
    match kind {
        Kind::PathItem => &[
            ("parameters", List(Kind::Parameter)),
            ("get", One(Kind::Operation)),
            ("put", One(Kind::Operation)),
            ("post", One(Kind::Operation)),
            ("delete", One(Kind::Operation)),
            ("options", One(Kind::Operation)),
            ("head", One(Kind::Operation)),
            ("patch", One(Kind::Operation)),
            ("trace", One(Kind::Operation)),
        ],
        Kind::Operation => &[
            ("parameters", List(Kind::Parameter)),
            ("requestBody", One(Kind::RequestBody)),
            ("responses", One(Kind::Responses)),
            ("callbacks", Map(Kind::Callback)),
        ],
        Kind::Parameter | Kind::Header => &[
            ("schema", One(Kind::Schema)),
            ("examples", Map(Kind::Example)),
            ("content", Map(Kind::MediaType)),
        ],
        Kind::RequestBody => &[("content", Map(Kind::MediaType))],
        Kind::Response => &[
            ("headers", Map(Kind::Header)),
            ("content", Map(Kind::MediaType)),
            ("links", Map(Kind::Link)),
        ],
        Kind::MediaType => &[
            ("schema", One(Kind::Schema)),
            ("examples", Map(Kind::Example)),
            ("encoding", Map(Kind::Encoding)),
        ],
        Kind::Encoding => &[("headers", Map(Kind::Header))],
        Kind::Schema if v3_1 => &[
            ("definitions", Map(Kind::Schema)),
            ("$defs", Map(Kind::Schema)),
            ("discriminator", Discriminator),
            ("allOf", List(Kind::Schema)),
            ("anyOf", List(Kind::Schema)),
            ("oneOf", List(Kind::Schema)),
            ("not", One(Kind::Schema)),
            ("if", One(Kind::Schema)),
            ("then", One(Kind::Schema)),
            ("else", One(Kind::Schema)),
            ("dependentSchemas", Map(Kind::Schema)),
            ("prefixItems", List(Kind::Schema)),
            ("contains", One(Kind::Schema)),
            ("patternProperties", Map(Kind::Schema)),
            ("propertyNames", One(Kind::Schema)),
            ("unevaluatedItems", One(Kind::Schema)),
            ("unevaluatedProperties", One(Kind::Schema)),
            ("properties", Map(Kind::Schema)),
            ("items", List(Kind::Schema)),
            ("additionalProperties", One(Kind::Schema)),
            ("contentSchema", One(Kind::Schema)),
        ],
        Kind::Schema => &[
            ("discriminator", Discriminator),
            ("allOf", List(Kind::Schema)),
            ("anyOf", List(Kind::Schema)),
            ("oneOf", List(Kind::Schema)),
            ("not", One(Kind::Schema)),
            ("properties", Map(Kind::Schema)),
            ("items", List(Kind::Schema)),
            ("additionalProperties", One(Kind::Schema)),
        ],
        Kind::Paths
        | Kind::Webhooks
        | Kind::Responses
        | Kind::Callback
        | Kind::Example
        | Kind::Link
        | Kind::SecurityScheme => &[],
    }
}

/// Where a reference leads.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct Target {
    file: usize,
    /// A JSON pointer into that file (`""` for the whole file).
    pointer: String,
}

/// What becomes of a `$ref`.
enum Outcome {
    Keep,
    Rewrite(String),
    /// The target's content, copied in place of the reference.
    Inline(Value),
}

/// An imported part: its component kind and, once chosen, its name.
struct Imported {
    group: &'static str,
    name: Option<String>,
}

struct Bundler<'d> {
    files: Vec<File>,
    /// The root's `components`, taken out of the tree while it is walked.
    components: Map<String, Value>,
    memo: HashMap<Target, Imported>,
    /// Files already resolved: (referring file, path as written) → index.
    resolved: HashMap<(usize, String), usize>,
    /// Targets being copied in place, to stop a cycle through them.
    inlining: HashSet<Target>,
    /// References (from other files) into the root document, checked once
    /// the tree is whole: the root pointer, and where the `$ref` was.
    root_refs: Vec<(String, usize, String, String)>,
    /// Errors, with the index of the file each is about (`None` when
    /// already located).
    errors: Vec<(Option<usize>, Diagnostic)>,
    diags: &'d mut Diagnostics,
    v3_1: bool,
    changed: bool,
}

impl Bundler<'_> {
    fn error(&mut self, file: usize, pointer: &str, message: String) {
        let display = self
            .files
            .get(file)
            .map_or_else(PathBuf::new, |f| f.display.clone());
        self.errors.push((
            Some(file),
            Diagnostic {
                location: Location::new(&display, pointer),
                severity: Severity::Error,
                message,
            },
        ));
    }

    /// Returns the errors, located, or whether anything was bundled.
    fn finish(self) -> Result<bool, Error> {
        if self.errors.is_empty() {
            return Ok(self.changed);
        }
        let mut by_file: Vec<(Option<usize>, Vec<Diagnostic>)> = Vec::new();
        for (file, diagnostic) in self.errors {
            match by_file.iter_mut().find(|(f, _)| *f == file) {
                Some((_, group)) => group.push(diagnostic),
                None => by_file.push((file, vec![diagnostic])),
            }
        }
        let mut all = Vec::new();
        for (file, mut group) in by_file {
            if let Some(file) = file.and_then(|i| self.files.get(i)) {
                diagnostics::locate(&mut group, &SourceMap::new(file.text.as_str(), file.json));
            }
            all.extend(group);
        }
        all.sort();
        all.dedup();
        Err(Error::Spec(all))
    }

    /// Walks the root's own components. Each entry is walked as a copy
    /// and put back, unless an import replaced it meanwhile (an alias of
    /// the part it names, which takes its place).
    fn walk_root_components(&mut self) {
        for (group, kind) in COMPONENT_GROUPS {
            let names: Vec<String> = match self.components.get(*group) {
                Some(Value::Object(entries)) => entries.keys().cloned().collect(),
                _ => continue,
            };
            for name in names {
                // Entries without external references are left alone
                // (local references in the root stay as they are).
                let Some(original) = self
                    .entry(group, &name)
                    .filter(|entry| has_external_refs(entry))
                    .cloned()
                else {
                    continue;
                };
                let mut walked = original.clone();
                let at = format!("/components/{group}/{}", pointer::escape(name.as_str()));
                self.walk(&mut walked, *kind, ROOT, &at);
                if let Some(slot) = self.entry_mut(group, &name)
                    && *slot == original
                {
                    *slot = walked;
                }
            }
        }
    }

    fn entry(&self, group: &str, name: &str) -> Option<&Value> {
        self.components.get(group)?.as_object()?.get(name)
    }

    fn entry_mut(&mut self, group: &str, name: &str) -> Option<&mut Value> {
        self.components
            .get_mut(group)?
            .as_object_mut()?
            .get_mut(name)
    }

    /// Walks `value`, a node of `kind` at `at` in `file`, rewriting its
    /// references.
    fn walk(&mut self, value: &mut Value, kind: Kind, file: usize, at: &str) {
        let Value::Object(map) = value else {
            return;
        };
        let reference = match map.get("$ref") {
            Some(Value::String(reference)) => Some(reference.clone()),
            _ => None,
        };
        if let Some(reference) = reference {
            let ref_at = pointer::join(at, "$ref");
            match self.reference(&reference, kind, file, &ref_at) {
                Outcome::Keep => {}
                Outcome::Rewrite(internal) => {
                    map.insert("$ref".to_owned(), Value::String(internal));
                }
                Outcome::Inline(content) => {
                    map.shift_remove("$ref");
                    self.walk_members(map, kind, file, at);
                    match content {
                        // Members beside the `$ref` win over the target's.
                        Value::Object(content) => {
                            for (key, member) in content {
                                if !map.contains_key(&key) {
                                    map.insert(key, member);
                                }
                            }
                        }
                        other => {
                            if map.is_empty() {
                                *value = other;
                            }
                        }
                    }
                    return;
                }
            }
        }
        self.walk_members(map, kind, file, at);
    }

    fn walk_members(&mut self, map: &mut Map<String, Value>, kind: Kind, file: usize, at: &str) {
        match kind {
            Kind::Paths | Kind::Webhooks | Kind::Callback | Kind::Responses => {
                // Responses visit `default` first, then the status codes.
                let default_first = kind == Kind::Responses;
                let keys: Vec<String> = map
                    .keys()
                    .filter(|k| match kind {
                        Kind::Paths => k.starts_with('/'),
                        Kind::Webhooks => true,
                        _ => !k.starts_with("x-"),
                    })
                    .cloned()
                    .collect();
                let (first, rest): (Vec<String>, Vec<String>) = keys
                    .into_iter()
                    .partition(|k| default_first && k == "default");
                let child = if kind == Kind::Responses {
                    Kind::Response
                } else {
                    Kind::PathItem
                };
                for key in first.into_iter().chain(rest) {
                    if let Some(member) = map.get_mut(&key) {
                        self.walk(member, child, file, &pointer::join(at, &key));
                    }
                }
            }
            _ => {
                for (key, holds) in members(kind, self.v3_1) {
                    let Some(member) = map.get_mut(*key) else {
                        continue;
                    };
                    let at = pointer::join(at, key);
                    match *holds {
                        Holds::One(child) => self.walk(member, child, file, &at),
                        Holds::Map(child) => {
                            if let Value::Object(entries) = member {
                                for (name, entry) in entries.iter_mut() {
                                    self.walk(entry, child, file, &pointer::join(&at, name));
                                }
                            }
                        }
                        Holds::List(child) => match member {
                            Value::Array(items) => {
                                for (i, item) in items.iter_mut().enumerate() {
                                    self.walk(item, child, file, &pointer::join_index(&at, i));
                                }
                            }
                            other => self.walk(other, child, file, &at),
                        },
                        Holds::Discriminator => self.walk_mapping(member, file, &at),
                    }
                }
            }
        }
    }

    /// A discriminator's `mapping` values that are references (not bare
    /// schema names) are rewritten like `$ref`s to schemas.
    fn walk_mapping(&mut self, discriminator: &mut Value, file: usize, at: &str) {
        let Some(Value::Object(mapping)) = discriminator.get_mut("mapping") else {
            return;
        };
        let at = pointer::join(at, "mapping");
        for (key, value) in mapping.iter_mut() {
            let Value::String(reference) = value else {
                continue;
            };
            if !looks_like_reference(reference) {
                continue;
            }
            let reference = reference.clone();
            let value_at = pointer::join(&at, key);
            match self.reference(&reference, Kind::Schema, file, &value_at) {
                Outcome::Rewrite(internal) => *value = Value::String(internal),
                Outcome::Keep | Outcome::Inline(_) => {}
            }
        }
    }

    /// Resolves one reference met in `file` at `at`.
    fn reference(&mut self, reference: &str, kind: Kind, file: usize, at: &str) -> Outcome {
        if file == ROOT && reference.starts_with('#') {
            return Outcome::Keep;
        }
        let target = match self.target(reference, file) {
            Ok(target) => target,
            Err(message) => {
                self.error(file, at, message);
                return Outcome::Keep;
            }
        };
        let Some(target) = self.follow(target, reference, file, at) else {
            return Outcome::Keep;
        };
        self.changed = true;
        if target.file == ROOT {
            self.root_refs.push((
                target.pointer.clone(),
                file,
                at.to_owned(),
                reference.to_owned(),
            ));
            return Outcome::Rewrite(fragment(&target.pointer));
        }
        match kind.group() {
            Some(group) => self
                .import(&target, group, kind, reference, file, at)
                .map_or(Outcome::Keep, Outcome::Rewrite),
            None => self
                .inline(&target, kind, reference, file, at)
                .map_or(Outcome::Keep, Outcome::Inline),
        }
    }

    /// Follows a target that is itself only a reference (an alias) to
    /// the part it ends at, as other bundlers do; an alias in the root
    /// document is kept (it is a reference to a local part).
    fn follow(
        &mut self,
        mut target: Target,
        reference: &str,
        file: usize,
        at: &str,
    ) -> Option<Target> {
        for _ in 0..MAX_CHAIN {
            if target.file == ROOT {
                return Some(target);
            }
            let next = self
                .files
                .get(target.file)
                .and_then(|f| f.tree.as_ref())
                .and_then(|tree| tree.pointer(&target.pointer))
                .and_then(alias_of)
                .map(str::to_owned);
            let Some(next) = next else {
                return Some(target);
            };
            match self.target(&next, target.file) {
                Ok(next) => target = next,
                Err(message) => {
                    let alias_at = pointer::join(&target.pointer, "$ref");
                    self.error(target.file, &alias_at, message);
                    return None;
                }
            }
        }
        self.error(file, at, format!("$ref `{reference}` loops"));
        None
    }

    /// The content a reference points at, copied.
    fn content(
        &mut self,
        target: &Target,
        reference: &str,
        file: usize,
        at: &str,
    ) -> Option<Value> {
        let tree = self.files.get(target.file).and_then(|f| f.tree.as_ref());
        match tree.and_then(|t| t.pointer(&target.pointer)) {
            Some(value) => Some(value.clone()),
            None => {
                let display = self.display(target.file);
                self.error(
                    file,
                    at,
                    format!(
                        "broken $ref `{reference}`: `{display}` has nothing at `#{}`",
                        target.pointer
                    ),
                );
                None
            }
        }
    }

    fn display(&self, file: usize) -> String {
        self.files
            .get(file)
            .map(|f| f.display.display().to_string())
            .unwrap_or_default()
    }

    /// Copies a part into `components/<group>` (once per target) and
    /// returns the internal reference to it.
    fn import(
        &mut self,
        target: &Target,
        group: &'static str,
        kind: Kind,
        reference: &str,
        file: usize,
        at: &str,
    ) -> Option<String> {
        if let Some(imported) = self.memo.get(target) {
            let group = imported.group;
            if let Some(name) = &imported.name {
                return Some(internal_ref(group, name));
            }
            // A cycle back to a part still being walked: it takes its name
            // (and its place among the components) now.
            let name = self.pick_name(group, target, None, file, at);
            self.insert(group, &name, Value::Null, file, at);
            if let Some(imported) = self.memo.get_mut(target) {
                imported.name = Some(name.clone());
            }
            return Some(internal_ref(group, &name));
        }
        let mut value = self.content(target, reference, file, at)?;
        self.memo
            .insert(target.clone(), Imported { group, name: None });
        self.walk(&mut value, kind, target.file, &target.pointer);
        let named = self.memo.get(target).and_then(|i| i.name.clone());
        let name = match named {
            Some(name) => name,
            None => self.pick_name(group, target, Some(&value), file, at),
        };
        self.insert(group, &name, value, file, at);
        if let Some(imported) = self.memo.get_mut(target) {
            imported.name = Some(name.clone());
        }
        Some(internal_ref(group, &name))
    }

    /// Sets `components/<group>/<name>`, adding the group when missing.
    fn insert(&mut self, group: &str, name: &str, value: Value, file: usize, at: &str) {
        let slot = self
            .components
            .entry(group.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        match slot {
            Value::Object(entries) => {
                entries.insert(name.to_owned(), value);
            }
            _ => self.error(
                file,
                at,
                format!(
                    "cannot bundle into `components/{group}` of the root document: it is not a map"
                ),
            ),
        }
    }

    /// A name in `components/<group>` for `target`: the last token of its
    /// pointer, else the file's stem; `-2`, `-3`, … while the name holds
    /// something else. `content` is the part's walked content, when known.
    fn pick_name(
        &mut self,
        group: &str,
        target: &Target,
        content: Option<&Value>,
        file: usize,
        at: &str,
    ) -> String {
        let token = pointer::last_token(&target.pointer);
        let base = if !token.is_empty() {
            token
        } else {
            self.files
                .get(target.file)
                .map(|f| file_stem(&f.display))
                .filter(|stem| !stem.is_empty())
                .unwrap_or_else(|| "component".to_owned())
        };
        let mut name = base.clone();
        let mut n = 2;
        while let Some(existing) = self.entry(group, &name) {
            if content.is_some_and(|c| c == existing) || self.names_target(existing, target) {
                break;
            }
            name = format!("{base}-{n}");
            n += 1;
        }
        if name != base {
            let part = format!("{}#{}", self.display(target.file), target.pointer);
            let message = |from: &str| {
                format!(
                    "`{part}` is bundled as `components/{group}/{name}`{from}: `{base}` already names different content"
                )
            };
            // Warnings are about the root file: a `$ref` elsewhere is
            // named in the message, at the renamed component.
            if file == ROOT {
                self.diags.warn(at, message(""));
            } else {
                let from = format!(" (referenced in `{}` at #{at})", self.display(file));
                let renamed = format!("/components/{group}/{}", pointer::escape(&name));
                self.diags.warn(&renamed, message(&from));
            }
        }
        name
    }

    /// Whether `existing` (a root component) is only a reference to
    /// `target`.
    fn names_target(&self, existing: &Value, target: &Target) -> bool {
        let Some(reference) = alias_of(existing) else {
            return false;
        };
        let Ok((path, fragment)) = split_reference(reference) else {
            return false;
        };
        if fragment != target.pointer || path.is_empty() {
            return false;
        }
        let Some(root) = self.files.get(ROOT) else {
            return false;
        };
        let joined = parent(&root.base).join(path);
        let canonical = std::fs::canonicalize(joined).ok();
        canonical.is_some()
            && self
                .files
                .get(target.file)
                .is_some_and(|f| f.canonical == canonical)
    }

    /// Copies a target in place of a reference whose position has no
    /// component kind.
    fn inline(
        &mut self,
        target: &Target,
        kind: Kind,
        reference: &str,
        file: usize,
        at: &str,
    ) -> Option<Value> {
        if !self.inlining.insert(target.clone()) {
            self.error(
                file,
                at,
                format!("$ref `{reference}` includes itself (it is copied in place, so it cannot be recursive)"),
            );
            return None;
        }
        let mut value = self.content(target, reference, file, at);
        if let Some(value) = &mut value {
            self.walk(value, kind, target.file, &target.pointer);
        }
        self.inlining.remove(target);
        value
    }

    /// Where a reference met in `from` leads, reading its file if needed.
    fn target(&mut self, reference: &str, from: usize) -> Result<Target, String> {
        if is_remote(reference) {
            return Err(format!(
                "remote $ref `{reference}` is not fetched: only references to local files are bundled; download it and refer to the copy"
            ));
        }
        if has_scheme(reference) {
            return Err(format!(
                "$ref `{reference}` is not supported: only relative references to local files are bundled"
            ));
        }
        let (path, fragment) = split_reference(reference)?;
        let file = if path.is_empty() {
            from
        } else if let Some(&index) = self.resolved.get(&(from, path.clone())) {
            index
        } else {
            let index = self.file(from, &path)?;
            self.resolved.insert((from, path), index);
            index
        };
        Ok(Target {
            file,
            pointer: fragment,
        })
    }

    /// The index of the file `relative` names from `from`, read and parsed
    /// on first use.
    fn file(&mut self, from: usize, relative: &str) -> Result<usize, String> {
        let (base, display) = match self.files.get(from) {
            Some(f) => (
                parent(&f.base).join(relative),
                parent(&f.display).join(relative),
            ),
            None => return Err("internal error: unknown referring file".to_owned()),
        };
        let display = normalize(&display);
        let canonical = std::fs::canonicalize(&base)
            .map_err(|e| format!("cannot read `{}`: {e}", display.display()))?;
        if let Some(index) = self
            .files
            .iter()
            .position(|f| f.canonical.as_ref() == Some(&canonical))
        {
            return match self.files.get(index) {
                Some(f) if index != ROOT && f.tree.is_none() => Err(format!(
                    "`{}` is not valid YAML or JSON (see the error there)",
                    display.display()
                )),
                _ => Ok(index),
            };
        }
        let text = std::fs::read_to_string(&base)
            .map_err(|e| format!("cannot read `{}`: {e}", display.display()))?;
        let json = crate::load::looks_like_json(&text, &base);
        let parsed = crate::load::parse_text(&text, &display, json)
            .map_err(|e| crate::load::with_source_line(e, &text));
        let index = self.files.len();
        let failed = parsed.is_err();
        let tree = match parsed {
            Ok(tree) => Some(tree),
            Err(Error::Spec(diagnostics)) => {
                self.errors
                    .extend(diagnostics.into_iter().map(|d| (None, d)));
                None
            }
            Err(other) => {
                self.errors.push((
                    None,
                    Diagnostic {
                        location: Location::new(&display, ""),
                        severity: Severity::Error,
                        message: other.to_string(),
                    },
                ));
                None
            }
        };
        self.files.push(File {
            display: display.clone(),
            base,
            canonical: Some(canonical),
            text,
            json,
            tree,
        });
        if failed {
            return Err(format!(
                "`{}` is not valid YAML or JSON (see the error there)",
                display.display()
            ));
        }
        Ok(index)
    }

    /// Reports references from other files into the root document that
    /// name nothing there.
    fn check_root_refs(&mut self, root: &Value) {
        let broken: Vec<_> = self
            .root_refs
            .iter()
            .filter(|(target, ..)| root.pointer(target).is_none())
            .cloned()
            .collect();
        for (target, file, at, reference) in broken {
            let display = self.display(ROOT);
            self.error(
                file,
                &at,
                format!("broken $ref `{reference}`: `{display}` has nothing at `#{target}`"),
            );
        }
    }
}

/// The reference a node is only an alias for: a `$ref` with at most
/// annotating siblings (`summary`, `description`).
fn alias_of(value: &Value) -> Option<&str> {
    let map = value.as_object()?;
    let reference = map.get("$ref")?.as_str()?;
    map.keys()
        .all(|k| matches!(k.as_str(), "$ref" | "summary" | "description"))
        .then_some(reference)
}

/// Splits a reference into its percent-decoded path and its JSON pointer
/// (`""` for the whole document).
fn split_reference(reference: &str) -> Result<(String, String), String> {
    let (path, fragment) = match reference.split_once('#') {
        Some((path, fragment)) => (path, fragment),
        None => (reference, ""),
    };
    let pointer = if fragment.is_empty() || fragment.starts_with('/') {
        pointer::percent_decode(fragment)
    } else {
        return Err(format!(
            "$ref `{reference}`: only JSON pointer fragments (`#/…`) are supported"
        ));
    };
    Ok((pointer::percent_decode(path), pointer))
}

/// Whether a reference names another host.
fn is_remote(reference: &str) -> bool {
    let lower = reference.to_ascii_lowercase();
    lower.starts_with("http:") || lower.starts_with("https:") || reference.starts_with("//")
}

/// Whether a reference starts with a URI scheme (`file:`, `urn:`, …). A
/// one-letter "scheme" is a Windows drive.
fn has_scheme(reference: &str) -> bool {
    let Some((scheme, _)) = reference.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !scheme.contains('/')
}

/// Whether a discriminator mapping value is a reference rather than a
/// schema name: a fragment, a relative path, a file with a JSON or YAML
/// extension (with or without a fragment), or a URL.
fn looks_like_reference(value: &str) -> bool {
    let path = value
        .split_once('#')
        .map_or(value, |(path, _)| path)
        .to_ascii_lowercase();
    value.starts_with('#')
        || value.starts_with("./")
        || value.starts_with("../")
        || path.ends_with(".yaml")
        || path.ends_with(".yml")
        || path.ends_with(".json")
        || is_remote(value)
}

/// Whether `value` has a `$ref` (or discriminator mapping) to another
/// document anywhere: only then is the walk worth it.
fn has_external_refs(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(key, member)| match (key.as_str(), member) {
                ("$ref", Value::String(reference)) => !reference.starts_with('#'),
                ("mapping", Value::Object(mapping)) => {
                    mapping.values().any(|v| {
                        v.as_str()
                            .is_some_and(|s| !s.starts_with('#') && looks_like_reference(s))
                    }) || has_external_refs(member)
                }
                _ => has_external_refs(member),
            }),
        Value::Array(items) => items.iter().any(has_external_refs),
        _ => false,
    }
}

/// `#/components/<group>/<name>`.
fn internal_ref(group: &str, name: &str) -> String {
    fragment(&format!("/components/{group}/{}", pointer::escape(name)))
}

/// A JSON pointer as a `$ref` fragment. Only `%` needs encoding: `$ref`
/// fragments are percent-decoded when read.
fn fragment(pointer: &str) -> String {
    format!("#{}", pointer.replace('%', "%25"))
}

/// The directory a relative reference in `file` resolves against.
fn parent(file: &Path) -> &Path {
    file.parent().unwrap_or_else(|| Path::new(""))
}

/// A file's name without its last extension (`pet.v1.yaml` → `pet.v1`).
fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Removes `.` and `name/..` from a path, for showing it.
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    fn bundled(root_text: &str, dir: &Path) -> Result<(Value, Vec<Diagnostic>), Error> {
        let path = write(dir, "root.yaml", root_text);
        let mut tree: Value = serde_yaml::from_str(root_text).unwrap();
        let mut diags = Diagnostics::new(&path);
        bundle(&mut tree, root_text, false, &path, &mut diags)?;
        Ok((tree, diags.into_sorted()))
    }

    #[test]
    fn different_content_with_the_same_name_is_numbered_and_identical_content_shared() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.yaml",
            "Error: {type: string}\nSame: {type: integer}\n",
        );
        write(
            dir.path(),
            "b.yaml",
            "Error: {type: integer}\nSame: {type: integer}\n",
        );
        let (tree, warnings) = bundled(
            "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    X:\n      properties:\n        a: {$ref: 'a.yaml#/Error'}\n        b: {$ref: 'b.yaml#/Error'}\n        c: {$ref: 'a.yaml#/Same'}\n        d: {$ref: 'b.yaml#/Same'}\n",
            dir.path(),
        )
        .unwrap();
        let schemas = &tree["components"]["schemas"];
        assert_eq!(schemas["Error"], json!({"type": "string"}));
        assert_eq!(schemas["Error-2"], json!({"type": "integer"}));
        assert_eq!(
            schemas.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["X", "Error", "Error-2", "Same"]
        );
        let properties = &schemas["X"]["properties"];
        assert_eq!(properties["b"]["$ref"], "#/components/schemas/Error-2");
        assert_eq!(properties["d"]["$ref"], "#/components/schemas/Same");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("`components/schemas/Error-2`"));
        assert_eq!(
            warnings[0].location.pointer,
            "/components/schemas/X/properties/b/$ref"
        );
    }

    #[test]
    fn a_root_alias_of_an_external_part_becomes_the_part() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "common.yaml", "Error: {type: string}\n");
        let (tree, warnings) = bundled(
            "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    Error: {$ref: './common.yaml#/Error'}\n    Other: {$ref: 'common.yaml#/Error'}\n",
            dir.path(),
        )
        .unwrap();
        assert_eq!(
            tree["components"]["schemas"],
            json!({"Error": {"type": "string"}, "Other": {"$ref": "#/components/schemas/Error"}})
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn cycles_across_files_end_and_path_items_are_copied_in_place() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.yaml",
            "A:\n  properties:\n    b: {$ref: 'sub/b.yaml#/B'}\n",
        );
        write(
            dir.path(),
            "sub/b.yaml",
            "B:\n  properties:\n    a: {$ref: '../a.yaml#/A'}\n    self: {$ref: '#/B'}\n",
        );
        write(
            dir.path(),
            "paths.yaml",
            "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: 'a.yaml#/A'}\n",
        );
        let (tree, _) = bundled(
            "openapi: 3.0.3\npaths:\n  /a:\n    $ref: './paths.yaml'\n",
            dir.path(),
        )
        .unwrap();
        let schemas = &tree["components"]["schemas"];
        // The inner reference back to `A` names it first.
        assert_eq!(
            schemas.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["A", "B"]
        );
        assert_eq!(
            schemas["A"]["properties"]["b"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            schemas["B"]["properties"]["a"]["$ref"],
            "#/components/schemas/A"
        );
        assert_eq!(
            schemas["B"]["properties"]["self"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            tree["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/A"})
        );
    }

    #[test]
    fn reference_errors_are_located_at_the_ref_in_its_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "part.yaml",
            "P:\n  properties:\n    r: {$ref: 'https://example.com/x.yaml'}\n    m: {$ref: 'nope.yaml'}\n    f: {$ref: '#/nothing'}\n",
        );
        write(dir.path(), "bad.yaml", "a: [\n");
        let Err(Error::Spec(errors)) = bundled(
            "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    X: {$ref: 'part.yaml#/P'}\n    Y: {$ref: 'bad.yaml'}\n    Z: {$ref: 'file:///etc/x.yaml'}\n    W: {$ref: 'part.yaml#anchor'}\n",
            dir.path(),
        ) else {
            panic!("errors expected");
        };
        let found: Vec<(String, String)> = errors
            .iter()
            .map(|d| {
                (
                    d.location
                        .file
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    d.location.pointer.clone(),
                )
            })
            .collect();
        for expected in [
            ("part.yaml", "/P/properties/r/$ref"),
            ("part.yaml", "/P/properties/m/$ref"),
            ("part.yaml", "/P/properties/f/$ref"),
            ("root.yaml", "/components/schemas/Y/$ref"),
            ("root.yaml", "/components/schemas/Z/$ref"),
            ("root.yaml", "/components/schemas/W/$ref"),
            ("bad.yaml", ""),
        ] {
            assert!(
                found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} not in {found:?}"
            );
        }
        let remote = errors
            .iter()
            .find(|d| d.location.pointer == "/P/properties/r/$ref")
            .unwrap();
        assert!(remote.message.contains("not fetched"));
        assert_eq!(remote.location.line_column.map(|(line, _)| line), Some(3));
    }

    #[test]
    fn examples_and_extensions_are_data() {
        let dir = tempfile::tempdir().unwrap();
        let root = "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    X:\n      example: {$ref: 'data.yaml'}\n      x-thing: {$ref: 'data.yaml'}\n";
        let (tree, _) = bundled(root, dir.path()).unwrap();
        assert_eq!(tree, serde_yaml::from_str::<Value>(root).unwrap());
    }
}
