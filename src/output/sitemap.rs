//! Sitemaps: `sitemap.xml` is a sitemap index naming files of at most
//! `[sitemap] urls_per_file` URLs each, with `xhtml:link` hreflang alternates between
//! translations.
//!
//! The split is made for a growing archive: stories of every language, oldest first, are cut
//! into `sitemap-stories-N.xml` at a fixed size, so a new story (the newest) changes only the
//! last of those files and the index, and a crawler re-reads one small file. Everything else
//! (plain pages, homes, archives, tag pages) is in `sitemap-pages-N.xml`; those entries carry
//! no `lastmod` (a list changes with every story, and saying so would change the file on
//! every build), so those files change only when a list page appears or goes.
//!
//! Every `lastmod` comes from front matter (`updated`, else `date`): never the build time,
//! so a rebuild writes the same bytes.

use serde_json::{Value, json};

use super::context::{Versions, absolute};
use super::data::{Data, Make};
use super::{Job, Renderer, last_change};
use crate::index::Index;

/// The sitemap protocol's own limit of URLs per file; `urls_per_file` may not exceed it.
pub const PROTOCOL_MAX_URLS: usize = 50_000;

/// The protocol's limit of bytes per (uncompressed) file.
pub const PROTOCOL_MAX_BYTES: usize = 50 * 1024 * 1024;

/// One file of the sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// `sitemap.xml`: the index of the files below, the URL robots.txt names.
    Index,
    /// `sitemap-stories-N.xml` (N from 1): stories, oldest first.
    Stories(usize),
    /// `sitemap-pages-N.xml` (N from 1): plain pages, then every list page.
    Pages(usize),
    /// `sitemap-news.xml`: the last two days' stories for Google News (`news_sitemap`); not
    /// in the index, whose files name every page once; robots.txt names it.
    News,
}

impl Part {
    /// The file's site path.
    pub fn path(self) -> String {
        match self {
            Part::Index => "sitemap.xml".into(),
            Part::Stories(n) => format!("sitemap-stories-{n}.xml"),
            Part::Pages(n) => format!("sitemap-pages-{n}.xml"),
            Part::News => "sitemap-news.xml".into(),
        }
    }

    /// What the file is, for messages.
    pub fn describe(self) -> String {
        match self {
            Part::Index => "the sitemap index".into(),
            Part::Stories(n) => format!("part {n} of the stories' sitemap"),
            Part::Pages(n) => format!("part {n} of the list pages' sitemap"),
            Part::News => "the news sitemap".into(),
        }
    }
}

/// The sitemap's jobs for a plan whose other jobs are `jobs`: one per part, the index last.
pub fn jobs(r: &Renderer, jobs: &[Job]) -> Vec<Job> {
    let per = r.index.config.sitemap.urls_per_file;
    let stories: usize = r.index.langs.iter().map(|l| l.articles.len()).sum();
    let plain: usize = r.index.langs.iter().map(|l| l.plain.len()).sum();
    let pages = plain + jobs.iter().filter(|j| is_list(**j)).count();
    let mut out: Vec<Job> = (1..=stories.div_ceil(per))
        .map(|n| Job::Sitemap(Part::Stories(n)))
        .collect();
    out.extend((1..=pages.div_ceil(per)).map(|n| Job::Sitemap(Part::Pages(n))));
    out.extend([Job::Sitemap(Part::News), Job::Sitemap(Part::Index)]);
    out
}

/// The list pages a sitemap names (search pages and 404 pages are left out).
fn is_list(job: Job) -> bool {
    matches!(
        job,
        Job::Home(_) | Job::Archive(..) | Job::TagIndex(_) | Job::List(..)
    )
}

/// The template data of one part.
pub fn data(r: &Renderer, part: Part) -> Data {
    let per = r.index.config.sitemap.urls_per_file;
    let chunk = |n: usize, len: usize| (n - 1) * per..(n * per).min(len);
    let urls: Vec<Value> = match part {
        Part::Index => return index_data(r),
        Part::News => return super::news_sitemap::data(r),
        Part::Stories(n) => {
            let stories = stories_oldest_first(r.index);
            stories[chunk(n, stories.len())]
                .iter()
                .map(|&i| page_entry(r, i))
                .collect()
        }
        Part::Pages(n) => {
            let entries = page_entries(r);
            let range = chunk(n, entries.len());
            entries
                .into_iter()
                .skip(range.start)
                .take(range.len())
                .map(|e| match e {
                    PageEntry::Plain(i) => page_entry(r, i),
                    PageEntry::List(url) => {
                        json!({ "loc": url, "lastmod": null, "alternates": [] })
                    }
                })
                .collect()
        }
    };
    let mut d = Data::new(Make::Bare {
        name: "sitemap.xml",
    });
    d.value("urls", Value::Array(urls));
    d
}

/// The index: every other part with the newest `lastmod` of its entries.
fn index_data(r: &Renderer) -> Data {
    let config = &r.index.config;
    let per = config.sitemap.urls_per_file;
    let stories = stories_oldest_first(r.index);
    let entries = page_entries(r);
    let newest = |pages: &mut dyn Iterator<Item = usize>| {
        pages
            .filter_map(|i| last_change(&r.index.pages[i]))
            .max()
            .map(|d| d.to_rfc3339())
    };
    let mut parts = Vec::new();
    for (n, chunk) in stories.chunks(per).enumerate() {
        let loc = absolute(config, &format!("/{}", Part::Stories(n + 1).path()));
        let lastmod = newest(&mut chunk.iter().copied());
        parts.push(json!({ "loc": loc, "lastmod": lastmod }));
    }
    for (n, chunk) in entries.chunks(per).enumerate() {
        let loc = absolute(config, &format!("/{}", Part::Pages(n + 1).path()));
        let lastmod = newest(&mut chunk.iter().filter_map(|e| match e {
            PageEntry::Plain(i) => Some(*i),
            PageEntry::List(_) => None,
        }));
        parts.push(json!({ "loc": loc, "lastmod": lastmod }));
    }
    let mut d = Data::new(Make::Bare {
        name: "sitemap_index.xml",
    });
    d.value("sitemaps", Value::Array(parts));
    d
}

/// Every story of every language, oldest first: each language's list (newest first) read
/// backwards, merged by date, ties going to the language listed first. A new story dated
/// after every other one therefore comes last, and the parts before it keep their stories.
pub fn stories_oldest_first(index: &Index) -> Vec<usize> {
    let total = index.langs.iter().map(|l| l.articles.len()).sum();
    let mut lists: Vec<_> = index
        .langs
        .iter()
        .map(|l| l.articles.iter().rev().copied().peekable())
        .collect();
    let mut out = Vec::with_capacity(total);
    loop {
        let mut oldest: Option<(usize, Option<chrono::DateTime<chrono::FixedOffset>>)> = None;
        for (l, list) in lists.iter_mut().enumerate() {
            if let Some(&i) = list.peek() {
                let date = index.pages[i].date;
                if oldest.is_none_or(|(_, d)| date < d) {
                    oldest = Some((l, date));
                }
            }
        }
        match oldest.and_then(|(l, _)| lists[l].next()) {
            Some(i) => out.push(i),
            None => return out,
        }
    }
}

/// An entry of the pages' sitemap.
enum PageEntry {
    /// A plain page, by index.
    Plain(usize),
    /// A list page, by absolute URL.
    List(String),
}

/// The entries of the pages' sitemap: plain pages in index order, then list pages in plan
/// order.
fn page_entries(r: &Renderer) -> Vec<PageEntry> {
    let config = &r.index.config;
    let mut out: Vec<PageEntry> = r
        .index
        .langs
        .iter()
        .flat_map(|l| l.plain.iter().map(|&i| PageEntry::Plain(i)))
        .collect();
    for job in r.plan().into_iter().filter(|j| is_list(*j)) {
        let path = r.path(job);
        let url = format!("/{}", path.trim_end_matches("index.html"));
        out.push(PageEntry::List(absolute(config, &url)));
    }
    out
}

/// Page `i`'s entry: its URL, its last change and its translations.
fn page_entry(r: &Renderer, i: usize) -> Value {
    let config = &r.index.config;
    let p = &r.index.pages[i];
    json!({
        "loc": absolute(config, &p.url),
        "lastmod": last_change(p).map(|d| d.to_rfc3339()),
        "alternates": alternates(r, &r.page_versions(i)),
    })
}

fn alternates(r: &Renderer, v: &Versions) -> Vec<Value> {
    if v.existing.len() < 2 {
        return Vec::new();
    }
    v.existing
        .iter()
        .map(|(l, p)| json!({ "lang": l, "href": absolute(&r.index.config, p) }))
        .collect()
}
