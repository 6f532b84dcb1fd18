//! Walks `content/`, parses every Markdown file once (in parallel) and makes `Page`s of them.

pub mod frontmatter;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::{Diagnostic, line_col};
use crate::markdown::{self, Reference};
use frontmatter::FrontMatter;

/// What a page is: a dated news story, or a plain page such as "about".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    Article,
    Plain,
}

impl Kind {
    /// The folder under `content/` the kind lives in.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Article => "news",
            Kind::Plain => "pages",
        }
    }
}

/// One Markdown file, parsed and rendered. Kept in the build manifest between builds, so a
/// file that did not change is not read again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    pub kind: Kind,
    pub lang: String,
    /// The file name without language suffix and `.md`; translations share it.
    pub stem: String,
    /// Path relative to the site root, as shown in messages.
    pub path: PathBuf,
    pub slug: String,
    /// Site-relative URL path, e.g. `/en/news/slug/`.
    pub url: String,
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    /// Canonical tag names, as written.
    pub tags: Vec<String>,
    pub summary: String,
    pub author: Option<String>,
    pub draft: bool,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub image_caption: Option<String>,
    pub image_credit: Option<String>,
    /// The section's id (`[sections.<id>]` in config.toml), when the story has one.
    pub section: Option<String>,
    /// Author ids (`[authors.<id>]`), in byline order.
    pub authors: Vec<String>,
    /// Old site paths that redirect to the page (`/news/old-slug/`).
    pub aliases: Vec<String>,
    /// When the story leaves lists and feeds.
    pub expires: Option<DateTime<FixedOffset>>,
    /// Public corrections, in the order written.
    pub corrections: Vec<Correction>,
    /// Line of `image = ...` in the file (for errors about the image).
    pub image_line: usize,
    /// The lead image's file, when `image` names one on this site.
    pub lead: Option<crate::images::Source>,
    /// The files of the body's images on this site, in the order they appear.
    pub figures: Vec<Figure>,
    #[serde(with = "table_as_text")]
    pub extra: toml::Table,
    /// Where the Markdown body starts in the file: byte offset and 1-based line. The body is
    /// read again and rendered to HTML when the page is written, so the site is never held
    /// in memory as HTML.
    pub body_offset: usize,
    pub body_line: usize,
    pub words: usize,
    pub anchors: Vec<String>,
    pub links: Vec<SourceRef>,
    pub images: Vec<SourceRef>,
    /// The shortcodes the body calls, lone embed links included (`youtube`, `x`): its
    /// HTML depends on their templates.
    pub shortcodes: Vec<String>,
    /// Hash of the file's bytes: a page whose hash did not change renders the same.
    pub source_hash: u64,
    /// Hash of what lists, cards and feeds show of the page (`Page::list_hash`).
    pub meta_hash: u64,
}

/// What a list item, card or feed entry may show of a page: `output::context::item` reads
/// the page through this and nothing else, so its hash (`Page::meta_hash`) covers every
/// field a list shows.
#[derive(Hash)]
pub struct ItemSource<'a> {
    pub kind: Kind,
    pub lang: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub summary: &'a str,
    pub tags: &'a [String],
    pub author: Option<&'a str>,
    pub section: Option<&'a str>,
    pub authors: &'a [String],
    pub words: usize,
    pub image: Option<&'a str>,
    pub image_alt: Option<&'a str>,
}

impl Page {
    /// The fields lists show of the page.
    pub fn item_source(&self) -> ItemSource<'_> {
        ItemSource {
            kind: self.kind,
            lang: &self.lang,
            title: &self.title,
            url: &self.url,
            date: self.date,
            updated: self.updated,
            summary: &self.summary,
            tags: &self.tags,
            author: self.author.as_deref(),
            section: self.section.as_deref(),
            authors: &self.authors,
            words: self.words,
            image: self.image.as_deref(),
            image_alt: self.image_alt.as_deref(),
        }
    }

    /// A hash of [`Page::item_source`]: when it is unchanged, every list the page is on
    /// shows it the same.
    pub fn list_hash(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.item_source().hash(&mut h);
        h.finish()
    }

    /// What places the page in the index: its language, kind, file stem, URL, date (the
    /// sort order) and tags. Two versions of a page with the same key sit in the same
    /// places of every list, so an edit that keeps it needs no new index.
    pub fn index_key(&self) -> impl PartialEq + '_ {
        (
            (&self.lang, self.kind, &self.stem, &self.url, &self.slug),
            (&self.date, &self.tags, &self.path, self.draft),
            (&self.section, &self.authors, &self.aliases, &self.expires),
        )
    }
}

/// A public correction of a story: when, and what was wrong.
#[derive(Debug, Clone, Hash, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub date: DateTime<FixedOffset>,
    pub text: String,
}

/// A body image on this site: its target as written and its file.
#[derive(Debug, Clone, Hash, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub written: String,
    pub source: crate::images::Source,
}

/// A link or image with its place in the source file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceRef {
    pub target: String,
    /// The target as written in the file.
    pub raw: String,
    pub line: usize,
    pub column: usize,
    pub alt: String,
}

/// A file read and its front matter checked, before its Markdown is scanned.
struct Source {
    page: Page,
    body: String,
}

/// Every `.md` file under `content/news` and `content/pages`, sorted for a stable order.
pub fn content_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for kind in [Kind::Article, Kind::Plain] {
        let dir = root.join("content").join(kind.dir());
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            let p = entry.path();
            if entry.file_type().is_file() && p.extension().is_some_and(|e| e == "md") {
                files.push(p.to_path_buf());
            }
        }
    }
    files
}

/// Threads that read the story files at load. More than there are cores: when the files
/// are not in the page cache (a fresh checkout, a CI machine, a cache the kernel trimmed),
/// each read waits on the disk, and a couple of reads in flight leave the disk idle most of
/// the time. Measured at 10,000 pairs with a dropped cache: loading 2.2 s with 2 threads.
const READERS: usize = 16;

/// Loads every page of the site. Errors are collected from all files, not just the first.
pub fn load(
    root: &Path,
    config: &Config,
    drafts: bool,
) -> Result<(Vec<Page>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let files = content_files(root);
    let read_all = || -> Vec<Result<Source, Diagnostic>> {
        files
            .par_iter()
            .map(|file| read_source(root, file, config))
            .collect()
    };
    let results = match rayon::ThreadPoolBuilder::new().num_threads(READERS).build() {
        Ok(readers) => readers.install(read_all),
        Err(_) => read_all(),
    };
    let mut errors = Vec::new();
    let mut sources = Vec::new();
    for r in results {
        match r {
            Ok(s) if s.page.draft && !drafts => {}
            Ok(s) => sources.push(s),
            Err(d) => errors.push(d),
        }
    }
    errors.extend(duplicate_urls(sources.iter().map(|s| &s.page)));
    if !errors.is_empty() {
        return Err(errors);
    }
    let urls = url_map(sources.iter().map(|s| &s.page));
    let lookup = |key: &UrlKey| urls.get(key);
    let results: Vec<Result<Page, Vec<Diagnostic>>> = sources
        .into_par_iter()
        .map(|s| render_source(s, &lookup, config))
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(mut d) => errors.append(&mut d),
        }
    }
    errors.extend(crate::images::resolve::resolve_pages(root, &mut pages));
    if !errors.is_empty() {
        return Err(errors);
    }
    let warnings = warnings(&pages, config);
    Ok((pages, warnings))
}

/// Loads changed files again, for `serve` after an edit. `@/` links resolve to the files
/// being loaded first, then to `urls` (the site as it was). Errors of all files are returned.
pub fn reload(
    root: &Path,
    files: &[PathBuf],
    config: &Config,
    urls: &UrlMap,
    drafts: bool,
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut sources = Vec::new();
    for file in files {
        match read_source(root, file, config) {
            // Left out before their bodies are read, as a full build does.
            Ok(s) if s.page.draft && !drafts => {}
            Ok(s) => sources.push(s),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let own = url_map(sources.iter().map(|s| &s.page));
    let lookup = |key: &UrlKey| own.get(key).or_else(|| urls.get(key));
    let mut pages = Vec::new();
    for source in sources {
        match render_source(source, &lookup, config) {
            Ok(p) => pages.push(p),
            Err(mut d) => errors.append(&mut d),
        }
    }
    errors.extend(crate::images::resolve::resolve_pages(root, &mut pages));
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(errors)
    }
}

/// (dir, stem, lang) of a page: what a `@/news/<stem>.md` link names.
pub type UrlKey = (String, String, String);

/// (dir, stem, lang) → URL, for `@/news/<stem>.md` links.
pub type UrlMap = FxHashMap<UrlKey, String>;

pub fn url_map<'a>(pages: impl Iterator<Item = &'a Page>) -> UrlMap {
    pages
        .map(|p| {
            (
                (p.kind.dir().to_string(), p.stem.clone(), p.lang.clone()),
                p.url.clone(),
            )
        })
        .collect()
}

fn read_source(root: &Path, file: &Path, config: &Config) -> Result<Source, Diagnostic> {
    let rel = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    let bytes = std::fs::read(file)
        .map_err(|e| Diagnostic::error(&rel, format!("cannot read the file: {e}")))?;
    let text = utf8(&bytes).map_err(|_| {
        let valid = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
        let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        let (line, col) = line_col(&text, text.len());
        Diagnostic::error(&rel, "the file is not valid UTF-8 text")
            .at(line, col)
            .help("save the file as UTF-8 (in most editors: Save with encoding → UTF-8)")
    })?;
    let kind = if rel.starts_with(Path::new("content").join("pages")) {
        Kind::Plain
    } else {
        Kind::Article
    };
    let (stem, lang) = stem_and_lang(&rel, config)?;
    let split = frontmatter::split(&rel, text)?;
    let fm: FrontMatter = frontmatter::parse(&rel, &split)?;
    let Some(title) = fm.title.filter(|t| !t.trim().is_empty()) else {
        return Err(Diagnostic::error(&rel, "the front matter has no title")
            .at(split.front_line, 1)
            .help("add a line title = \"...\" between the +++ lines"));
    };
    let date = match (&fm.date, kind) {
        (Some(v), _) => Some(frontmatter::to_datetime(v, config.offset()).map_err(|m| {
            Diagnostic::error(&rel, format!("invalid date: {m}"))
                .at(frontmatter::key_line(&split, "date"), 1)
                .help("write the date as 2025-08-29T09:30:00+05:30 (or just 2025-08-29)")
        })?),
        (None, Kind::Article) => {
            return Err(Diagnostic::error(&rel, "the front matter has no date")
                .at(split.front_line, 1)
                .help(
                    "add a line such as date = 2025-08-29T09:30:00+05:30 between the +++ lines",
                ));
        }
        (None, Kind::Plain) => None,
    };
    let updated = match &fm.updated {
        Some(v) => Some(frontmatter::to_datetime(v, config.offset()).map_err(|m| {
            Diagnostic::error(&rel, format!("invalid updated date: {m}"))
                .at(frontmatter::key_line(&split, "updated"), 1)
                .help("write the date as 2025-08-29T09:30:00+05:30")
        })?),
        None => None,
    };
    let date_at = |v: &toml::Value, line: usize, what: &str| {
        frontmatter::to_datetime(v, config.offset()).map_err(|m| {
            Diagnostic::error(&rel, format!("invalid {what}: {m}"))
                .at(line, 1)
                .help("write the date as 2025-08-29T09:30:00+05:30")
        })
    };
    let expires = match &fm.expires {
        Some(v) => Some(date_at(
            v,
            frontmatter::key_line(&split, "expires"),
            "expires date",
        )?),
        None => None,
    };
    let mut corrections = Vec::with_capacity(fm.corrections.len());
    for (k, c) in fm.corrections.iter().enumerate() {
        let line = frontmatter::table_key_line(&split, "corrections", k, "date");
        let date = date_at(&c.date, line, "correction date")?;
        if c.text.trim().is_empty() {
            return Err(Diagnostic::error(&rel, "a correction has no text")
                .at(frontmatter::table_key_line(&split, "corrections", k, "text"), 1)
                .help("say what was wrong and what is right now, e.g. text = \"An earlier version gave the wrong date.\""));
        }
        corrections.push(Correction {
            date,
            text: c.text.trim().to_string(),
        });
    }
    // The newest correction is the story's last change, when it is later than `updated`.
    let updated = updated
        .into_iter()
        .chain(corrections.iter().map(|c| c.date))
        .max();
    if let Some(id) = &fm.section
        && !config.sections.contains_key(id)
    {
        return Err(Diagnostic::error(&rel, format!("unknown section \"{id}\""))
            .at(frontmatter::key_line(&split, "section"), 1)
            .help(known_ids("section", "sections", config.sections.keys())));
    }
    if let Some(id) = fm.authors.iter().find(|a| !config.authors.contains_key(*a)) {
        return Err(Diagnostic::error(&rel, format!("unknown author \"{id}\""))
            .at(frontmatter::key_line(&split, "authors"), 1)
            .help(known_ids("author", "authors", config.authors.keys())));
    }
    let mut aliases = Vec::with_capacity(fm.aliases.len());
    for a in &fm.aliases {
        let path = crate::paths::alias_path(a).map_err(|why| {
            Diagnostic::error(&rel, format!("the alias \"{a}\" cannot be used: {why}"))
                .at(frontmatter::key_line(&split, "aliases"), 1)
                .help("write the story's old address as a site path, e.g. aliases = [\"/news/old-slug/\"]")
        })?;
        aliases.push(path);
    }
    let slug = fm.slug.clone().unwrap_or_else(|| stem.clone());
    if let Some(why) = crate::paths::segment_problem(&slug) {
        return Err(Diagnostic::error(
            &rel,
            format!("slug \"{slug}\" cannot be used in a URL: {why}"),
        )
        .at(frontmatter::key_line(&split, "slug"), 1)
        .help("use letters, digits and hyphens, e.g. slug = \"meta-invests\""));
    }
    for tag in &fm.tags {
        let tag_slug = crate::taxonomy::slug(config, tag);
        if let Some(why) = crate::paths::segment_problem(&tag_slug) {
            return Err(Diagnostic::error(
                &rel,
                format!("the tag \"{tag}\" has no usable URL slug (\"{tag_slug}\": {why})"),
            )
            .at(frontmatter::key_line(&split, "tags"), 1)
            .help(format!(
                "use a tag name with letters or digits, or give it a slug in config.toml: [tags.\"{tag}\"] slug = \"...\""
            )));
        }
    }
    let prefix = config.lang_prefix(&lang);
    let url = match kind {
        Kind::Article => format!("{prefix}/news/{slug}/"),
        Kind::Plain => format!("{prefix}/{slug}/"),
    };
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    let body_line = split.body_line;
    let body = split.body.to_string();
    let body_offset = text.len() - split.body.len();
    Ok(Source {
        page: Page {
            kind,
            lang,
            stem,
            path: rel,
            slug,
            url,
            title,
            date,
            updated,
            tags: fm.tags,
            summary: fm.summary.unwrap_or_default(),
            author: fm.author,
            draft: fm.draft,
            image: fm.image,
            image_alt: fm.image_alt,
            image_caption: fm.image_caption,
            image_credit: fm.image_credit,
            section: fm.section,
            authors: fm.authors,
            aliases,
            expires,
            corrections,
            image_line: frontmatter::key_line(&split, "image"),
            lead: None,
            figures: Vec::new(),
            extra: fm.extra.unwrap_or_default(),
            body_offset,
            body_line,
            words: 0,
            anchors: Vec::new(),
            links: Vec::new(),
            images: Vec::new(),
            shortcodes: Vec::new(),
            source_hash: hasher.finish(),
            meta_hash: 0,
        },
        body,
    })
}

/// Help for an unknown id: the ids config.toml has, or how to add one.
fn known_ids<'a>(what: &str, table: &str, ids: impl Iterator<Item = &'a String>) -> String {
    let ids: Vec<&str> = ids.map(String::as_str).collect();
    match ids.is_empty() {
        true => format!(
            "config.toml has no {table} yet: add [{table}.<id>] with names = {{ mr = \"...\", en = \"...\" }}"
        ),
        false => format!(
            "use one of the {what} ids config.toml defines ({}), or add [{table}.<id>] there",
            ids.join(", ")
        ),
    }
}

/// `story.en.md` → ("story", "en"); `story.md` → ("story", default language).
fn stem_and_lang(rel: &Path, config: &Config) -> Result<(String, String), Diagnostic> {
    let name = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| Diagnostic::error(rel, "the file name is not valid text"))?;
    if let Some((stem, suffix)) = name.rsplit_once('.') {
        if config.languages.contains_key(suffix) {
            return Ok((stem.to_string(), suffix.to_string()));
        }
        let looks_like_lang =
            (2..=3).contains(&suffix.len()) && suffix.chars().all(|c| c.is_ascii_lowercase());
        if looks_like_lang {
            let known: Vec<_> = config.languages.keys().map(String::as_str).collect();
            return Err(Diagnostic::error(
                rel,
                format!("unknown language suffix \".{suffix}\" in the file name"),
            )
            .help(format!(
                "name the file <stem>.<language>.md with one of: {}, or add [languages.{suffix}] to config.toml",
                known.join(", ")
            )));
        }
    }
    Ok((name.to_string(), config.default_language.clone()))
}

/// An error for every page whose URL an earlier page in the same language already has.
pub fn duplicate_urls<'p>(pages: impl Iterator<Item = &'p Page>) -> Vec<Diagnostic> {
    let mut seen: HashMap<(&str, &str), &Path> = HashMap::new();
    let mut errors = Vec::new();
    for p in pages {
        if let Some(first) = seen.insert((&p.lang, &p.url), &p.path) {
            errors.push(
                Diagnostic::error(
                    &p.path,
                    format!(
                        "two pages in language \"{}\" have the URL {} (the other is {})",
                        p.lang,
                        p.url,
                        first.display()
                    ),
                )
                .at(1, 1)
                .help("give one of them another slug = \"...\" in its front matter"),
            );
        }
    }
    errors
}

/// Finds the URL of a `@/` link's target.
type Lookup<'a> = dyn Fn(&UrlKey) -> Option<&'a String> + Sync + 'a;

fn render_source(
    source: Source,
    urls: &Lookup<'_>,
    config: &Config,
) -> Result<Page, Vec<Diagnostic>> {
    let Source { mut page, body } = source;
    let scanned = markdown_of(&page, &body, urls, config, false)?;
    let to_refs = |refs: Vec<Reference>| {
        refs.into_iter()
            .map(|r| {
                let (line, column) = locate(&body, page.body_line, r.offset);
                SourceRef {
                    target: r.target,
                    raw: r.raw,
                    line,
                    column,
                    alt: r.alt,
                }
            })
            .collect()
    };
    let links = to_refs(scanned.links);
    let images = to_refs(scanned.images);
    if page.summary.is_empty() {
        page.summary = scanned.summary;
    }
    page.words = scanned.words;
    page.anchors = scanned.anchors;
    page.links = links;
    page.images = images;
    page.shortcodes = scanned.shortcodes;
    page.meta_hash = page.list_hash();
    Ok(page)
}

fn locate(body: &str, body_line: usize, offset: usize) -> (usize, usize) {
    let (l, c) = line_col(body, offset);
    (l + body_line - 1, c)
}

/// Scans or renders a page's Markdown, resolving `@/` links in its language.
fn markdown_of(
    page: &Page,
    body: &str,
    urls: &Lookup<'_>,
    config: &Config,
    html: bool,
) -> Result<markdown::Rendered, Vec<Diagnostic>> {
    let resolve = |target: &str| resolve_with(urls, config, &page.lang, target);
    let result = if html {
        markdown::render(body, &resolve)
    } else {
        markdown::scan(body, &resolve)
    };
    result.map_err(|broken| broken_links(page, body, broken))
}

fn broken_links(page: &Page, body: &str, broken: Vec<markdown::BodyError>) -> Vec<Diagnostic> {
    broken
        .into_iter()
        .map(|b| {
            let (l, c) = locate(body, page.body_line, b.offset);
            Diagnostic::error(&page.path, b.message)
                .at(l, c)
                .help(b.help)
        })
        .collect()
}

/// The URL of a `@/dir/stem.md` link (the part after `@/`) from a page in `lang`: the
/// same language's version, else the default language's.
pub fn resolve_link(urls: &UrlMap, config: &Config, lang: &str, target: &str) -> Option<String> {
    resolve_with(&|key: &UrlKey| urls.get(key), config, lang, target)
}

fn resolve_with(urls: &Lookup<'_>, config: &Config, lang: &str, target: &str) -> Option<String> {
    let (dir, file) = target.split_once('/')?;
    let stem = file.strip_suffix(".md")?;
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((s, l)) if config.languages.contains_key(l) => (s, l),
        _ => (stem, lang),
    };
    let key = |l: &str| (dir.to_string(), stem.to_string(), l.to_string());
    urls(&key(lang))
        .or_else(|| urls(&key(&config.default_language)))
        .cloned()
}

/// The plain text of a page's body (read from its file again), for the search index.
pub fn page_text(root: &Path, page: &Page) -> Result<String, Diagnostic> {
    let text = read_again(root, page)?;
    Ok(markdown::plain_text(&text[page.body_offset..]))
}

/// The file of `page` read again, as it was when it was loaded: a file saved since then is
/// an error (the page's other outputs were made from the old text), never a page that mixes
/// the two versions.
fn read_again(root: &Path, page: &Page) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(&page.path))
        .map_err(|e| Diagnostic::error(&page.path, format!("cannot read the file again: {e}")))?;
    let text = utf8(&bytes).map_err(|_| changed(page))?;
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    if hasher.finish() != page.source_hash || !text.is_char_boundary(page.body_offset) {
        return Err(changed(page));
    }
    Ok(text.to_string())
}

/// Bytes as text. Validated with SIMD: std's check has a fast path for ASCII only, and a
/// Marathi story is mostly three-byte characters; every story is checked two or three times
/// a build (loaded, rendered, indexed for search).
fn utf8(bytes: &[u8]) -> Result<&str, simdutf8::basic::Utf8Error> {
    simdutf8::basic::from_utf8(bytes)
}

/// A file read again at render time that no longer matches what was loaded.
fn changed(page: &Page) -> Diagnostic {
    Diagnostic::error(
        &page.path,
        "the file changed while the site was being built",
    )
    .help("build again: batmi renders each story from the text it read first, and this file was saved since")
}

/// The HTML of a page's body: the file is read again and rendered now, so that only the
/// pages being written are ever held as HTML. `shortcodes` renders shortcode calls; `held`
/// (the stories scheduled for later) explains a link to one of them.
pub fn page_html(
    root: &Path,
    page: &Page,
    urls: &UrlMap,
    config: &Config,
    shortcodes: markdown::ShortcodeHtml<'_>,
    held: &[Page],
) -> Result<String, Vec<Diagnostic>> {
    let text = read_again(root, page).map_err(|d| vec![d])?;
    let lookup = |key: &UrlKey| urls.get(key);
    let body = &text[page.body_offset..];
    let resolve = |target: &str| resolve_with(&lookup, config, &page.lang, target);
    let url = |path: &str| crate::output::context::href(path);
    let images = |dest: &str, alt: &str, title: &str, alone: bool| {
        let f = page.figures.iter().find(|f| f.written == dest)?;
        Some(if alone {
            crate::images::html::figure(&f.source, alt, title, &url)
        } else {
            crate::images::html::picture(&f.source, alt, &url)
        })
    };
    let hooks = markdown::Hooks {
        images: Some(&images),
        shortcodes: Some(shortcodes),
    };
    markdown::render_with(body, &resolve, &hooks)
        .map(|r| r.html)
        .map_err(|broken| {
            let broken = broken
                .into_iter()
                .map(|e| explain_scheduled(e, page, config, held))
                .collect();
            broken_links(page, body, broken)
        })
}

/// A link to no page that points at a story scheduled for later: said as such, with when.
fn explain_scheduled(
    mut e: markdown::BodyError,
    page: &Page,
    config: &Config,
    held: &[Page],
) -> markdown::BodyError {
    let Some(target) = e.link.as_deref().and_then(|t| t.strip_prefix("@/")) else {
        return e;
    };
    let file = target.split('#').next().unwrap_or(target);
    let held_urls = url_map(held.iter());
    let Some(url) = resolve_link(&held_urls, config, &page.lang, file) else {
        return e;
    };
    let Some(date) = held.iter().find(|p| p.url == url).and_then(|p| p.date) else {
        return e;
    };
    e.message = format!(
        "the link @/{target} points to a story scheduled for {}, which is not published yet",
        date.format("%Y-%m-%d %H:%M (%:z)")
    );
    e.help = "publish this story after that time, or take the link out until then; batmi build --future builds both now".into();
    e
}

/// Missing translations and tags without a display name: worth saying, not worth failing for.
pub fn warnings(pages: &[Page], config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut langs_of: FxHashMap<(Kind, &str), Vec<&str>> = FxHashMap::default();
    for p in pages {
        langs_of.entry((p.kind, &p.stem)).or_default().push(&p.lang);
    }
    for p in pages.iter().filter(|p| p.lang == config.default_language) {
        let have = &langs_of[&(p.kind, p.stem.as_str())];
        for code in config.languages.keys() {
            if !have.contains(&code.as_str()) {
                out.push(
                    Diagnostic::warning(&p.path, format!("this story has no {code} translation"))
                        .help(format!("add content/{}/{}.{code}.md", p.kind.dir(), p.stem)),
                );
            }
        }
    }
    // A tag used in a language with no display name for it there: one warning per tag and language.
    let used: FxHashSet<(&str, &str)> = pages
        .iter()
        .flat_map(|p| p.tags.iter().map(|t| (t.as_str(), p.lang.as_str())))
        .collect();
    let mut missing: std::collections::BTreeSet<(&str, &str)> = Default::default();
    for (tag, lang) in used {
        let named = config
            .tags
            .get(tag)
            .is_some_and(|t| t.names.contains_key(lang));
        // A canonical name already written in the language's script can stand as it is.
        let devanagari = matches!(lang, "mr" | "hi" | "ne" | "sa" | "kok" | "mai");
        let needs_name = if devanagari {
            tag.is_ascii()
        } else {
            !tag.is_ascii()
        };
        if !named && needs_name {
            missing.insert((tag, lang));
        }
    }
    for (tag, lang) in missing {
        out.push(
            Diagnostic::warning(
                "config.toml",
                format!("tag \"{tag}\" has no display name in {lang}"),
            )
            .help(format!(
                "add [tags.\"{tag}\"] names = {{ {lang} = \"...\" }}"
            )),
        );
    }
    out.sort_by(|a, b| a.path.cmp(&b.path).then(a.message.cmp(&b.message)));
    out.dedup();
    out
}

/// `extra` in the build manifest, as TOML text: binary formats cannot read a TOML value back
/// (its deserializer needs a self-describing format).
mod table_as_text {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &toml::Table, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<toml::Table, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(D::Error::custom)
    }
}
