//! The `Client` and its builder: where requests go, the credentials they
//! carry, and the settings of the shared sending path in the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_paragraphs};
use super::{Ctx, ident};
use crate::model::{AuthKind, Credential, TypeKind};
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
        pub fn server_url(#(#args),*) -> String {
            let mut url = ::std::string::ToString::to_string(#template);
            #(#replaces)*
            url
        }
    })
}

/// The runtime's description of a credential slot.
fn credential_slot(credential: &Credential) -> TokenStream {
    let setter = credential.setter.as_str();
    let place = match &credential.kind {
        AuthKind::Bearer => quote!(super::runtime::CredentialPlace::Bearer),
        AuthKind::Basic => quote!(super::runtime::CredentialPlace::Basic),
        AuthKind::ApiKeyHeader(name) => quote!(super::runtime::CredentialPlace::Header(#name)),
        AuthKind::ApiKeyQuery(name) => quote!(super::runtime::CredentialPlace::Query(#name)),
        AuthKind::ApiKeyCookie(name) => quote!(super::runtime::CredentialPlace::Cookie(#name)),
    };
    quote!(super::runtime::Credential::new(#place, #setter))
}

/// The `ClientBuilder` method that sets credential number `index`.
fn credential_setter(index: usize, credential: &Credential) -> TokenStream {
    let setter = ident(&credential.setter);
    let scheme_doc = credential.description.as_deref().map(super::docs::spec);
    let scheme_doc = scheme_doc.as_deref();
    let slot = proc_macro2::Literal::usize_unsuffixed(index);
    let checked = "An invalid value (one that cannot be sent, such as a token with a trailing newline) makes [`build`](Self::build) fail; error messages name the setter, never the value.";
    match &credential.kind {
        AuthKind::Basic => {
            let doc = doc_paragraphs([
                Some("Sends HTTP basic authentication on operations that accept it."),
                scheme_doc,
                Some(checked),
            ]);
            quote! {
                #doc
                pub fn #setter(
                    mut self,
                    username: impl Into<String>,
                    password: impl Into<String>,
                ) -> Self {
                    self.settings.set_basic(#slot, &username.into(), &password.into());
                    self
                }
            }
        }
        kind => {
            let first = match kind {
                AuthKind::ApiKeyHeader(h) => format!("in the `{h}` header"),
                AuthKind::ApiKeyQuery(q) => format!("as the `{q}` query parameter"),
                AuthKind::ApiKeyCookie(c) => format!("as the `{c}` cookie"),
                _ => "as `Authorization: Bearer <token>`".to_owned(),
            };
            let first = format!(
                "Sends `value` {first} on operations that accept the `{}` scheme.",
                credential.schemes.join("`, `")
            );
            let doc = doc_paragraphs([Some(first.as_str()), scheme_doc, Some(checked)]);
            quote! {
                #doc
                pub fn #setter(mut self, value: impl Into<String>) -> Self {
                    self.settings.set_credential(#slot, value.into());
                    self
                }
            }
        }
    }
}

/// Wire names of the fields the spec marks as secret, sorted: error
/// messages redact them.
fn secret_fields(ctx: &Ctx<'_>) -> Vec<String> {
    let mut names: Vec<String> = ctx
        .api
        .types
        .defs
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Struct(s) => {
                Some(s.fields.iter().filter(|f| f.secret).map(|f| f.wire.clone()))
            }
            _ => None,
        })
        .flatten()
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The default server: a constant and the builder's starting value, or
/// an empty URL that `build` refuses when the spec names no absolute one.
fn default_server(ctx: &Ctx<'_>) -> (Option<TokenStream>, TokenStream, TokenStream) {
    match default_base_url(ctx) {
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
            let hint = ctx
                .api
                .servers
                .first()
                .map(|s| format!(" The spec lists `{}`.", s.url.replace('`', "'")))
                .unwrap_or_default();
            (
                None,
                quote!(String::new()),
                doc_attrs(&format!(
                    "Sets the server to talk to. Required: the spec names no absolute server URL.{hint}"
                )),
            )
        }
    }
}

/// The `client` module.
pub fn client_module(ctx: &Ctx<'_>) -> TokenStream {
    let client = client_struct(ctx);
    let builder = builder_struct(ctx);
    quote! {
        //! The client: where requests go, which credentials they carry, and
        //! how they are sent (timeouts, retries, redirects, size limits).

        #client
        #builder
    }
}

fn client_struct(ctx: &Ctx<'_>) -> TokenStream {
    let title = ctx.api.title.replace('`', "'");
    let (default_const, _, _) = default_server(ctx);
    let server_url = server_url_fn(ctx);
    let secrets = secret_fields(ctx);
    let client_doc = doc_paragraphs([
        Some(format!("Client for the {title}.").as_str()),
        Some(
            "Build one with [`Client::builder`], then call one method per operation; each returns a request that is sent when awaited. Cloning is cheap: clones share one connection pool and one configuration.",
        ),
    ]);
    quote! {
        /// Wire names of the fields that hold secrets: error messages
        /// redact them.
        const SECRET_FIELDS: &[&str] = &[#(#secrets),*];

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) config: ::std::sync::Arc<super::runtime::Config>,
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
                &self.config.base_url
            }

            /// The HTTP client requests go through (to send requests the spec
            /// does not describe with the same pool and settings).
            pub fn http_client(&self) -> &::reqwest::Client {
                &self.config.http
            }

            /// The timeout of one attempt, for requests that set none of
            /// their own (`None`: no limit).
            pub fn timeout(&self) -> Option<::std::time::Duration> {
                self.config.timeout
            }
        }
    }
}

fn builder_struct(ctx: &Ctx<'_>) -> TokenStream {
    let (_, default_init, base_doc) = default_server(ctx);
    let setters = ctx
        .api
        .credentials
        .iter()
        .enumerate()
        .map(|(index, credential)| credential_setter(index, credential));
    let slots = ctx.api.credentials.iter().map(credential_slot);
    let settings = settings_setters();
    quote! {
        /// Configures a [`Client`]. The defaults: a 10 s connect timeout and
        /// a 60 s timeout per attempt, two retries with backoff on
        /// connection failures and on 408, 429, 502, 503 and 504 (for
        /// idempotent requests), same-origin redirects only, responses up to
        /// 32 MiB, and `User-Agent: <crate>/<version>`.
        #[derive(Debug)]
        pub struct ClientBuilder {
            settings: super::runtime::Settings,
        }

        impl ::std::default::Default for ClientBuilder {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ClientBuilder {
            /// A builder with the default server, the default settings and no
            /// credentials.
            pub fn new() -> Self {
                Self {
                    settings: super::runtime::Settings::new(
                        #default_init,
                        ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION")),
                        ::std::vec![#(#slots),*],
                    ),
                }
            }

            #base_doc
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.settings.base_url = base_url.into();
                self
            }

            #settings

            #(#setters)*

            /// Finishes the client.
            ///
            /// Fails when no valid base URL is set, a credential or header
            /// cannot be sent, or the HTTP client cannot be built.
            pub fn build(self) -> Result<Client, super::runtime::Error> {
                let config = self.settings.build(SECRET_FIELDS)?;
                Ok(Client {
                    config: ::std::sync::Arc::new(config),
                })
            }
        }
    }
}

/// The builder's setters of the runtime's settings, the same for every
/// client: HTTP client, timeouts, retries, redirects, size limit,
/// `User-Agent`, headers and hook.
fn settings_setters() -> TokenStream {
    quote! {
    /// Uses `client` for HTTP (to share a pool or set proxies or
    /// TLS). Switch its redirects off (`redirect::Policy::none()`):
    /// this client follows them itself, keeping credentials on their
    /// origin. The connect timeout of this builder does not apply to
    /// it.
    pub fn http_client(mut self, client: ::reqwest::Client) -> Self {
        self.settings.http = Some(client);
        self
    }

    /// Fails an attempt that has not received its whole response
    /// within `timeout` (default 60 s; `None`: no limit).
    pub fn timeout(mut self, timeout: impl Into<Option<::std::time::Duration>>) -> Self {
        self.settings.timeout = timeout.into();
        self
    }

    /// Fails a connection attempt that takes longer than `timeout`
    /// (default 10 s; `None`: no limit).
    pub fn connect_timeout(mut self, timeout: impl Into<Option<::std::time::Duration>>) -> Self {
        self.settings.connect_timeout = timeout.into();
        self
    }

    /// Sets when requests are sent again (see [`RetryPolicy`](super::runtime::RetryPolicy);
    /// `RetryPolicy::none()` switches retries off).
    pub fn retries(mut self, policy: super::runtime::RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Sets which redirects are followed (default: same origin only).
    pub fn redirects(mut self, policy: super::runtime::RedirectPolicy) -> Self {
        self.settings.redirects = policy;
        self
    }

    /// Fails responses whose body is larger than `bytes` (default 32 MiB).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.settings.max_response_bytes = bytes;
        self
    }

    /// Replaces the `User-Agent` header (default `<crate>/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// Adds a header to every request (checked by [`build`](Self::build)).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.headers.push((name.into(), value.into()));
        self
    }

    /// Calls `hook` around every attempt (tracing, metrics,
    /// refreshing a token).
    pub fn hook(mut self, hook: impl super::runtime::Hook + 'static) -> Self {
        self.settings.hook = Some(::std::sync::Arc::new(hook));
        self
    }
    }
}
