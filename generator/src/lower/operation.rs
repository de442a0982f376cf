//! Paths and operations → [`Operation`]s.

use std::borrow::Cow;

use openapiv3::{
    Parameter as OaParameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    RequestBody as OaRequestBody, Response as OaResponse, StatusCode,
};

use super::schema::{SchemaLowering, SchemaRef, constraints_of};
use super::{passes, refs};
use crate::config::OperationFilter;
use crate::model::{
    BodyMedia, Constraints, ErrorShape, Operation, ParamLocation, ParamStyle, Parameter, PathPart,
    PropertyEncoding, RequestBody, Response, StatusMatch, StatusVariant, SuccessShape, Ty,
    TypeSpace, parse_path_template,
};
use crate::names::{self, Case, Scope};
use crate::pointer;

/// Lowers every operation of the document. Method names are claimed in
/// `client_methods`; each operation's `auth` holds indices into
/// `scheme_keys`.
pub fn lower_operations(
    lowering: &mut SchemaLowering<'_>,
    api: &openapiv3::OpenAPI,
    filter: &OperationFilter,
    scheme_keys: &[String],
    client_methods: &mut Scope,
) -> Vec<Operation> {
    let mut names = OperationNames {
        prefixes: Scope::new(Case::Camel),
        types: Scope::with_reserved(Case::Camel, names::TYPE_RESERVED),
    };
    let mut operations = Vec::new();
    for (path, item) in &api.paths.paths {
        let item_pointer = pointer::join("/paths", path);
        // Borrowed when inline: copying every path item was 0.6% of
        // graph-beta's run.
        let item: Cow<'_, PathItem> = match item {
            ReferenceOr::Item(item) => Cow::Borrowed(item),
            ReferenceOr::Reference { reference } => match lowering.resolve_component(reference) {
                Ok(item) => item,
                Err(message) => {
                    lowering.diags.error(&item_pointer, message);
                    continue;
                }
            },
        };
        for (method, op) in item.iter() {
            if !filter.admits(&op.tags, op.operation_id.as_deref()) {
                continue;
            }
            let at = pointer::join(&item_pointer, method);
            let operation = lower_operation(
                lowering,
                OperationSite {
                    path,
                    method,
                    item: &item,
                    item_pointer: &item_pointer,
                    pointer: &at,
                },
                op,
                api.security.as_ref(),
                scheme_keys,
                client_methods,
                &mut names,
            );
            operations.push(operation);
        }
    }
    operations
}

/// Name scopes shared by all operations: the prefixes of their types (and
/// of their inline schemas' types), and the types of the `operations`
/// module.
struct OperationNames {
    prefixes: Scope,
    types: Scope,
}

/// Where an operation stands in the spec.
struct OperationSite<'s> {
    path: &'s str,
    method: &'s str,
    item: &'s PathItem,
    item_pointer: &'s str,
    pointer: &'s str,
}

fn lower_operation(
    lowering: &mut SchemaLowering<'_>,
    site: OperationSite<'_>,
    op: &openapiv3::Operation,
    global_security: Option<&Vec<openapiv3::SecurityRequirement>>,
    scheme_keys: &[String],
    client_methods: &mut Scope,
    scopes: &mut OperationNames,
) -> Operation {
    let raw_name = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{} {}", site.method, site.path));
    let name = client_methods.claim(&raw_name, "operation");
    // The prefix of the operation's own types and of its inline schemas.
    let prefix = scopes.prefixes.claim(&raw_name, "Operation");
    let builder = scopes.types.claim_name(&names::compose(&prefix, "Request"));
    let response_enum = scopes
        .types
        .claim_name(&names::compose(&prefix, "Response"));
    let error_enum = scopes.types.claim_name(&names::compose(&prefix, "Error"));
    let args = scopes.types.claim_name(&names::compose(&prefix, ""));
    let auth = op
        .security
        .as_ref()
        .or(global_security)
        .map(|requirements| {
            let mut indices: Vec<usize> = Vec::new();
            for key in requirements.iter().flat_map(|r| r.keys()) {
                if let Some(index) = scheme_keys.iter().position(|k| k == key)
                    && !indices.contains(&index)
                {
                    indices.push(index);
                }
            }
            indices
        })
        .unwrap_or_default();
    let path_parts = parse_path_template(site.path);
    let params = lower_params(lowering, &site, op, &path_parts, &prefix);
    let body = op.request_body.as_ref().and_then(|body| {
        lower_body(
            lowering,
            body,
            &prefix,
            &pointer::join(site.pointer, "requestBody"),
        )
    });
    let responses = lower_responses(
        lowering,
        &op.responses,
        &prefix,
        &pointer::join(site.pointer, "responses"),
    );
    Operation {
        name,
        builder,
        args,
        response_enum,
        error_enum,
        origin: site.pointer.to_owned(),
        method: site.method.to_uppercase(),
        path: site.path.to_owned(),
        path_parts,
        summary: op.summary.clone().filter(|s| crate::names::has_words(s)),
        description: op
            .description
            .clone()
            .filter(|s| crate::names::has_words(s)),
        deprecated: op.deprecated,
        params,
        body,
        responses,
        // Decided by `shape_responses` once every type is known.
        success: SuccessShape::Single {
            body: None,
            statuses: Vec::new(),
        },
        errors: ErrorShape::Value,
        auth,
        tags: op.tags.clone(),
    }
}

/// The object `value` is or refers to, borrowed where it can be.
fn resolve_or<'a: 'v, 'v, T: refs::Component>(
    lowering: &mut SchemaLowering<'a>,
    value: &'v ReferenceOr<T>,
    at: &str,
) -> Option<Cow<'v, T>> {
    match value {
        ReferenceOr::Item(item) => Some(Cow::Borrowed(item)),
        ReferenceOr::Reference { reference } => match lowering.resolve_component(reference) {
            Ok(item) => Some(item),
            Err(message) => {
                lowering.diags.error(at, message);
                None
            }
        },
    }
}

/// The parameters of an operation: path-level and operation-level ones
/// merged, undeclared template parameters added as strings, path
/// parameters in template order first, then required ones.
fn lower_params(
    lowering: &mut SchemaLowering<'_>,
    site: &OperationSite<'_>,
    op: &openapiv3::Operation,
    path_parts: &[PathPart],
    prefix: &str,
) -> Vec<Parameter> {
    // Operation-level parameters override path-level ones with the same
    // name and location.
    let mut merged: Vec<(Cow<'_, OaParameter>, String)> = Vec::new();
    for (list, base) in [
        (&site.item.parameters, site.item_pointer),
        (&op.parameters, site.pointer),
    ] {
        let base = pointer::join(base, "parameters");
        for (i, param) in list.iter().enumerate() {
            let at = pointer::join_index(&base, i);
            let Some(param) = resolve_or(lowering, param, &at) else {
                continue;
            };
            merged.retain(|(p, _)| {
                p.parameter_data_ref().name != param.parameter_data_ref().name
                    || location_of(p) != location_of(&param)
            });
            merged.push((param, at));
        }
    }
    let template: Vec<&str> = path_parts
        .iter()
        .filter_map(|part| match part {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
        .collect();
    let mut scope = Scope::with_reserved(Case::Param, names::REQUEST_RESERVED);
    let mut params = Vec::new();
    for name in &template {
        let declared = merged.iter().any(|(p, _)| {
            location_of(p) == ParamLocation::Path && p.parameter_data_ref().name == *name
        });
        if declared || params.iter().any(|p: &Parameter| p.wire == *name) {
            continue;
        }
        lowering.diags.warn(
            site.pointer,
            format!("path parameter `{name}` is not declared; typed as a string"),
        );
        params.push(Parameter {
            name: scope.claim(name, "param"),
            wire: (*name).to_owned(),
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
    for (param, at) in merged {
        let location = location_of(&param);
        let data = param.parameter_data_ref();
        if location == ParamLocation::Path && !template.contains(&data.name.as_str()) {
            lowering.diags.warn(
                &at,
                format!(
                    "path parameter `{}` does not appear in the path; ignored",
                    data.name
                ),
            );
            continue;
        }
        let hint = names::compose(prefix, &names::upper_camel(&data.name, "", "Param"));
        let (ty, constraints) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let schema_ref: SchemaRef<'_> = schema.into();
                let constraints = match schema_ref {
                    SchemaRef::Item(s) => constraints_of(s),
                    SchemaRef::Ref(_) => Constraints::default(),
                };
                (
                    lowering.lower(schema_ref, &hint, &pointer::join(&at, "schema")),
                    constraints,
                )
            }
            ParameterSchemaOrContent::Content(_) => (Ty::String, Constraints::default()),
        };
        let style = style_of(&param);
        // `explode` defaults to true for `form` and false otherwise.
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        params.push(Parameter {
            name: scope.claim(&data.name, "param"),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            docs: data
                .description
                .clone()
                .filter(|d| crate::names::has_words(d)),
            constraints,
            explode,
            style,
            deprecated: data.deprecated == Some(true),
        });
    }
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => (0, template.iter().position(|t| *t == p.wire).unwrap_or(0)),
        _ if p.required => (1, 0),
        _ => (2, 0),
    });
    params
}

fn style_of(param: &OaParameter) -> ParamStyle {
    match param {
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
    }
}

fn location_of(param: &OaParameter) -> ParamLocation {
    match param {
        OaParameter::Query { .. } => ParamLocation::Query,
        OaParameter::Header { .. } => ParamLocation::Header,
        OaParameter::Path { .. } => ParamLocation::Path,
        OaParameter::Cookie { .. } => ParamLocation::Cookie,
    }
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
    body: &ReferenceOr<OaRequestBody>,
    prefix: &str,
    at: &str,
) -> Option<RequestBody> {
    let body = resolve_or(lowering, body, at)?;
    if body.content.is_empty() {
        return None;
    }
    let (content_type, media_type, media) = pick_media(&body.content)?;
    let schema_pointer = pointer::join(
        &pointer::join(&pointer::join(at, "content"), content_type),
        "schema",
    );
    let ty = match media {
        BodyMedia::Json | BodyMedia::Form | BodyMedia::Multipart => match &media_type.schema {
            Some(schema) => lowering.lower(
                schema.into(),
                &names::compose(prefix, "Body"),
                &schema_pointer,
            ),
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
            encodings: Vec::new(),
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
        docs: body
            .description
            .clone()
            .filter(|d| crate::names::has_words(d)),
        encodings: media_type
            .encoding
            .iter()
            .map(|(property, encoding)| PropertyEncoding {
                property: property.clone(),
                content_type: encoding.content_type.clone(),
                style: match encoding.style {
                    Some(openapiv3::QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
                    Some(openapiv3::QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
                    Some(openapiv3::QueryStyle::DeepObject) => ParamStyle::DeepObject,
                    Some(openapiv3::QueryStyle::Form) | None => ParamStyle::Form,
                },
                // `normalize` made the spec's default explicit.
                explode: encoding.explode,
            })
            .collect(),
    })
}

fn lower_responses(
    lowering: &mut SchemaLowering<'_>,
    responses: &openapiv3::Responses,
    prefix: &str,
    at: &str,
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
        let response_pointer = pointer::join(at, &key);
        let Some(response) = resolve_or(lowering, response, &response_pointer) else {
            continue;
        };
        let body = pick_media(&response.content).map(|(content_type, media_type, media)| {
            let ty = match media {
                BodyMedia::Json | BodyMedia::Form | BodyMedia::Multipart => {
                    match &media_type.schema {
                        Some(schema) => {
                            let hint = if response_count == 1 {
                                names::compose(prefix, "Response")
                            } else {
                                names::compose(
                                    prefix,
                                    &format!("Response{}", names::upper_camel(&key, "", "")),
                                )
                            };
                            let schema_pointer = pointer::join(
                                &pointer::join(
                                    &pointer::join(&response_pointer, "content"),
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
            docs: Some(response.description.clone()).filter(|d| crate::names::has_words(d)),
        });
    }
    out
}

/// Decides, once every type is known, what each operation's success and
/// error values are: one type or an enum per status, which statuses each
/// covers (a code that a declared range also covers is matched once), and
/// which payloads are boxed.
pub fn shape_responses(types: &TypeSpace, operations: &mut [Operation]) {
    for op in operations {
        op.success = success_shape(types, &op.responses);
        op.errors = error_shape(types, &op.responses);
    }
}

fn success_shape(types: &TypeSpace, responses: &[Response]) -> SuccessShape {
    let successes: Vec<&Response> = responses.iter().filter(|r| r.status.is_success()).collect();
    let Some(first) = successes.first() else {
        // Specs that declare only `default` describe the success body there.
        let body = responses
            .iter()
            .find(|r| r.status == StatusMatch::Default)
            .and_then(|r| r.body.clone());
        return SuccessShape::Single {
            body,
            statuses: vec![StatusMatch::Range(2)],
        };
    };
    if successes.iter().all(|r| r.body == first.body) {
        let mut statuses: Vec<StatusMatch> = successes.iter().map(|r| r.status).collect();
        if statuses.contains(&StatusMatch::Range(2)) {
            statuses = vec![StatusMatch::Range(2)];
        }
        return SuccessShape::Single {
            body: first.body.clone(),
            statuses,
        };
    }
    SuccessShape::PerStatus(status_variants(types, successes))
}

fn error_shape(types: &TypeSpace, responses: &[Response]) -> ErrorShape {
    let default_is_success = !responses.iter().any(|r| r.status.is_success());
    let errors: Vec<&Response> = responses
        .iter()
        .filter(|r| {
            !(r.status.is_success() || (default_is_success && r.status == StatusMatch::Default))
        })
        .filter(|r| matches!(r.body, Some((_, BodyMedia::Json))))
        .collect();
    let Some(first) = errors.first() else {
        return ErrorShape::Value;
    };
    if errors.iter().all(|r| r.body == first.body)
        && let Some((ty, _)) = &first.body
    {
        return ErrorShape::Single(ty.clone());
    }
    let fallback_declared = errors.iter().any(|r| r.status == StatusMatch::Default);
    let variants = status_variants(types, errors);
    let fallback = if fallback_declared {
        "Default"
    } else {
        "Other"
    }
    .to_owned();
    ErrorShape::PerStatus {
        variants,
        fallback,
        fallback_declared,
    }
}

/// Variants for `responses`: codes first, then ranges, then `default`, so
/// that match arms in this order are all reachable.
fn status_variants(types: &TypeSpace, mut responses: Vec<&Response>) -> Vec<StatusVariant> {
    responses.sort_by_key(|r| match r.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let mut scope = Scope::variants();
    scope.reserve("Other");
    responses
        .into_iter()
        .map(|r| {
            let boxed = matches!(&r.body, Some((ty, BodyMedia::Json)) if matches!(ty.non_null(), Ty::Named(id) if passes::is_large(types, *id, 0)));
            StatusVariant {
                status: r.status,
                name: scope.claim_name(&status_variant_name(r.status)),
                body: r.body.clone(),
                boxed,
                docs: r.docs.clone(),
            }
        })
        .collect()
}

/// `Ok` for 200, `NotFound`-style names are not used: codes read as
/// `Status404`, ranges as `Status4xx`, `default` as `Default`.
fn status_variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(200) => "Ok".to_owned(),
        StatusMatch::Code(201) => "Created".to_owned(),
        StatusMatch::Code(202) => "Accepted".to_owned(),
        StatusMatch::Code(203) => "NonAuthoritativeInformation".to_owned(),
        StatusMatch::Code(204) => "NoContent".to_owned(),
        StatusMatch::Code(205) => "ResetContent".to_owned(),
        StatusMatch::Code(206) => "PartialContent".to_owned(),
        StatusMatch::Code(c) => format!("Status{c}"),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}
