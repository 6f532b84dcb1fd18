//! The checks of one page: its links, anchors, images, alt texts, summary and date.

use std::collections::HashMap;
use std::path::Path;

use super::links::{Target, decode, resolve};
use super::{CheckOptions, Outputs, SUMMARY_MAX_CHARS, external};
use crate::Site;
use crate::content::Page;
use crate::diag::Diagnostic;

/// An external URL and where it is used.
#[derive(Debug, Clone)]
pub(super) struct ExternalRef {
    url: String,
    path: std::path::PathBuf,
    line: usize,
    column: usize,
    image: bool,
}

/// Per-page checks; shared read-only by the threads.
pub(super) struct PageChecker<'a> {
    root: &'a Path,
    site: &'a Site,
    outputs: &'a Outputs,
    /// Last URL segment (a slug) → URLs of pages with it, for "did you mean" help.
    by_slug: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> PageChecker<'a> {
    pub(super) fn new(root: &'a Path, site: &'a Site, outputs: &'a Outputs) -> Self {
        let mut by_slug: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in &site.index.pages {
            by_slug.entry(&p.slug).or_default().push(&p.url);
        }
        PageChecker {
            root,
            site,
            outputs,
            by_slug,
        }
    }

    pub(super) fn page(&self, p: &Page) -> (Vec<Diagnostic>, Vec<ExternalRef>) {
        let mut out = Vec::new();
        let mut ext = Vec::new();
        // Read again only for a page that has something to report at a front-matter key.
        let cell = std::cell::OnceCell::new();
        let lines = || cell.get_or_init(|| FrontLines::read(self.root, p));
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
            // Found, measured and processed when the site was loaded.
            if p.figures.iter().any(|f| f.written == img.target) {
                continue;
            }
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
            let line = lines().line_of("image");
            if image.starts_with("http://") || image.starts_with("https://") {
                ext.push(ExternalRef {
                    url: image.clone(),
                    path: p.path.clone(),
                    line,
                    column: 1,
                    image: true,
                });
            } else if p.lead.is_none() {
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
            out.push(if lines().has("summary") {
                d.at(lines().line_of("summary"), 1)
                    .help(format!("shorten summary to {SUMMARY_MAX_CHARS} characters or fewer"))
            } else {
                d.at(p.body_line, 1).help(format!(
                    "the summary is taken from the first paragraph; add summary = \"...\" (up to {SUMMARY_MAX_CHARS} characters) to the front matter, or put <!-- more --> after a short first paragraph"
                ))
            });
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
pub(super) struct FrontLines {
    text: String,
}

impl FrontLines {
    pub(super) fn read(root: &Path, p: &Page) -> FrontLines {
        let text = std::fs::read_to_string(root.join(&p.path)).unwrap_or_default();
        let front_end = p.body_offset.min(text.len());
        FrontLines {
            text: text.get(..front_end).unwrap_or("").to_string(),
        }
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.text
            .lines()
            // Keys of tables such as [extra] are not the page's own.
            .take_while(|l| !l.trim_start().starts_with('['))
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
    }

    fn has(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The key's 1-based line, or 1 (the opening `+++`) when the key is not written.
    pub(super) fn line_of(&self, key: &str) -> usize {
        self.find(key).map_or(1, |i| i + 1)
    }
}

pub(super) fn external_diagnostics(refs: &[ExternalRef], what: &CheckOptions) -> Vec<Diagnostic> {
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
