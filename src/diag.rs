//! Diagnostics: a user's mistake, reported as `path:line:column: what is wrong`, plus how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors stop the build, warnings are printed and the build goes on.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a user's files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The build failed because of mistakes in the site's files; every one of them is listed.
#[derive(Debug)]
pub struct SiteErrors(pub Vec<Diagnostic>);

impl fmt::Display for SiteErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let n = self.0.iter().filter(|d| d.is_error()).count();
        write!(
            f,
            "\n{n} error{} found; nothing was written, the previous output is unchanged",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for SiteErrors {}

/// Errors of a `serve` rebuild, which writes every output it can: the outputs in error keep
/// their previous bytes, and the rest of the preview is up to date.
#[derive(Debug)]
pub struct PartialErrors(pub Vec<Diagnostic>);

impl fmt::Display for PartialErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.iter().filter(|d| d.is_error()).count();
        write!(
            f,
            "{n} error{} found; the pages in error were left as they were, the other changes are in the preview",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for PartialErrors {}

/// Turns a byte offset in `text` into a 1-based (line, column), the column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A TOML error as a diagnostic, its position shifted by `line_offset` lines
/// (front matter starts below the `+++` line of its Markdown file).
pub fn from_toml(path: &Path, text: &str, line_offset: usize, err: &toml::de::Error) -> Diagnostic {
    let mut d = Diagnostic::error(path, err.message().trim().to_string());
    if let Some(span) = err.span() {
        let (line, col) = line_col(text, span.start);
        d = d.at(line + line_offset, col);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "पहिली\nदुसरी ओळ";
        let off = text.find("ओळ").unwrap();
        assert_eq!(line_col(text, off), (2, 7));
    }
}
