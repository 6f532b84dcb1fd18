//! Translations: versions older than their source, stories missing the default language,
//! and the table of every story's status per language (`batmi check --translations`).

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::pages::FrontLines;
use crate::content::Kind;
use crate::content::frontmatter::{self, FrontMatter};
use crate::diag::{Diagnostic, SiteErrors};
use crate::{Config, Site};

/// Translations older than their source; stories with no default-language version.
/// (Stories missing a translation are already reported by `content::warnings`.)
pub(super) fn translation_warnings(root: &Path, site: &Site) -> Vec<Diagnostic> {
    let index = &site.index;
    let config = &index.config;
    let mut out = Vec::new();
    let mut groups: Vec<&Vec<usize>> = index.groups.iter().collect();
    groups.sort();
    for group in groups {
        let source = group
            .iter()
            .map(|&i| &index.pages[i])
            .find(|p| p.lang == config.default_language);
        let Some(source) = source else {
            for &i in group {
                let p = &index.pages[i];
                out.push(
                    Diagnostic::warning(
                        &p.path,
                        format!(
                            "this story has no {} version, the site's default language",
                            config.default_language
                        ),
                    )
                    .help(format!(
                        "add content/{}/{}.{}.md",
                        p.kind.dir(),
                        p.stem,
                        config.default_language
                    )),
                );
            }
            continue;
        };
        let Some(source_updated) = source.updated else {
            continue;
        };
        for &i in group {
            let t = &index.pages[i];
            if t.lang == source.lang {
                continue;
            }
            let Some(t_time) = t.updated.or(t.date) else {
                // A plain page without dates: nothing to compare.
                continue;
            };
            if source_updated > t_time {
                let lines = FrontLines::read(root, t);
                let key = if t.updated.is_some() {
                    "updated"
                } else {
                    "date"
                };
                out.push(
                    Diagnostic::warning(
                        &t.path,
                        format!(
                            "this translation may be out of date: {} was updated {}, this version was last changed {}",
                            source.path.display(),
                            source_updated.format("%Y-%m-%d %H:%M"),
                            t_time.format("%Y-%m-%d %H:%M")
                        ),
                    )
                    .at(lines.line_of(key), 1)
                    .help(format!(
                        "bring it up to date with the {} version, then set updated = {} or later here",
                        source.lang,
                        source_updated.format("%Y-%m-%dT%H:%M:%S%:z")
                    )),
                );
            }
        }
    }
    out
}

/// One row of the translation table: a story and its status in each language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoryRow {
    pub stem: String,
    /// (language code, status), in the site's language order.
    pub languages: Vec<LangStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LangStatus {
    pub lang: String,
    pub status: Status,
    /// The file, when there is one.
    pub path: Option<String>,
}

/// Where one language version of a story stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Missing,
    /// The default-language version was updated after this one.
    Outdated,
    Draft,
    /// The file cannot be read or its front matter is wrong (`batmi check` says why).
    Invalid,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "missing",
            Status::Outdated => "outdated",
            Status::Draft => "draft",
            Status::Invalid => "invalid",
        }
    }
}

/// Every story under `content/news` (drafts too) and its status in each language. Reads
/// only front matter, so it works even when the site has errors elsewhere.
pub fn translation_table(root: &Path) -> anyhow::Result<Vec<StoryRow>> {
    let config = Config::load(&root.join("config.toml")).map_err(SiteErrors)?;
    let codes = config.language_codes();
    let offset = config.offset();
    // stem → lang → (path, front matter if valid)
    let mut stories: std::collections::BTreeMap<String, HashMap<String, (String, Option<Meta>)>> =
        Default::default();
    for file in crate::content::content_files(root) {
        let rel = file.strip_prefix(root).unwrap_or(&file);
        if !rel.starts_with(Path::new("content").join(Kind::Article.dir())) {
            continue;
        }
        let Some(name) = rel.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let (stem, lang) = match name.rsplit_once('.') {
            Some((s, l)) if config.languages.contains_key(l) => (s, l),
            _ => (name, config.default_language.as_str()),
        };
        let meta = read_meta(&file, rel, offset);
        stories
            .entry(stem.to_string())
            .or_default()
            .insert(lang.to_string(), (rel.display().to_string(), meta));
    }
    let rows = stories
        .into_iter()
        .map(|(stem, versions)| {
            let source_updated = versions
                .get(&config.default_language)
                .and_then(|(_, m)| m.as_ref())
                .and_then(|m| m.updated);
            let languages = codes
                .iter()
                .map(|code| {
                    let (path, status) = match versions.get(code) {
                        None => (None, Status::Missing),
                        Some((path, None)) => (Some(path.clone()), Status::Invalid),
                        Some((path, Some(m))) => {
                            let status = if m.draft {
                                Status::Draft
                            } else if *code != config.default_language
                                && source_updated
                                    .zip(m.updated.or(m.date))
                                    .is_some_and(|(s, t)| s > t)
                            {
                                Status::Outdated
                            } else {
                                Status::Ok
                            };
                            (Some(path.clone()), status)
                        }
                    };
                    LangStatus {
                        lang: code.clone(),
                        status,
                        path,
                    }
                })
                .collect();
            StoryRow { stem, languages }
        })
        .collect();
    Ok(rows)
}

struct Meta {
    draft: bool,
    date: Option<DateTime<FixedOffset>>,
    updated: Option<DateTime<FixedOffset>>,
}

fn read_meta(file: &Path, rel: &Path, offset: FixedOffset) -> Option<Meta> {
    let text = std::fs::read_to_string(file).ok()?;
    let split = frontmatter::split(rel, &text).ok()?;
    let fm: FrontMatter = frontmatter::parse(rel, &split).ok()?;
    let date = |v: &Option<toml::Value>| -> Result<Option<DateTime<FixedOffset>>, String> {
        v.as_ref()
            .map(|v| frontmatter::to_datetime(v, offset))
            .transpose()
    };
    Some(Meta {
        draft: fm.draft,
        date: date(&fm.date).ok()?,
        updated: date(&fm.updated).ok()?,
    })
}
