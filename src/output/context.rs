//! Template data: per-language site data made once, small summaries of every page made once,
//! and the context of each kind of page assembled from them.

use std::cell::RefCell;

use serde::Serialize;
use serde_json::{Value, json};

use crate::config::Config;
use crate::content::{ItemSource, Kind};
use crate::diag::Diagnostic;
use crate::i18n::{LocaleFormat, fill};
use crate::index::Index;
use crate::taxonomy;
use crate::templates::Templates;

/// Characters that must be escaped in a URL path (the rest, Devanagari included, is UTF-8 encoded).
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// A site path as it goes into an `href`: non-ASCII letters percent-encoded.
pub fn href(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

/// An absolute URL for a site path.
pub fn absolute(config: &Config, path: &str) -> String {
    format!("{}{}", config.base_url, href(path))
}

/// Template data under construction. Values already built (site data, item summaries) go in
/// by clone with `set`; Tera's own `insert` would serialize them all over again.
#[derive(Default)]
pub struct Ctx(serde_json::Map<String, Value>);

impl Ctx {
    pub fn new() -> Ctx {
        Ctx::default()
    }

    pub fn set(&mut self, key: &str, value: Value) {
        self.0.insert(key.to_string(), value);
    }

    pub fn put<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        let v = serde_json::to_value(value).unwrap_or(Value::Null);
        self.0.insert(key.to_string(), v);
    }

    pub fn into_tera(self) -> tera::Context {
        tera::Context::from_value(Value::Object(self.0)).expect("a map is an object")
    }

    /// Renders template `name` with this context plus the language's `site`, `t` and `lang`.
    ///
    /// Tera 1 renders from an owned context, and `site` and `t` are the largest part of
    /// every page's data. Rather than copy them for each of thousands of pages, each thread
    /// keeps one context per language holding them; this page's entries are moved in for the
    /// render and taken out again after it. The context is keyed by the language and the
    /// hash of its data, so a rebuild with other site data or strings starts a fresh one.
    pub fn render_with(
        self,
        lc: &LangCtx,
        templates: &Templates,
        name: &str,
        buf: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        thread_local! {
            static SHARED: RefCell<Vec<(String, u64, tera::Context)>> = const { RefCell::new(Vec::new()) };
        }
        SHARED.with_borrow_mut(|shared| {
            let pos = match shared
                .iter()
                .position(|(code, hash, _)| *code == lc.code && *hash == lc.site_hash)
            {
                Some(pos) => pos,
                None => {
                    shared.retain(|(code, _, _)| *code != lc.code);
                    let mut ctx = tera::Context::new();
                    ctx.insert("site", &lc.site);
                    ctx.insert("t", &lc.strings);
                    ctx.insert("lang", &lc.code);
                    shared.push((lc.code.clone(), lc.site_hash, ctx));
                    shared.len() - 1
                }
            };
            let ctx = &mut shared[pos].2;
            let keys: Vec<String> = self.0.keys().cloned().collect();
            debug_assert!(
                !keys.iter().any(|k| SHARED_KEYS.contains(&k.as_str())),
                "{keys:?} would replace the shared entries"
            );
            ctx.extend(self.into_tera());
            let result = templates.render_into(name, ctx, buf);
            for k in &keys {
                ctx.remove(k);
            }
            result
        })
    }
}

/// The entries [`Ctx::render_with`] supplies itself.
const SHARED_KEYS: [&str; 3] = ["site", "t", "lang"];

/// What every page of one language shares: computed once per build.
pub struct LangCtx {
    pub code: String,
    pub fmt: LocaleFormat,
    pub site: Value,
    pub strings: Value,
    /// Hash of `site` and `strings`: what every page of the language shows around its content.
    pub site_hash: u64,
}

impl LangCtx {
    pub fn new(index: &Index, code: &str) -> anyhow::Result<LangCtx> {
        let config = &index.config;
        let lang = config.language(code);
        let fmt = LocaleFormat::new(code, lang)?;
        let prefix = config.lang_prefix(code);
        let li = index.lang(code);
        let nav_names: Vec<String> = match &config.nav_tags {
            Some(names) => names.clone(),
            None => {
                let l = index.langs.iter().position(|x| x.code == code).unwrap_or(0);
                index
                    .tags_by_count(l)
                    .take(5)
                    .map(|(t, _)| index.tags[t].name.clone())
                    .collect()
            }
        };
        let nav: Vec<Value> = nav_names
            .iter()
            .map(|n| {
                let slug = taxonomy::slug(config, n);
                json!({
                    "name": taxonomy::display_name(config, n, code),
                    "slug": slug,
                    "url": href(&format!("{prefix}/tags/{slug}/")),
                })
            })
            .collect();
        let sections: Vec<Value> = li
            .sections
            .iter()
            .map(|(s, _)| {
                let id = &index.sections[*s];
                json!({
                    "name": config.section_name(id, code),
                    "slug": id,
                    "url": href(&format!("{prefix}/sections/{id}/")),
                })
            })
            .collect();
        let about = li
            .plain
            .iter()
            .find(|&&i| index.pages[i].stem == "about")
            .map(|&i| href(&index.pages[i].url));
        let languages: Vec<Value> = config
            .language_codes()
            .iter()
            .map(|c| {
                json!({
                    "code": c,
                    "name": config.language(c).name.clone()
                        .or_else(|| config.language(c).strings.get("language_name").cloned())
                        .unwrap_or_else(|| c.clone()),
                    "home": href(&format!("{}/", config.lang_prefix(c))),
                })
            })
            .collect();
        let site = json!({
            "title": config.title_in(code),
            "description": lang.description.clone().unwrap_or_default(),
            "base_url": config.base_url,
            "lang": code,
            "default_language": config.default_language,
            "home": href(&format!("{prefix}/")),
            "news": href(&format!("{prefix}/news/")),
            "tags": href(&format!("{prefix}/tags/")),
            "search": if config.search.enabled { href(&format!("{prefix}/search/")) } else { String::new() },
            "feed": absolute(config, &format!("{prefix}/atom.xml")),
            "about": about,
            "nav": nav,
            "sections": sections,
            "languages": languages,
            "generator": concat!("batmi ", env!("CARGO_PKG_VERSION")),
        });
        let strings = serde_json::to_value(&lang.strings)?;
        let mut h = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&site.to_string(), &mut h);
        std::hash::Hash::hash(&strings.to_string(), &mut h);
        Ok(LangCtx {
            code: code.to_string(),
            fmt,
            site,
            strings,
            site_hash: std::hash::Hasher::finish(&h),
        })
    }

    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).and_then(Value::as_str).unwrap_or(key)
    }

    /// "४ मिनिटे वाचन", "1 story": a count in the language's digits with the right plural.
    pub fn count(&self, key: &str, n: u64) -> String {
        let form = if n == 1 { "one" } else { "other" };
        fill(
            self.t(&format!("{key}_{form}")),
            &[("n", &self.fmt.number(n))],
        )
    }
}

/// A tag as a link.
#[derive(Serialize, Clone)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// A page as it appears in lists, feeds and related stories.
#[derive(Serialize, Clone)]
pub struct Item {
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub date: String,
    pub date_iso: String,
    pub updated: String,
    pub updated_iso: String,
    pub summary: String,
    /// The byline: the authors' names, or the one-off `author`.
    pub author: String,
    /// The story's authors with their pages (empty for a one-off `author`).
    pub authors: Vec<TagRef>,
    /// The story's section, when it has one.
    pub section: Option<TagRef>,
    pub tags: Vec<TagRef>,
    pub reading_time: String,
    pub image: String,
    pub image_alt: String,
    pub lang: String,
    /// The item rendered once with `card.html`, reused by every list it appears in. Kept in
    /// the item's template value (`CachedItem::value`); empty in the `Item` itself.
    pub card: String,
}

/// Builds the list summary of page `i`.
pub fn item(config: &Config, lc: &LangCtx, page: ItemSource) -> Item {
    let prefix = config.lang_prefix(page.lang);
    let minutes = page
        .words
        .div_ceil(config.language(page.lang).words_per_minute.unwrap_or(200) as usize)
        .max(1);
    Item {
        title: page.title.to_string(),
        url: href(page.url),
        permalink: absolute(config, page.url),
        date: page
            .date
            .map(|d| lc.fmt.date(d.date_naive()))
            .unwrap_or_default(),
        date_iso: page.date.map(|d| d.to_rfc3339()).unwrap_or_default(),
        updated: page
            .updated
            .map(|d| lc.fmt.date(d.date_naive()))
            .unwrap_or_default(),
        updated_iso: page
            .updated
            .or(page.date)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default(),
        summary: page.summary.to_string(),
        author: match page.authors.is_empty() {
            true => page.author.unwrap_or_default().to_string(),
            false => page
                .authors
                .iter()
                .map(|a| config.author_name(a, page.lang))
                .collect::<Vec<_>>()
                .join(", "),
        },
        authors: page
            .authors
            .iter()
            .map(|a| TagRef {
                name: config.author_name(a, page.lang).to_string(),
                slug: a.clone(),
                url: href(&format!("{prefix}/authors/{a}/")),
            })
            .collect(),
        section: page.section.map(|s| TagRef {
            name: config.section_name(s, page.lang).to_string(),
            slug: s.to_string(),
            url: href(&format!("{prefix}/sections/{s}/")),
        }),
        tags: page
            .tags
            .iter()
            .map(|t| {
                let slug = taxonomy::slug(config, t);
                TagRef {
                    name: taxonomy::display_name(config, t, page.lang).to_string(),
                    url: href(&format!("{prefix}/tags/{slug}/")),
                    slug,
                }
            })
            .collect(),
        reading_time: if page.kind == Kind::Article {
            lc.count("reading_time", minutes as u64)
        } else {
            String::new()
        },
        image: page.image.unwrap_or_default().to_string(),
        image_alt: page.image_alt.unwrap_or_default().to_string(),
        lang: page.lang.to_string(),
        card: String::new(),
    }
}

/// Links between language versions of one output: hreflang alternates and the switcher.
pub struct Versions {
    /// (lang, site path) of every existing version, this one included.
    pub existing: Vec<(String, String)>,
}

impl Versions {
    /// The context entries `alternates`, `x_default` and `switch` of the version in `lang`.
    pub fn values(&self, index: &Index, lang: &str) -> (Value, Value, Value) {
        let config = &index.config;
        let alternates: Vec<Value> = self
            .existing
            .iter()
            .map(|(l, p)| json!({ "lang": l, "url": absolute(config, p) }))
            .collect();
        let x_default = self
            .existing
            .iter()
            .find(|(l, _)| *l == config.default_language)
            .or(self.existing.first())
            .map(|(_, p)| absolute(config, p))
            .unwrap_or_default();
        let switch: Vec<Value> = config
            .language_codes()
            .iter()
            .filter(|c| c.as_str() != lang)
            .map(|c| {
                let target = self.existing.iter().find(|(l, _)| l == c);
                let url = match target {
                    Some((_, p)) => href(p),
                    None => href(&format!("{}/", config.lang_prefix(c))),
                };
                let l = config.language(c);
                json!({
                    "lang": c,
                    "url": url,
                    "translated": target.is_some(),
                    "label": l.strings.get("edition").cloned().unwrap_or_else(|| c.clone()),
                    "name": l.name.clone().or_else(|| l.strings.get("language_name").cloned()).unwrap_or_else(|| c.clone()),
                })
            })
            .collect();
        (
            Value::Array(alternates),
            Value::String(x_default),
            Value::Array(switch),
        )
    }
}

/// The first page of the list that `path` is a later page of (`/tags/x/` for
/// `/tags/x/page/3/`), or "" when `path` is not a later page of a list.
pub fn list_path(path: &str) -> &str {
    let Some(rest) = path.strip_suffix('/') else {
        return "";
    };
    match rest.rsplit_once("/page/") {
        Some((first, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            &path[..first.len() + 1]
        }
        _ => "",
    }
}

/// Pagination data for page `n` (1-based) of `total`, under `first` (`/news/`).
#[cfg(test)]
mod tests {
    use super::list_path;

    #[test]
    fn list_path_is_the_first_page_of_a_later_page() {
        assert_eq!(list_path("/tags/meta/page/3/"), "/tags/meta/");
        assert_eq!(list_path("/en/news/page/12/"), "/en/news/");
        assert_eq!(list_path("/page/2/"), "/");
        assert_eq!(list_path("/tags/मुंबई/page/2/"), "/tags/मुंबई/");
        assert_eq!(list_path("/tags/meta/"), "");
        assert_eq!(list_path("/news/page/"), "");
        assert_eq!(list_path("/news/page/x/"), "");
        assert_eq!(list_path("/page/"), "");
        assert_eq!(list_path("/news/page/2/index.html"), "");
    }
}
