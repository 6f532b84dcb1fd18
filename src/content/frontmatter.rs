//! Splits a Markdown file into TOML front matter and body, keeping line numbers for errors.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::Deserialize;

use crate::diag::{self, Diagnostic};

/// Front matter as written; every field is checked before a `Page` is made of it.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<toml::Value>,
    pub updated: Option<toml::Value>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub image_caption: Option<String>,
    pub image_credit: Option<String>,
    /// The section's id, a key of `[sections]` in config.toml.
    pub section: Option<String>,
    /// Author ids, keys of `[authors]` in config.toml.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Old URLs of the story, which redirect to it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// When the story leaves lists and feeds.
    pub expires: Option<toml::Value>,
    #[serde(default)]
    pub corrections: Vec<CorrectionFm>,
    /// Anything a site's own templates want; batmi passes it through.
    pub extra: Option<toml::Table>,
}

/// A `[[corrections]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionFm {
    pub date: toml::Value,
    pub text: String,
}

/// A source file cut in two.
pub struct Split<'a> {
    pub front: &'a str,
    /// 1-based line of the first front-matter line (the one after `+++`).
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Cuts `text` at its `+++` fences.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("").trim_end();
    if first == "---" {
        return Err(
            Diagnostic::error(path, "YAML front matter (---) is not supported")
                .at(1, 1)
                .help(
                    "write the front matter in TOML between two lines of +++, e.g. title = \"...\"",
                ),
        );
    }
    if first != "+++" {
        return Err(Diagnostic::error(path, "front matter is missing")
            .at(1, 1)
            .help("start the file with a line +++, then title = \"...\" and date = 2025-08-29T09:30:00+05:30, then another line +++"));
    }
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = after_open;
    for (i, l) in text[after_open..].split_inclusive('\n').enumerate() {
        if l.trim_end() == "+++" {
            return Ok(Split {
                front: &text[after_open..offset],
                front_line: 2,
                body: &text[offset + l.len()..],
                // The closing fence is on line i + 2; the body starts below it.
                body_line: i + 3,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::error(path, "front matter is never closed")
        .at(1, 1)
        .help("add a line containing only +++ after the last front-matter key"))
}

/// Parses the front matter, reporting TOML errors at their line in the Markdown file.
pub fn parse(path: &Path, split: &Split) -> Result<FrontMatter, Diagnostic> {
    toml::from_str(split.front).map_err(|e| {
        let d = diag::from_toml(path, split.front, split.front_line - 1, &e);
        if d.message.starts_with("unknown field") {
            d.help("allowed keys: title, date, updated, tags, summary, author, authors, section, slug, draft, image, image_alt, image_caption, image_credit, aliases, expires, [[corrections]] (date, text), [extra]")
        } else {
            d.help("front matter is TOML: strings in double quotes, lists in [ ], dates like 2025-08-29T09:30:00+05:30")
        }
    })
}

/// Line (in the whole file) of `key = ...` inside the front matter, for errors about a value.
pub fn key_line(split: &Split, key: &str) -> usize {
    split
        .front
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(split.front_line - 1, |i| i + split.front_line)
}

/// Line of `key = ...` in the front matter of the file at `root/rel`, read again (for errors
/// found after loading); 1 when it cannot be found.
pub fn line_of_key(root: &Path, rel: &Path, key: &str) -> usize {
    let Ok(text) = std::fs::read_to_string(root.join(rel)) else {
        return 1;
    };
    match split(rel, &text) {
        Ok(s) => key_line(&s, key),
        Err(_) => 1,
    }
}

/// Line (in the whole file) of `key = ...` inside the `k`-th (0-based) `[[table]]` of the
/// front matter, else of the table's header line.
pub fn table_key_line(split: &Split, table: &str, k: usize, key: &str) -> usize {
    let header = format!("[[{table}]]");
    let lines: Vec<&str> = split.front.lines().collect();
    let Some(start) = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .nth(k)
        .map(|(i, _)| i)
    else {
        return split.front_line - 1;
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |e| start + 1 + e);
    let found = (start + 1..end).find(|&i| {
        lines[i]
            .trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    found.unwrap_or(start) + split.front_line
}

/// A date from a TOML date, date-time or RFC 3339 string; missing offsets take `offset`.
pub fn to_datetime(
    value: &toml::Value,
    offset: FixedOffset,
) -> Result<DateTime<FixedOffset>, String> {
    let text = match value {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        other => return Err(format!("expected a date, found {}", other.type_str())),
    };
    if let Ok(d) = DateTime::parse_from_rfc3339(&text) {
        return Ok(d);
    }
    let with_t = text.replacen(' ', "T", 1);
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(&with_t, fmt) {
            return offset
                .from_local_datetime(&n)
                .single()
                .ok_or_else(|| format!("\"{text}\" is not a valid time"));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        let n = d.and_time(NaiveTime::MIN);
        return offset
            .from_local_datetime(&n)
            .single()
            .ok_or_else(|| format!("\"{text}\" is not a valid date"));
    }
    Err(format!("\"{text}\" is not a valid date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_point_at_the_markdown_line() {
        let text = "+++\ntitle = \"x\"\ndate = 2025-08-29\ntags = [\"a\"\n+++\nbody\n";
        let p = Path::new("a.md");
        let s = split(p, text).unwrap();
        let e = parse(p, &s).unwrap_err();
        // The array opened on line 4 is never closed: reported where `]` was expected.
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn dates_in_all_accepted_forms() {
        let ist = FixedOffset::east_opt(19800).unwrap();
        let d: toml::Table = toml::from_str("a = 2025-08-29T09:30:00+05:30\nb = 2025-08-29\nc = \"2025-08-29T04:00:00Z\"\nd = 2025-08-29T09:30:00").unwrap();
        for k in ["a", "b", "c", "d"] {
            assert!(to_datetime(&d[k], ist).is_ok(), "{k}");
        }
        let bad = toml::Value::String("29/08/2025".into());
        assert!(to_datetime(&bad, ist).is_err());
    }
}
