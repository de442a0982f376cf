//! Paths and operations → [`Operation`]s.

use openapiv3::{
    Parameter as OaParameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    RequestBody as OaRequestBody, Response as OaResponse, StatusCode,
};
use serde::de::DeserializeOwned;

use super::schema::{SchemaLowering, SchemaRef, constraints_of};
use crate::diagnostics::pointer_join;
use crate::model::{
    BodyMedia, Constraints, Operation, ParamLocation, ParamStyle, Parameter, RequestBody, Response,
    StatusMatch, Ty,
};
use crate::names::{self, Scope};

/// Names that generated client methods may not take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "http_client",
    "timeout",
    "server_url",
];

/// Method names clippy::should_implement_trait reserves for std traits
/// with the shape of a client method (`&self`, one argument) or a builder
/// setter (`self`, one argument). Operations and parameters with these
/// names get a suffix.
const TRAIT_METHODS: &[&str] = &[
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "bitand",
    "bitor",
    "bitxor",
    "shl",
    "shr",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "index",
    "clone",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "deref",
    "deref_mut",
    "hash",
    "next",
    "into_iter",
    "from_str",
    "from_iter",
    "not",
    "neg",
    "drop",
    "default",
    "fmt",
];

/// `name`, or `name_suffix` when it is a std trait's method name.
fn avoid_trait_method(name: String, suffix: &str) -> String {
    if TRAIT_METHODS.contains(&name.as_str()) {
        format!("{name}_{suffix}")
    } else {
        name
    }
}

/// Names the request builder uses for itself.
const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "body",
    "send",
    "timeout",
    "into_future",
    "options",
];

/// Lowers every operation of the document.
pub fn lower_operations(
    lowering: &mut SchemaLowering<'_>,
    api: &openapiv3::OpenAPI,
    tree: &serde_json::Value,
    auth_keys: &[String],
) -> Vec<Operation> {
    let mut method_names = Scope::with_reserved(CLIENT_METHODS);
    let mut type_names = Scope::default();
    let mut operations = Vec::new();
    let global_security = api.security.as_ref();
    for (path, item) in &api.paths.paths {
        let item_pointer = pointer_join("/paths", path);
        let item: PathItem = match item {
            ReferenceOr::Item(item) => item.clone(),
            ReferenceOr::Reference { reference } => match resolve(tree, reference) {
                Ok(item) => item,
                Err(message) => {
                    lowering.diags.error(&item_pointer, message);
                    continue;
                }
            },
        };
        let methods = [
            ("get", &item.get),
            ("put", &item.put),
            ("post", &item.post),
            ("delete", &item.delete),
            ("options", &item.options),
            ("head", &item.head),
            ("patch", &item.patch),
            ("trace", &item.trace),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let pointer = pointer_join(&item_pointer, method);
            let raw_name = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            let name = method_names.claim(&avoid_trait_method(
                names::snake(&raw_name, "operation"),
                "operation",
            ));
            let type_name = type_names.claim(&names::upper_camel(&raw_name, "Op", "Operation"));
            let security = op.security.as_ref().or(global_security);
            let auth = security
                .map(|reqs| {
                    let mut keys: Vec<String> = Vec::new();
                    for req in reqs {
                        for key in req.keys() {
                            if auth_keys.contains(key) && !keys.contains(key) {
                                keys.push(key.clone());
                            }
                        }
                    }
                    keys
                })
                .unwrap_or_default();
            let mut operation = Operation {
                name,
                type_name: type_name.clone(),
                origin: pointer.clone(),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
                description: op.description.clone().filter(|s| !s.trim().is_empty()),
                deprecated: op.deprecated,
                params: Vec::new(),
                body: None,
                responses: Vec::new(),
                auth,
            };
            operation.params = lower_params(
                lowering,
                tree,
                &item.parameters,
                &op.parameters,
                path,
                &type_name,
                &item_pointer,
                &pointer,
            );
            if let Some(body) = &op.request_body {
                operation.body = lower_body(
                    lowering,
                    tree,
                    body,
                    &type_name,
                    &pointer_join(&pointer, "requestBody"),
                );
            }
            operation.responses = lower_responses(
                lowering,
                tree,
                &op.responses,
                &type_name,
                &pointer_join(&pointer, "responses"),
            );
            operations.push(operation);
        }
    }
    operations
}

/// Resolves a local `$ref` to a spec object of type `T`, following chains.
pub fn resolve<T: DeserializeOwned>(
    tree: &serde_json::Value,
    reference: &str,
) -> Result<T, String> {
    let (value, found) = super::refs::follow(tree, reference)?;
    serde_json::from_value(value.clone())
        .map_err(|e| format!("$ref `{found}` points at something unexpected: {e}"))
}

fn resolve_or<T: DeserializeOwned + Clone>(
    lowering: &mut SchemaLowering<'_>,
    tree: &serde_json::Value,
    value: &ReferenceOr<T>,
    pointer: &str,
) -> Option<T> {
    match value {
        ReferenceOr::Item(item) => Some(item.clone()),
        ReferenceOr::Reference { reference } => match resolve(tree, reference) {
            Ok(item) => Some(item),
            Err(message) => {
                lowering.diags.error(pointer, message);
                None
            }
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn lower_params(
    lowering: &mut SchemaLowering<'_>,
    tree: &serde_json::Value,
    path_level: &[ReferenceOr<OaParameter>],
    op_level: &[ReferenceOr<OaParameter>],
    path: &str,
    type_name: &str,
    item_pointer: &str,
    op_pointer: &str,
) -> Vec<Parameter> {
    // Operation-level parameters override path-level ones with the same
    // name and location.
    let mut merged: Vec<(OaParameter, String)> = Vec::new();
    for (list, base) in [(path_level, item_pointer), (op_level, op_pointer)] {
        for (i, param) in list.iter().enumerate() {
            let pointer = format!("{}/{i}", pointer_join(base, "parameters"));
            let Some(param) = resolve_or(lowering, tree, param, &pointer) else {
                continue;
            };
            let key = (param.parameter_data_ref().name.clone(), location_of(&param));
            merged.retain(|(p, _)| (p.parameter_data_ref().name.clone(), location_of(p)) != key);
            merged.push((param, pointer));
        }
    }
    let template: Vec<String> = template_names(path);
    let mut scope = Scope::with_reserved(BUILDER_MEMBERS);
    let mut params = Vec::new();
    for name in &template {
        if !merged.iter().any(|(p, _)| {
            location_of(p) == ParamLocation::Path && &p.parameter_data_ref().name == name
        }) {
            lowering.diags.warn(
                op_pointer,
                format!("path parameter `{name}` is not declared; typed as a string"),
            );
            params.push(Parameter {
                name: scope.claim(&names::snake(name, "param")),
                wire: name.clone(),
                location: ParamLocation::Path,
                ty: Ty::String,
                required: true,
                docs: None,
                constraints: Constraints::default(),
                explode: false,
                style: ParamStyle::Simple,
                deprecated: false,
            });
        }
    }
    for (param, pointer) in merged {
        let location = location_of(&param);
        let data = param.parameter_data_ref();
        if location == ParamLocation::Path && !template.contains(&data.name) {
            lowering.diags.warn(
                &pointer,
                format!(
                    "path parameter `{}` does not appear in the path; ignored",
                    data.name
                ),
            );
            continue;
        }
        let hint = format!("{type_name}{}", names::upper_camel(&data.name, "", "Param"));
        let (ty, constraints) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let schema_ref: SchemaRef<'_> = schema.into();
                let constraints = match schema_ref {
                    SchemaRef::Item(s) => constraints_of(s),
                    SchemaRef::Ref(_) => Constraints::default(),
                };
                (
                    lowering.lower(schema_ref, &hint, &pointer_join(&pointer, "schema")),
                    constraints,
                )
            }
            ParameterSchemaOrContent::Content(_) => (Ty::String, Constraints::default()),
        };
        let style = match &param {
            OaParameter::Query { style, .. } => match style {
                openapiv3::QueryStyle::Form => ParamStyle::Form,
                openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            OaParameter::Path { style, .. } => match style {
                openapiv3::PathStyle::Simple => ParamStyle::Simple,
                openapiv3::PathStyle::Label => ParamStyle::Label,
                openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
            },
            OaParameter::Header { .. } => ParamStyle::Simple,
            OaParameter::Cookie { .. } => ParamStyle::Form,
        };
        // `explode` defaults to true for `form` and false otherwise.
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        params.push(Parameter {
            name: scope.claim(&avoid_trait_method(
                names::snake(&data.name, "param"),
                "param",
            )),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            docs: data.description.clone().filter(|d| !d.trim().is_empty()),
            constraints,
            explode,
            style,
            deprecated: data.deprecated == Some(true),
        });
    }
    // Path parameters in template order, then the other required ones.
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => (0, template.iter().position(|t| *t == p.wire).unwrap_or(0)),
        _ if p.required => (1, 0),
        _ => (2, 0),
    });
    params
}

fn location_of(param: &OaParameter) -> ParamLocation {
    match param {
        OaParameter::Query { .. } => ParamLocation::Query,
        OaParameter::Header { .. } => ParamLocation::Header,
        OaParameter::Path { .. } => ParamLocation::Path,
        OaParameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The `{name}`s of a path template, in order.
pub fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    names
}

/// Classifies a media type.
pub fn media_of(content_type: &str) -> Option<BodyMedia> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "application/*"
        || essence == "text/json"
    {
        Some(BodyMedia::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(BodyMedia::Form)
    } else if essence.starts_with("multipart/") {
        Some(BodyMedia::Multipart)
    } else if essence.starts_with("text/") {
        Some(BodyMedia::Text)
    } else {
        Some(BodyMedia::Binary)
    }
}

/// Picks the media type to use among several: JSON first, then forms, text,
/// binary.
fn pick_media<V>(content: &indexmap::IndexMap<String, V>) -> Option<(&String, &V, BodyMedia)> {
    let rank = |m: BodyMedia| match m {
        BodyMedia::Json => 0,
        BodyMedia::Form => 1,
        BodyMedia::Multipart => 2,
        BodyMedia::Text => 3,
        BodyMedia::Binary => 4,
    };
    content
        .iter()
        .filter_map(|(ct, v)| media_of(ct).map(|m| (ct, v, m)))
        .min_by_key(|(_, _, m)| rank(*m))
}

fn lower_body(
    lowering: &mut SchemaLowering<'_>,
    tree: &serde_json::Value,
    body: &ReferenceOr<OaRequestBody>,
    type_name: &str,
    pointer: &str,
) -> Option<RequestBody> {
    let body = resolve_or(lowering, tree, body, pointer)?;
    if body.content.is_empty() {
        return None;
    }
    let (content_type, media_type, media) = pick_media(&body.content)?;
    let schema_pointer = pointer_join(
        &pointer_join(&pointer_join(pointer, "content"), content_type),
        "schema",
    );
    let ty = match media {
        BodyMedia::Json | BodyMedia::Form | BodyMedia::Multipart => match &media_type.schema {
            Some(schema) => {
                lowering.lower(schema.into(), &format!("{type_name}Body"), &schema_pointer)
            }
            None => Ty::Json,
        },
        BodyMedia::Text => Ty::String,
        BodyMedia::Binary => Ty::Bytes,
    };
    let ty = if matches!(media, BodyMedia::Form | BodyMedia::Multipart)
        && !matches!(ty.non_null(), Ty::Named(_) | Ty::Map(_) | Ty::JsonObject)
    {
        lowering.diags.warn(
            &schema_pointer,
            "a form or multipart body must be an object; sending it as JSON",
        );
        return Some(RequestBody {
            ty,
            media: BodyMedia::Json,
            content_type: "application/json".to_owned(),
            required: body.required,
            docs: body.description.clone(),
        });
    } else {
        ty
    };
    Some(RequestBody {
        ty,
        media,
        content_type: content_type
            .split(';')
            .next()
            .unwrap_or(content_type)
            .trim()
            .to_owned(),
        required: body.required,
        docs: body.description.clone().filter(|d| !d.trim().is_empty()),
    })
}

fn lower_responses(
    lowering: &mut SchemaLowering<'_>,
    tree: &serde_json::Value,
    responses: &openapiv3::Responses,
    type_name: &str,
    pointer: &str,
) -> Vec<Response> {
    let mut entries: Vec<(StatusMatch, String, &ReferenceOr<OaResponse>)> = Vec::new();
    for (status, response) in &responses.responses {
        let (status, key) = match status {
            StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
            StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
        };
        entries.push((status, key, response));
    }
    if let Some(default) = &responses.default {
        entries.push((StatusMatch::Default, "default".to_owned(), default));
    }
    let response_count = entries.len();
    let mut out = Vec::new();
    for (status, key, response) in entries {
        let response_pointer = pointer_join(pointer, &key);
        let Some(response) = resolve_or(lowering, tree, response, &response_pointer) else {
            continue;
        };
        let body = pick_media(&response.content).map(|(content_type, media_type, media)| {
            let ty = match media {
                BodyMedia::Json | BodyMedia::Form | BodyMedia::Multipart => {
                    match &media_type.schema {
                        Some(schema) => {
                            let hint = if response_count == 1 {
                                format!("{type_name}Response")
                            } else {
                                format!("{type_name}Response{}", names::upper_camel(&key, "", ""))
                            };
                            let schema_pointer = pointer_join(
                                &pointer_join(
                                    &pointer_join(&response_pointer, "content"),
                                    content_type,
                                ),
                                "schema",
                            );
                            lowering.lower(schema.into(), &hint, &schema_pointer)
                        }
                        None => Ty::Json,
                    }
                }
                BodyMedia::Text => Ty::String,
                BodyMedia::Binary => Ty::Bytes,
            };
            let media = if matches!(media, BodyMedia::Form | BodyMedia::Multipart) {
                BodyMedia::Json
            } else {
                media
            };
            (ty, media)
        });
        out.push(Response {
            status,
            body,
            docs: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
        });
    }
    out
}
