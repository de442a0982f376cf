//! The crate around the code: `Cargo.toml` and `lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_paragraphs;
use super::{Ctx, EmitOptions};
use crate::model::Ty;

/// `Cargo.toml`. Only the crate name (validated by the caller) comes from
/// the user; nothing from the spec enters this file.
pub fn cargo_toml(ctx: &Ctx<'_>, options: &EmitOptions) -> String {
    let mut deps = vec![
        r#"reqwest = { version = "0.13", default-features = false }"#.to_owned(),
        r#"serde = { version = "1", features = ["derive"] }"#.to_owned(),
        r#"serde_json = "1""#.to_owned(),
        // Timeouts and retry backoff; reqwest depends on tokio already.
        r#"tokio = { version = "1", default-features = false, features = ["time"] }"#.to_owned(),
    ];
    if ctx.uses(&|t| matches!(t, Ty::DateTime | Ty::Date)) {
        deps.push(r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#.to_owned());
    }
    if ctx.uses(&|t| matches!(t, Ty::Uuid)) {
        deps.push(r#"uuid = { version = "1", features = ["serde"] }"#.to_owned());
    }
    if ctx.uses_pattern {
        deps.push(r#"regex = "1""#.to_owned());
    }
    let mut features = String::new();
    if let Some(tags) = &ctx.features {
        features.push_str(&tags.manifest_lines());
    }
    if ctx.has_serialize_feature() {
        features.push_str(
            "# `Serialize` for the types only responses carry (those requests carry always have it).\n\
             serialize = []\n",
        );
    }
    let default = match ctx.features {
        Some(_) => r#"["default-tls", "full"]"#,
        None => r#"["default-tls"]"#,
    };
    let example = match (&ctx.features, super::example::example_operation(ctx)) {
        (Some(tags), Some((index, name))) => match tags.required_by(index) {
            Some(feature) => {
                format!("\n[[example]]\nname = \"{name}\"\nrequired-features = [\"{feature}\"]\n")
            }
            None => String::new(),
        },
        _ => String::new(),
    };
    format!(
        "{header}\
         [package]\n\
         name = \"{name}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.85\"\n\
         publish = false\n\
         \n\
         [features]\n\
         default = {default}\n\
         # TLS through reqwest's default backend (rustls).\n\
         default-tls = [\"reqwest/default-tls\"]\n\
         # TLS through the platform's library (OpenSSL on Linux).\n\
         native-tls = [\"reqwest/native-tls\"]\n\
         {features}\
         \n\
         [dependencies]\n\
         {deps}\n\
         \n\
         [dev-dependencies]\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         {example}",
        header = crate::write::header("#", &options.regenerate_command),
        name = options.crate_name,
        deps = deps.join("\n"),
    )
}

/// `src/lib.rs`.
pub fn lib_rs(ctx: &Ctx<'_>, options: &EmitOptions) -> TokenStream {
    let api = ctx.api;
    let title = format!(
        "A typed client for the {} (version {}).",
        api.title.replace('`', "'"),
        api.version.replace('`', "'")
    );
    let crate_ident = options.crate_name.replace('-', "_");
    let builder_line = match super::client::default_base_url(ctx) {
        Some(_) => "let client = Client::builder()".to_owned(),
        None => {
            "let client = Client::builder()\n    .base_url(\"https://api.example.com\")".to_owned()
        }
    };
    let auth_line = if api
        .credentials
        .iter()
        .any(|c| c.kind == crate::model::AuthKind::Bearer)
    {
        "\n    .bearer_token(std::env::var(\"API_TOKEN\")?)"
    } else {
        ""
    };
    let example = format!(
        "```no_run\n\
         use {crate_ident}::Client;\n\
         \n\
         # async fn demo() -> Result<(), Box<dyn std::error::Error>> {{\n\
         {builder_line}{auth_line}\n    .build()?;\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    );
    let usage = "Create a [`Client`], call the method named after an operation, set optional parameters on the request it returns, and `.await` it. Types of the spec's schemas are in [`types`]; failures are an [`Error`].";
    let description = api.description.as_deref().map(super::docs::spec);
    let features = features_doc(ctx);
    let docs = doc_paragraphs([
        Some(title.as_str()),
        description.as_deref(),
        Some(usage),
        features.as_deref(),
    ]);
    // The example is added verbatim: `doc_paragraphs` would turn its fence
    // into a `text` block.
    let example_attrs = example.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    let inner_docs = docs_to_inner(docs);
    let reexports = reexports();
    let tests_cfg = match ctx.features {
        // The tests decode into types of every tag.
        Some(_) => quote!(#[cfg(all(test, feature = "full"))]),
        None => quote!(#[cfg(test)]),
    };
    let example_tests = options.examples.is_some().then(|| {
        quote! {
            #tests_cfg
            #[rustfmt::skip]
            mod example_tests;
        }
    });
    quote! {
        // rustfmt would re-wrap what prettyplease printed; the generator
        // owns this formatting.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #inner_docs
        #![doc = ""]
        #(#example_attrs)*
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod runtime;
        #[rustfmt::skip]
        pub mod types;
        #example_tests

        #reexports
    }
}

/// What the crate's Cargo features select, when it has any beyond TLS.
fn features_doc(ctx: &Ctx<'_>) -> Option<String> {
    let mut lines = Vec::new();
    if ctx.features.is_some() {
        lines.push("Each tag of the spec is a Cargo feature (kebab case; a dotted tag's prefix also enables all tags under it): it compiles the tag's operations and the types they reach. Operations without a tag are under `untagged`. `full`, on by default, enables every tag; to compile less, turn default features off and list `default-tls` and the tags you call.");
    }
    if ctx.has_serialize_feature() {
        lines.push("The `serialize` feature implements `Serialize` for the types only responses carry; the types of requests always implement it.");
    }
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// The items the client's root re-exports, in both layouts.
pub fn reexports() -> TokenStream {
    quote! {
        pub use {
            client::{Client, ClientBuilder},
            runtime::{
                ApiError, DecodeError, Error, ErrorBody, Hook, Nullable, RedirectPolicy, Response,
                RetryPolicy, TransportError, TransportKind, ValidationError,
            },
        };
    }
}

/// Turns `#[doc = …]` attributes into `#![doc = …]`.
fn docs_to_inner(outer: TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let mut out = Vec::new();
    let mut tokens = outer.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match (&token, tokens.peek()) {
            (TokenTree::Punct(p), Some(TokenTree::Group(_))) if p.as_char() == '#' => {
                out.push(token);
                out.push(TokenTree::Punct(proc_macro2::Punct::new(
                    '!',
                    proc_macro2::Spacing::Alone,
                )));
            }
            _ => out.push(token),
        }
    }
    out.into_iter().collect()
}
