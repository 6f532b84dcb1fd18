//! New sites and new stories: `batmi init` writes a working bilingual site from files
//! embedded in the binary; `batmi new` writes the translation pair of a new story.

use std::borrow::Cow;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, FixedOffset};

use crate::Config;

/// The sample site's own files (path in the site, text). The theme's templates and static
/// files come from [`crate::templates::BUILTIN`] and [`crate::output::write::BUILTIN_STATIC`].
pub const SITE: &[(&str, &str)] = &[
    ("config.toml", include_str!("../scaffold/config.toml")),
    (
        "content/news/welcome.mr.md",
        include_str!("../scaffold/content/news/welcome.mr.md"),
    ),
    (
        "content/news/welcome.en.md",
        include_str!("../scaffold/content/news/welcome.en.md"),
    ),
    (
        "content/pages/about.mr.md",
        include_str!("../scaffold/content/pages/about.mr.md"),
    ),
    (
        "content/pages/about.en.md",
        include_str!("../scaffold/content/pages/about.en.md"),
    ),
    (".gitignore", include_str!("../scaffold/gitignore")),
];

/// Every file of a new site: path relative to the site's folder, and its bytes.
pub fn site_files() -> Vec<(String, Cow<'static, [u8]>)> {
    let mut files: Vec<(String, Cow<'static, [u8]>)> = SITE
        .iter()
        .map(|(p, t)| (p.to_string(), Cow::Borrowed(t.as_bytes())))
        .collect();
    files.extend(
        crate::templates::BUILTIN
            .iter()
            .map(|(n, t)| (format!("templates/{n}"), Cow::Borrowed(t.as_bytes()))),
    );
    files.extend(
        crate::output::write::BUILTIN_STATIC
            .iter()
            .map(|(n, b)| (format!("static/{n}"), Cow::Borrowed(*b))),
    );
    files
}

/// Writes a new site into `dir`, which must not exist or be empty. Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!(
                "{} exists and is not a folder; give batmi init the path of a new or empty folder",
                dir.display()
            );
        }
        let mut entries = fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>();
        if !entries.is_empty() {
            entries.sort();
            bail!(
                "{} is not empty (it holds {}); batmi init only writes into a new or empty folder, so that nothing of yours is overwritten",
                dir.display(),
                entries
                    .iter()
                    .take(3)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
                    + if entries.len() > 3 { ", …" } else { "" }
            );
        }
    }
    let mut written = Vec::new();
    for (rel, bytes) in site_files() {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Whether `stem` can name a story: lowercase ASCII letters and digits in words joined by
/// single hyphens. It becomes the file name and the default URL slug, so it must be plain.
pub fn valid_stem(stem: &str) -> bool {
    !stem.is_empty()
        && stem.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Creates `content/news/<stem>.<lang>.md` for every language of the site, as drafts dated
/// `now`. Nothing is written when any version of the story already exists.
pub fn new_story(
    root: &Path,
    config: &Config,
    stem: &str,
    tags: &[String],
    now: DateTime<FixedOffset>,
) -> Result<Vec<PathBuf>> {
    if !valid_stem(stem) {
        bail!(
            "\"{stem}\" cannot name a story: use lowercase English letters, digits and single hyphens, e.g. mumbai-rains-2025 (it becomes the file name and the web address)"
        );
    }
    let dir = root.join("content").join("news");
    let mut existing: Vec<PathBuf> = config
        .language_codes()
        .iter()
        .map(|code| dir.join(format!("{stem}.{code}.md")))
        .chain([dir.join(format!("{stem}.md"))])
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        existing.sort();
        bail!(
            "the story \"{stem}\" already exists ({}); nothing was written. Pick another name, or edit the existing files",
            existing
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for code in config.language_codes() {
        let path = dir.join(format!("{stem}.{code}.md"));
        let text = draft_text(&code, tags, now);
        let result = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = result {
            // Leave no half pair behind.
            for p in &written {
                fs::remove_file(p).ok();
            }
            return Err(e).with_context(|| format!("cannot create {}", path.display()));
        }
        written.push(path);
    }
    Ok(written)
}

/// The text of a new draft in language `code`.
fn draft_text(code: &str, tags: &[String], now: DateTime<FixedOffset>) -> String {
    let (title, summary, body) = match code {
        "mr" => (
            "बातमीचे शीर्षक येथे लिहा",
            "एक-दोन वाक्यांत बातमीचा सारांश (१६० अक्षरांपर्यंत)",
            "पहिला परिच्छेद: कोण, काय, कधी, कुठे.\n\n<!-- more -->\n\n## उपशीर्षक\n\nबातमीचा उर्वरित भाग.\n",
        ),
        _ => (
            "Write the headline here",
            "The story in one or two sentences (up to 160 characters)",
            "First paragraph: who, what, when, where.\n\n<!-- more -->\n\n## A subheading\n\nThe rest of the story.\n",
        ),
    };
    let tags = tags
        .iter()
        .map(|t| toml::Value::String(t.clone()).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "+++\ntitle = \"{title}\"\ndate = {}\ntags = [{tags}]\nsummary = \"{summary}\"\ndraft = true\n+++\n\n{body}",
        now.format("%Y-%m-%dT%H:%M:%S%:z")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_plain_lowercase_words() {
        for ok in ["a", "mumbai-rains-2025", "x1"] {
            assert!(valid_stem(ok), "{ok}");
        }
        for bad in [
            "",
            "Mumbai",
            "a--b",
            "-a",
            "a-",
            "a_b",
            "a b",
            "मुंबई",
            "a.mr",
        ] {
            assert!(!valid_stem(bad), "{bad}");
        }
    }

    #[test]
    fn a_draft_has_valid_front_matter() {
        let now = DateTime::parse_from_rfc3339("2025-09-02T10:15:00+05:30").unwrap();
        let text = draft_text("mr", &["Scale AI".into(), "say \"hi\"".into()], now);
        let split = crate::content::frontmatter::split(Path::new("x.md"), &text).unwrap();
        let fm = crate::content::frontmatter::parse(Path::new("x.md"), &split).unwrap();
        assert!(fm.draft);
        assert_eq!(fm.tags, ["Scale AI", "say \"hi\""]);
        assert!(matches!(fm.date, Some(toml::Value::Datetime(_))));
        assert!(text.contains("date = 2025-09-02T10:15:00+05:30\n"));
    }
}
