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
//! ```no_run
//! let config = generator::Config::new("spec/invent.yaml", "my-client");
//! let generated = generator::generate(&config)?;
//! for warning in &generated.warnings {
//!     eprintln!("{warning}");
//! }
//! generated.files.write(std::path::Path::new("generated-client"))?;
//! # Ok::<(), generator::Error>(())
//! ```

// Spec data never indexes or slices: a malformed spec must give an error,
// not a panic at a byte offset inside a character.
#![deny(clippy::indexing_slicing, clippy::string_slice)]
#![cfg_attr(test, allow(clippy::indexing_slicing, clippy::string_slice))]

pub mod diagnostics;
mod emit;
pub mod load;
mod lower;
pub mod model;
pub mod names;
mod normalize;
mod pointer;
pub mod write;

use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, Location, Severity};
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

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// The OpenAPI file (YAML or JSON).
    pub spec: PathBuf,
    /// Package name of the generated crate.
    pub crate_name: String,
    /// Treat warnings (skipped or approximated constructs) as errors.
    pub strict: bool,
    /// The command the `@generated` header tells readers to run. The
    /// default, `generator --spec <file name>`, names the spec by its file
    /// name only, so the output does not depend on the current directory,
    /// on where it is written, or on how the path was typed.
    pub regenerate_command: String,
}

impl Config {
    /// A configuration for `spec` producing the crate `crate_name`.
    pub fn new(spec: impl Into<PathBuf>, crate_name: impl Into<String>) -> Self {
        let spec = spec.into();
        let file_name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Self {
            spec,
            crate_name: crate_name.into(),
            strict: false,
            regenerate_command: format!("generator --spec {file_name}"),
        }
    }

    /// Fails on warnings too.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Sets the command named in the `@generated` header.
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = command.into();
        self
    }
}

/// The result of a successful run.
#[derive(Debug)]
pub struct Generated {
    /// The crate's files.
    pub files: GeneratedFiles,
    /// Constructs that were skipped or approximated, sorted by location.
    pub warnings: Vec<Diagnostic>,
}

/// Generates the client crate for `config` in memory.
pub fn generate(config: &Config) -> Result<Generated, Error> {
    on_big_stack(|| {
        let mut diags = diagnostics::Diagnostics::new(&config.spec);
        let doc = load::load(&config.spec, &mut diags)?;
        finish(config, &doc, diags)
    })
}

/// Like [`generate`], for spec text that is already in memory; `path` is
/// only used in diagnostics and to tell JSON from YAML.
pub fn generate_from_str(config: &Config, text: &str, path: &Path) -> Result<Generated, Error> {
    on_big_stack(|| {
        let mut diags = diagnostics::Diagnostics::new(path);
        let doc = load::load_str(text, path, &mut diags)?;
        finish(config, &doc, diags)
    })
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

fn finish(
    config: &Config,
    doc: &load::Document,
    mut diags: diagnostics::Diagnostics,
) -> Result<Generated, Error> {
    validate_crate_name(&config.crate_name)?;
    let api = lower::lower(doc, &mut diags);
    let has_errors = diags.has_errors();
    let diagnostics = diags.into_sorted();
    if has_errors || (config.strict && !diagnostics.is_empty()) {
        return Err(Error::Spec(diagnostics));
    }
    let options = emit::EmitOptions {
        crate_name: config.crate_name.clone(),
        regenerate_command: config.regenerate_command.clone(),
    };
    let files = write::render(emit::emit(&api, &options), &config.regenerate_command)?;
    Ok(Generated {
        files,
        warnings: diagnostics,
    })
}

/// Cargo package names: ASCII letters, digits, `-` and `_`, not starting
/// with a digit.
fn validate_crate_name(name: &str) -> Result<(), Error> {
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
