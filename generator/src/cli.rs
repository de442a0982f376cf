//! The command line: flags mapped one to one onto [`Config`], so every
//! option of the library is reachable from the CLI (a test checks it).

use std::path::PathBuf;

use clap::Parser;

use crate::{Config, Layout};

/// Generate a typed async Rust client from an OpenAPI 3.0/3.1 spec.
#[derive(Debug, Clone, Parser)]
#[command(name = "generator", version)]
pub struct Args {
    /// The OpenAPI file (YAML or JSON). Default: spec/invent.yaml.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Where to write: the crate's directory (default: generated-client),
    /// or with `--module`, the directory of the module file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Package name of the generated crate. Default: invent-client for the
    /// default spec, else the output directory's name.
    #[arg(long)]
    pub crate_name: Option<String>,
    /// Write one module file to `include!` instead of a crate.
    #[arg(long)]
    pub module: bool,
    /// The module file's name (with `--module`; default: the spec's file
    /// stem with `.rs`).
    #[arg(long)]
    pub file_name: Option<String>,
    /// Write nothing; exit 1 and list the files that differ.
    #[arg(long)]
    pub check: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Generate only operations with this tag (repeatable).
    #[arg(long = "include-tag", value_name = "TAG")]
    pub include_tags: Vec<String>,
    /// Leave out operations with this tag (repeatable).
    #[arg(long = "exclude-tag", value_name = "TAG")]
    pub exclude_tags: Vec<String>,
    /// Generate only the operation with this operationId (repeatable).
    #[arg(long = "include-operation", value_name = "ID")]
    pub include_operations: Vec<String>,
    /// Leave out the operation with this operationId (repeatable).
    #[arg(long = "exclude-operation", value_name = "ID")]
    pub exclude_operations: Vec<String>,
    /// Print `cargo:rerun-if-changed=<spec>` (for build scripts that run
    /// the CLI).
    #[arg(long)]
    pub emit_rerun_if_changed: bool,
    /// Keep properties the spec does not declare in a map on every struct.
    #[arg(long)]
    pub keep_unknown_fields: bool,
    /// Add a test module that decodes every example of the spec into its
    /// generated type (examples their schema rejects are warned about).
    #[arg(long)]
    pub example_tests: bool,
    /// Put each tag's operations, and the types they reach, behind a Cargo
    /// feature of the generated crate (`full`, on by default, enables all).
    #[arg(long)]
    pub tag_features: bool,
    /// Print nothing but errors.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning instead of a summary of repeated ones.
    #[arg(long, short)]
    pub verbose: bool,
}

impl Args {
    /// Whether the defaults are used (regenerating `generated-client/`).
    pub fn is_default_run(&self) -> bool {
        self.spec.is_none() && self.out.is_none() && self.crate_name.is_none()
    }

    /// The spec, relative to `root` when not given.
    pub fn spec_path(&self, root: &std::path::Path) -> PathBuf {
        self.spec
            .clone()
            .unwrap_or_else(|| root.join("spec/invent.yaml"))
    }

    /// The output directory, relative to `root` when not given.
    pub fn out_dir(&self, root: &std::path::Path) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| root.join("generated-client"))
    }

    /// The configuration these flags describe; `root` is the workspace the
    /// defaults point into.
    pub fn config(&self, root: &std::path::Path) -> Config {
        let spec = self.spec_path(root);
        let out = self.out_dir(root);
        let crate_name = self.crate_name.clone().unwrap_or_else(|| {
            if self.spec.is_none() {
                "invent-client".to_owned()
            } else {
                out.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "client".to_owned())
            }
        });
        let mut config = Config::new(spec)
            .crate_name(crate_name)
            .strict(self.strict)
            .out_dir(out)
            .emit_rerun_if_changed(self.emit_rerun_if_changed)
            .keep_unknown_fields(self.keep_unknown_fields)
            .example_tests(self.example_tests)
            .tag_features(self.tag_features)
            .layout(if self.module {
                Layout::Module
            } else {
                Layout::Crate
            });
        if let Some(name) = &self.file_name {
            config = config.file_name(name.clone());
        }
        for tag in &self.include_tags {
            config = config.include_tag(tag.clone());
        }
        for tag in &self.exclude_tags {
            config = config.exclude_tag(tag.clone());
        }
        for id in &self.include_operations {
            config = config.include_operation(id.clone());
        }
        for id in &self.exclude_operations {
            config = config.exclude_operation(id.clone());
        }
        if self.is_default_run() {
            config = config.regenerate_command("cargo run -p generator");
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::Parser;

    use super::Args;
    use crate::Layout;
    use crate::config::{Config, OperationFilter};

    /// Every field of `Config` is set from a flag: adding an option to the
    /// library without a flag breaks this test (the destructuring below
    /// names every field).
    #[test]
    fn every_option_is_reachable_from_both() {
        let args = Args::parse_from([
            "generator",
            "--spec",
            "specs/api.yaml",
            "--out",
            "out",
            "--crate-name",
            "api-client",
            "--module",
            "--file-name",
            "api_mod.rs",
            "--strict",
            "--include-tag",
            "a",
            "--exclude-tag",
            "b",
            "--include-operation",
            "c",
            "--exclude-operation",
            "d",
            "--emit-rerun-if-changed",
            "--keep-unknown-fields",
            "--example-tests",
            "--tag-features",
        ]);
        let from_cli = args.config(Path::new("/root"));
        let from_builder = Config::new("specs/api.yaml")
            .crate_name("api-client")
            .out_dir("out")
            .layout(Layout::Module)
            .file_name("api_mod.rs")
            .strict(true)
            .include_tag("a")
            .exclude_tag("b")
            .include_operation("c")
            .exclude_operation("d")
            .emit_rerun_if_changed(true)
            .keep_unknown_fields(true)
            .example_tests(true)
            .tag_features(true);
        let Config {
            spec,
            crate_name,
            strict,
            regenerate_command,
            layout,
            out_dir,
            module_file,
            filter,
            rerun_if_changed,
            keep_unknown_fields,
            example_tests,
            tag_features,
        } = &from_cli;
        assert_eq!(spec, Path::new("specs/api.yaml"));
        assert_eq!(crate_name, "api-client");
        assert!(strict);
        assert_eq!(regenerate_command, "generator --spec api.yaml");
        assert_eq!(*layout, Layout::Module);
        assert_eq!(out_dir.as_deref(), Some(Path::new("out")));
        assert_eq!(module_file, "api_mod.rs");
        assert_eq!(
            *filter,
            OperationFilter {
                include_tags: vec!["a".to_owned()],
                exclude_tags: vec!["b".to_owned()],
                include_operations: vec!["c".to_owned()],
                exclude_operations: vec!["d".to_owned()],
            }
        );
        assert!(rerun_if_changed);
        assert!(keep_unknown_fields);
        assert!(example_tests);
        assert!(tag_features);
        assert_eq!(from_cli, from_builder);
    }

    #[test]
    fn the_default_run_regenerates_the_workspace_client() {
        let config = Args::parse_from(["generator"]).config(Path::new("/ws"));
        assert_eq!(config.crate_name, "invent-client");
        assert_eq!(config.spec, Path::new("/ws/spec/invent.yaml"));
        assert_eq!(config.regenerate_command, "cargo run -p generator");
        assert_eq!(config.layout, Layout::Crate);
    }
}
