//! `openapiv3` → [`crate::model`]. The only place that reads `openapiv3`
//! types; what comes out mentions neither the input format nor tokens.
//!
//! Every name the emitter prints is chosen here, through the scopes of
//! [`crate::names`], so emission never derives an identifier itself.

mod auth;
pub(crate) mod operation;
mod passes;
mod refs;
mod schema;

use crate::config::OperationFilter;
use crate::diagnostics::Diagnostics;
use crate::load::Document;
use crate::model::{Api, Server, ServerVariable};
use crate::names::{self, Case, Scope};

/// Choices that change the model.
pub struct Options<'a> {
    /// Which operations to keep.
    pub filter: &'a OperationFilter,
    /// Give structs without `additionalProperties` a map of undeclared
    /// properties.
    pub keep_unknown_fields: bool,
}

/// Lowers a loaded document into the model, reporting problems to `diags`.
pub fn lower(doc: &Document, options: &Options<'_>, diags: &mut Diagnostics) -> Api {
    let api = &doc.api;
    let filter = options.filter;
    let schemes = auth::lower_schemes(api, diags);
    let scheme_keys: Vec<String> = schemes.iter().map(|s| s.key.clone()).collect();

    let mut lowering = schema::SchemaLowering::new(doc, diags);
    lowering.keep_unknown_fields = options.keep_unknown_fields;
    lowering.reserve_components();
    lowering.lower_components();
    let mut client_methods = Scope::with_reserved(Case::Method, names::CLIENT_RESERVED);
    let mut operations = operation::lower_operations(
        &mut lowering,
        api,
        filter,
        &scheme_keys,
        &mut client_methods,
    );
    let mut types = lowering.finish();
    if !filter.is_empty() {
        // Only what the kept operations use.
        passes::prune_unreachable(&mut types, &mut operations);
    }
    operation::shape_responses(&types, &mut operations);
    let credentials = auth::credentials(&schemes, &mut operations);

    Api {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: api
            .info
            .description
            .clone()
            .filter(|d| crate::names::has_words(d)),
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
        credentials,
        types,
        operations,
    }
}
