//! Diagnostics that point at the input: the file, the JSON pointer of the
//! offending node and, where the parser knows it, the line and column.
//!
//! Every stage reports through a [`Diagnostics`] accumulator instead of
//! stopping at the first problem, so a user sees all of them in one run,
//! sorted by where they stand in the spec.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The construct was skipped or approximated; generation goes on.
    Warning,
    /// Generation cannot produce a correct client.
    Error,
}

/// Where in the input a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The spec file.
    pub file: PathBuf,
    /// A JSON pointer (RFC 6901) into the document, `""` for the root.
    pub pointer: String,
    /// 1-based line and column, when the parser reported them.
    pub line_column: Option<(usize, usize)>,
}

impl Location {
    /// A location at `pointer` in `file`, without line information.
    pub fn new(file: &Path, pointer: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            line_column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.line_column {
            write!(f, ":{line}:{column}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at #{}", self.pointer)?;
        }
        Ok(())
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Where the problem is.
    pub location: Location,
    /// Warning or error.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}\n  --> {}", self.message, self.location)
    }
}

/// Collects diagnostics for one spec file.
#[derive(Debug)]
pub struct Diagnostics {
    file: PathBuf,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty accumulator for `file`.
    pub fn new(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            items: Vec::new(),
        }
    }

    /// The file these diagnostics are about.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Records a warning at `pointer`.
    pub fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(pointer, Severity::Warning, message.into());
    }

    /// Records an error at `pointer`.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.push(pointer, Severity::Error, message.into());
    }

    fn push(&mut self, pointer: &str, severity: Severity, message: String) {
        self.items.push(Diagnostic {
            location: Location::new(&self.file, pointer),
            severity,
            message,
        });
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, sorted by location then message, without duplicates.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}
