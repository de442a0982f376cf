//! Diagnostics that point at the input: the file, the JSON pointer of the
//! offending node, its line and column, and the source line itself,
//! rendered like rustc's (with `annotate-snippets`).
//!
//! Every stage reports through a [`Diagnostics`] accumulator instead of
//! stopping at the first problem, so a user sees all of them in one run,
//! sorted by where they stand in the spec. Stages only know pointers;
//! [`locate`] adds lines and columns once, from a [`SourceMap`] of the
//! text.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::span::SourceMap;

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
    /// 1-based line and column.
    pub line_column: Option<(usize, usize)>,
    /// The source line, with the bytes to underline.
    pub source: Option<SourceLine>,
}

/// One line of the spec, for showing under a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceLine {
    /// The line's text, without its line break.
    pub text: String,
    /// The bytes of `text` to underline, as start and end.
    pub range: (usize, usize),
}

impl Location {
    /// A location at `pointer` in `file`, without line information.
    pub fn new(file: &Path, pointer: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            line_column: None,
            source: None,
        }
    }

    /// `file:line:column`, or `file` alone.
    pub fn position(&self) -> String {
        match self.line_column {
            Some((line, column)) => format!("{}:{line}:{column}", self.file.display()),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.position())?;
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

impl Diagnostic {
    /// Renders the diagnostic like rustc: the message, `--> file:line:col`,
    /// the source line with the node underlined and its JSON pointer as the
    /// label. `color` adds ANSI colors (for a terminal).
    pub fn render(&self, color: bool) -> String {
        self.render_with_notes(color, &[])
    }

    fn render_with_notes(&self, color: bool, notes: &[String]) -> String {
        let level = match self.severity {
            Severity::Warning => Level::WARNING,
            Severity::Error => Level::ERROR,
        };
        let location = &self.location;
        let label = if location.pointer.is_empty() {
            String::new()
        } else {
            format!("#{}", location.pointer)
        };
        let path = location.file.display().to_string();
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        match (&location.source, location.line_column) {
            (Some(source), Some((line, _))) => {
                group = group.element(
                    Snippet::source(source.text.as_str())
                        .line_start(line)
                        .path(path.as_str())
                        .annotation(
                            AnnotationKind::Primary
                                .span(source.range.0..source.range.1)
                                .label(label.as_str()),
                        ),
                );
            }
            _ => {
                let at = if label.is_empty() {
                    location.position()
                } else {
                    format!("{} at {label}", location.position())
                };
                group = group.element(Level::NOTE.message(format!("in {at}")));
            }
        }
        for note in notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// How many locations a group of alike warnings lists before `--verbose`.
const SHOWN_PER_GROUP: usize = 3;

/// Renders diagnostics for a terminal or a log. Errors are shown one by
/// one; warnings that differ only in the names they quote ("allOf parts
/// disagree on property `…`") are shown once, with a count and the first
/// few other locations, unless `verbose`.
pub fn render_report(diagnostics: &[Diagnostic], verbose: bool, color: bool) -> String {
    let mut out = Vec::new();
    let mut groups: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for diagnostic in diagnostics {
        if verbose || diagnostic.severity == Severity::Error {
            out.push(diagnostic.render(color));
            continue;
        }
        let kind = kind_of(&diagnostic.message);
        if !groups.contains_key(&kind) {
            order.push(kind.clone());
        }
        groups.entry(kind).or_default().push(diagnostic);
    }
    for kind in order {
        let Some(members) = groups.get(&kind) else {
            continue;
        };
        let Some((first, rest)) = members.split_first() else {
            continue;
        };
        if rest.is_empty() {
            out.push(first.render(color));
            continue;
        }
        let mut notes = vec![format!(
            "{} more like this (--verbose shows them all), at:",
            rest.len()
        )];
        notes.extend(
            rest.iter()
                .take(SHOWN_PER_GROUP)
                .map(|d| format!("  {}", d.location)),
        );
        if rest.len() > SHOWN_PER_GROUP {
            notes.push(format!("  … and {} more", rest.len() - SHOWN_PER_GROUP));
        }
        out.push(first.render_with_notes(color, &notes));
    }
    out.join("\n\n")
}

/// A message with what it quotes (`…` and `#…` pointers) blanked: the
/// kind of diagnostic it is.
fn kind_of(message: &str) -> String {
    let mut kind = String::with_capacity(message.len());
    let mut in_quote = false;
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                in_quote = !in_quote;
                kind.push('`');
                if in_quote {
                    kind.push('…');
                }
            }
            _ if in_quote => {}
            '#' if chars.peek() == Some(&'/') => {
                kind.push_str("#…");
                while chars
                    .peek()
                    .is_some_and(|c| !c.is_whitespace() && *c != ')')
                {
                    chars.next();
                }
            }
            _ => kind.push(c),
        }
    }
    kind
}

/// Adds line, column and source line to every diagnostic about the file
/// `map` indexes.
pub fn locate(diagnostics: &mut [Diagnostic], map: &SourceMap) {
    for diagnostic in diagnostics {
        let location = &mut diagnostic.location;
        if location.source.is_some() {
            continue;
        }
        let Some(span) = map.locate(&location.pointer) else {
            continue;
        };
        if location.line_column.is_none() {
            location.line_column = Some((span.line, span.column));
        }
        location.source = map.source_line(&span).map(|(text, range)| SourceLine {
            text: text.to_owned(),
            range: (range.start, range.end),
        });
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

    /// Adds the diagnostics gathered in `other` (on another thread).
    pub fn absorb(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_ignore_what_is_quoted() {
        assert_eq!(
            kind_of(
                "allOf parts disagree on property `x` (first defined at #/a/b); the later definition wins"
            ),
            kind_of(
                "allOf parts disagree on property `yy` (first defined at #/c); the later definition wins"
            ),
        );
        assert_ne!(kind_of("a `x`"), kind_of("b `x`"));
    }
}
