//! The immutable index of the site: pages sorted once, grouped by language, tag and translation.
//! Every list, tag page and feed is a slice of it.

use std::collections::{BTreeMap, HashMap};

use crate::config::Config;
use crate::content::{Kind, Page};
use crate::taxonomy::{self, Tag};

/// Pages of one language.
#[derive(Debug, Default)]
pub struct LangIndex {
    pub code: String,
    /// Articles, newest first (ties by slug): indexes into `Index::pages`.
    pub articles: Vec<usize>,
    pub plain: Vec<usize>,
    /// Per tag (index into `Index::tags`), its articles newest first. Only tags used in this language.
    pub tags: Vec<(usize, Vec<usize>)>,
}

/// Everything the output stage reads. Built once; never changed afterwards.
pub struct Index {
    pub config: Config,
    pub pages: Vec<Page>,
    pub langs: Vec<LangIndex>,
    /// All tags, sorted by slug.
    pub tags: Vec<Tag>,
    /// (kind, stem) → pages that translate each other, in language order.
    pub translations: HashMap<(Kind, String), Vec<usize>>,
    /// (dir, stem, lang) → URL, for `@/` links when bodies are rendered.
    pub urls: crate::content::UrlMap,
}

impl Index {
    pub fn new(config: Config, mut pages: Vec<Page>) -> Index {
        let order: HashMap<String, usize> = config
            .language_codes()
            .into_iter()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect();
        pages.sort_by(|a, b| {
            order[&a.lang]
                .cmp(&order[&b.lang])
                .then(a.kind.cmp(&b.kind))
                .then(b.date.cmp(&a.date))
                .then(a.slug.cmp(&b.slug))
        });
        let mut tag_names: BTreeMap<String, String> = BTreeMap::new();
        for p in &pages {
            for t in &p.tags {
                tag_names
                    .entry(taxonomy::slug(&config, t))
                    .or_insert_with(|| t.clone());
            }
        }
        let tags: Vec<Tag> = tag_names
            .into_iter()
            .map(|(slug, name)| Tag { name, slug })
            .collect();
        let tag_of_slug: HashMap<&str, usize> = tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.as_str(), i))
            .collect();
        let mut langs: Vec<LangIndex> = config
            .language_codes()
            .into_iter()
            .map(|code| LangIndex {
                code,
                ..LangIndex::default()
            })
            .collect();
        let mut translations: HashMap<(Kind, String), Vec<usize>> = HashMap::new();
        let mut per_tag: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); tags.len()]; langs.len()];
        for (i, p) in pages.iter().enumerate() {
            let l = order[&p.lang];
            translations
                .entry((p.kind, p.stem.clone()))
                .or_default()
                .push(i);
            match p.kind {
                Kind::Article => {
                    langs[l].articles.push(i);
                    let mut seen = Vec::new();
                    for t in &p.tags {
                        let ti = tag_of_slug[taxonomy::slug(&config, t).as_str()];
                        if !seen.contains(&ti) {
                            seen.push(ti);
                            per_tag[l][ti].push(i);
                        }
                    }
                }
                Kind::Plain => langs[l].plain.push(i),
            }
        }
        for (l, lists) in per_tag.into_iter().enumerate() {
            langs[l].tags = lists
                .into_iter()
                .enumerate()
                .filter(|(_, v)| !v.is_empty())
                .collect();
        }
        let urls = crate::content::url_map(pages.iter());
        Index {
            config,
            pages,
            urls,
            langs,
            tags,
            translations,
        }
    }

    /// The slug of a canonical tag name, as used in this index.
    pub fn tag_index(&self, name: &str) -> Option<usize> {
        let slug = taxonomy::slug(&self.config, name);
        self.tags
            .binary_search_by(|t| t.slug.as_str().cmp(&slug))
            .ok()
    }

    pub fn lang(&self, code: &str) -> &LangIndex {
        self.langs
            .iter()
            .find(|l| l.code == code)
            .expect("every page's language is configured")
    }

    /// The other-language versions of page `i`.
    pub fn translations_of(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let p = &self.pages[i];
        self.translations[&(p.kind, p.stem.clone())]
            .iter()
            .copied()
            .filter(move |&j| j != i)
    }

    /// Up to `n` stories sharing a tag with article `i`: its nearest neighbours in time
    /// in each of its tags, first tag first. Cheap (no scan over whole tags) and stable.
    pub fn related(&self, i: usize, n: usize) -> Vec<usize> {
        let p = &self.pages[i];
        let lang = self.lang(&p.lang);
        let mut out = Vec::new();
        for t in &p.tags {
            let Some(ti) = self.tag_index(t) else {
                continue;
            };
            let Some((_, list)) = lang.tags.iter().find(|(x, _)| *x == ti) else {
                continue;
            };
            // Lists hold page indexes in ascending order (pages are sorted newest first).
            let Ok(pos) = list.binary_search(&i) else {
                continue;
            };
            let mut step = 1;
            while out.len() < n && (pos >= step || pos + step < list.len()) {
                for cand in [pos.checked_sub(step), Some(pos + step)]
                    .into_iter()
                    .flatten()
                {
                    if let Some(&j) = list.get(cand)
                        && !out.contains(&j)
                        && out.len() < n
                    {
                        out.push(j);
                    }
                }
                step += 1;
                if step > n {
                    break;
                }
            }
            if out.len() >= n {
                break;
            }
        }
        out
    }
}
