//! A runnable example for the first operation whose inputs can all come from
//! the command line: `examples/<operation>.rs`.
//!
//! Path and required query parameters, and the required string fields of a
//! JSON body, are positional arguments; other required body fields take
//! their `Default`. The credential comes from `<TITLE>_API_KEY`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, EmitOptions, ident};
use crate::model::{AuthKind, BodyMedia, Operation, ParamLocation, StructType, Ty, TypeKind};
use crate::names::{self, Case, Scope};

/// Locals of the example's `main`, which argument bindings must not take.
const LOCALS: &[&str] = &[
    "args", "base_url", "index", "builder", "url", "key", "client", "body", "value", "json",
    "error",
];

/// The index of the operation the example calls, with the example's file
/// stem.
pub fn example_operation(ctx: &Ctx<'_>) -> Option<(usize, String)> {
    let ops = &ctx.api.operations;
    let index = ops.iter().position(|op| plan(ctx, op).is_some())?;
    Some((index, example_stem(ops.get(index)?)))
}

/// The file stem that names the example target: long operation names are
/// cut so that the file name stays well within file-system limits.
fn example_stem(op: &Operation) -> String {
    let stem: String = op.name.chars().take(48).collect();
    stem.trim_end_matches('_').to_owned()
}

/// The example's file stem and tokens, if some operation qualifies.
pub fn example(ctx: &Ctx<'_>, options: &EmitOptions) -> Option<(String, TokenStream)> {
    let (op, body_fields) = ctx
        .api
        .operations
        .iter()
        .find_map(|op| plan(ctx, op).map(|fields| (op, fields)))?;
    let stem = example_stem(op);
    // A validated crate name: ASCII letters, digits, `-` and `_`.
    let crate_ident = ident(&options.crate_name.replace('-', "_"));
    let env_var = api_key_var(&ctx.api.title);
    let method = ident(&op.name);

    let path_args: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    let mut positional: Vec<String> = path_args.iter().map(|s| (*s).to_owned()).collect();
    positional.extend(
        body_fields
            .iter()
            .filter(|(_, from_cli)| *from_cli)
            .map(|(name, _)| name.clone()),
    );
    let count = proc_macro2::Literal::usize_unsuffixed(positional.len());
    let usage = format!(
        "usage: cargo run --example {} -- [--base-url URL] {}",
        stem,
        positional
            .iter()
            .map(|p| format!("<{p}>"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    // One binding per positional argument, `arg_` + its name.
    let mut locals = Scope::with_reserved(Case::Binding, LOCALS);
    let binding_names: Vec<String> = positional
        .iter()
        // `arg_` + the name without its leading underscores (`_1st` →
        // `arg_1st`, not the non-snake-case `arg__1st`).
        .map(|p| locals.claim_name(&format!("arg_{}", p.trim_start_matches('_'))))
        .collect();
    let binding_of = |position: usize| binding(&binding_names, position);
    let bindings = (0..positional.len()).map(binding_of);

    let call_args = (0..path_args.len()).map(|position| {
        let binding = binding_of(position);
        quote!(&#binding)
    });
    let (body_let, body_arg) = body_construction(
        ctx,
        op,
        &crate_ident,
        &body_fields,
        &binding_names,
        path_args.len(),
    );
    let call_args = call_args.chain(body_arg);

    let credential = credential_setup(ctx, op, &env_var);
    let printable = print_value(ctx, op);
    let doc_lines = [
        format!(
            " Calls `{}` (`{} {}`) and prints the response.",
            op.name,
            op.method,
            op.path.replace('`', "'")
        ),
        String::new(),
        format!(" {usage}"),
        String::new(),
        if credential.is_some() {
            format!(" The API key is read from `{env_var}`.")
        } else {
            " The operation needs no credential.".to_owned()
        },
    ];
    let tokens = quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #(#![doc = #doc_lines])*

        use ::std::process::ExitCode;

        #[tokio::main]
        async fn main() -> ExitCode {
            let mut args: Vec<String> = ::std::env::args().skip(1).collect();
            if args.iter().any(|a| a == "--help" || a == "-h") {
                println!(#usage);
                return ExitCode::SUCCESS;
            }
            let mut base_url = None;
            if let Some(index) = args.iter().position(|a| a == "--base-url") {
                if index + 1 >= args.len() {
                    eprintln!(#usage);
                    return ExitCode::from(2);
                }
                base_url = Some(args.remove(index + 1));
                args.remove(index);
            }
            let [#(#bindings),*]: [String; #count] = match args.try_into() {
                Ok(values) => values,
                Err(_) => {
                    eprintln!(#usage);
                    return ExitCode::from(2);
                }
            };
            let mut builder = #crate_ident::Client::builder();
            if let Some(url) = base_url {
                builder = builder.base_url(url);
            }
            #credential
            let client = match builder.build() {
                Ok(client) => client,
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::FAILURE;
                }
            };
            #body_let
            match client.#method(#(#call_args),*).await {
                Ok(value) => {
                    #printable
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    };
    Some((stem, tokens))
}

/// The binding of the positional argument at `position`.
fn binding(names: &[String], position: usize) -> proc_macro2::Ident {
    ident(names.get(position).map_or("arg", String::as_str))
}

/// `let body = Type::new(..);` and the `&body` argument, when the
/// operation has a required body: its fields from the command line (after
/// the `path_count` path arguments) or their defaults.
fn body_construction(
    ctx: &Ctx<'_>,
    op: &Operation,
    crate_ident: &proc_macro2::Ident,
    body_fields: &[(String, bool)],
    binding_names: &[String],
    path_count: usize,
) -> (Option<TokenStream>, Option<TokenStream>) {
    let body = op.body.as_ref().and_then(|b| match b.ty.non_null() {
        Ty::Named(id) => Some((*id, b.required)),
        _ => None,
    });
    let Some((id, true)) = body else {
        return (None, None);
    };
    let type_name = ident(&ctx.api.types.get(id).name);
    let ty_path = quote!(#crate_ident::types::#type_name);
    let mut from_cli_position = path_count;
    let args: Vec<TokenStream> = body_fields
        .iter()
        .map(|(_, from_cli)| {
            if *from_cli {
                let binding = binding(binding_names, from_cli_position);
                from_cli_position += 1;
                quote!(#binding)
            } else {
                quote!(Default::default())
            }
        })
        .collect();
    (
        Some(quote!(let body = #ty_path::new(#(#args),*);)),
        Some(quote!(&body)),
    )
}

/// Sets the operation's first non-basic credential from `env_var`, when
/// the variable is set.
fn credential_setup(ctx: &Ctx<'_>, op: &Operation, env_var: &str) -> Option<TokenStream> {
    let credential = op
        .auth
        .iter()
        .filter_map(|index| ctx.api.credentials.get(*index))
        .find(|credential| credential.kind != AuthKind::Basic)?;
    let setter = ident(&credential.setter);
    Some(quote! {
        if let Ok(key) = ::std::env::var(#env_var) {
            builder = builder.#setter(key);
        }
    })
}

/// Prints the response value: as JSON when it is JSON and serializable,
/// else with `Debug`.
fn print_value(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match super::operations_success_is_json(ctx, op) {
        true => quote! {
            match serde_json::to_string_pretty(&value) {
                Ok(json) => println!("{json}"),
                Err(_) => println!("{value:?}"),
            }
        },
        false => quote!(println!("{value:#?}");),
    }
}

/// `INVENT_API_KEY` for "Invent API".
fn api_key_var(title: &str) -> String {
    let base = title.trim();
    let base = base
        .strip_suffix(" API")
        .or_else(|| base.strip_suffix(" Api"))
        .unwrap_or(base);
    format!("{}_API_KEY", names::shouty(base))
}

/// For an operation the example can call: the required body fields in
/// constructor order, each marked `true` when it comes from the command line.
fn plan(ctx: &Ctx<'_>, op: &Operation) -> Option<Vec<(String, bool)>> {
    if op.deprecated {
        return None;
    }
    if !op.params.iter().filter(|p| p.required).all(|p| {
        matches!(p.ty, Ty::String)
            && matches!(p.location, ParamLocation::Path | ParamLocation::Query)
    }) {
        return None;
    }
    let Some(body) = &op.body else {
        return Some(Vec::new());
    };
    if !body.required {
        return Some(Vec::new());
    }
    let Ty::Named(id) = body.ty else { return None };
    if body.media != BodyMedia::Json {
        return None;
    }
    let TypeKind::Struct(StructType { fields, .. }) = &ctx.api.types.get(id).kind else {
        return None;
    };
    let required: Vec<_> = fields.iter().filter(|f| f.required).collect();
    if required.is_empty() || required.len() > 7 {
        return None;
    }
    required
        .iter()
        .map(|f| {
            if matches!(f.ty, Ty::String) {
                Some((f.name.clone(), true))
            } else if ctx.ty_default(&f.ty) || f.ty.is_nullable() {
                Some((f.name.clone(), false))
            } else {
                None
            }
        })
        .collect()
}
