//! The `Client`: base URL, HTTP client, timeout and credentials.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_paragraphs};
use super::{Ctx, ident};
use crate::model::{AuthKind, Credential};
use crate::names::{Case, Scope};

/// The default base URL: the first server with its variables at their
/// defaults, when that is an absolute URL.
pub fn default_base_url(ctx: &Ctx<'_>) -> Option<String> {
    let server = ctx.api.servers.first()?;
    let mut url = server.url.clone();
    for variable in &server.variables {
        url = url.replace(&format!("{{{}}}", variable.name), &variable.default);
    }
    let url = url.trim_end_matches('/').to_owned();
    (url.starts_with("http://") || url.starts_with("https://")).then_some(url)
}

/// `Client::server_url(…)`: the first server whose URL has variables, with
/// one argument per variable (defaults are in the docs).
fn server_url_fn(ctx: &Ctx<'_>) -> Option<TokenStream> {
    let server = ctx.api.servers.iter().find(|s| !s.variables.is_empty())?;
    let mut scope = Scope::with_reserved(Case::Binding, &["url"]);
    let params: Vec<(proc_macro2::Ident, &str)> = server
        .variables
        .iter()
        .map(|v| (ident(&scope.claim(&v.name, "value")), v.name.as_str()))
        .collect();
    let args = params.iter().map(|(name, _)| quote!(#name: &str));
    let replaces = params.iter().map(|(name, wire)| {
        let placeholder = format!("{{{wire}}}");
        quote!(url = url.replace(#placeholder, #name);)
    });
    let template = server.url.as_str();
    let defaults = server
        .variables
        .iter()
        .map(|v| {
            format!(
                "`{}` (default `{}`)",
                v.name.replace('`', "'"),
                v.default.replace('`', "'")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let doc = doc_paragraphs([
        Some(
            format!(
                "The URL of the server `{}` with its variables filled in: {defaults}.",
                template.replace('`', "'")
            )
            .as_str(),
        ),
        Some("Pass it to [`ClientBuilder::base_url`]."),
    ]);
    Some(quote! {
        #doc
        pub fn server_url(#(#args),*) -> ::std::string::String {
            let mut url = ::std::string::ToString::to_string(#template);
            #(#replaces)*
            url
        }
    })
}

/// The type of a credential's field in the client's credential store.
fn credential_field(credential: &Credential) -> TokenStream {
    let field = ident(&credential.field);
    match credential.kind {
        AuthKind::Basic => {
            quote!(#field: ::std::option::Option<(::std::string::String, crate::runtime::Secret)>,)
        }
        _ => quote!(#field: ::std::option::Option<crate::runtime::Secret>,),
    }
}

/// The `ClientBuilder` method that sets a credential.
fn credential_setter(credential: &Credential) -> TokenStream {
    let field = ident(&credential.field);
    let setter = ident(&credential.setter);
    let scheme_doc = credential.description.as_deref();
    match &credential.kind {
        AuthKind::Bearer => {
            let doc = doc_paragraphs([
                Some(
                    "Sends `token` as `Authorization: Bearer <token>` on operations that accept it.",
                ),
                scheme_doc,
            ]);
            quote! {
                #doc
                pub fn #setter(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.credentials.#field = ::std::option::Option::Some(crate::runtime::Secret::new(token.into()));
                    self
                }
            }
        }
        AuthKind::Basic => {
            let doc = doc_paragraphs([
                Some("Sends HTTP basic authentication on operations that accept it."),
                scheme_doc,
            ]);
            quote! {
                #doc
                pub fn #setter(
                    mut self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    self.credentials.#field = ::std::option::Option::Some((username.into(), crate::runtime::Secret::new(password.into())));
                    self
                }
            }
        }
        AuthKind::ApiKeyHeader(_) | AuthKind::ApiKeyQuery(_) | AuthKind::ApiKeyCookie(_) => {
            let place = match &credential.kind {
                AuthKind::ApiKeyHeader(h) => format!("in the `{h}` header"),
                AuthKind::ApiKeyQuery(q) => format!("as the `{q}` query parameter"),
                AuthKind::ApiKeyCookie(c) => format!("as the `{c}` cookie"),
                _ => String::new(),
            };
            let first = format!(
                "Sends `key` {place} on operations that accept the `{}` scheme.",
                credential.schemes.join("`, `")
            )
            .replace('\n', " ");
            let doc = doc_paragraphs([Some(first.as_str()), scheme_doc]);
            quote! {
                #doc
                pub fn #setter(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.credentials.#field = ::std::option::Option::Some(crate::runtime::Secret::new(key.into()));
                    self
                }
            }
        }
    }
}

/// The `Client` method that adds a credential to a request.
fn credential_applier(credential: &Credential) -> TokenStream {
    let field = ident(&credential.field);
    let method = ident(&credential.apply);
    let body = match &credential.kind {
        AuthKind::Bearer => quote! {
            match &self.credentials.#field {
                ::std::option::Option::Some(token) => request.bearer_auth(token.expose()),
                ::std::option::Option::None => request,
            }
        },
        AuthKind::Basic => quote! {
            match &self.credentials.#field {
                ::std::option::Option::Some((user, password)) => request.basic_auth(user, ::std::option::Option::Some(password.expose())),
                ::std::option::Option::None => request,
            }
        },
        AuthKind::ApiKeyHeader(header) => quote! {
            match &self.credentials.#field {
                ::std::option::Option::Some(key) => request.header(#header, crate::runtime::sensitive_header(key.expose())),
                ::std::option::Option::None => request,
            }
        },
        AuthKind::ApiKeyQuery(name) => quote! {
            match &self.credentials.#field {
                ::std::option::Option::Some(key) => request.query(&[(#name, key.expose())]),
                ::std::option::Option::None => request,
            }
        },
        AuthKind::ApiKeyCookie(name) => quote! {
            match &self.credentials.#field {
                ::std::option::Option::Some(key) => request.header(
                    ::reqwest::header::COOKIE,
                    crate::runtime::sensitive_header(&::std::format!("{}={}", #name, crate::runtime::encode_cookie(key.expose()))),
                ),
                ::std::option::Option::None => request,
            }
        },
    };
    quote! {
        pub(crate) fn #method(&self, request: ::reqwest::RequestBuilder) -> ::reqwest::RequestBuilder {
            #body
        }
    }
}

/// The private credential store, or nothing when no operation takes a
/// credential.
fn credentials_store(ctx: &Ctx<'_>) -> Option<TokenStream> {
    let credentials = &ctx.api.credentials;
    if credentials.is_empty() {
        return None;
    }
    let fields = credentials.iter().map(credential_field);
    Some(quote! {
        /// Credentials, kept out of `Debug` output.
        #[derive(Clone, Default)]
        struct Credentials {
            #(#fields)*
        }

        impl ::std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("Credentials(<redacted>)")
            }
        }
    })
}

/// The `client` module.
pub fn client_module(ctx: &Ctx<'_>) -> TokenStream {
    let api = ctx.api;
    let setters = api.credentials.iter().map(credential_setter);
    let appliers = api.credentials.iter().map(credential_applier);
    let has_credentials = !api.credentials.is_empty();
    let credentials_field = has_credentials.then(|| quote!(credentials: Credentials,));
    let credentials_init = has_credentials.then(|| quote!(credentials: self.credentials,));
    let credentials_builder_init =
        has_credentials.then(|| quote!(credentials: Credentials::default(),));
    let credentials_types = credentials_store(ctx);
    let server_url = server_url_fn(ctx);
    let title = api.title.replace('`', "'");
    let default_url = default_base_url(ctx);
    let (default_const, default_init, base_doc) = match &default_url {
        Some(url) => {
            let doc = doc_attrs(&format!("The server named first in the spec: `{url}`."));
            (
                Some(quote! {
                    #doc
                    pub const DEFAULT_BASE_URL: &'static str = #url;
                }),
                quote!(::std::string::ToString::to_string(Client::DEFAULT_BASE_URL)),
                doc_attrs("Sets the server to talk to (default: [`Client::DEFAULT_BASE_URL`])."),
            )
        }
        None => {
            let hint = api
                .servers
                .first()
                .map(|s| format!(" The spec lists `{}`.", s.url.replace('`', "'")))
                .unwrap_or_default();
            (
                None,
                quote!(::std::string::String::new()),
                doc_attrs(&format!(
                    "Sets the server to talk to. Required: the spec names no absolute server URL.{hint}"
                )),
            )
        }
    };
    let client_doc = doc_paragraphs([
        Some(format!("Client for the {title}.").as_str()),
        Some(
            "Build one with [`Client::builder`], then call one method per operation; each returns a request that is sent when awaited. Cloning is cheap: clones share one connection pool.",
        ),
    ]);

    quote! {
        //! The client: where requests go and which credentials they carry.

        #client_doc
        #[derive(Clone)]
        pub struct Client {
            base_url: ::std::string::String,
            pub(crate) http: ::reqwest::Client,
            pub(crate) timeout: ::std::option::Option<::std::time::Duration>,
            #credentials_field
        }

        #credentials_types

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    .field("timeout", &self.timeout)
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            #default_const
            #server_url

            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The server this client talks to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            /// The HTTP client requests go through (to send requests the spec
            /// does not describe with the same pool and settings).
            pub fn http_client(&self) -> &::reqwest::Client {
                &self.http
            }

            /// The timeout applied to requests that set none of their own.
            pub fn timeout(&self) -> ::std::option::Option<::std::time::Duration> {
                self.timeout
            }

            #(#appliers)*
        }

        /// Configures a [`Client`].
        #[derive(Debug)]
        pub struct ClientBuilder {
            base_url: ::std::string::String,
            http: ::std::option::Option<::reqwest::Client>,
            timeout: ::std::option::Option<::std::time::Duration>,
            #credentials_field
        }

        impl ::std::default::Default for ClientBuilder {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ClientBuilder {
            /// A builder with the default server and no credentials.
            pub fn new() -> Self {
                Self {
                    base_url: #default_init,
                    http: ::std::option::Option::None,
                    timeout: ::std::option::Option::None,
                    #credentials_builder_init
                }
            }

            #base_doc
            pub fn base_url(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.base_url = base_url.into();
                self
            }

            /// Uses `client` for HTTP (to share a pool or set proxies, TLS or default headers).
            pub fn http_client(mut self, client: ::reqwest::Client) -> Self {
                self.http = ::std::option::Option::Some(client);
                self
            }

            /// Fails a request that takes longer than `timeout` (no limit by default).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = ::std::option::Option::Some(timeout);
                self
            }

            #(#setters)*

            /// Finishes the client.
            ///
            /// Fails when no base URL is set or the HTTP client cannot be built.
            pub fn build(self) -> ::std::result::Result<Client, crate::Error> {
                let base_url = self.base_url.trim_end_matches('/').to_owned();
                if base_url.is_empty() {
                    return ::std::result::Result::Err(crate::Error::Validation(crate::ValidationError::new(
                        "base_url",
                        "no base URL set",
                    )));
                }
                let http = match self.http {
                    ::std::option::Option::Some(http) => http,
                    ::std::option::Option::None => ::reqwest::Client::builder().build().map_err(crate::Error::Transport)?,
                };
                ::std::result::Result::Ok(Client {
                    base_url,
                    http,
                    timeout: self.timeout,
                    #credentials_init
                })
            }
        }
    }
}
