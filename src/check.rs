//! `batmi check`: runs the whole pipeline up to (not including) writing, then looks for what
//! an editor must not publish: links and anchors that lead nowhere, missing images, missing or
//! outdated translations. Every problem comes back at once, as diagnostics, so the command
//! line, tests and `serve` can all show them their own way.

pub mod external;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;

use crate::content::frontmatter::{self, FrontMatter};
use crate::content::{Kind, Page};
use crate::diag::{Diagnostic, SiteErrors};
use crate::output::{Job, Renderer};
use crate::{BuildOptions, Config, Site};

/// Longest summary that still fits a search engine's snippet (the page's meta description).
pub const SUMMARY_MAX_CHARS: usize = 160;

/// What to check besides the site's own files.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Also request every external http(s) link and image.
    pub external: bool,
    /// How long one external request may take, all in.
    pub timeout: Duration,
    /// Requests to one host at the same time, to stay polite.
    pub per_host: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            external: false,
            timeout: Duration::from_secs(10),
            per_host: 2,
        }
    }
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages loaded (0 when the site did not load).
    pub pages: usize,
    /// Files the build would write.
    pub outputs: usize,
    /// False when config, content or templates had errors that stopped loading: links and
    /// images were not checked yet.
    pub loaded: bool,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Checks the site at `opts.root`. `Err` only for failures that are not the site's fault
/// (an unreadable directory, say); mistakes in the site are diagnostics in the report.
pub fn check(opts: &BuildOptions, what: &CheckOptions) -> anyhow::Result<Report> {
    let site = match crate::load_site(opts) {
        Ok(site) => site,
        Err(e) => match e.downcast::<SiteErrors>() {
            Ok(SiteErrors(diagnostics)) => {
                return Ok(Report {
                    loaded: false,
                    ..finish(diagnostics, 0, 0)
                });
            }
            Err(e) => return Err(e),
        },
    };
    let mut diagnostics = site.warnings.clone();
    let outputs = match Outputs::render(&opts.root, &site) {
        Ok((outputs, mut errors)) => {
            diagnostics.append(&mut errors);
            outputs
        }
        Err(mut errors) => {
            // Without the renderer there is no list of outputs to check links against.
            diagnostics.append(&mut errors);
            return Ok(Report {
                loaded: false,
                ..finish(diagnostics, site.index.pages.len(), 0)
            });
        }
    };
    let checker = PageChecker::new(&opts.root, &site, &outputs);
    let per_page: Vec<(Vec<Diagnostic>, Vec<ExternalRef>)> = site
        .index
        .pages
        .par_iter()
        .map(|p| checker.page(p))
        .collect();
    let mut externals = Vec::new();
    for (mut d, mut e) in per_page {
        diagnostics.append(&mut d);
        externals.append(&mut e);
    }
    diagnostics.extend(translation_warnings(&opts.root, &site));
    if what.external {
        diagnostics.extend(external_diagnostics(&externals, what));
    }
    Ok(finish(
        diagnostics,
        site.index.pages.len(),
        outputs.paths.len(),
    ))
}

fn finish(mut diagnostics: Vec<Diagnostic>, pages: usize, outputs: usize) -> Report {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
    diagnostics.dedup();
    Report {
        diagnostics,
        pages,
        outputs,
        loaded: true,
    }
}

/// The element ids of an HTML output; `None` for other files.
type Ids = Option<HashSet<String>>;

/// Every file the build would write, by site path (`/en/news/x/`, `/style.css`), with the
/// element ids of the HTML ones, for `#anchor` checks.
struct Outputs {
    paths: HashMap<String, Ids>,
}

impl Outputs {
    /// Renders every output in memory (so template errors surface too) and keeps only ids.
    fn render(root: &Path, site: &Site) -> Result<(Outputs, Vec<Diagnostic>), Vec<Diagnostic>> {
        let renderer = Renderer::new(root, &site.index, &site.templates).map_err(|e| {
            match e.downcast::<SiteErrors>() {
                Ok(SiteErrors(d)) => d,
                Err(e) => vec![Diagnostic::error("templates", format!("{e:#}"))],
            }
        })?;
        let jobs = renderer.plan();
        let rendered: Vec<(String, Result<Ids, Diagnostic>)> = jobs
            .par_iter()
            .map_init(Vec::new, |buf, &job: &Job| {
                let rel = renderer.path(job);
                let ids = renderer.render_into(job, buf).map(|()| {
                    rel.ends_with(".html")
                        .then(|| html_ids(&String::from_utf8_lossy(buf)))
                });
                (rel, ids)
            })
            .collect();
        let mut paths = HashMap::with_capacity(rendered.len());
        let mut errors = Vec::new();
        for (rel, ids) in rendered {
            match ids {
                Ok(ids) => {
                    paths.insert(site_path(&rel), ids);
                }
                Err(d) => {
                    if !errors.contains(&d) {
                        errors.push(d);
                    }
                    paths.insert(site_path(&rel), None);
                }
            }
        }
        for rel in static_files(root) {
            paths.entry(format!("/{rel}")).or_insert(None);
        }
        for (name, _) in crate::output::write::BUILTIN_STATIC {
            paths.entry(format!("/{name}")).or_insert(None);
        }
        Ok((Outputs { paths }, errors))
    }

    /// The output at a site path, as a web server would find it.
    fn find(&self, path: &str) -> Option<(&str, &Ids)> {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        if let Some((k, v)) = self.paths.get_key_value(path) {
            return Some((k, v));
        }
        if !path.ends_with('/') {
            // Servers answer /news/x with a redirect to /news/x/.
            return self
                .paths
                .get_key_value(&format!("{path}/"))
                .map(|(k, v)| (k.as_str(), v));
        }
        None
    }
}

/// `en/news/x/index.html` → `/en/news/x/`; `atom.xml` → `/atom.xml`.
fn site_path(rel: &str) -> String {
    let rel = rel.replace('\\', "/");
    match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{rel}"),
    }
}

/// Files under `root/static`, relative to it, with `/` separators.
fn static_files(root: &Path) -> Vec<String> {
    let dir = root.join("static");
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// The values of every `id="..."` attribute in an HTML document.
fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=") {
        rest = &rest[i + 4..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        rest = &rest[1..];
        if let Some(end) = rest.find(quote) {
            ids.insert(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    ids
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Where a link in a page leads.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A path on this site, percent-decoded, and the `#fragment` if any.
    Site {
        path: String,
        fragment: Option<String>,
    },
    /// An http(s) URL elsewhere.
    External(String),
    /// `mailto:`, `tel:` and other schemes, or an e-mail autolink: not checked.
    Other,
}

/// Resolves `target`, written on the page at `page_url`, as a browser would.
fn resolve(target: &str, page_url: &str, base_url: &str) -> Target {
    let target = target.trim();
    let target = match target.strip_prefix(base_url) {
        Some(rest) if !base_url.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
            if rest.is_empty() { "/" } else { rest }
        }
        _ => target,
    };
    if target.starts_with("//") {
        return Target::External(format!("https:{target}"));
    }
    let end_of_path = target.find(['/', '?', '#']).unwrap_or(target.len());
    if let Some(colon) = target[..end_of_path].find(':') {
        let scheme = target[..colon].to_ascii_lowercase();
        return if scheme == "http" || scheme == "https" {
            Target::External(target.to_string())
        } else {
            Target::Other
        };
    }
    if target.contains('@') && !target.contains('/') {
        return Target::Other;
    }
    let (rest, fragment) = match target.split_once('#') {
        Some((r, f)) => (r, Some(decode(f))),
        None => (target, None),
    };
    let path = rest.split(['?']).next().unwrap_or("");
    let path = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        normalize(path)
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        normalize(&format!("{dir}{path}"))
    };
    Target::Site {
        path: decode(&path),
        fragment: fragment.filter(|f| !f.is_empty()),
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Removes `.` and `..` segments; keeps a trailing slash.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut s = format!("/{}", out.join("/"));
    if trailing && s.len() > 1 {
        s.push('/');
    }
    s
}

/// An external URL and where it is used.
#[derive(Debug, Clone)]
struct ExternalRef {
    url: String,
    path: std::path::PathBuf,
    line: usize,
    column: usize,
    image: bool,
}

/// Per-page checks; shared read-only by the threads.
struct PageChecker<'a> {
    root: &'a Path,
    site: &'a Site,
    outputs: &'a Outputs,
    /// Last URL segment (a slug) → URLs of pages with it, for "did you mean" help.
    by_slug: HashMap<&'a str, Vec<&'a str>>,
    now: DateTime<Utc>,
}

impl<'a> PageChecker<'a> {
    fn new(root: &'a Path, site: &'a Site, outputs: &'a Outputs) -> Self {
        let mut by_slug: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in &site.index.pages {
            by_slug.entry(&p.slug).or_default().push(&p.url);
        }
        PageChecker {
            root,
            site,
            outputs,
            by_slug,
            now: Utc::now(),
        }
    }

    fn page(&self, p: &Page) -> (Vec<Diagnostic>, Vec<ExternalRef>) {
        let mut out = Vec::new();
        let mut ext = Vec::new();
        let lines = FrontLines::read(self.root, p);
        let base_url = &self.site.index.config.base_url;
        for link in &p.links {
            match resolve(&link.target, &p.url, base_url) {
                Target::Site { path, fragment } => {
                    if let Some(d) = self.site_link(p, &link.target, &path, fragment.as_deref()) {
                        out.push(d.at(link.line, link.column));
                    }
                }
                Target::External(url) => ext.push(ExternalRef {
                    url,
                    path: p.path.clone(),
                    line: link.line,
                    column: link.column,
                    image: false,
                }),
                Target::Other => {}
            }
        }
        for img in &p.images {
            if img.alt.trim().is_empty() {
                out.push(
                    Diagnostic::warning(&p.path, format!("the image {} has no alt text", img.target))
                        .at(img.line, img.column)
                        .help(format!(
                            "describe what it shows for readers who cannot see it: ![a short description]({})",
                            img.target
                        )),
                );
            }
            match resolve(&img.target, &p.url, base_url) {
                Target::Site { path, .. } => {
                    if self.outputs.find(&path).is_none() {
                        out.push(
                            self.missing_image(p, &img.target, &path)
                                .at(img.line, img.column),
                        );
                    }
                }
                Target::External(url) => ext.push(ExternalRef {
                    url,
                    path: p.path.clone(),
                    line: img.line,
                    column: img.column,
                    image: true,
                }),
                Target::Other => {}
            }
        }
        if let Some(image) = &p.image {
            let line = lines.line_of("image");
            if image.starts_with("http://") || image.starts_with("https://") {
                ext.push(ExternalRef {
                    url: image.clone(),
                    path: p.path.clone(),
                    line,
                    column: 1,
                    image: true,
                });
            } else {
                // Templates use the front-matter image as a path from the site root.
                let path = decode(&format!("/{}", image.trim_start_matches('/')));
                if self.outputs.find(&path).is_none() {
                    out.push(self.missing_image(p, image, &path).at(line, 1));
                }
            }
            if p.image_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
                out.push(
                    Diagnostic::warning(&p.path, "the story's image has no alt text")
                        .at(line, 1)
                        .help("add image_alt = \"what the image shows\" to the front matter"),
                );
            }
        }
        let chars = p.summary.chars().count();
        if chars > SUMMARY_MAX_CHARS {
            let d = Diagnostic::warning(
                &p.path,
                format!(
                    "the summary is {chars} characters long; search engines cut meta descriptions after about {SUMMARY_MAX_CHARS}"
                ),
            );
            out.push(if lines.has("summary") {
                d.at(lines.line_of("summary"), 1)
                    .help(format!("shorten summary to {SUMMARY_MAX_CHARS} characters or fewer"))
            } else {
                d.at(p.body_line, 1).help(format!(
                    "the summary is taken from the first paragraph; add summary = \"...\" (up to {SUMMARY_MAX_CHARS} characters) to the front matter, or put <!-- more --> after a short first paragraph"
                ))
            });
        }
        if let Some(date) = p.date
            && p.kind == Kind::Article
            && !p.draft
            && date.with_timezone(&Utc) > self.now
        {
            out.push(
                Diagnostic::warning(
                    &p.path,
                    format!(
                        "scheduled: this story is dated {}, in the future",
                        date.format("%Y-%m-%d %H:%M (%:z)")
                    ),
                )
                .at(lines.line_of("date"), 1)
                .help("batmi build publishes it as soon as it runs, showing that date; keep draft = true until it is due, or correct the date"),
            );
        }
        (out, ext)
    }

    /// The error for a link to `path` (`#fragment`) on this site, if it leads nowhere.
    fn site_link(
        &self,
        p: &Page,
        written: &str,
        path: &str,
        fragment: Option<&str>,
    ) -> Option<Diagnostic> {
        let Some((found, ids)) = self.outputs.find(path) else {
            let mut d = Diagnostic::error(&p.path, format!("the link {written} points to no page"));
            let slug = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            let similar: Vec<&str> = self
                .by_slug
                .get(slug)
                .map(|v| v.iter().copied().filter(|u| *u != path).collect())
                .unwrap_or_default();
            d = if let Some(url) = similar
                .iter()
                .find(|u| u.starts_with(&self.site.index.config.lang_prefix(&p.lang)))
                .or(similar.first())
            {
                d.help(format!(
                    "did you mean {url}? To link a story in the reader's language, write @/news/<stem>.md"
                ))
            } else {
                d.help("no page of the site has that path; check the slug, or link to a story by its file as @/news/<stem>.md")
            };
            return Some(d);
        };
        let fragment = fragment?;
        let ids = ids.as_ref()?;
        if ids.contains(fragment) {
            return None;
        }
        let target = self.site.index.pages.iter().find(|t| t.url == found);
        let mut d = Diagnostic::error(
            &p.path,
            if found == p.url {
                format!("the anchor #{fragment} is not on this page")
            } else {
                format!("the anchor #{fragment} is not on the page {found}")
            },
        );
        d = match target.filter(|t| !t.anchors.is_empty()) {
            Some(t) => d.help(format!(
                "the headings {} have the anchors: {}",
                if t.url == p.url { "here" } else { "there" },
                t.anchors
                    .iter()
                    .take(12)
                    .map(|a| format!("#{a}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => d.help("that page has no headings to link to; link to the page itself"),
        };
        Some(d)
    }

    fn missing_image(&self, p: &Page, written: &str, path: &str) -> Diagnostic {
        Diagnostic::error(&p.path, format!("the image {written} does not exist"))
            .help(format!(
                "put the file at static{path}, or correct the path (paths starting with / are taken from static/)"
            ))
    }
}

/// Lines of front-matter keys in a page's file, for pointing at `date`, `image`, `summary`.
struct FrontLines {
    text: String,
}

impl FrontLines {
    fn read(root: &Path, p: &Page) -> FrontLines {
        let text = std::fs::read_to_string(root.join(&p.path)).unwrap_or_default();
        let front_end = p.body_offset.min(text.len());
        FrontLines {
            text: text.get(..front_end).unwrap_or("").to_string(),
        }
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.text.lines().position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    }

    fn has(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The key's 1-based line, or 1 (the opening `+++`) when the key is not written.
    fn line_of(&self, key: &str) -> usize {
        self.find(key).map_or(1, |i| i + 1)
    }
}

/// Translations older than their source; stories with no default-language version.
/// (Stories missing a translation are already reported by `content::warnings`.)
fn translation_warnings(root: &Path, site: &Site) -> Vec<Diagnostic> {
    let index = &site.index;
    let config = &index.config;
    let mut out = Vec::new();
    let mut groups: Vec<&Vec<usize>> = index.translations.values().collect();
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

fn external_diagnostics(refs: &[ExternalRef], what: &CheckOptions) -> Vec<Diagnostic> {
    let mut urls: Vec<String> = refs.iter().map(|r| r.url.clone()).collect();
    urls.sort();
    urls.dedup();
    let results = external::check_urls(&urls, what.timeout, what.per_host);
    let status: HashMap<&str, &external::LinkStatus> = urls
        .iter()
        .map(String::as_str)
        .zip(results.iter())
        .collect();
    let mut out = Vec::new();
    for r in refs {
        let what_kind = if r.image { "image" } else { "link" };
        let d = match status.get(r.url.as_str()) {
            Some(external::LinkStatus::Ok(_)) | None => continue,
            Some(external::LinkStatus::Gone(code)) => Diagnostic::error(
                &r.path,
                format!("the external {what_kind} {} is gone (HTTP {code})", r.url),
            )
            .help("find where the page moved, or remove the link"),
            Some(external::LinkStatus::Failing(code)) => Diagnostic::warning(
                &r.path,
                format!("the external {what_kind} {} answered HTTP {code}", r.url),
            )
            .help("the server may be down or may refuse automated requests; open the link in a browser"),
            Some(external::LinkStatus::Unreachable(why)) => Diagnostic::warning(
                &r.path,
                format!("the external {what_kind} {} could not be reached: {why}", r.url),
            )
            .help("check the address; if it works in a browser, the server may be slow or refuse automated requests"),
        };
        out.push(d.at(r.line, r.column));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> Target {
        Target::Site {
            path: path.into(),
            fragment: None,
        }
    }

    #[test]
    fn links_resolve_like_a_browser() {
        let page = "/en/news/story/";
        let base = "https://news.test";
        assert_eq!(resolve("/about/", page, base), site("/about/"));
        assert_eq!(resolve("../other/", page, base), site("/en/news/other/"));
        assert_eq!(
            resolve("img/a.png", page, base),
            site("/en/news/story/img/a.png")
        );
        assert_eq!(
            resolve("https://news.test/tags/x/", page, base),
            site("/tags/x/")
        );
        assert_eq!(
            resolve("#part", page, base),
            Target::Site {
                path: page.into(),
                fragment: Some("part".into())
            }
        );
        assert_eq!(
            resolve("/tags/%E0%A4%AA/?x=1", page, base),
            site("/tags/\u{092a}/")
        );
        assert_eq!(
            resolve("https://example.com/a", page, base),
            Target::External("https://example.com/a".into())
        );
        assert_eq!(
            resolve("//example.com/a", page, base),
            Target::External("https://example.com/a".into())
        );
        assert_eq!(resolve("mailto:desk@news.test", page, base), Target::Other);
        assert_eq!(resolve("desk@news.test", page, base), Target::Other);
    }

    #[test]
    fn output_files_map_to_site_paths() {
        assert_eq!(site_path("index.html"), "/");
        assert_eq!(site_path("en/news/x/index.html"), "/en/news/x/");
        assert_eq!(site_path("en/404.html"), "/en/404.html");
        assert_eq!(site_path("atom.xml"), "/atom.xml");
    }

    #[test]
    fn ids_are_read_from_html() {
        let ids = html_ids(r#"<main id="main"><h2 id="दुसरा-भाग">x</h2><p data-id="no" id='q'>"#);
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["main", "q", "दुसरा-भाग"]);
    }
}
