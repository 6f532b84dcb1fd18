//! The output stage: the plan of every file the site consists of, and how each is rendered.
//! Each output is a pure function of its inputs, whose hash (`Job::fingerprint`) lets `serve`
//! re-render only what an edit touched.

pub mod context;
pub mod feeds;
pub mod sitemap;
pub mod write;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde_json::json;

use crate::content::{Kind, Page};
use crate::diag::Diagnostic;
use crate::index::Index;
use crate::templates::Templates;
use context::{Ctx, Item, LangCtx, Versions, base, href, item, paginator};
use serde_json::Value;

/// One generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// A page (article or plain) by index.
    Page(usize),
    /// Home of language `l` (index into `Index::langs`).
    Home(usize),
    /// Archive page `n` (1-based) of language `l`.
    Archive(usize, usize),
    TagIndex(usize),
    /// Page `n` of tag `t` (index into `Index::tags`) in language `l`.
    Tag(usize, usize, usize),
    /// Atom feed of language `l`, of one tag when `Some`.
    Feed(usize, Option<usize>),
    Search(usize),
    /// The search index of language `l` (`search/index.json`).
    SearchIndex(usize),
    NotFound(usize),
    Sitemap,
    Robots,
    SyntaxCss,
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
    /// Per template name: the hash of the config and of the templates it uses, the part of
    /// every fingerprint that is the same for all its outputs.
    base_fps: Vec<(&'static str, u64)>,
    config_hash: u64,
    card_fp: u64,
}

/// The part of the fingerprint of every output made with template `name` that does not
/// depend on the output: the config, the templates `name` uses, and the card template
/// (cards are in most outputs, so a card change reaches them all).
fn base_fp(templates: &Templates, config_hash: u64, card_fp: u64, name: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (config_hash, templates.fingerprint(name), card_fp).hash(&mut h);
    h.finish()
}

/// Every template `Renderer::template` names ("" for outputs made without one): their
/// fingerprint bases are worked out once per renderer.
const TEMPLATE_NAMES: [&str; 11] = [
    "article.html",
    "page.html",
    "index.html",
    "archive.html",
    "tags.html",
    "tag.html",
    "atom.xml",
    "search.html",
    "404.html",
    "sitemap.xml",
    "",
];

/// A page's list summary, its card and its template value: made once, and kept across
/// rebuilds by `serve` while the page and the card template stay the same.
pub struct CachedItem {
    key: u64,
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
        let mut h = DefaultHasher::new();
        format!("{:?}", index.config).hash(&mut h);
        let config_hash = h.finish();
        let card_fp = templates.fingerprint("card.html");
        let items = index
            .pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let mut h = DefaultHasher::new();
                (config_hash, card_fp, p.meta_hash).hash(&mut h);
                let key = h.finish();
                let prior = match reuse.items {
                    PriorItems::None => None,
                    PriorItems::Aligned(items) => items.get(i),
                    PriorItems::ByPath(cache) => cache.get(&p.path),
                };
                if let Some(hit) = prior.filter(|c| c.key == key) {
                    return Ok(Arc::clone(hit));
                }
                let lc = &langs[lang_pos(index, &p.lang)];
                let mut it = item(index, lc, p);
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
        let base_fps = TEMPLATE_NAMES
            .iter()
            .map(|&name| (name, base_fp(templates, config_hash, card_fp, name)))
            .collect();
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
        Ok(Renderer {
            root,
            index,
            templates,
            langs,
            items,
            shared_bodies,
            base_fps,
            config_hash,
            card_fp,
        })
    }

    /// What the next renderer may reuse: the language contexts and the page summaries
    /// (in `index.pages` order).
    pub fn into_parts(self) -> (Vec<LangCtx>, Vec<Arc<CachedItem>>) {
        (self.langs, self.items)
    }

    /// Every file of the site, in a stable order.
    pub fn plan(&self) -> Vec<Job> {
        let per = self.index.config.paginate_by;
        let mut jobs: Vec<Job> = (0..self.index.pages.len()).map(Job::Page).collect();
        for (l, li) in self.index.langs.iter().enumerate() {
            jobs.push(Job::Home(l));
            let pages = li.articles.len().div_ceil(per).max(1);
            jobs.extend((1..=pages).map(|n| Job::Archive(l, n)));
            jobs.push(Job::TagIndex(l));
            for (t, list) in &li.tags {
                let pages = list.len().div_ceil(per).max(1);
                jobs.extend((1..=pages).map(|n| Job::Tag(l, *t, n)));
                jobs.push(Job::Feed(l, Some(*t)));
            }
            jobs.push(Job::Feed(l, None));
            if self.index.config.search.enabled {
                jobs.push(Job::Search(l));
                jobs.push(Job::SearchIndex(l));
            }
            jobs.push(Job::NotFound(l));
        }
        jobs.extend([Job::Sitemap, Job::Robots, Job::SyntaxCss]);
        jobs
    }

    fn prefix(&self, l: usize) -> String {
        self.index.config.lang_prefix(&self.index.langs[l].code)
    }

    /// The site path of a job's file, relative to the output root (`en/news/x/index.html`).
    pub fn path(&self, job: Job) -> String {
        let dir = |url: String| format!("{}index.html", url.trim_start_matches('/'));
        let paged = |first: String, n: usize| {
            if n == 1 {
                dir(first)
            } else {
                dir(format!("{first}page/{n}/"))
            }
        };
        match job {
            Job::Page(i) => dir(self.index.pages[i].url.clone()),
            Job::Home(l) => dir(format!("{}/", self.prefix(l))),
            Job::Archive(l, n) => paged(format!("{}/news/", self.prefix(l)), n),
            Job::TagIndex(l) => dir(format!("{}/tags/", self.prefix(l))),
            Job::Tag(l, t, n) => paged(
                format!("{}/tags/{}/", self.prefix(l), self.index.tags[t].slug),
                n,
            ),
            Job::Feed(l, None) => format!("{}/atom.xml", self.prefix(l))
                .trim_start_matches('/')
                .to_string(),
            Job::Feed(l, Some(t)) => format!(
                "{}/tags/{}/atom.xml",
                self.prefix(l),
                self.index.tags[t].slug
            )
            .trim_start_matches('/')
            .to_string(),
            Job::Search(l) => dir(format!("{}/search/", self.prefix(l))),
            Job::SearchIndex(l) => format!("{}/search/index.json", self.prefix(l))
                .trim_start_matches('/')
                .to_string(),
            Job::NotFound(l) => format!("{}/404.html", self.prefix(l))
                .trim_start_matches('/')
                .to_string(),
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
            Job::SyntaxCss => "syntax.css".into(),
        }
    }

    fn template(&self, job: Job) -> &'static str {
        match job {
            Job::Page(i) if self.index.pages[i].kind == Kind::Article => "article.html",
            Job::Page(_) => "page.html",
            Job::Home(_) => "index.html",
            Job::Archive(..) => "archive.html",
            Job::TagIndex(_) => "tags.html",
            Job::Tag(..) => "tag.html",
            Job::Feed(..) => "atom.xml",
            Job::Search(_) => "search.html",
            Job::NotFound(_) => "404.html",
            Job::Sitemap => "sitemap.xml",
            Job::Robots | Job::SyntaxCss | Job::SearchIndex(_) => "",
        }
    }

    /// A hash of everything the job's bytes depend on: when it is unchanged, so is the file.
    pub fn fingerprint(&self, job: Job) -> u64 {
        let mut h = DefaultHasher::new();
        job.hash(&mut h);
        let name = self.template(job);
        // Precomputed for every name in `TEMPLATE_NAMES`; worked out here for any other.
        match self.base_fps.iter().find(|(n, _)| *n == name) {
            Some((_, fp)) => fp.hash(&mut h),
            None => base_fp(self.templates, self.config_hash, self.card_fp, name).hash(&mut h),
        }
        let idx = self.index;
        let meta = |i: usize, h: &mut DefaultHasher| idx.pages[i].meta_hash.hash(h);
        let lang_nav = |l: usize, h: &mut DefaultHasher| {
            // Navigation shows the about page and the most used tags.
            self.langs[l].site_hash.hash(h);
        };
        match job {
            Job::Page(i) => {
                idx.pages[i].source_hash.hash(&mut h);
                idx.pages[i].url.hash(&mut h);
                self.hash_link_targets(i, &mut h);
                for j in idx.translations_of(i) {
                    idx.pages[j].url.hash(&mut h);
                }
                if idx.pages[i].kind == Kind::Article {
                    for &j in &idx.related[i] {
                        meta(j, &mut h);
                    }
                }
                lang_nav(lang_pos(idx, &idx.pages[i].lang), &mut h);
            }
            Job::Home(l) | Job::Archive(l, _) | Job::Feed(l, None) => {
                let li = &idx.langs[l];
                li.articles.len().hash(&mut h);
                let range = match job {
                    Job::Archive(_, n) => self.page_range(li.articles.len(), n),
                    Job::Home(_) => 0..idx.config.home_items.min(li.articles.len()),
                    _ => 0..idx.config.feed_limit.min(li.articles.len()),
                };
                for &j in &li.articles[range] {
                    meta(j, &mut h);
                    if matches!(job, Job::Feed(..)) {
                        idx.pages[j].source_hash.hash(&mut h);
                        self.hash_link_targets(j, &mut h);
                    }
                }
                lang_nav(l, &mut h);
            }
            Job::Tag(l, t, n) => {
                let list = self.tag_list(l, t);
                list.len().hash(&mut h);
                for &j in &list[self.page_range(list.len(), n)] {
                    meta(j, &mut h);
                }
                lang_nav(l, &mut h);
            }
            Job::Feed(l, Some(t)) => {
                let list = self.tag_list(l, t);
                for &j in &list[..idx.config.feed_limit.min(list.len())] {
                    meta(j, &mut h);
                    idx.pages[j].source_hash.hash(&mut h);
                    self.hash_link_targets(j, &mut h);
                }
            }
            Job::TagIndex(l) | Job::Search(l) | Job::NotFound(l) => {
                for (t, list) in &idx.langs[l].tags {
                    (t, list.len()).hash(&mut h);
                }
                lang_nav(l, &mut h);
            }
            Job::Sitemap => {
                for p in &idx.pages {
                    (&p.url, &p.date, &p.updated).hash(&mut h);
                }
                for li in &idx.langs {
                    li.articles.len().hash(&mut h);
                    for (t, list) in &li.tags {
                        (t, list.len()).hash(&mut h);
                    }
                }
            }
            Job::SearchIndex(l) => {
                for &j in &idx.langs[l].articles {
                    meta(j, &mut h);
                    idx.pages[j].source_hash.hash(&mut h);
                }
            }
            Job::Robots | Job::SyntaxCss => {}
        }
        h.finish()
    }

    /// Where page `i`'s `@/` links point now: its body shows these URLs.
    fn hash_link_targets(&self, i: usize, h: &mut DefaultHasher) {
        let idx = self.index;
        let page = &idx.pages[i];
        for link in &page.links {
            if let Some(path) = link.raw.strip_prefix("@/") {
                let path = path.split('#').next().unwrap_or(path);
                crate::content::resolve_link(&idx.urls, &idx.config, &page.lang, path).hash(h);
            }
        }
    }

    fn page_range(&self, len: usize, n: usize) -> std::ops::Range<usize> {
        let per = self.index.config.paginate_by;
        let start = ((n - 1) * per).min(len);
        start..(start + per).min(len)
    }

    pub fn tag_list(&self, l: usize, t: usize) -> &[usize] {
        self.index.langs[l]
            .tags
            .iter()
            .find(|(x, _)| *x == t)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// Renders one job to bytes.
    pub fn render(&self, job: Job) -> Result<Vec<u8>, Diagnostic> {
        let mut buf = Vec::new();
        self.render_into(job, &mut buf)?;
        Ok(buf)
    }

    /// Renders one job into `buf`, which is cleared first; threads reuse their buffer.
    pub fn render_into(&self, job: Job, buf: &mut Vec<u8>) -> Result<(), Diagnostic> {
        let idx = self.index;
        let config = &idx.config;
        let templates = self.templates;
        match job {
            Job::Page(i) => {
                let p = &idx.pages[i];
                let lc = &self.langs[lang_pos(idx, &p.lang)];
                let mut ctx = base(lc, idx, &p.url, &p.title, &p.summary);
                self.page_versions(i).insert(idx, &p.lang, &mut ctx);
                let mut page = self.items[i].value.clone();
                page["content"] = json!(self.body_html(i)?);
                page["extra"] = serde_json::to_value(&p.extra).map_err(internal)?;
                page["image"] = json!(
                    p.image
                        .as_ref()
                        .map(|img| absolute_or_site(config, img))
                        .unwrap_or_default()
                );
                ctx.set("page", page);
                if p.kind == Kind::Article {
                    let related: Vec<Value> = idx.related[i]
                        .iter()
                        .map(|&j| self.items[j].value.clone())
                        .collect();
                    ctx.set("related", Value::Array(related));
                }
                ctx.render_with(lc, templates, self.template(job), buf)
            }
            Job::Home(l) => {
                let lc = &self.langs[l];
                let li = &idx.langs[l];
                let mut ctx = base(
                    lc,
                    idx,
                    &format!("{}/", self.prefix(l)),
                    config.title_in(&lc.code),
                    "",
                );
                self.lang_versions(|pre| format!("{pre}/"))
                    .insert(idx, &lc.code, &mut ctx);
                let items: Vec<Value> = li
                    .articles
                    .iter()
                    .copied()
                    .take(config.home_items)
                    .map(|j| self.items[j].value.clone())
                    .collect();
                let mut items = items.into_iter();
                ctx.set("lead", items.next().unwrap_or(Value::Null));
                ctx.set("items", Value::Array(items.collect()));
                ctx.render_with(lc, templates, "index.html", buf)
            }
            Job::Archive(l, n) => {
                let lc = &self.langs[l];
                let li = &idx.langs[l];
                let first = format!("{}/news/", self.prefix(l));
                let path = self.url_of(&first, n);
                let mut ctx = base(lc, idx, &path, lc.t("archive_title"), "");
                self.lang_versions(|pre| format!("{pre}/news/"))
                    .insert(idx, &lc.code, &mut ctx);
                let total = li.articles.len().div_ceil(config.paginate_by).max(1);
                let items: Vec<Value> = li.articles[self.page_range(li.articles.len(), n)]
                    .iter()
                    .copied()
                    .map(|j| self.items[j].value.clone())
                    .collect();
                ctx.set("items", Value::Array(items));
                ctx.set("paginator", paginator(lc, &first, n, total));
                ctx.render_with(lc, templates, "archive.html", buf)
            }
            Job::TagIndex(l) => {
                let lc = &self.langs[l];
                let mut ctx = base(
                    lc,
                    idx,
                    &format!("{}/tags/", self.prefix(l)),
                    lc.t("all_tags"),
                    "",
                );
                self.lang_versions(|pre| format!("{pre}/tags/"))
                    .insert(idx, &lc.code, &mut ctx);
                ctx.put("tags", &self.tag_refs(l));
                ctx.render_with(lc, templates, "tags.html", buf)
            }
            Job::Tag(l, t, n) => {
                let lc = &self.langs[l];
                let tag = &idx.tags[t];
                let name = crate::taxonomy::display_name(config, &tag.name, &lc.code);
                let first = format!("{}/tags/{}/", self.prefix(l), tag.slug);
                let path = self.url_of(&first, n);
                let title = crate::i18n::fill(lc.t("stories_tagged"), &[("tag", name)]);
                let mut ctx = base(lc, idx, &path, &title, "");
                let versions = Versions {
                    existing: idx
                        .langs
                        .iter()
                        .filter(|li| li.tags.iter().any(|(x, _)| *x == t))
                        .map(|li| {
                            (
                                li.code.clone(),
                                format!("{}/tags/{}/", config.lang_prefix(&li.code), tag.slug),
                            )
                        })
                        .collect(),
                };
                versions.insert(idx, &lc.code, &mut ctx);
                let list = self.tag_list(l, t);
                let total = list.len().div_ceil(config.paginate_by).max(1);
                let items: Vec<Value> = list[self.page_range(list.len(), n)]
                    .iter()
                    .copied()
                    .map(|j| self.items[j].value.clone())
                    .collect();
                ctx.set("items", Value::Array(items));
                ctx.set("paginator", paginator(lc, &first, n, total));
                ctx.set(
                    "tag",
                    json!({
                        "name": name,
                        "slug": tag.slug,
                        "url": href(&first),
                        "count": lc.count("story_count", list.len() as u64),
                        "feed": context::absolute(config, &format!("{first}atom.xml")),
                    }),
                );
                ctx.render_with(lc, templates, "tag.html", buf)
            }
            Job::Feed(l, t) => feeds::render(self, l, t).map(|b| *buf = b),
            Job::SearchIndex(l) => {
                crate::search::index_json(self, l, Default::default()).map(|b| *buf = b)
            }
            Job::Search(l) => {
                let lc = &self.langs[l];
                let mut ctx = base(
                    lc,
                    idx,
                    &format!("{}/search/", self.prefix(l)),
                    lc.t("search"),
                    "",
                );
                self.lang_versions(|pre| format!("{pre}/search/"))
                    .insert(idx, &lc.code, &mut ctx);
                ctx.put("tags", &self.tag_refs(l));
                ctx.render_with(lc, templates, "search.html", buf)
            }
            Job::NotFound(l) => {
                let lc = &self.langs[l];
                let mut ctx = base(
                    lc,
                    idx,
                    &format!("{}/404.html", self.prefix(l)),
                    lc.t("not_found_title"),
                    "",
                );
                self.lang_versions(|pre| format!("{pre}/"))
                    .insert(idx, &lc.code, &mut ctx);
                ctx.put("tags", &self.tag_refs(l));
                ctx.render_with(lc, templates, "404.html", buf)
            }
            Job::Sitemap => sitemap::render(self).map(|b| *buf = b),
            Job::Robots => {
                *buf = format!(
                    "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
                    config.base_url
                )
                .into_bytes();
                Ok(())
            }
            Job::SyntaxCss => crate::highlight::stylesheet(
                &config.highlight.light_theme,
                &config.highlight.dark_theme,
            )
            .map(|css| *buf = css.into_bytes())
            .map_err(|e| Diagnostic::error("config.toml", format!("{e:#}"))),
        }
    }

    /// A page's body as HTML, rendered now from its file.
    pub fn body_html(&self, i: usize) -> Result<String, Diagnostic> {
        let idx = self.index;
        let render = || {
            crate::content::page_html(self.root, &idx.pages[i], &idx.urls, &idx.config)
                .map_err(|mut d| d.remove(0))
        };
        match self.shared_bodies.get(&i) {
            Some(once) => once.get_or_init(render).clone(),
            None => render(),
        }
    }

    fn url_of(&self, first: &str, n: usize) -> String {
        if n == 1 {
            first.to_string()
        } else {
            format!("{first}page/{n}/")
        }
    }

    /// The language versions of page `i`: itself and its translations.
    pub fn page_versions(&self, i: usize) -> Versions {
        let idx = self.index;
        let mut existing: Vec<(String, String)> = std::iter::once(i)
            .chain(idx.translations_of(i))
            .map(|j| (idx.pages[j].lang.clone(), idx.pages[j].url.clone()))
            .collect();
        let order = idx.config.language_codes();
        existing.sort_by_key(|(l, _)| order.iter().position(|c| c == l));
        Versions { existing }
    }

    /// Pages that exist in every language at the same path under the language prefix.
    fn lang_versions(&self, path: impl Fn(&str) -> String) -> Versions {
        Versions {
            existing: self
                .index
                .config
                .language_codes()
                .iter()
                .map(|c| (c.clone(), path(&self.index.config.lang_prefix(c))))
                .collect(),
        }
    }

    fn tag_refs(&self, l: usize) -> Vec<serde_json::Value> {
        let lc = &self.langs[l];
        let config = &self.index.config;
        let mut tags: Vec<_> = self.index.langs[l].tags.iter().collect();
        tags.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        tags.iter()
            .map(|(t, list)| {
                let tag = &self.index.tags[*t];
                json!({
                    "name": crate::taxonomy::display_name(config, &tag.name, &lc.code),
                    "slug": tag.slug,
                    "url": href(&format!("{}/tags/{}/", self.prefix(l), tag.slug)),
                    "count": lc.count("story_count", list.len() as u64),
                    "n": list.len(),
                })
            })
            .collect()
    }
}

/// An image path as an absolute URL (for Open Graph and JSON-LD).
fn absolute_or_site(config: &crate::config::Config, img: &str) -> String {
    if img.starts_with("http://") || img.starts_with("https://") {
        img.to_string()
    } else {
        context::absolute(config, &format!("/{}", img.trim_start_matches('/')))
    }
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
