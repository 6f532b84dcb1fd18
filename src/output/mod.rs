//! The output stage: every file the site consists of ([`plan`]), the data each is made
//! from ([`data`]: one function per kind of output in [`pages`], [`lists`], [`feeds`] and
//! [`sitemap`]), and writing them ([`write`]). An output's fingerprint is the hash of that
//! same data, so `serve` re-renders exactly the outputs whose inputs changed.

pub mod assets;
pub mod context;
pub mod data;
pub mod feeds;
mod lists;
pub mod news_sitemap;
mod pages;
pub mod plan;
mod redirects;
pub use redirects::redirect_rules;
pub mod sitemap;
pub mod write;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::content::Page;
use crate::diag::Diagnostic;
use crate::index::Index;
use crate::templates::Templates;
use context::{Ctx, Item, LangCtx, item};
use data::Data;
use serde_json::Value;

/// One generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// A page (article or plain) by index.
    Page(usize),
    /// Home of language `l` (index into `Index::langs`).
    Home(usize),
    /// Archive page `n` of language `l`: 0 is the first page (the newest stories), `n > 0`
    /// numbered page `n`, counted from the oldest (see `lists`).
    Archive(usize, usize),
    TagIndex(usize),
    /// Page `n` of a tag's, section's or author's list in language `l`, numbered as `Archive`.
    List(usize, List, usize),
    /// Atom feed of language `l`, of one list when `Some`.
    Feed(usize, Option<List>),
    /// Redirect `k` of page `i` (`Page::aliases[k]`): a page at the old URL.
    Alias(usize, usize),
    /// `_redirects`: every alias, for hosts that redirect themselves (Netlify, Cloudflare).
    Redirects,
    Search(usize),
    /// The search index of language `l`: `search/manifest.gz` and the files it names
    /// (`crate::search::search_files`).
    SearchIndex(usize),
    NotFound(usize),
    /// One file of the sitemap: the index or one of the files it names.
    Sitemap(sitemap::Part),
    Robots,
    SyntaxCss,
    /// Image output `k` (`Renderer::assets.jobs[k]`): a resized image or a social card.
    Asset(usize),
}

/// A list of stories with pages and a feed of its own, by its index in `Index::tags`,
/// `Index::sections` or `Index::authors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Tag(usize),
    Section(usize),
    Author(usize),
}

/// Everything rendering needs, set up once per build.
pub struct Renderer<'a> {
    pub root: &'a std::path::Path,
    pub index: &'a Index,
    pub templates: &'a Templates,
    pub langs: Vec<LangCtx>,
    /// List summaries of every page, in `index.pages` order (with their template values).
    pub items: Vec<Arc<CachedItem>>,
    /// Bodies of the stories in any feed: rendered once for their page and their feeds.
    shared_bodies: HashMap<usize, OnceLock<Result<String, Diagnostic>>>,
    /// A hash of the config: part of every fingerprint.
    pub(crate) config_hash: u64,
    /// Every image output, and the cache they come from.
    pub assets: assets::Assets,
    /// The site's name in each language, as cards show it.
    site_titles: Vec<String>,
}

/// A page's list summary, its card and its template value: made once, and kept across
/// rebuilds by `serve` while the page and the card template stay the same.
pub struct CachedItem {
    pub(crate) key: u64,
    pub item: Item,
    pub value: Value,
}

impl std::ops::Deref for CachedItem {
    type Target = Item;
    fn deref(&self) -> &Item {
        &self.item
    }
}

/// Summaries of the previous build, by source path.
pub type ItemCache = HashMap<std::path::PathBuf, Arc<CachedItem>>;

/// What a renderer may take over from the one before it (`serve` between edits).
#[derive(Default)]
pub struct Reuse<'p> {
    /// The language contexts, when neither the config nor the index's lists changed.
    pub langs: Option<Vec<LangCtx>>,
    pub items: PriorItems<'p>,
}

/// The summaries of the previous render.
#[derive(Default)]
pub enum PriorItems<'p> {
    #[default]
    None,
    /// Of the same pages in the same order (an edit that left the index's lists as they were).
    Aligned(&'p [Arc<CachedItem>]),
    /// By source path.
    ByPath(&'p ItemCache),
}

impl<'a> Renderer<'a> {
    pub fn new(
        root: &'a std::path::Path,
        index: &'a Index,
        templates: &'a Templates,
    ) -> anyhow::Result<Renderer<'a>> {
        Renderer::reusing(root, index, templates, Reuse::default())
    }

    /// Like `new`, taking over what `reuse` holds whose inputs did not change.
    pub fn reusing(
        root: &'a std::path::Path,
        index: &'a Index,
        templates: &'a Templates,
        reuse: Reuse<'_>,
    ) -> anyhow::Result<Renderer<'a>> {
        let langs = match reuse.langs {
            Some(langs) => langs,
            None => index
                .langs
                .iter()
                .map(|l| LangCtx::new(index, &l.code))
                .collect::<anyhow::Result<Vec<_>>>()?,
        };
        // The build's clock is no part of it: only the news sitemap reads the clock, and its
        // data holds what the clock selects. Otherwise every build would change every output.
        let mut h = DefaultHasher::new();
        let mut config = index.config.clone();
        config.now = None;
        format!("{config:?}").hash(&mut h);
        let config_hash = h.finish();
        let card_fp = templates.fingerprint("card.html");
        let items = index
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let lc = &langs[lang_pos(index, &p.lang)];
                // `item` reads the page through `item_source` only, whose hash is `meta_hash`.
                let mut h = DefaultHasher::new();
                (config_hash, card_fp, lc.site_hash, p.meta_hash).hash(&mut h);
                let key = h.finish();
                let prior = match reuse.items {
                    PriorItems::None => None,
                    PriorItems::Aligned(items) => items.get(i),
                    PriorItems::ByPath(cache) => cache.get(&p.path),
                };
                if let Some(hit) = prior.filter(|c| c.key == key) {
                    return Ok(Arc::clone(hit));
                }
                let mut it = item(&index.config, lc, p.item_source());
                let mut ctx = Ctx::new();
                ctx.put("item", &it);
                let mut card = Vec::new();
                ctx.render_with(lc, templates, "card.html", &mut card)?;
                it.card = String::from_utf8(card).map_err(internal)?;
                let value = serde_json::to_value(&it).unwrap_or(Value::Null);
                // Templates read the card from `value`; one copy of it is enough.
                it.card = String::new();
                Ok(Arc::new(CachedItem {
                    key,
                    item: it,
                    value,
                }))
            })
            .collect::<Result<Vec<_>, Diagnostic>>()
            .map_err(|d| crate::diag::SiteErrors(vec![d]))?;
        let limit = index.config.feed_limit;
        let shared_bodies = index
            .langs
            .iter()
            .flat_map(|li| {
                let tags = li.tags.iter().map(|(_, list)| list.as_slice());
                std::iter::once(li.articles.as_slice()).chain(tags)
            })
            .flat_map(|list| list[..limit.min(list.len())].iter())
            .map(|&i| (i, OnceLock::new()))
            .collect();
        let site_titles: Vec<String> = langs
            .iter()
            .map(|lc| lc.site["title"].as_str().unwrap_or_default().to_string())
            .collect();
        let layout = templates.source(assets::CARD_LAYOUT).unwrap_or_default();
        let assets = assets::Assets::new(root, index, layout, &site_titles)
            .map_err(|d| crate::diag::SiteErrors(vec![d]))?;
        Ok(Renderer {
            root,
            index,
            templates,
            langs,
            items,
            shared_bodies,
            config_hash,
            assets,
            site_titles,
        })
    }

    /// What the next renderer may reuse: the language contexts and the page summaries
    /// (in `index.pages` order).
    pub fn into_parts(self) -> (Vec<LangCtx>, Vec<Arc<CachedItem>>) {
        (self.langs, self.items)
    }

    /// The data of a job's output, and through it the output's inputs.
    pub fn data(&self, job: Job) -> Data {
        match job {
            Job::Page(i) => self.page(i),
            Job::Home(l) => self.home(l),
            Job::Archive(l, n) => self.archive(l, n),
            Job::TagIndex(l) => self.tag_index(l),
            Job::List(l, list, n) => self.list_data(l, list, n),
            Job::Alias(i, k) => self.alias(i, k),
            Job::Redirects => self.redirects(),
            Job::Feed(l, t) => feeds::data(self, l, t),
            Job::Search(l) => self.search_page(l),
            Job::SearchIndex(l) => self.search_index(l),
            Job::NotFound(l) => self.not_found(l),
            Job::Sitemap(part) => sitemap::data(self, part),
            Job::Robots => Data::new(data::Make::Robots),
            Job::SyntaxCss => Data::new(data::Make::SyntaxCss),
            Job::Asset(k) => {
                let mut d = Data::new(data::Make::Asset(k));
                d.inputs(self.assets.inputs(k));
                d
            }
        }
    }

    /// The bytes of image output `k`.
    pub(crate) fn asset(&self, k: usize) -> Result<Vec<u8>, Diagnostic> {
        self.assets
            .render(k, self.root, self.index, &self.site_titles)
            .map(|entry| entry.bytes)
    }

    /// Image output `k` at `dir/rel`: its cache entry hard-linked there (copied where links
    /// fail), which spares reading and writing the bytes of every image again.
    pub(crate) fn write_asset(
        &self,
        k: usize,
        dir: &std::path::Path,
        rel: &str,
    ) -> Result<write::Written, Diagnostic> {
        let entry = self
            .assets
            .render(k, self.root, self.index, &self.site_titles)?;
        match &entry.path {
            Some(cached) => write::link_file(dir, rel, cached, &entry.bytes)?,
            None => write::write_file(dir, rel, &entry.bytes)?,
        }
        Ok(write::Written {
            path: rel.to_string(),
            sha256: entry.sha256,
            size: entry.bytes.len() as u64,
        })
    }

    /// Whether the image outputs of `plan` (a previous render's) are those of this render:
    /// when they are not, `serve` plans again.
    pub fn assets_match(&self, plan: &[(Job, String)]) -> bool {
        let planned: Vec<&str> = plan
            .iter()
            .filter(|(j, _)| matches!(j, Job::Asset(_)))
            .map(|(_, p)| p.as_str())
            .collect();
        planned.len() == self.assets.jobs.len()
            && planned
                .iter()
                .zip(&self.assets.jobs)
                .all(|(a, b)| *a == b.path)
    }

    /// A hash of everything the job's bytes depend on: when it is unchanged, so is the file.
    pub fn fingerprint(&self, job: Job) -> u64 {
        self.data(job).fingerprint(self)
    }

    /// Renders one job to bytes.
    pub fn render(&self, job: Job) -> Result<Vec<u8>, Diagnostic> {
        let mut buf = Vec::new();
        self.render_into(job, &mut buf)?;
        Ok(buf)
    }

    /// Renders one job into `buf`, which is cleared first; threads reuse their buffer.
    pub fn render_into(&self, job: Job, buf: &mut Vec<u8>) -> Result<(), Diagnostic> {
        self.data(job).render(self, buf)
    }

    /// The search index of language `l`: made from the summary and the text of every story
    /// of the language, which is what its fingerprint covers.
    fn search_index(&self, l: usize) -> Data {
        let mut d = Data::new(data::Make::SearchIndex(l));
        let mut h = DefaultHasher::new();
        for &j in &self.index.langs[l].articles {
            (self.items[j].key, self.index.pages[j].source_hash).hash(&mut h);
        }
        d.inputs(h.finish());
        d
    }

    pub fn tag_list(&self, l: usize, t: usize) -> &[usize] {
        self.list(l, List::Tag(t))
    }

    /// The stories of `list` in language `l`, newest first.
    pub fn list(&self, l: usize, list: List) -> &[usize] {
        let li = &self.index.langs[l];
        let (lists, x) = match list {
            List::Tag(t) => (&li.tags, t),
            List::Section(s) => (&li.sections, s),
            List::Author(a) => (&li.authors, a),
        };
        lists
            .iter()
            .find(|(y, _)| *y == x)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The name of `list` in language `l`.
    pub fn list_name(&self, l: usize, list: List) -> &str {
        let idx = self.index;
        let code = &idx.langs[l].code;
        match list {
            List::Tag(t) => crate::taxonomy::display_name(&idx.config, &idx.tags[t].name, code),
            List::Section(s) => idx.config.section_name(&idx.sections[s], code),
            List::Author(a) => idx.config.author_name(&idx.authors[a], code),
        }
    }
}

/// `robots.txt`: everything allowed, and where the sitemaps are (the index and the news
/// sitemap).
fn robots(r: &Renderer) -> String {
    let base = &r.index.config.base_url;
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n"
    )
}

fn syntax_css(r: &Renderer) -> Result<Vec<u8>, Diagnostic> {
    let h = &r.index.config.highlight;
    crate::highlight::stylesheet(&h.light_theme, &h.dark_theme)
        .map(String::into_bytes)
        .map_err(|e| Diagnostic::error("config.toml", format!("{e:#}")))
}

pub fn lang_pos(index: &Index, code: &str) -> usize {
    index.langs.iter().position(|l| l.code == code).unwrap_or(0)
}

fn internal(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "batmi",
        format!("internal error while preparing template data: {e}"),
    )
}

/// Used by feeds and sitemap: the page's last change.
pub fn last_change(p: &Page) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    p.updated.or(p.date)
}
