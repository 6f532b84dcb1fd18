//! `config.toml`: the site's settings, languages, UI strings and tag names.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::{self, Diagnostic};

/// The whole of `config.toml`. Unknown keys are errors, so a typo is never silently ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Absolute URL the site is published at, e.g. `https://news.example.com`.
    pub base_url: String,
    /// Site title, used where a language gives none.
    pub title: String,
    /// Language served at the root; the others live under `/<code>/`.
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Items on each page of the archive and of tag pages.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Entries in each Atom feed.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Stories on the home page.
    #[serde(default = "default_home_items")]
    pub home_items: usize,
    /// Offset used for dates written without one, and by `batmi new`.
    #[serde(default = "default_utc_offset")]
    pub utc_offset: String,
    /// Tags linked from every page's navigation; the most used ones when unset.
    pub nav_tags: Option<Vec<String>>,
    #[serde(default)]
    pub languages: BTreeMap<String, Language>,
    /// Display names and slugs per canonical tag name.
    #[serde(default)]
    pub tags: BTreeMap<String, TagConfig>,
    /// The desks (`[sections.<id>]`); the id is the section's URL slug.
    #[serde(default)]
    pub sections: BTreeMap<String, SectionConfig>,
    /// The people who write the stories (`[authors.<id>]`); the id is their URL slug.
    #[serde(default)]
    pub authors: BTreeMap<String, AuthorConfig>,
    #[serde(default)]
    pub highlight: Highlight,
    #[serde(default)]
    pub search: Search,
    #[serde(default)]
    pub sitemap: Sitemap,
    /// The build's clock (not read from config.toml): what the news sitemap's "last two days"
    /// are counted back from. Set by `load_site`.
    #[serde(skip)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether stories dated after `now` are built (`--future`); not read from config.toml.
    #[serde(skip)]
    pub future: bool,
    /// Named publish targets: `[publish.<name>] to = "s3://bucket/prefix"`.
    #[serde(default)]
    pub publish: BTreeMap<String, PublishTarget>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// Site title in this language.
    pub title: Option<String>,
    pub description: Option<String>,
    /// The language's own name, shown in the switcher (मराठी, English).
    pub name: Option<String>,
    /// ICU locale for dates and numbers; defaults to the language code.
    pub locale: Option<String>,
    /// `native` (Devanagari digits for Marathi) or `latin`.
    #[serde(default)]
    pub digits: Digits,
    /// Reading speed used for "N minutes read".
    pub words_per_minute: Option<u32>,
    /// UI strings; built-in tables exist for `mr` and `en`, these override them.
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Digits {
    #[default]
    Native,
    Latin,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TagConfig {
    /// The URL slug, the same in every language (`scale-ai`, `mumbai`).
    pub slug: Option<String>,
    /// Display name per language code.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// `[sections.<id>]`: a desk such as राज्य or तंत्रज्ञान.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SectionConfig {
    /// Display name per language code.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// Where the section stands in the navigation: lower first, then by id.
    #[serde(default)]
    pub order: i64,
}

/// `[authors.<id>]`: a byline.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AuthorConfig {
    /// Name per language code.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// A short bio per language code.
    #[serde(default)]
    pub bio: BTreeMap<String, String>,
    /// A photo: a site path (`/authors/x.jpg`, from `static/`) or an http(s) URL.
    pub photo: Option<String>,
    /// Their X handle (`@name` or `name`).
    pub x: Option<String>,
    pub email: Option<String>,
    /// Their own website, an http(s) URL.
    pub website: Option<String>,
}

impl AuthorConfig {
    /// Pages about the person elsewhere (schema.org `sameAs`).
    pub fn same_as(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(x) = &self.x {
            out.push(format!("https://x.com/{}", x.trim_start_matches('@')));
        }
        out.extend(self.website.clone());
        out
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Highlight {
    /// syntect theme for light mode.
    #[serde(default = "default_light_theme")]
    pub light_theme: String,
    /// syntect theme for `prefers-color-scheme: dark`.
    #[serde(default = "default_dark_theme")]
    pub dark_theme: String,
}

impl Default for Highlight {
    fn default() -> Self {
        Highlight {
            light_theme: default_light_theme(),
            dark_theme: default_dark_theme(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// Build `/search/` and its index in every language.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for Search {
    fn default() -> Self {
        Search { enabled: true }
    }
}

/// `[sitemap]`: how the sitemap is split (see `output::sitemap`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sitemap {
    /// URLs per sitemap file, 1 to 50,000. Changing it rewrites every sitemap file.
    #[serde(default = "default_urls_per_file")]
    pub urls_per_file: usize,
}

impl Default for Sitemap {
    fn default() -> Self {
        Sitemap {
            urls_per_file: default_urls_per_file(),
        }
    }
}

fn default_urls_per_file() -> usize {
    5_000
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishTarget {
    /// `dir:PATH`, `git:REMOTE#BRANCH` or `s3://BUCKET/PREFIX`; a relative PATH or REMOTE is
    /// relative to the site folder.
    pub to: String,
    /// S3 endpoint for S3-compatible services (R2, MinIO).
    pub endpoint: Option<String>,
    /// Most files `--delete` may remove without `--yes`.
    #[serde(default = "default_max_deletes")]
    pub max_deletes: usize,
}

fn default_language() -> String {
    "mr".into()
}
fn default_utc_offset() -> String {
    "+00:00".into()
}
fn default_paginate_by() -> usize {
    20
}
fn default_feed_limit() -> usize {
    20
}
fn default_home_items() -> usize {
    20
}
fn default_light_theme() -> String {
    "InspiredGitHub".into()
}
fn default_dark_theme() -> String {
    "base16-ocean.dark".into()
}
fn default_max_deletes() -> usize {
    256
}

const BUILTIN_STRINGS_MR: &str = include_str!("strings/mr.toml");
const BUILTIN_STRINGS_EN: &str = include_str!("strings/en.toml");

impl Config {
    /// Reads and checks `config.toml`; every problem comes back as a diagnostic with its line.
    pub fn load(path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![
                Diagnostic::error(path, format!("cannot read the site configuration: {e}"))
                    .help("run batmi in the site's folder, or pass --root DIR"),
            ]
        })?;
        Config::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let mut d = diag::from_toml(path, text, 0, &e);
            if d.message.starts_with("unknown field") {
                d = d.help("check the spelling of this key; the README lists every key config.toml accepts");
            }
            vec![d]
        })?;
        let mut errors = Vec::new();
        let key_line = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map_or(1, |i| i + 1)
        };
        if config.languages.is_empty() {
            config
                .languages
                .insert(config.default_language.clone(), Language::default());
        }
        if !config.languages.contains_key(&config.default_language) {
            errors.push(
                Diagnostic::error(
                    path,
                    format!(
                        "default_language is \"{}\" but there is no [languages.{}] table",
                        config.default_language, config.default_language
                    ),
                )
                .at_line(key_line("default_language"))
                .help("add the table, or set default_language to one of the languages defined"),
            );
        }
        for code in config.languages.keys() {
            let ok = !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit());
            if !ok {
                errors.push(
                    Diagnostic::error(path, format!("language code \"{code}\" is not valid"))
                        .at_line(key_line(&format!("[languages.{code}")))
                        .help("use a lowercase code such as mr or en"),
                );
            }
        }
        if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
            errors.push(
                Diagnostic::error(path, "base_url must be an absolute http(s) URL")
                    .at_line(key_line("base_url"))
                    .help("for example base_url = \"https://news.example.com\""),
            );
        }
        if chrono::DateTime::parse_from_rfc3339(&format!(
            "2000-01-01T00:00:00{}",
            config.utc_offset
        ))
        .is_err()
        {
            errors.push(
                Diagnostic::error(
                    path,
                    format!("utc_offset \"{}\" is not an offset", config.utc_offset),
                )
                .at_line(key_line("utc_offset"))
                .help("write it like \"+05:30\""),
            );
        }
        for (name, tag) in &config.tags {
            let Some(slug) = &tag.slug else { continue };
            if let Some(why) = crate::paths::segment_problem(slug) {
                // The line that sets this slug, else the tag's table.
                let quoted = toml::Value::String(slug.clone()).to_string();
                let line = text
                    .lines()
                    .position(|l| l.contains("slug") && l.contains(&quoted))
                    .map_or_else(|| key_line(&format!("[tags.\"{name}\"")), |i| i + 1);
                errors.push(
                    Diagnostic::error(
                        path,
                        format!("the slug {quoted} of tag \"{name}\" cannot be used in a URL: {why}"),
                    )
                    .at_line(line)
                    .help("a tag slug is one URL segment: letters, digits and hyphens, e.g. slug = \"mumbai\""),
                );
            }
        }
        let ids = config
            .sections
            .keys()
            .map(|id| ("sections", id))
            .chain(config.authors.keys().map(|id| ("authors", id)));
        for (table, id) in ids {
            if let Some(why) = crate::paths::segment_problem(id) {
                errors.push(
                    Diagnostic::error(path, format!("the id \"{id}\" of [{table}.{id}] cannot be used in a URL: {why}"))
                        .at_line(key_line(&format!("[{table}.")))
                        .help("an id is one URL segment: lowercase letters, digits and hyphens, e.g. [sections.tech]"),
                );
            }
        }
        for (id, a) in &config.authors {
            let bad_x = a.x.as_deref().is_some_and(|x| {
                let h = x.trim_start_matches('@');
                h.is_empty() || !h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            let bad_site = a
                .website
                .as_deref()
                .is_some_and(|w| !(w.starts_with("https://") || w.starts_with("http://")));
            let bad_mail = a
                .email
                .as_deref()
                .is_some_and(|m| !m.contains('@') || m.contains(char::is_whitespace));
            for (bad, key, help) in [
                (
                    bad_x,
                    "x",
                    "write the X handle alone, e.g. x = \"@batmi_news\"",
                ),
                (
                    bad_site,
                    "website",
                    "write the full address, e.g. website = \"https://example.org\"",
                ),
                (
                    bad_mail,
                    "email",
                    "write an address such as email = \"desk@example.org\"",
                ),
            ] {
                if bad {
                    let table = key_line(&format!("[authors.{id}]"));
                    let line = text
                        .lines()
                        .enumerate()
                        .skip(table)
                        .find(|(_, l)| l.trim_start().starts_with(key))
                        .map_or(table, |(i, _)| i + 1);
                    errors.push(
                        Diagnostic::error(
                            path,
                            format!("the {key} of author \"{id}\" is not valid"),
                        )
                        .at_line(line)
                        .help(help),
                    );
                }
            }
        }
        if config.paginate_by == 0 {
            errors.push(
                Diagnostic::error(path, "paginate_by must be at least 1")
                    .at_line(key_line("paginate_by")),
            );
        }
        let max = crate::output::sitemap::PROTOCOL_MAX_URLS;
        if !(1..=max).contains(&config.sitemap.urls_per_file) {
            errors.push(
                Diagnostic::error(
                    path,
                    format!(
                        "urls_per_file is {}, but a sitemap file holds 1 to {max} URLs",
                        config.sitemap.urls_per_file
                    ),
                )
                .at_line(key_line("urls_per_file"))
                .help("leave it out for the default of 5000, or choose a number up to 50000"),
            );
        }
        for (code, lang) in config.languages.iter_mut() {
            let builtin = match code.as_str() {
                "mr" => BUILTIN_STRINGS_MR,
                _ => BUILTIN_STRINGS_EN,
            };
            let defaults: BTreeMap<String, String> =
                toml::from_str(builtin).expect("built-in strings are valid TOML");
            for (k, v) in defaults {
                lang.strings.entry(k).or_insert(v);
            }
        }
        if errors.is_empty() {
            config.base_url = config.base_url.trim_end_matches('/').to_string();
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// Language codes, the default first, then the others in alphabetical order.
    pub fn language_codes(&self) -> Vec<String> {
        let mut codes = vec![self.default_language.clone()];
        codes.extend(
            self.languages
                .keys()
                .filter(|c| **c != self.default_language)
                .cloned(),
        );
        codes
    }

    /// URL path prefix of a language: "" for the default, "/en" for the others.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_language {
            String::new()
        } else {
            format!("/{lang}")
        }
    }

    pub fn language(&self, lang: &str) -> &Language {
        &self.languages[lang]
    }

    /// The offset for dates written without one.
    pub fn offset(&self) -> chrono::FixedOffset {
        chrono::DateTime::parse_from_rfc3339(&format!("2000-01-01T00:00:00{}", self.utc_offset))
            .map(|d| *d.offset())
            .unwrap_or_else(|_| chrono::FixedOffset::east_opt(0).expect("zero offset"))
    }

    /// Whether `page` is a story dated after the build's clock, and so not built yet.
    pub fn is_scheduled(&self, page: &crate::content::Page) -> bool {
        let (Some(now), Some(date)) = (self.now, page.date) else {
            return false;
        };
        !self.future && page.kind == crate::content::Kind::Article && date > now
    }

    /// Whether `page`'s `expires` time has passed by the build's clock.
    pub fn is_expired(&self, page: &crate::content::Page) -> bool {
        matches!((self.now, page.expires), (Some(now), Some(t)) if t <= now)
    }

    /// Section ids in navigation order.
    pub fn section_ids(&self) -> Vec<&str> {
        let mut ids: Vec<(&i64, &str)> = self
            .sections
            .iter()
            .map(|(id, s)| (&s.order, id.as_str()))
            .collect();
        ids.sort();
        ids.into_iter().map(|(_, id)| id).collect()
    }

    /// A section's name in a language, else its id.
    pub fn section_name<'a>(&'a self, id: &'a str, lang: &str) -> &'a str {
        self.sections
            .get(id)
            .and_then(|s| s.names.get(lang))
            .map_or(id, String::as_str)
    }

    /// An author's name in a language, else in the default language, else the id.
    pub fn author_name<'a>(&'a self, id: &'a str, lang: &str) -> &'a str {
        let Some(a) = self.authors.get(id) else {
            return id;
        };
        a.names
            .get(lang)
            .or_else(|| a.names.get(&self.default_language))
            .or_else(|| a.names.values().next())
            .map_or(id, String::as_str)
    }

    /// The title of the site in a language.
    pub fn title_in(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let text = "base_url = \"https://x.test\"\ntitle = \"t\"\ntitel = \"oops\"\n";
        let errs = Config::parse(Path::new("config.toml"), text).unwrap_err();
        assert_eq!(errs[0].line, Some(3), "{}", errs[0]);
        assert!(errs[0].message.contains("titel"), "{}", errs[0]);
    }

    #[test]
    fn builtin_strings_fill_gaps() {
        let text = "base_url = \"https://x.test\"\ntitle = \"t\"\n[languages.mr]\nstrings = { home = \"घर\" }\n[languages.en]\n";
        let c = Config::parse(Path::new("config.toml"), text).unwrap();
        assert_eq!(c.languages["mr"].strings["home"], "घर");
        assert!(c.languages["en"].strings.contains_key("read_more"));
    }
}
