//! `batmi check`: runs the whole pipeline up to (not including) writing, then looks for what
//! an editor must not publish: links and anchors that lead nowhere, missing images, missing or
//! outdated translations. Every problem comes back at once, as diagnostics, so the command
//! line, tests and `serve` can all show them their own way.

pub mod external;
mod links;
mod pages;
mod theme;
mod translations;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use rayon::prelude::*;

use crate::diag::{Diagnostic, SiteErrors};
use crate::output::{Job, Renderer};
use crate::{BuildOptions, Site};
use links::{html_ids, html_refs, site_path};
use pages::{ExternalRef, PageChecker, external_diagnostics};
use translations::translation_warnings;
pub use translations::{LangStatus, Status, StoryRow, translation_table};

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
    /// Stories whose `expires` time has passed: they are off every list and feed.
    pub expired: Vec<(std::path::PathBuf, String)>,
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
    diagnostics.extend(theme::links(&opts.root, &site, &outputs));
    diagnostics.extend(translation_warnings(&opts.root, &site));
    if what.external {
        diagnostics.extend(external_diagnostics(&externals, what));
    }
    let index = &site.index;
    let when = |p: &crate::content::Page, d: Option<chrono::DateTime<chrono::FixedOffset>>| {
        (
            p.path.clone(),
            d.map(|d| d.to_rfc3339()).unwrap_or_default(),
        )
    };
    // Stories held back until their time: said at their date line, with the time.
    for p in &index.held {
        let Some(date) = p.date else { continue };
        diagnostics.push(
            Diagnostic::warning(
                &p.path,
                format!(
                    "scheduled: this story is dated {}, in the future; builds leave it out until then",
                    date.format("%Y-%m-%d %H:%M (%:z)")
                ),
            )
            .at(crate::content::frontmatter::line_of_key(&opts.root, &p.path, "date"), 1)
            .help("it appears with the first build after that time, so publish from a timer (docs/deploy); batmi build --future includes it now"),
        );
    }
    let expired = index
        .pages
        .iter()
        .filter(|p| index.config.is_expired(p))
        .map(|p| when(p, p.expires))
        .collect();
    Ok(Report {
        expired,
        ..finish(diagnostics, index.pages.len(), outputs.paths.len())
    })
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
        expired: Vec::new(),
    }
}

/// An HTML output's ids and links; `None` for other files.
type Scanned = Option<(HashSet<String>, HashSet<String>)>;

/// The element ids of an HTML output; `None` for other files.
type Ids = Option<HashSet<String>>;

/// Every file the build would write, by site path (`/en/news/x/`, `/style.css`), with the
/// element ids of the HTML ones, for `#anchor` checks.
pub(super) struct Outputs {
    paths: HashMap<String, Ids>,
    /// (site path, what its HTML links to), sorted by path: links written by templates.
    refs: Vec<(String, HashSet<String>)>,
}

impl Outputs {
    /// Renders every output in memory (so template errors surface too) and keeps only its
    /// ids and links.
    fn render(root: &Path, site: &Site) -> Result<(Outputs, Vec<Diagnostic>), Vec<Diagnostic>> {
        let renderer = Renderer::new(root, &site.index, &site.templates).map_err(|e| {
            match e.downcast::<SiteErrors>() {
                Ok(SiteErrors(d)) => d,
                Err(e) => vec![Diagnostic::error("templates", format!("{e:#}"))],
            }
        })?;
        let plan = renderer.planned(&crate::output::write::static_files(root))?;
        let rendered: Vec<(String, Result<Scanned, Diagnostic>)> = plan
            .into_par_iter()
            .map_init(Vec::new, |buf, (job, rel): (Job, String)| {
                let scanned = renderer.render_into(job, buf).map(|()| {
                    rel.ends_with(".html").then(|| {
                        let html = String::from_utf8_lossy(buf);
                        (html_ids(&html), html_refs(&html))
                    })
                });
                (rel, scanned)
            })
            .collect();
        let mut paths = HashMap::with_capacity(rendered.len());
        let mut refs = Vec::new();
        let mut errors = Vec::new();
        for (rel, scanned) in rendered {
            match scanned {
                Ok(Some((ids, links))) => {
                    refs.push((site_path(&rel), links));
                    paths.insert(site_path(&rel), Some(ids));
                }
                Ok(None) => {
                    paths.insert(site_path(&rel), None);
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
        refs.sort_by(|a, b| a.0.cmp(&b.0));
        Ok((Outputs { paths, refs }, errors))
    }

    /// The output at a site path, as a web server would find it.
    pub(super) fn find(&self, path: &str) -> Option<(&str, &Ids)> {
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
