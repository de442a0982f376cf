//! Formatting and file output: render tokens with `prettyplease`, add the
//! `@generated` header, then write (only what changed, atomically) or check.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::emit::FileContents;

/// The marker every generated file carries; orphan detection relies on it.
pub const GENERATED_MARKER: &str = "@generated";

/// A generated crate: file contents keyed by path relative to its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFiles {
    /// Relative path (with `/` separators) → contents.
    pub files: BTreeMap<String, String>,
}

/// One way a directory differs from the generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file is missing.
    Missing(String),
    /// The file's contents differ.
    Changed(String),
    /// A generated file that the generator no longer makes.
    Orphan(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(path) => write!(f, "missing: {path}"),
            Drift::Changed(path) => write!(f, "differs: {path}"),
            Drift::Orphan(path) => write!(f, "should not exist: {path}"),
        }
    }
}

/// Formats emitted files. Rust sources go through `syn` and `prettyplease`,
/// so every machine produces the same bytes.
pub fn render(
    files: Vec<(String, FileContents)>,
    regenerate_command: &str,
) -> Result<GeneratedFiles, Error> {
    let header = format!(
        "// {GENERATED_MARKER} by `{}`.\n// Do not edit by hand: change the spec or the generator and regenerate.\n\n",
        regenerate_command.replace(['\n', '\r'], " ")
    );
    let mut out = BTreeMap::new();
    for (path, contents) in files {
        let text = match contents {
            FileContents::Text(text) if path.ends_with(".rs") => format!("{header}{text}"),
            FileContents::Text(text) => text,
            FileContents::Rust(tokens) => {
                let file: syn::File = syn::parse2(tokens).map_err(|e| {
                    Error::Internal(format!("generated {path} does not parse: {e}"))
                })?;
                format!("{header}{}", unparse_spaced(file))
            }
        };
        out.insert(path, text);
    }
    Ok(GeneratedFiles { files: out })
}

/// `prettyplease::unparse`, with a blank line between top-level items as
/// rustfmt-formatted code has.
fn unparse_spaced(file: syn::File) -> String {
    let mut head = file.clone();
    head.items.clear();
    let mut out = prettyplease::unparse(&head);
    for item in file.items {
        if !out.is_empty() {
            out.push('\n');
        }
        let mut single = head.clone();
        single.attrs.clear();
        single.shebang = None;
        single.items = vec![item];
        out.push_str(&prettyplease::unparse(&single));
    }
    out
}

impl GeneratedFiles {
    /// Writes every file under `dir` that differs, each through a temporary
    /// file and a rename so a reader never sees half a file, and deletes
    /// generated files that are no longer made. Returns the paths written.
    pub fn write(&self, dir: &Path) -> Result<Vec<String>, Error> {
        let existed = dir.exists();
        let result = self.write_files(dir);
        if result.is_err() && !existed {
            // Leave nothing behind: the directory did not exist before.
            let _ = fs::remove_dir_all(dir);
        }
        result
    }

    fn write_files(&self, dir: &Path) -> Result<Vec<String>, Error> {
        let io_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source: io::Error| Error::Write { path, source }
        };
        let mut written = Vec::new();
        for (relative, contents) in &self.files {
            let target = dir.join(relative);
            if fs::read(&target).ok().as_deref() == Some(contents.as_bytes()) {
                continue;
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_error(parent))?;
            }
            let temp = temp_path(&target);
            fs::write(&temp, contents).map_err(io_error(&temp))?;
            if let Err(source) = fs::rename(&temp, &target) {
                let _ = fs::remove_file(&temp);
                return Err(Error::Write {
                    path: target,
                    source,
                });
            }
            written.push(relative.clone());
        }
        for orphan in self.orphans(dir) {
            let path = dir.join(&orphan);
            fs::remove_file(&path).map_err(io_error(&path))?;
        }
        Ok(written)
    }

    /// Compares `dir` with the generated files without writing anything.
    pub fn check(&self, dir: &Path) -> Vec<Drift> {
        let mut drift = Vec::new();
        for (relative, contents) in &self.files {
            match fs::read(dir.join(relative)) {
                Err(_) => drift.push(Drift::Missing(relative.clone())),
                Ok(bytes) if normalize_newlines(&bytes) != contents.as_bytes() => {
                    drift.push(Drift::Changed(relative.clone()))
                }
                Ok(_) => {}
            }
        }
        drift.extend(self.orphans(dir).into_iter().map(Drift::Orphan));
        drift
    }

    /// Files under `dir` that carry the generated marker but are not part
    /// of this output (a removed operation's example, say). Hand-written
    /// files (no marker), `target/` and lock files are left alone.
    fn orphans(&self, dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        collect_files(dir, dir, &mut found);
        found
            .into_iter()
            .filter(|relative| !self.files.contains_key(relative))
            .filter(|relative| {
                fs::read_to_string(dir.join(relative))
                    .map(|text| {
                        text.lines()
                            .take(3)
                            .any(|line| line.contains(GENERATED_MARKER))
                    })
                    .unwrap_or(false)
            })
            .collect()
    }
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_files(root, &path, out);
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn normalize_newlines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn temp_path(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".tmp{}", std::process::id()));
    target.with_file_name(name)
}
