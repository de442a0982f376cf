//! Security schemes → the credentials the client holds.

use openapiv3::{ReferenceOr, SecurityScheme};

use crate::diagnostics::Diagnostics;
use crate::model::{AuthKind, Credential, Operation};
use crate::names::{self, Case, Scope};
use crate::pointer;

/// A security scheme the client can send a credential for.
pub struct Scheme {
    /// Key in `components.securitySchemes`.
    pub key: String,
    /// How the credential travels.
    pub kind: AuthKind,
    /// Description from the spec.
    pub description: Option<String>,
}

/// The schemes of `components.securitySchemes` the client can use, in spec
/// order; the others are reported and skipped.
pub fn lower_schemes(api: &openapiv3::OpenAPI, diags: &mut Diagnostics) -> Vec<Scheme> {
    let Some(components) = &api.components else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let at = pointer::join("/components/securitySchemes", key);
        let ReferenceOr::Item(scheme) = scheme else {
            diags.warn(
                &at,
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
                        &at,
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
        out.push(Scheme {
            key: key.clone(),
            kind,
            description: description.clone().filter(|d| crate::names::has_words(d)),
        });
    }
    out
}

/// Groups the schemes that operations accept into credentials and names
/// their builder setters among the builder's own methods. Rewrites each
/// operation's `auth` from scheme indices to credential indices.
pub fn credentials(schemes: &[Scheme], operations: &mut [Operation]) -> Vec<Credential> {
    let mut setters = Scope::with_reserved(Case::Method, names::CLIENT_BUILDER_RESERVED);
    let mut credentials: Vec<Credential> = Vec::new();
    // Scheme index → credential index.
    let mut slot_of: Vec<Option<usize>> = vec![None; schemes.len()];
    for (index, scheme) in schemes.iter().enumerate() {
        if !operations.iter().any(|op| op.auth.contains(&index)) {
            // No operation accepts it: a setter would be dead code.
            continue;
        }
        let shared = credentials.iter().position(|c| {
            c.kind == scheme.kind && matches!(c.kind, AuthKind::Bearer | AuthKind::Basic)
        });
        if let Some(slot) = shared {
            if let Some(credential) = credentials.get_mut(slot) {
                credential.schemes.push(scheme.key.clone());
            }
            if let Some(entry) = slot_of.get_mut(index) {
                *entry = Some(slot);
            }
            continue;
        }
        let setter = match scheme.kind {
            AuthKind::Bearer => "bearer_token".to_owned(),
            AuthKind::Basic => "basic_auth".to_owned(),
            _ => setters.claim(&scheme.key, "api_key"),
        };
        if let Some(entry) = slot_of.get_mut(index) {
            *entry = Some(credentials.len());
        }
        credentials.push(Credential {
            kind: scheme.kind.clone(),
            schemes: vec![scheme.key.clone()],
            setter,
            description: scheme.description.clone(),
        });
    }
    for op in operations {
        let mut auth = Vec::new();
        for scheme in &op.auth {
            if let Some(Some(slot)) = slot_of.get(*scheme)
                && !auth.contains(slot)
            {
                auth.push(*slot);
            }
        }
        op.auth = auth;
    }
    credentials
}
