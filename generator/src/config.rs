//! What to generate, and the entry points that run the pipeline: the
//! one-liner [`compile`] for build scripts and the [`Config`] builder
//! behind it, the CLI and the tests.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::emit::{self, Layout};
use crate::write::GeneratedFiles;
use crate::{Error, diagnostics, load, lower, write};

/// Generates the client for `spec` into `OUT_DIR`, for a build script:
/// one file named after the spec (`spec/api.yaml` → `api.rs`) to
/// `include!` inside a module of your crate. Warnings become
/// `cargo:warning=` lines.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     generator::compile("spec/api.yaml")?;
///     Ok(())
/// }
/// ```
///
/// ```text
/// // src/lib.rs
/// pub mod api {
///     include!(concat!(env!("OUT_DIR"), "/api.rs"));
/// }
/// ```
///
/// The generated code uses these dependencies of your crate: `reqwest`
/// (0.13, no default features needed; add `rustls` or `native-tls` for
/// HTTPS), `serde` (with `derive`), `serde_json`, `tokio` (with `time`),
/// and, when the spec uses them, `chrono` (with `serde`), `uuid` (with
/// `serde`) and `regex`.
pub fn compile(spec: impl AsRef<Path>) -> Result<(), Error> {
    Config::new(spec.as_ref()).compile().map(|_| ())
}

/// What to generate and where, in the style of `prost_build::Config`:
/// create one with [`Config::new`], change what you need with its
/// setters, then call [`Config::compile`] (build scripts: one module file
/// in `OUT_DIR`), [`Config::write_crate`] (a whole crate, as the CLI does)
/// or [`Config::generate`] (files in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub(crate) spec: PathBuf,
    pub(crate) crate_name: String,
    pub(crate) strict: bool,
    pub(crate) regenerate_command: String,
    pub(crate) layout: Layout,
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) module_file: String,
    pub(crate) filter: OperationFilter,
    pub(crate) rerun_if_changed: bool,
    pub(crate) keep_unknown_fields: bool,
    pub(crate) example_tests: bool,
    pub(crate) tag_features: bool,
}

/// Which operations to generate: by tag and by `operationId`. Empty
/// include lists include everything; excludes win over includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationFilter {
    /// Keep only operations with one of these tags.
    pub include_tags: Vec<String>,
    /// Drop operations with one of these tags.
    pub exclude_tags: Vec<String>,
    /// Keep only these `operationId`s.
    pub include_operations: Vec<String>,
    /// Drop these `operationId`s.
    pub exclude_operations: Vec<String>,
}

impl OperationFilter {
    /// Whether an operation with these tags and `operationId` is generated.
    pub fn admits(&self, tags: &[String], operation_id: Option<&str>) -> bool {
        let tagged = |list: &[String]| tags.iter().any(|t| list.contains(t));
        let named = |list: &[String]| operation_id.is_some_and(|id| list.iter().any(|l| l == id));
        let included = (self.include_tags.is_empty() && self.include_operations.is_empty())
            || tagged(&self.include_tags)
            || named(&self.include_operations);
        included && !tagged(&self.exclude_tags) && !named(&self.exclude_operations)
    }

    /// Whether the filter drops anything at all.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Config {
    /// A configuration for the spec at `spec` (YAML or JSON), with the
    /// defaults: the crate and module file named after the spec's file
    /// stem, every operation, warnings allowed; [`Config::compile`] writes
    /// into `OUT_DIR`.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml");
    /// ```
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        let file_name = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = spec
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let crate_name = crate_name_from(&stem);
        Self {
            module_file: format!("{}.rs", crate_name.replace('-', "_")),
            crate_name,
            spec,
            strict: false,
            regenerate_command: format!("generator --spec {file_name}"),
            layout: Layout::Crate,
            out_dir: None,
            filter: OperationFilter::default(),
            rerun_if_changed: false,
            keep_unknown_fields: false,
            example_tests: false,
            tag_features: false,
        }
    }

    /// The package name of a generated crate (crate layout), which is also
    /// the crate the generated docs' examples `use`.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").crate_name("api-client");
    /// ```
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    /// Where [`Config::compile`] writes (default: the `OUT_DIR` Cargo gives
    /// build scripts).
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").out_dir("src/generated");
    /// ```
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The name of the file [`Config::compile`] writes (default: the spec's
    /// file stem with `.rs`, `api.rs` for `spec/api.yaml`).
    ///
    /// ```
    /// let config = generator::Config::new("spec/openapi.yaml").file_name("billing.rs");
    /// ```
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.module_file = name.into();
        self
    }

    /// Treats warnings (skipped or approximated constructs) as errors.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").strict(true);
    /// ```
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Generates only operations tagged `tag` (call again to add tags; with
    /// no include at all, every operation is generated).
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").include_tag("users");
    /// ```
    pub fn include_tag(mut self, tag: impl Into<String>) -> Self {
        self.filter.include_tags.push(tag.into());
        self
    }

    /// Leaves out operations tagged `tag`.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").exclude_tag("admin");
    /// ```
    pub fn exclude_tag(mut self, tag: impl Into<String>) -> Self {
        self.filter.exclude_tags.push(tag.into());
        self
    }

    /// Generates only the operation with this `operationId` (call again to
    /// add more).
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").include_operation("createAssistant");
    /// ```
    pub fn include_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.filter.include_operations.push(operation_id.into());
        self
    }

    /// Leaves out the operation with this `operationId`.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").exclude_operation("deleteEverything");
    /// ```
    pub fn exclude_operation(mut self, operation_id: impl Into<String>) -> Self {
        self.filter.exclude_operations.push(operation_id.into());
        self
    }

    /// Prints `cargo:rerun-if-changed=<spec>` from [`Config::compile`], so
    /// that Cargo reruns the build script when the spec changes, and only
    /// then. Off by default: any `rerun-if-changed` line replaces Cargo's
    /// default rule (rerun when any file of the package changes), so a
    /// build script that also reads other files must list them too.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").emit_rerun_if_changed(true);
    /// ```
    pub fn emit_rerun_if_changed(mut self, emit: bool) -> Self {
        self.rerun_if_changed = emit;
        self
    }

    /// Keeps the properties a server sends that the spec does not declare:
    /// every struct without `additionalProperties` gets a flattened map of
    /// them (`additional_properties`), so values that are proxied or stored
    /// lose nothing. Off by default: undeclared properties are dropped.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").keep_unknown_fields(true);
    /// ```
    pub fn keep_unknown_fields(mut self, keep: bool) -> Self {
        self.keep_unknown_fields = keep;
        self
    }

    /// Turns the spec's examples into tests of the generated crate: a
    /// `#[cfg(test)]` module `example_tests` with one test per example
    /// (a schema's `example`, and the `example` and `examples` of JSON
    /// request bodies and responses) that decodes it into its generated
    /// type and checks that encoding it again loses nothing. Each example
    /// is first checked against its own schema; those the schema rejects
    /// are reported as warnings and left out. Off by default; crate layout
    /// only (a module file gets no tests).
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").example_tests(true);
    /// ```
    pub fn example_tests(mut self, on: bool) -> Self {
        self.example_tests = on;
        self
    }

    /// Puts each tag's operations behind a Cargo feature of the generated
    /// crate (crate layout only; with a module file, generation fails):
    /// with only some tags enabled, only their
    /// operations and the types those reach are compiled. A tag becomes a
    /// kebab-case feature (`users.calendar` → `users-calendar`); a dotted
    /// tag's prefix is a feature too (`users` enables every `users.*`
    /// tag); operations without tags are under `untagged`; `full` enables
    /// everything and is on by default.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").tag_features(true);
    /// ```
    pub fn tag_features(mut self, on: bool) -> Self {
        self.tag_features = on;
        self
    }

    /// The command the `@generated` header tells readers to run (default
    /// `generator --spec <file name>`: the spec's file name only, so the
    /// output does not depend on the current directory, on where it is
    /// written, or on how the path was typed).
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").regenerate_command("cargo build");
    /// ```
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = command.into();
        self
    }

    /// What [`Config::generate`] produces: a whole crate (the default:
    /// `Cargo.toml`, `src/`, maybe `examples/`) or one module file.
    /// [`Config::compile`] always writes a module file and
    /// [`Config::write_crate`] always a crate.
    ///
    /// ```
    /// let config = generator::Config::new("spec/api.yaml").layout(generator::Layout::Module);
    /// ```
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Runs the pipeline and returns the files in memory (paths relative
    /// to the output directory) with the warnings.
    pub fn generate(&self) -> Result<Generated, Error> {
        crate::generate(self)
    }

    /// For build scripts: generates the module file into
    /// [`Config::out_dir`] (default `OUT_DIR`), prints each warning as a
    /// `cargo:warning=` line and, when asked, `cargo:rerun-if-changed`.
    /// The file is only rewritten when its contents change.
    pub fn compile(&self) -> Result<Generated, Error> {
        if self.rerun_if_changed {
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        let dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    Error::Config(
                        "OUT_DIR is not set: call compile() from a build script, or set out_dir()"
                            .to_owned(),
                    )
                })?,
        };
        let mut module = self.clone();
        module.layout = Layout::Module;
        let generated = crate::generate(&module)?;
        for warning in &generated.warnings {
            println!("cargo:warning={}", warning.to_string().replace('\n', " "));
        }
        generated.files.write(&dir)?;
        Ok(generated)
    }

    /// Generates the crate layout and writes it into `dir` (only files
    /// that changed; generated files no longer made are removed).
    pub fn write_crate(&self, dir: &Path) -> Result<Generated, Error> {
        let mut whole = self.clone();
        whole.layout = Layout::Crate;
        let generated = crate::generate(&whole)?;
        generated.files.write(dir)?;
        Ok(generated)
    }

    pub(crate) fn emit_options(&self) -> emit::EmitOptions {
        emit::EmitOptions {
            crate_name: self.crate_name.clone(),
            regenerate_command: self.regenerate_command.clone(),
            layout: self.layout,
            module_file: self.module_file.clone(),
            examples: None,
            tag_features: self.tag_features,
        }
    }
}

/// A crate name from a file stem: ASCII letters, digits and `-`.
fn crate_name_from(stem: &str) -> String {
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name = name.trim_matches('-').to_owned();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("api-{name}").trim_end_matches('-').to_owned();
    }
    name
}

/// The result of a successful run.
#[derive(Debug)]
pub struct Generated {
    /// The files, by path relative to the output directory.
    pub files: GeneratedFiles,
    /// Constructs that were skipped or approximated, sorted by location.
    pub warnings: Vec<Diagnostic>,
    /// Named types generated.
    pub types: usize,
    /// Operations generated.
    pub operations: usize,
    /// How long each phase took: read, parse, normalize, deserialize,
    /// lower, emit, format (writing is up to the caller).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Runs the stages after loading: lower, check, emit, format.
pub(crate) fn finish(
    config: &Config,
    doc: &load::Document,
    mut diags: diagnostics::Diagnostics,
) -> Result<Generated, Error> {
    crate::validate_crate_name(&config.crate_name)?;
    if config.tag_features && config.layout == Layout::Module {
        return Err(Error::Config(
            "tag features need the crate layout: a module file has no Cargo features of its own"
                .to_owned(),
        ));
    }
    let mut timings = doc.timings.clone();
    let mut clock = std::time::Instant::now();
    let mut lap = |phase: &'static str| {
        timings.push((phase, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let options = lower::Options {
        filter: &config.filter,
        keep_unknown_fields: config.keep_unknown_fields,
    };
    // The other core maps the document's text meanwhile, should there be
    // warnings to locate.
    let (api, source_map) = std::thread::scope(|scope| {
        let source_map = std::thread::Builder::new().spawn_scoped(scope, || doc.source_map());
        let api = lower::lower(doc, &options, &mut diags);
        (
            api,
            source_map.ok().and_then(|map| map.join().ok()).flatten(),
        )
    });
    // Examples are checked against the normalised document, which
    // `openapiv3` holds; only this option pays for turning it back into
    // JSON.
    let examples =
        (config.example_tests && config.layout == Layout::Crate).then(
            || match serde_json::to_value(&doc.api) {
                Ok(tree) => {
                    crate::examples::collect(&tree, &api, config.keep_unknown_fields, &mut diags)
                }
                Err(error) => {
                    diags.warn(
                        "",
                        format!("examples not checked: the document does not serialize ({error})"),
                    );
                    crate::examples::Examples::default()
                }
            },
        );
    let has_errors = diags.has_errors();
    let mut diagnostics = diags.into_sorted();
    doc.locate_with(&mut diagnostics, source_map);
    lap("lower");
    if has_errors || (config.strict && !diagnostics.is_empty()) {
        return Err(Error::Spec(diagnostics));
    }
    let mut emit_options = config.emit_options();
    emit_options.examples = examples;
    let emitted = emit::emit(&api, &emit_options);
    lap("emit");
    let files = write::render(
        emitted,
        &config.regenerate_command,
        config.layout == Layout::Crate,
    )?;
    lap("format");
    let generated = Generated {
        files,
        warnings: diagnostics,
        types: api.types.defs.len(),
        operations: api.operations.len(),
        timings,
    };
    crate::drop_in_background(api);
    Ok(generated)
}
