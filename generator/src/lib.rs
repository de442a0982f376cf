//! Generates a typed, async Rust client crate from an OpenAPI 3.0 or 3.1
//! description.
//!
//! The pipeline is one pass through five modules, each with one job:
//!
//! 1. [`load`]: read the file, parse JSON or YAML, check the version and
//!    normalise 3.1 into the 3.0 shape `openapiv3` models.
//! 2. `lower`: resolve `$ref`s and turn schemas and operations into the
//!    [`model`], which knows neither `openapiv3` nor tokens.
//! 3. `emit`: turn the model into token streams with `quote`.
//! 4. [`write`]: format with `prettyplease`, add the `@generated` header,
//!    and write (or check) the files.
//!
//! From a build script, [`compile`] writes one module file into
//! `OUT_DIR`:
//!
//! ```no_run
//! // build.rs
//! generator::compile("spec/invent.yaml")?;
//! # Ok::<(), generator::Error>(())
//! ```
//!
//! [`Config`] sets everything else, in the style of `prost_build`:
//!
//! ```no_run
//! let generated = generator::Config::new("spec/invent.yaml")
//!     .crate_name("my-client")
//!     .include_tag("assistants")
//!     .strict(true)
//!     .write_crate(std::path::Path::new("generated-client"))?;
//! for warning in &generated.warnings {
//!     eprintln!("{warning}");
//! }
//! # Ok::<(), generator::Error>(())
//! ```

// The library has no unsafe code; only the CLI's `main.rs` may make its
// one allocator call (see generator/Cargo.toml).
#![forbid(unsafe_code)]
// Spec data never indexes or slices: a malformed spec must give an error,
// not a panic at a byte offset inside a character.
#![deny(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

mod bundle;
#[cfg(feature = "cli")]
pub mod cli;
mod config;
pub mod diagnostics;
mod emit;
mod examples;
pub mod load;
mod lower;
pub mod model;
pub mod names;
mod normalize;
mod parallel;
mod pointer;
pub mod span;
mod swagger2;
pub mod write;

use std::path::{Path, PathBuf};

pub use config::{Config, Generated, OperationFilter, compile};
pub use diagnostics::{Diagnostic, Location, Severity};
pub use emit::Layout;
pub use write::{Drift, GeneratedFiles};

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The spec has problems that prevent generation.
    #[error("{}", render_diagnostics(.0))]
    Spec(Vec<Diagnostic>),
    /// An output file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The options are invalid.
    #[error("{0}")]
    Config(String),
    /// A bug in the generator: it produced code that does not parse.
    #[error("internal error (please report): {0}")]
    Internal(String),
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Generates the client crate for `config` in memory.
pub fn generate(config: &Config) -> Result<Generated, Error> {
    on_big_stack(|| {
        let mut diags = diagnostics::Diagnostics::new(&config.spec);
        let doc = load::load(&config.spec, &mut diags)?;
        let generated = config::finish(config, &doc, diags);
        drop_in_background(doc);
        generated
    })
}

/// Like [`generate`], for spec text that is already in memory; `path` is
/// only used in diagnostics and to tell JSON from YAML.
pub fn generate_from_str(config: &Config, text: &str, path: &Path) -> Result<Generated, Error> {
    on_big_stack(|| {
        let mut diags = diagnostics::Diagnostics::new(path);
        let doc = load::load_str(text, path, &mut diags)?;
        let generated = config::finish(config, &doc, diags);
        drop_in_background(doc);
        generated
    })
}

/// Frees `value` on a thread of its own. The document and model of the
/// largest specs take a quarter of a second to free, which the caller
/// (writing the files, or exiting) need not wait for.
fn drop_in_background<T: Send + 'static>(value: T) {
    // Should no thread start, the closure, and `value` with it, is freed
    // here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Stack for one generation run. Deeply nested inline schemas (some AWS
/// specs nest dozens of levels) recurse through `openapiv3`'s
/// deserializers, whose frames are large; the memory is only reserved, not
/// used, until needed.
const STACK_SIZE: usize = 512 * 1024 * 1024;

/// Runs `work` on a thread with a large stack, turning a panic (a generator
/// bug) into an error instead of a crash.
fn on_big_stack<T: Send>(work: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("generator".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, work)
            .map_err(|e| Error::Internal(format!("cannot start the generator thread: {e}")))?;
        handle.join().unwrap_or_else(|_| {
            Err(Error::Internal(
                "the generator panicked (see the message above)".to_owned(),
            ))
        })
    })
}

/// Cargo package names: ASCII letters, digits, `-` and `_`, not starting
/// with a digit.
pub(crate) fn validate_crate_name(name: &str) -> Result<(), Error> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic());
    if valid {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "invalid crate name `{name}`: use ASCII letters, digits, `-` and `_`, starting with a letter"
        )))
    }
}
