//! `openapiv3` → [`crate::model`]. The only place that reads `openapiv3`
//! types; what comes out mentions neither the input format nor tokens.

mod operation;
mod passes;
mod refs;
mod schema;

use openapiv3::{ReferenceOr, SecurityScheme};

use crate::diagnostics::{Diagnostics, pointer_join};
use crate::load::Document;
use crate::model::{Api, AuthKind, AuthScheme, Server, ServerVariable, TypeSpace};
use crate::names::{self, Scope};

/// Lowers a loaded document into the model, reporting problems to `diags`.
pub fn lower(doc: &Document, diags: &mut Diagnostics) -> Api {
    let api = &doc.api;
    let auth_schemes = lower_auth(api, diags);
    let auth_keys: Vec<String> = auth_schemes.iter().map(|s| s.key.clone()).collect();

    let mut lowering = schema::SchemaLowering::new(doc, diags);
    lowering.reserve_components();
    lowering.lower_components();
    let operations = operation::lower_operations(&mut lowering, api, &doc.tree, &auth_keys);
    let mut types = TypeSpace {
        defs: lowering.finish(),
    };
    passes::order_union_variants(&mut types);
    passes::box_cycles(&mut types);

    Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api
            .info
            .description
            .clone()
            .filter(|d| !d.trim().is_empty()),
        servers: api
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                description: s.description.clone(),
                variables: s
                    .variables
                    .iter()
                    .flatten()
                    .map(|(name, v)| ServerVariable {
                        name: name.clone(),
                        default: v.default.clone(),
                    })
                    .collect(),
            })
            .collect(),
        auth_schemes,
        types,
        operations,
    }
}

fn lower_auth(api: &openapiv3::OpenAPI, diags: &mut Diagnostics) -> Vec<AuthScheme> {
    let Some(components) = &api.components else {
        return Vec::new();
    };
    let mut scope = Scope::default();
    let mut out = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let pointer = pointer_join("/components/securitySchemes", key);
        let ReferenceOr::Item(scheme) = scheme else {
            diags.warn(
                &pointer,
                "a $ref security scheme is not supported; it is skipped",
            );
            continue;
        };
        let (kind, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "bearer" => (AuthKind::Bearer, description),
                "basic" => (AuthKind::Basic, description),
                other => {
                    diags.warn(
                        &pointer,
                        format!("HTTP auth scheme `{other}` is not supported; it is skipped"),
                    );
                    continue;
                }
            },
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => (AuthKind::Bearer, description),
            SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => (
                match location {
                    openapiv3::APIKeyLocation::Header => AuthKind::ApiKeyHeader(name.clone()),
                    openapiv3::APIKeyLocation::Query => AuthKind::ApiKeyQuery(name.clone()),
                    openapiv3::APIKeyLocation::Cookie => AuthKind::ApiKeyCookie(name.clone()),
                },
                description,
            ),
        };
        out.push(AuthScheme {
            key: key.clone(),
            name: scope.claim(&names::snake(key, "auth")),
            kind,
            description: description.clone().filter(|d| !d.trim().is_empty()),
        });
    }
    out
}
