//! Schemas → named types and [`Ty`]s.
//!
//! Component schemas get their [`TypeId`] and name before any schema is
//! lowered (see [`SchemaLowering::reserve_components`]), so `$ref`s, even
//! forward and cyclic ones, are plain lookups. Inline schemas that need a
//! named type are named from where they stand: the parent type's name
//! followed by the property name (`AssistantConfig` + `stt`), or the
//! operation's name followed by `Body` / `Response`.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ObjectType, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::{passes, refs};
use crate::diagnostics::Diagnostics;
use crate::load::Document;
use crate::model::{
    Constraints, EnumType, EnumVariant, Field, IntKind, StructType, Ty, TypeDef, TypeId, TypeKind,
    TypeSpace, UnionType, UnionVariant,
};
use crate::names::{self, Case, Scope};
use crate::normalize::NULL_MARKER;
use crate::pointer;
use crate::pointer::join as pointer_join;

/// A schema position: a `$ref` or an inline schema.
#[derive(Clone, Copy)]
pub enum SchemaRef<'s> {
    /// `$ref` text.
    Ref(&'s str),
    /// An inline schema.
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(value: &'s ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(value: &'s ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

/// Builds the type arena.
pub struct SchemaLowering<'a> {
    doc: &'a Document,
    pub(crate) diags: &'a mut Diagnostics,
    defs: Vec<Option<TypeDef>>,
    type_names: Scope,
    components: HashMap<String, TypeId>,
    nullable_components: HashSet<String>,
    /// Local `$ref`s outside `#/components/schemas`, lowered once each.
    other_refs: HashMap<String, Ty>,
    other_refs_in_progress: HashSet<String>,
    /// Names chosen for reserved ids whose definitions are not built yet.
    placeholder_names: HashMap<TypeId, String>,
    /// Inline schemas already lowered to a named type, by their JSON text:
    /// the same inline schema met again (through `allOf` merging, or
    /// copy-pasted across a spec) reuses the first type instead of
    /// defining an identical one under a new name.
    inline_types: HashMap<String, Ty>,
    /// Every hint an inline type was met under, when more than one: it is
    /// renamed after what they share (see [`Self::name_shared_types`]).
    shared_hints: HashMap<TypeId, Vec<String>>,
    /// Ids of component schemas (named by the spec, never renamed).
    component_ids: HashSet<TypeId>,
    /// Current nesting of `lower_item` calls.
    depth: usize,
    /// Structs keep undeclared properties in a map.
    pub keep_unknown_fields: bool,
    /// While lowering a merged `allOf` object: where each property was
    /// defined, so diagnostics point at the part that wrote it.
    property_origins: Option<IndexMap<String, String>>,
}

/// Deepest inline nesting lowered before giving up on a schema.
const MAX_DEPTH: usize = 64;

impl<'a> SchemaLowering<'a> {
    /// A lowering over `doc`, reporting into `diags`.
    pub fn new(doc: &'a Document, diags: &'a mut Diagnostics) -> Self {
        Self {
            doc,
            diags,
            defs: Vec::new(),
            type_names: Scope::with_reserved(Case::Camel, names::TYPE_RESERVED),
            components: HashMap::new(),
            nullable_components: HashSet::new(),
            other_refs: HashMap::new(),
            other_refs_in_progress: HashSet::new(),
            placeholder_names: HashMap::new(),
            inline_types: HashMap::new(),
            shared_hints: HashMap::new(),
            component_ids: HashSet::new(),
            depth: 0,
            keep_unknown_fields: false,
            property_origins: None,
        }
    }

    /// Gives every component schema its id and name. Names that are already
    /// valid Rust type names claim first, so adding `foo-bar` next to an
    /// existing `FooBar` never renames `FooBar`.
    pub fn reserve_components(&mut self) {
        let Some(components) = &self.doc.api.components else {
            return;
        };
        let candidates: Vec<(String, String)> = components
            .schemas
            .keys()
            .map(|raw| (raw.clone(), names::upper_camel(raw, "T", "Type")))
            .collect();
        let mut chosen: HashMap<String, String> = HashMap::new();
        for exact in [true, false] {
            for (raw, candidate) in &candidates {
                if (raw == candidate) == exact {
                    chosen.insert(raw.clone(), self.type_names.claim_name(candidate));
                }
            }
        }
        for (raw, schema) in &components.schemas {
            let id = TypeId(self.defs.len());
            self.defs.push(None);
            self.components.insert(raw.clone(), id);
            self.component_ids.insert(id);
            if let ReferenceOr::Item(schema) = schema
                && is_nullable(&schema.schema_data)
            {
                self.nullable_components.insert(raw.clone());
            }
            // Names are final now; the definitions come in `lower_components`.
            let name = chosen.get(raw).cloned().unwrap_or_default();
            self.placeholder_names.insert(id, name);
        }
    }

    /// Lowers every component schema into its reserved slot.
    pub fn lower_components(&mut self) {
        let Some(components) = &self.doc.api.components else {
            return;
        };
        for (raw, schema) in &components.schemas {
            let Some(&id) = self.components.get(raw) else {
                continue;
            };
            let pointer = pointer_join("/components/schemas", raw);
            let name = self.placeholder_names.get(&id).cloned().unwrap_or_default();
            let ty = self.lower_into(schema.into(), &name, &pointer, Some(id));
            if self.defs.get(id.0).is_some_and(Option::is_none) {
                let (docs, deprecated) = match schema {
                    ReferenceOr::Item(s) => (docs_of(&s.schema_data), s.schema_data.deprecated),
                    ReferenceOr::Reference { .. } => (None, false),
                };
                let constraints = match schema {
                    ReferenceOr::Item(s) => constraints_of(s),
                    ReferenceOr::Reference { .. } => Constraints::default(),
                };
                // Nullability of a component is applied where it is used.
                let ty = match ty {
                    Ty::Nullable(inner) => *inner,
                    other => other,
                };
                self.put(
                    id,
                    TypeDef {
                        name,
                        origin: pointer,
                        docs,
                        deprecated,
                        kind: TypeKind::Alias { ty, constraints },
                    },
                );
            }
        }
    }

    /// Resolves a `$ref` to a parameter, request body, response or path
    /// item (see [`refs::resolve`]).
    pub fn resolve_component<T: refs::Component>(
        &self,
        reference: &str,
    ) -> Result<std::borrow::Cow<'a, T>, String> {
        refs::resolve(
            self.doc.api.components.as_ref(),
            || self.doc.raw(),
            reference,
        )
    }

    /// Finishes the arena: names shared inline types, then runs the
    /// whole-model passes (alias cycles, union order, boxing).
    pub fn finish(mut self) -> TypeSpace {
        self.name_shared_types();
        let placeholder_names = std::mem::take(&mut self.placeholder_names);
        let defs = self
            .defs
            .into_iter()
            .enumerate()
            .map(|(i, def)| {
                def.unwrap_or_else(|| TypeDef {
                    name: placeholder_names
                        .get(&TypeId(i))
                        .cloned()
                        .unwrap_or_default(),
                    origin: String::new(),
                    docs: None,
                    deprecated: false,
                    kind: TypeKind::Alias {
                        ty: Ty::Json,
                        constraints: Constraints::default(),
                    },
                })
            })
            .collect();
        let mut types = TypeSpace { defs };
        passes::break_alias_cycles(&mut types, self.diags);
        passes::box_cycles(&mut types);
        types
    }

    /// Renames each inline type met under several hints after the words
    /// the hints end with in common: an enum `direction` shared by
    /// `IssuesListForRepoDirection` and `PullsListDirection` is
    /// `Direction`, not named after whichever operation came first.
    fn name_shared_types(&mut self) {
        let mut shared: Vec<(TypeId, Vec<String>)> = self
            .shared_hints
            .iter()
            .map(|(id, hints)| (*id, hints.clone()))
            .collect();
        shared.sort_by_key(|(id, _)| *id);
        for (id, hints) in shared {
            let Some(common) = names::common_suffix(&hints) else {
                continue;
            };
            let Some(Some(def)) = self.defs.get_mut(id.0) else {
                continue;
            };
            if def.name == common {
                continue;
            }
            self.type_names.release(&def.name);
            def.name = self.type_names.claim_name(&common);
        }
    }

    /// Fills the reserved slot `id`.
    fn put(&mut self, id: TypeId, def: TypeDef) {
        if let Some(slot) = self.defs.get_mut(id.0) {
            *slot = Some(def);
        }
    }

    /// Lowers a schema in a position that has no type of its own yet. `hint`
    /// names any type it needs to define.
    pub fn lower(&mut self, schema: SchemaRef<'_>, hint: &str, pointer: &str) -> Ty {
        let SchemaRef::Item(item) = schema else {
            return self.lower_into(schema, hint, pointer, None);
        };
        if !defines_type(item) {
            return self.lower_item(item, hint, pointer, None);
        }
        let key = serde_json::to_string(item).unwrap_or_default();
        if let Some(ty) = self.inline_types.get(&key).cloned() {
            self.note_shared(&ty, hint);
            return ty;
        }
        let ty = self.lower_item(item, hint, pointer, None);
        if let Ty::Named(id) = ty.non_null() {
            self.shared_hints.insert(*id, vec![hint.to_owned()]);
        }
        self.inline_types.insert(key, ty.clone());
        ty
    }

    /// Records that the inline type `ty` was met again under `hint`.
    fn note_shared(&mut self, ty: &Ty, hint: &str) {
        let Ty::Named(id) = ty.non_null() else {
            return;
        };
        if self.component_ids.contains(id) {
            return;
        }
        if let Some(hints) = self.shared_hints.get_mut(id)
            && !hints.iter().any(|h| h == hint)
        {
            hints.push(hint.to_owned());
        }
    }

    fn lower_into(
        &mut self,
        schema: SchemaRef<'_>,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        match schema {
            SchemaRef::Ref(reference) => self.lower_ref(reference, pointer),
            SchemaRef::Item(schema) => self.lower_item(schema, hint, pointer, target),
        }
    }

    /// Resolves a `$ref` to the type it names.
    fn lower_ref(&mut self, reference: &str, pointer: &str) -> Ty {
        if let Some(name) = component_name(reference) {
            if let Some(&id) = self.components.get(&name) {
                return if self.nullable_components.contains(&name) {
                    Ty::Nullable(Box::new(Ty::Named(id)))
                } else {
                    Ty::Named(id)
                };
            }
            self.diags.error(
                pointer,
                format!("broken $ref `{reference}`: no schema named `{name}` in components"),
            );
            return Ty::Json;
        }
        let Some(fragment) = reference.strip_prefix('#') else {
            self.diags.warn(
                pointer,
                format!(
                    "external $ref `{reference}` is not supported yet; typed as any JSON value"
                ),
            );
            return Ty::Json;
        };
        if let Some(ty) = self.other_refs.get(reference) {
            return ty.clone();
        }
        if !self.other_refs_in_progress.insert(reference.to_owned()) {
            self.diags.warn(pointer, format!("$ref `{reference}` refers to itself through a non-component schema; typed as any JSON value"));
            return Ty::Json;
        }
        let target = refs::lookup(self.doc.raw(), reference)
            .map(|value| (refs::only_reference(value).map(str::to_owned), value));
        let ty = match target {
            // A reference to a reference: lower the one it names (which may
            // be a component, hence a named type).
            Ok((Some(next), _)) => self.lower_ref(&next, pointer),
            Ok((None, value)) => match self.normalized_schema(value, fragment) {
                Ok(schema) => {
                    let target = pointer::percent_decode(fragment);
                    let hint = names::upper_camel(&pointer::last_token(&target), "T", "Type");
                    self.lower_item(&schema, &hint, &target, None)
                }
                Err(e) => {
                    self.diags.error(
                        pointer,
                        format!("$ref `{reference}` does not point at a schema: {e}"),
                    );
                    Ty::Json
                }
            },
            Err(message) => {
                self.diags.error(pointer, message);
                Ty::Json
            }
        };
        self.other_refs_in_progress.remove(reference);
        self.other_refs.insert(reference.to_owned(), ty.clone());
        ty
    }

    /// Follows `$ref`s to the schema they name, for merging (`allOf`).
    fn resolve(&self, schema: SchemaRef<'_>) -> Option<Schema> {
        match schema {
            SchemaRef::Item(s) => Some(s.clone()),
            SchemaRef::Ref(r) => {
                // Component schemas are already normalised and typed.
                if let Some(name) = component_name(r)
                    && let Some(components) = &self.doc.api.components
                    && let Some(found) = components.schemas.get(&name)
                {
                    return match found {
                        ReferenceOr::Item(schema) => Some(schema.clone()),
                        ReferenceOr::Reference { reference } => self.resolve_chain(reference, 0),
                    };
                }
                let (value, found) = refs::follow(self.doc.raw(), r).ok()?;
                let fragment = found.strip_prefix('#').unwrap_or(&found).to_owned();
                self.normalized_schema(value, &fragment).ok()
            }
        }
    }

    /// Follows a component that is only a `$ref` (bounded: chains loop).
    fn resolve_chain(&self, reference: &str, depth: usize) -> Option<Schema> {
        if depth > 32 {
            return None;
        }
        let name = component_name(reference)?;
        match self.doc.api.components.as_ref()?.schemas.get(&name)? {
            ReferenceOr::Item(schema) => Some(schema.clone()),
            ReferenceOr::Reference { reference } => self.resolve_chain(reference, depth + 1),
        }
    }

    /// A schema from the tree as parsed, normalised the way the document
    /// was (its warnings were reported when the document was).
    fn normalized_schema(
        &self,
        value: &Value,
        fragment: &str,
    ) -> Result<Schema, serde_json::Error> {
        let mut value = value.clone();
        crate::normalize::normalize_schema(
            &mut value,
            fragment,
            &mut Diagnostics::new(self.diags.file()),
        );
        serde_json::from_value(value)
    }

    fn lower_item(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        // Inline schemas nest only as deep as the text, but `allOf` merging
        // copies referenced schemas inline; a cycle through such copies
        // would never end. Real specs stay far below this depth.
        if self.depth >= MAX_DEPTH {
            self.diags.warn(
                pointer,
                "schema nests too deeply (a cycle through allOf?); typed as any JSON value",
            );
            return Ty::Json;
        }
        self.depth += 1;
        let ty = self.lower_item_inner(schema, hint, pointer, target);
        self.depth -= 1;
        ty
    }

    fn lower_item_inner(
        &mut self,
        schema: &Schema,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        let data = &schema.schema_data;
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if values.is_empty() {
                    string_format_ty(&s.format)
                } else {
                    self.define_enum(values, data, hint, pointer, target)
                }
            }
            SchemaKind::Type(Type::Integer(i))
                if i.enumeration.iter().flatten().next().is_some() =>
            {
                let values: Vec<String> =
                    i.enumeration.iter().flatten().map(i64::to_string).collect();
                self.define_enum_of(values, true, data, hint, pointer, target)
            }
            SchemaKind::Type(Type::Integer(i)) => Ty::Int(int_kind(format_name(&i.format))),
            SchemaKind::Type(Type::Number(n)) => {
                if format_name(&n.format)
                    .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"))
                {
                    Ty::Int(int_kind(format_name(&n.format)))
                } else {
                    Ty::Float {
                        single: format_name(&n.format) == Some("float"),
                    }
                }
            }
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Object(o)) => self.lower_object(o, data, hint, pointer, target),
            SchemaKind::Type(Type::Array(a)) => {
                let items = match &a.items {
                    Some(items) => self.lower(
                        items.into(),
                        &format!("{hint}Item"),
                        &pointer_join(pointer, "items"),
                    ),
                    None => Ty::Json,
                };
                Ty::Array(Box::new(items))
            }
            SchemaKind::OneOf { one_of } => self.lower_union(
                one_of,
                None,
                data,
                hint,
                &pointer_join(pointer, "oneOf"),
                target,
            ),
            SchemaKind::AnyOf { any_of } => self.lower_union(
                any_of,
                None,
                data,
                hint,
                &pointer_join(pointer, "anyOf"),
                target,
            ),
            SchemaKind::AllOf { all_of } => {
                self.lower_all_of(all_of, None, data, hint, pointer, target)
            }
            SchemaKind::Not { .. } => {
                self.diags.warn(
                    pointer,
                    "`not` schemas cannot be expressed as a Rust type; typed as any JSON value",
                );
                Ty::Json
            }
            SchemaKind::Any(any) => self.lower_any(any, data, hint, pointer, target),
        };
        if is_nullable(data) && !ty.is_nullable() {
            Ty::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    fn lower_any(
        &mut self,
        any: &AnySchema,
        data: &SchemaData,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        let object_part = || ObjectType {
            properties: any.properties.clone(),
            required: any.required.clone(),
            additional_properties: any.additional_properties.clone(),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
        };
        if !any.all_of.is_empty() {
            let extra = (!any.properties.is_empty()).then(object_part);
            return self.lower_all_of(&any.all_of, extra, data, hint, pointer, target);
        }
        let alternatives = if any.one_of.is_empty() {
            &any.any_of
        } else {
            &any.one_of
        };
        if !alternatives.is_empty() {
            let key = if any.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            // Properties beside the alternatives belong to every one of them.
            let shared = (!any.properties.is_empty()).then(object_part);
            return self.lower_union(
                alternatives,
                shared,
                data,
                hint,
                &pointer_join(pointer, key),
                target,
            );
        }
        let typ = any.typ.as_deref();
        // A scalar `type` decides, whatever object or array keywords stand
        // beside it (they only constrain objects and arrays): `type: string`
        // with `additionalProperties: true` is a string.
        let scalar = matches!(typ, Some("string" | "integer" | "number" | "boolean"));
        if !scalar
            && (!any.properties.is_empty()
                || typ == Some("object")
                || (typ.is_none() && any.additional_properties.is_some() && any.items.is_none()))
        {
            return self.lower_object(&object_part(), data, hint, pointer, target);
        }
        if typ == Some("array") {
            let items = match &any.items {
                Some(items) => self.lower(
                    items.into(),
                    &format!("{hint}Item"),
                    &pointer_join(pointer, "items"),
                ),
                None => Ty::Json,
            };
            return Ty::Array(Box::new(items));
        }
        // `items` without `type: array` only constrains arrays: any other
        // value is valid too, so the value is any JSON.
        let strings: Vec<String> = any
            .enumeration
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        match typ {
            Some("integer") => Ty::Int(int_kind(any.format.as_deref())),
            Some("number") => Ty::Float {
                single: any.format.as_deref() == Some("float"),
            },
            Some("boolean") => Ty::Bool,
            Some("string") | None
                if !strings.is_empty()
                    && strings.len() == any.enumeration.iter().filter(|v| !v.is_null()).count() =>
            {
                self.define_enum(strings, data, hint, pointer, target)
            }
            Some("string") => string_format_ty(&match &any.format {
                Some(f) => VariantOrUnknownOrEmpty::Unknown(f.clone()),
                None => VariantOrUnknownOrEmpty::Empty,
            }),
            _ if data.extensions.get(NULL_MARKER) == Some(&Value::Bool(true)) => {
                Ty::Nullable(Box::new(Ty::Json))
            }
            _ => Ty::Json,
        }
    }

    fn lower_object(
        &mut self,
        object: &ObjectType,
        data: &SchemaData,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        // Origins from a merged `allOf` are for this object's properties,
        // not for objects nested in them.
        let origins = self.property_origins.take();
        if object.properties.is_empty() {
            return match &object.additional_properties {
                Some(AdditionalProperties::Schema(schema)) => {
                    let value = self.lower(
                        schema.as_ref().into(),
                        &format!("{hint}Value"),
                        &pointer_join(pointer, "additionalProperties"),
                    );
                    if value == Ty::Json {
                        Ty::JsonObject
                    } else {
                        Ty::Map(Box::new(value))
                    }
                }
                _ => Ty::JsonObject,
            };
        }
        let (id, name) = self.reserve(target, hint);
        let mut field_names = Scope::new(Case::Snake);
        let mut params = Scope::new(Case::Binding);
        let mut fields = Vec::with_capacity(object.properties.len());
        let props_pointer = pointer_join(pointer, "properties");
        for (wire, prop) in &object.properties {
            // A merged `allOf` property is reported where its part defines it.
            let prop_pointer = match origins.as_ref().and_then(|o| o.get(wire)) {
                Some(part) => pointer_join(&pointer_join(part, "properties"), wire),
                None => pointer_join(&props_pointer, wire),
            };
            let field_hint = names::compose(&name, &names::upper_camel(wire, "", "Field"));
            let prop_ref: SchemaRef<'_> = prop.into();
            let ty = self.lower(prop_ref, &field_hint, &prop_pointer);
            let (docs, constraints, deprecated, read_only, password) = match prop_ref {
                SchemaRef::Item(s) => (
                    docs_of(&s.schema_data),
                    constraints_of(s),
                    s.schema_data.deprecated,
                    s.schema_data.read_only,
                    matches!(&s.schema_kind, SchemaKind::Type(Type::String(st)) if matches!(st.format, VariantOrUnknownOrEmpty::Item(StringFormat::Password))),
                ),
                SchemaRef::Ref(_) => (None, Constraints::default(), false, false, false),
            };
            let (write_only, default, example) = match prop_ref {
                SchemaRef::Item(s) => (
                    s.schema_data.write_only,
                    s.schema_data.default.clone(),
                    s.schema_data.example.clone(),
                ),
                SchemaRef::Ref(_) => (false, None, None),
            };
            let secret =
                matches!(ty.non_null(), Ty::String) && (password || names::looks_secret(wire));
            let field_name = field_names.claim(wire, "field");
            fields.push(Field {
                param: params.claim_name(&field_name),
                name: field_name,
                wire: wire.clone(),
                docs,
                ty,
                required: object.required.iter().any(|r| r == wire),
                constraints,
                secret,
                boxed: false,
                deprecated,
                read_only,
                write_only,
                default,
                example,
            });
        }
        for required in &object.required {
            if !object.properties.contains_key(required) {
                self.diags.warn(&pointer_join(pointer, "required"), format!("`{required}` is required but not listed in `properties`; it is not part of the type"));
            }
        }
        let additional_name = field_names.claim_name("additional_properties");
        let additional = match &object.additional_properties {
            Some(AdditionalProperties::Schema(schema)) => Some(self.lower(
                schema.as_ref().into(),
                &names::compose(&name, "Value"),
                &pointer_join(pointer, "additionalProperties"),
            )),
            Some(AdditionalProperties::Any(true)) => Some(Ty::Json),
            Some(AdditionalProperties::Any(false)) => None,
            None if self.keep_unknown_fields => Some(Ty::Json),
            None => None,
        };
        self.fill(
            id,
            name,
            pointer,
            data,
            TypeKind::Struct(StructType {
                fields,
                additional,
                additional_name,
            }),
        );
        Ty::Named(id)
    }

    fn define_enum(
        &mut self,
        values: Vec<String>,
        data: &SchemaData,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        self.define_enum_of(values, false, data, hint, pointer, target)
    }

    fn define_enum_of(
        &mut self,
        values: Vec<String>,
        integer: bool,
        data: &SchemaData,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        let (id, name) = self.reserve(target, hint);
        let mut scope = Scope::variants();
        let mut seen = HashSet::new();
        let mut variants = Vec::new();
        for wire in values {
            if !seen.insert(wire.clone()) {
                continue;
            }
            let mut variant = match wire.strip_prefix('-') {
                Some(digits) if integer => format!("Minus{digits}"),
                _ => names::upper_camel(&wire, "V", "Empty"),
            };
            // `enum Status { StatusOk }` trips clippy::enum_variant_names.
            let stripped = [
                variant.strip_prefix(name.as_str()),
                variant.strip_suffix(name.as_str()),
            ]
            .into_iter()
            .flatten()
            .find(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(str::to_owned);
            if let Some(rest) = stripped {
                variant = rest;
            }
            if variant.contains(name.as_str()) && variant != name {
                variant = format!("V{variant}");
            }
            if variant == name {
                variant = "Value".to_owned();
            }
            variants.push(EnumVariant {
                name: scope.claim_name(&variant),
                wire,
            });
        }
        let catch_all = scope.claim_name("Unknown");
        self.fill(
            id,
            name,
            pointer,
            data,
            TypeKind::Enum(EnumType {
                variants,
                catch_all,
                integer,
            }),
        );
        Ty::Named(id)
    }

    /// `shared`: properties declared beside the alternatives, which each
    /// alternative gets (as if it were `allOf: [alternative, shared]`).
    fn lower_union(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        shared: Option<ObjectType>,
        data: &SchemaData,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        if let (Some(shared), false) = (&shared, alternatives.is_empty()) {
            let merged: Vec<ReferenceOr<Schema>> = alternatives
                .iter()
                .map(|alternative| with_shared(alternative, shared))
                .collect();
            return self.lower_union_merged(alternatives, &merged, data, hint, pointer, target);
        }
        self.lower_union_merged(alternatives, alternatives, data, hint, pointer, target)
    }

    /// Lowers `schemas` (the alternatives, maybe merged with shared
    /// properties) as a union, naming variants after `alternatives`.
    fn lower_union_merged(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        schemas: &[ReferenceOr<Schema>],
        data: &SchemaData,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        if let [only] = schemas {
            return self.lower_into(only.into(), hint, &format!("{pointer}/0"), target);
        }
        let (id, name) = self.reserve(target, hint);
        let mut scope = Scope::variants();
        let mut variants = Vec::with_capacity(alternatives.len());
        for (i, (alternative, schema)) in alternatives.iter().zip(schemas).enumerate() {
            let alt_pointer = format!("{pointer}/{i}");
            let alt_hint = match alternative {
                ReferenceOr::Item(s) => s.schema_data.title.as_deref().map_or_else(
                    || names::compose(&name, &format!("Variant{i}")),
                    |t| names::compose(&name, &names::upper_camel(t, "", "Variant")),
                ),
                ReferenceOr::Reference { .. } => names::compose(&name, &format!("Variant{i}")),
            };
            let ty = self.lower(schema.into(), &alt_hint, &alt_pointer);
            let variant_name = match alternative {
                ReferenceOr::Reference { reference } => component_name(reference)
                    .map(|n| names::upper_camel(&n, "V", "Variant"))
                    .unwrap_or_else(|| variant_name_for(&ty)),
                ReferenceOr::Item(s) => match s.schema_data.title.as_deref() {
                    Some(title) => names::upper_camel(title, "V", "Variant"),
                    None => variant_name_for(&ty),
                },
            };
            variants.push(UnionVariant {
                name: scope.claim_name(&variant_name),
                ty,
                boxed: false,
                tag_values: Vec::new(),
            });
        }
        let tag = data.discriminator.as_ref().map(|d| d.property_name.clone());
        if let Some(discriminator) = &data.discriminator {
            for (alternative, variant) in alternatives.iter().zip(variants.iter_mut()) {
                let ReferenceOr::Reference { reference } = alternative else {
                    continue;
                };
                let mapped: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| mapping_matches(target, reference))
                    .map(|(value, _)| value.clone())
                    .collect();
                variant.tag_values = if mapped.is_empty() {
                    component_name(reference).into_iter().collect()
                } else {
                    mapped
                };
            }
        }
        let tag = match tag {
            Some(property) if variants.iter().all(|v| !v.tag_values.is_empty()) => Some(property),
            Some(_) => {
                self.diags.warn(
                    pointer,
                    "discriminator needs every alternative to be a $ref; decoding untagged instead",
                );
                None
            }
            None => None,
        };
        self.fill(
            id,
            name,
            pointer,
            data,
            TypeKind::Union(UnionType { variants, tag }),
        );
        Ty::Named(id)
    }

    fn lower_all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        extra: Option<ObjectType>,
        data: &SchemaData,
        hint: &str,
        pointer: &str,
        target: Option<TypeId>,
    ) -> Ty {
        let all_of_pointer = pointer_join(pointer, "allOf");
        // `allOf: [{$ref: X}, {description: …}]` only annotates X: it is X.
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !is_annotation_only(p))
            .collect();
        if let ([(index, part)], None) = (meaningful.as_slice(), &extra) {
            let (index, part) = (*index, *part);
            let ty = self.lower_into(
                part.into(),
                hint,
                &format!("{all_of_pointer}/{index}"),
                target,
            );
            let annotated_nullable = parts
                .iter()
                .any(|p| matches!(p, ReferenceOr::Item(s) if is_nullable(&s.schema_data)));
            return if annotated_nullable && !ty.is_nullable() {
                Ty::Nullable(Box::new(ty))
            } else {
                ty
            };
        }
        let mut merged = ObjectType::default();
        let mut sources: IndexMap<String, String> = IndexMap::new();
        let mut object_parts = 0;
        let mut flattened: Vec<(String, Schema)> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            self.flatten_all_of(
                part.into(),
                &format!("{all_of_pointer}/{i}"),
                &mut flattened,
                0,
            );
        }
        if let Some(extra) = extra {
            flattened.push((
                pointer.to_owned(),
                Schema {
                    schema_data: SchemaData::default(),
                    schema_kind: SchemaKind::Type(Type::Object(extra)),
                },
            ));
        }
        let mut non_object: Option<(String, Schema)> = None;
        for (part_pointer, schema) in flattened {
            let object = match object_part(&schema) {
                Part::Empty => continue,
                Part::Object(object) => object,
                Part::Other => {
                    if non_object.is_none() {
                        non_object = Some((part_pointer, schema));
                    } else {
                        self.diags
                            .warn(&part_pointer, "allOf part that is not an object is ignored");
                    }
                    continue;
                }
            };
            object_parts += 1;
            self.merge_object_part(&mut merged, &mut sources, object, &part_pointer);
        }
        if object_parts == 0 {
            if let Some((part_pointer, schema)) = non_object {
                return self.lower_item(&schema, hint, &part_pointer, target);
            }
            return Ty::JsonObject;
        }
        if let Some((part_pointer, _)) = non_object {
            self.diags.warn(
                &part_pointer,
                "allOf mixes an object with a non-object part; the non-object part is ignored",
            );
        }
        // Required properties defined only in another part still need a field.
        self.property_origins = Some(sources);
        self.lower_object(&merged, data, hint, pointer, target)
    }

    /// Merges one object part of an `allOf` into `merged`: its properties
    /// (a later, incompatible definition wins, with a warning; `sources`
    /// remembers where each winning definition is), required names and
    /// additional properties.
    fn merge_object_part(
        &mut self,
        merged: &mut ObjectType,
        sources: &mut IndexMap<String, String>,
        object: ObjectType,
        part_pointer: &str,
    ) {
        for (key, prop) in object.properties {
            if let Some(existing) = merged.properties.get(&key)
                && existing != &prop
                && !is_trivial(&prop)
                && !refines(existing, &prop)
            {
                let first = sources.get(&key).cloned().unwrap_or_default();
                let first = pointer_join(&pointer_join(&first, "properties"), &key);
                let at = pointer_join(&pointer_join(part_pointer, "properties"), &key);
                self.diags.warn(&at, format!("allOf parts disagree on property `{key}` (first defined at #{first}); the later definition wins"));
            }
            // The definition that wins is the one lowered: point there.
            sources.insert(key.clone(), part_pointer.to_owned());
            merged.properties.insert(key, prop);
        }
        for r in object.required {
            if !merged.required.contains(&r) {
                merged.required.push(r);
            }
        }
        if object.additional_properties.is_some() {
            merged.additional_properties = object.additional_properties;
        }
    }

    /// Collects the schemas an `allOf` stands for, following `$ref`s and
    /// nested `allOf`s.
    fn flatten_all_of(
        &mut self,
        part: SchemaRef<'_>,
        pointer: &str,
        out: &mut Vec<(String, Schema)>,
        depth: usize,
    ) {
        if depth > 32 {
            self.diags
                .warn(pointer, "allOf nests too deeply (cycle?); part ignored");
            return;
        }
        let Some(schema) = self.resolve(part) else {
            if let SchemaRef::Ref(r) = part {
                self.diags
                    .error(pointer, format!("broken $ref `{r}` in allOf"));
            }
            return;
        };
        let nested = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some((all_of.clone(), None)),
            SchemaKind::Any(a) if !a.all_of.is_empty() => Some((
                a.all_of.clone(),
                (!a.properties.is_empty()).then(|| ObjectType {
                    properties: a.properties.clone(),
                    required: a.required.clone(),
                    additional_properties: a.additional_properties.clone(),
                    min_properties: None,
                    max_properties: None,
                }),
            )),
            _ => None,
        };
        match nested {
            Some((inner, extra)) => {
                for (i, p) in inner.iter().enumerate() {
                    self.flatten_all_of(p.into(), &format!("{pointer}/allOf/{i}"), out, depth + 1);
                }
                if let Some(extra) = extra {
                    out.push((
                        pointer.to_owned(),
                        Schema {
                            schema_data: SchemaData::default(),
                            schema_kind: SchemaKind::Type(Type::Object(extra)),
                        },
                    ));
                }
            }
            None => out.push((pointer.to_owned(), schema)),
        }
    }

    /// Takes the target slot, or a fresh id and name derived from `hint`.
    fn reserve(&mut self, target: Option<TypeId>, hint: &str) -> (TypeId, String) {
        if let Some(id) = target {
            let name = self.placeholder_names.get(&id).cloned().unwrap_or_default();
            return (id, name);
        }
        let name = self
            .type_names
            .claim_name(&names::upper_camel(hint, "T", "Type"));
        let id = TypeId(self.defs.len());
        self.defs.push(None);
        self.placeholder_names.insert(id, name.clone());
        (id, name)
    }

    fn fill(&mut self, id: TypeId, name: String, pointer: &str, data: &SchemaData, kind: TypeKind) {
        self.put(
            id,
            TypeDef {
                name,
                origin: pointer.to_owned(),
                docs: docs_of(data),
                deprecated: data.deprecated,
                kind,
            },
        );
    }
}

/// `allOf: [alternative, shared]`: an alternative with the properties
/// declared beside the union.
fn with_shared(alternative: &ReferenceOr<Schema>, shared: &ObjectType) -> ReferenceOr<Schema> {
    ReferenceOr::Item(Schema {
        schema_data: SchemaData::default(),
        schema_kind: SchemaKind::AllOf {
            all_of: vec![
                alternative.clone(),
                ReferenceOr::Item(Schema {
                    schema_data: SchemaData::default(),
                    schema_kind: SchemaKind::Type(Type::Object(shared.clone())),
                }),
            ],
        },
    })
}

/// Whether a discriminator `mapping` target (a `$ref` or a bare schema
/// name) names the same schema as `reference`.
fn mapping_matches(target: &str, reference: &str) -> bool {
    let wanted = component_name(reference);
    target == reference
        || (wanted.is_some()
            && (component_name(target) == wanted || Some(target.to_owned()) == wanted))
}

/// Whether an `allOf` part only annotates (description, nullable, …) and
/// adds no structure.
fn is_annotation_only(part: &ReferenceOr<Schema>) -> bool {
    matches!(part, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if a == &AnySchema::default()) && s.schema_data.discriminator.is_none())
}

/// Whether lowering `schema` defines a named type (so that meeting it
/// again should reuse that type).
fn defines_type(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(a) => {
            !a.properties.is_empty()
                || !a.one_of.is_empty()
                || !a.any_of.is_empty()
                || !a.all_of.is_empty()
                || !a.enumeration.is_empty()
        }
        _ => false,
    }
}

/// Whether `later` only refines `earlier`, as `allOf` means: both apply,
/// so the later definition, which the merged type takes, loses nothing a
/// value can have unless the two admit no common JSON type (`integer`
/// against `string`). A narrower enum, an added format or description, one
/// alternative of an earlier `oneOf`: all refinements, and no warning.
fn refines(earlier: &ReferenceOr<Box<Schema>>, later: &ReferenceOr<Box<Schema>>) -> bool {
    let (Ok(a), Ok(b)) = (serde_json::to_value(earlier), serde_json::to_value(later)) else {
        return false;
    };
    match (json_types(&a, 0), json_types(&b, 0)) {
        (Some(a), Some(b)) => b
            .iter()
            .any(|t| a.contains(t) || (t == "integer" && a.iter().any(|e| e == "number"))),
        // A `$ref` or an untyped schema: nothing to compare.
        _ => true,
    }
}

/// The JSON types a schema admits, when its JSON says (`type`, or the
/// alternatives of `oneOf`/`anyOf`); `None` when it does not.
fn json_types(schema: &Value, depth: usize) -> Option<Vec<String>> {
    if depth > 8 {
        return None;
    }
    if let Some(Value::String(t)) = schema.get("type") {
        return Some(vec![t.clone()]);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alternatives)) = schema.get(key) {
            let mut all = Vec::new();
            for alternative in alternatives {
                all.extend(json_types(alternative, depth + 1)?);
            }
            return Some(all);
        }
    }
    None
}

fn is_trivial(prop: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(prop, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if a == &AnySchema::default()))
}

fn is_nullable(data: &SchemaData) -> bool {
    data.nullable || data.extensions.get(NULL_MARKER) == Some(&Value::Bool(true))
}

/// The component name a `#/components/schemas/…` reference names.
pub fn component_name(reference: &str) -> Option<String> {
    let target = pointer::fragment_pointer(reference)?;
    let rest = target.strip_prefix("/components/schemas/")?;
    if rest.contains('/') {
        return None;
    }
    Some(pointer::unescape(rest))
}

/// The description of a schema, or its title.
pub fn docs_of(data: &SchemaData) -> Option<String> {
    data.description
        .clone()
        .or_else(|| data.title.clone())
        .filter(|d| crate::names::has_words(d))
}

fn format_name<T>(format: &VariantOrUnknownOrEmpty<T>) -> Option<&str>
where
    T: FormatName,
{
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(item.name()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

trait FormatName {
    fn name(&self) -> &'static str;
}

impl FormatName for openapiv3::IntegerFormat {
    fn name(&self) -> &'static str {
        match self {
            openapiv3::IntegerFormat::Int32 => "int32",
            openapiv3::IntegerFormat::Int64 => "int64",
        }
    }
}

impl FormatName for openapiv3::NumberFormat {
    fn name(&self) -> &'static str {
        match self {
            openapiv3::NumberFormat::Float => "float",
            openapiv3::NumberFormat::Double => "double",
        }
    }
}

/// The integer type for a `format`; `int64` (and no format) is `i64`, a
/// safe default for JSON numbers.
fn int_kind(format: Option<&str>) -> IntKind {
    match format {
        Some("int8") => IntKind::I8,
        Some("int16") => IntKind::I16,
        Some("int32") => IntKind::I32,
        Some("uint8") => IntKind::U8,
        Some("uint16") => IntKind::U16,
        Some("uint32") => IntKind::U32,
        Some("uint64" | "uint") => IntKind::U64,
        _ => IntKind::I64,
    }
}

fn string_format_ty(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Ty {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "date-time" => Ty::DateTime,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "date" => Ty::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => Ty::Uuid,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Ty::Bytes,
        _ => Ty::String,
    }
}

fn variant_name_for(ty: &Ty) -> String {
    match ty.non_null() {
        Ty::Bool => "Boolean",
        Ty::Int(_) => "Integer",
        Ty::Float { .. } => "Number",
        Ty::String | Ty::DateTime | Ty::Date | Ty::Uuid | Ty::Bytes => "String",
        Ty::Json => "Value",
        Ty::JsonObject | Ty::Map(_) => "Object",
        Ty::Array(_) => "Array",
        Ty::Named(_) | Ty::Nullable(_) => "Variant",
    }
    .to_owned()
}

/// The validation keywords of an inline schema.
pub fn constraints_of(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length.map(|v| v as u64).filter(|v| *v > 0);
            c.max_length = s.max_length.map(|v| v as u64);
            c.pattern = s.pattern.clone();
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|v| v as f64);
            c.maximum = i.maximum.map(|v| v as f64);
            c.exclusive_minimum = i.exclusive_minimum && c.minimum.is_some();
            c.exclusive_maximum = i.exclusive_maximum && c.maximum.is_some();
            c.allowed = i
                .enumeration
                .iter()
                .flatten()
                .map(|v| Value::from(*v))
                .collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum;
            c.maximum = n.maximum;
            c.exclusive_minimum = n.exclusive_minimum && c.minimum.is_some();
            c.exclusive_maximum = n.exclusive_maximum && c.maximum.is_some();
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items.map(|v| v as u64).filter(|v| *v > 0);
            c.max_items = a.max_items.map(|v| v as u64);
        }
        _ => {}
    }
    c
}

/// What one flattened `allOf` part contributes.
enum Part {
    /// Nothing (`{}`).
    Empty,
    /// Object properties and constraints.
    Object(ObjectType),
    /// A schema that is not an object.
    Other,
}

/// Classifies an `allOf` part. Object keywords without a type
/// (`required: [a]` alone) constrain objects: they are object parts.
fn object_part(schema: &Schema) -> Part {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Part::Object(o.clone()),
        SchemaKind::Any(a)
            if !a.properties.is_empty()
                || a.typ.as_deref() == Some("object")
                || (a.typ.is_none()
                    && (!a.required.is_empty() || a.additional_properties.is_some())) =>
        {
            Part::Object(ObjectType {
                properties: a.properties.clone(),
                required: a.required.clone(),
                additional_properties: a.additional_properties.clone(),
                min_properties: None,
                max_properties: None,
            })
        }
        SchemaKind::Any(a) if a == &AnySchema::default() => Part::Empty,
        _ => Part::Other,
    }
}
