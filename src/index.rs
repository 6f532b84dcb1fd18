//! The immutable index of the site: pages sorted once, grouped by language, tag and translation.
//! Every list, tag page and feed is a slice of it.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

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
    /// Per section (index into `Index::sections`), its articles newest first; only sections
    /// with stories in this language, in navigation order.
    pub sections: Vec<(usize, Vec<usize>)>,
    /// Per author (index into `Index::authors`), their articles newest first; only authors
    /// with stories in this language.
    pub authors: Vec<(usize, Vec<usize>)>,
}

/// Everything the output stage reads. Built once; never changed afterwards.
pub struct Index {
    pub config: Config,
    pub pages: Vec<Page>,
    /// Stories dated after the build's clock, held back until then (not built; kept in the
    /// build manifest so that a later build shows them without reading them again).
    pub held: Vec<Page>,
    pub langs: Vec<LangIndex>,
    /// All tags, sorted by slug.
    pub tags: Vec<Tag>,
    /// Section ids of config.toml, in navigation order.
    pub sections: Vec<String>,
    /// Author ids of config.toml, sorted.
    pub authors: Vec<String>,
    /// Groups of pages that translate each other (same kind and stem), in language order.
    pub groups: Vec<Vec<usize>>,
    /// Per page, its group in `groups`.
    pub group_of: Vec<usize>,
    /// Per article, up to four stories sharing a tag with it (see `Index::related`).
    pub related: Vec<Vec<usize>>,
    /// (dir, stem, lang) → URL, for `@/` links when bodies are rendered.
    pub urls: crate::content::UrlMap,
}

impl Index {
    /// Tags of language `l` with their story counts, the most used first (ties by slug).
    pub fn tags_by_count(&self, l: usize) -> impl Iterator<Item = (usize, usize)> + use<> {
        let mut tags: Vec<(usize, usize)> = self.langs[l]
            .tags
            .iter()
            .map(|(t, list)| (*t, list.len()))
            .collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        tags.into_iter()
    }

    pub fn new(config: Config, pages: Vec<Page>) -> Index {
        let (mut pages, held): (Vec<Page>, Vec<Page>) =
            pages.into_iter().partition(|p| !config.is_scheduled(p));
        let codes = config.language_codes();
        let order = |lang: &str| codes.iter().position(|c| c == lang).unwrap_or(usize::MAX);
        pages.sort_by(|a, b| {
            order(&a.lang)
                .cmp(&order(&b.lang))
                .then(a.kind.cmp(&b.kind))
                .then(b.date.cmp(&a.date))
                .then(a.slug.cmp(&b.slug))
        });
        // Each spelling of a tag is slugged once; the first spelling met names the tag.
        let mut slug_of: HashMap<&str, String> = HashMap::new();
        let mut tag_names: BTreeMap<String, String> = BTreeMap::new();
        for p in &pages {
            for t in &p.tags {
                if !slug_of.contains_key(t.as_str()) {
                    let slug = taxonomy::slug(&config, t);
                    tag_names.entry(slug.clone()).or_insert_with(|| t.clone());
                    slug_of.insert(t, slug);
                }
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
        let mut langs: Vec<LangIndex> = codes
            .iter()
            .map(|code| LangIndex {
                code: code.clone(),
                ..LangIndex::default()
            })
            .collect();
        let mut group_no: FxHashMap<(Kind, &str), usize> = FxHashMap::default();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of = Vec::with_capacity(pages.len());
        let mut page_tags: Vec<Vec<usize>> = Vec::with_capacity(pages.len());
        let mut per_tag: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); tags.len()]; langs.len()];
        let sections: Vec<String> = config.section_ids().into_iter().map(String::from).collect();
        let authors: Vec<String> = config.authors.keys().cloned().collect();
        let position = |ids: &[String], id: &str| ids.iter().position(|x| x == id);
        let mut per_section = vec![vec![Vec::new(); sections.len()]; langs.len()];
        let mut per_author = vec![vec![Vec::new(); authors.len()]; langs.len()];
        for (i, p) in pages.iter().enumerate() {
            let l = order(&p.lang);
            let g = *group_no.entry((p.kind, &p.stem)).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
            group_of.push(g);
            let mut own = Vec::new();
            match p.kind {
                // An expired story keeps its page but leaves every list and feed.
                Kind::Article if config.is_expired(p) => {}
                Kind::Article => {
                    langs[l].articles.push(i);
                    if let Some(s) = p.section.as_deref().and_then(|s| position(&sections, s)) {
                        per_section[l][s].push(i);
                    }
                    for a in &p.authors {
                        if let Some(a) = position(&authors, a)
                            && per_author[l][a].last() != Some(&i)
                        {
                            per_author[l][a].push(i);
                        }
                    }
                    for t in &p.tags {
                        let ti = tag_of_slug[slug_of[t.as_str()].as_str()];
                        if !own.contains(&ti) {
                            own.push(ti);
                            per_tag[l][ti].push(i);
                        }
                    }
                }
                Kind::Plain => langs[l].plain.push(i),
            }
            page_tags.push(own);
        }
        let used = |lists: Vec<Vec<usize>>| -> Vec<(usize, Vec<usize>)> {
            lists
                .into_iter()
                .enumerate()
                .filter(|(_, v)| !v.is_empty())
                .collect()
        };
        for (l, ((tags, sections), authors)) in per_tag
            .into_iter()
            .zip(per_section)
            .zip(per_author)
            .enumerate()
        {
            langs[l].tags = used(tags);
            langs[l].sections = used(sections);
            langs[l].authors = used(authors);
        }
        let urls = crate::content::url_map(pages.iter());
        let related = (0..pages.len())
            .into_par_iter()
            .map(|i| match pages[i].kind {
                Kind::Article => related(&langs[order(&pages[i].lang)], &page_tags[i], i, 4),
                Kind::Plain => Vec::new(),
            })
            .collect();
        Index {
            config,
            pages,
            held,
            urls,
            langs,
            tags,
            sections,
            authors,
            groups,
            group_of,
            related,
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
        self.groups[self.group_of[i]]
            .iter()
            .copied()
            .filter(move |&j| j != i)
    }
}

/// Up to `n` stories of `lang` sharing a tag with article `i` (whose tags are `tags`): the
/// stories just before it in each of its tags, first tag first, and only where those run out
/// the ones just after it. So a new story is nobody's related story but in tags of fewer
/// than `n + 1` stories, and publishing does not change old pages. Cheap (no scan over whole
/// tags) and stable.
fn related(lang: &LangIndex, tags: &[usize], i: usize, n: usize) -> Vec<usize> {
    let lists: Vec<(&[usize], usize)> = tags
        .iter()
        .filter_map(|&ti| {
            let (_, list) = lang.tags.iter().find(|(x, _)| *x == ti)?;
            // Lists hold page indexes in ascending order (pages are sorted newest first).
            let pos = list.binary_search(&i).ok()?;
            Some((list.as_slice(), pos))
        })
        .collect();
    let mut out = Vec::new();
    let older = lists.iter().flat_map(|&(list, pos)| list[pos + 1..].iter());
    let newer = lists
        .iter()
        .flat_map(|&(list, pos)| list[..pos].iter().rev());
    for &j in older.chain(newer) {
        if out.len() == n {
            break;
        }
        if !out.contains(&j) {
            out.push(j);
        }
    }
    out
}
