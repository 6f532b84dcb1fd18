//! Lists and the pages around them: home, archive, tag index, tag pages, search and 404,
//! each as its [`Data`]. Pagination is worked out in one place ([`Renderer::page_range`]).
//!
//! Pagination is stable. The first page of a list (`/news/`, `/tags/meta/`) shows its newest
//! stories. The numbered pages (`/news/page/1/`, ...) count from the oldest story: page 1 holds
//! the oldest [`paginate_by`](crate::Config) stories, page 2 the next, and the last numbered
//! page the newest few. So a numbered page keeps showing the same stories as the archive
//! grows, and a new story changes the first page and the newest numbered page only (and, each
//! time a numbered page fills, the two before the new one, whose links reach it).

use serde_json::{Value, json};

use super::context::{Versions, absolute, href};
use super::data::{Data, Entry, Make};
use super::plan::paged_url;
use super::{List, Renderer};

impl Renderer<'_> {
    /// The positions in `list` (newest first) shown on page `n` of a list of `len` stories:
    /// the newest on the first page (`n == 0`), the `n`-th `paginate_by` counted from the
    /// oldest on numbered page `n`.
    pub(super) fn page_range(&self, len: usize, n: usize) -> std::ops::Range<usize> {
        let per = self.index.config.paginate_by;
        if n == 0 {
            return 0..per.min(len);
        }
        len.saturating_sub(n * per)..len - ((n - 1) * per).min(len)
    }

    /// How many numbered pages a list of `len` stories has: none when the first page shows
    /// them all.
    pub(super) fn pages_of(&self, len: usize) -> usize {
        numbered_pages(len, self.index.config.paginate_by)
    }

    /// A page of language `l` with the fields every HTML page has.
    fn html(&self, l: usize, name: &'static str, path: &str, title: &str) -> Data {
        let mut d = Data::new(Make::Template { name, lang: l });
        self.base(&mut d, l, path, title, "");
        d
    }

    pub(super) fn home(&self, l: usize) -> Data {
        let li = &self.index.langs[l];
        let path = format!("{}/", self.prefix(l));
        let mut d = self.html(l, "index.html", &path, self.index.config.title_in(&li.code));
        self.lang_versions(&mut d, l, |pre| format!("{pre}/"));
        let shown = &li.articles[..self.index.config.home_items.min(li.articles.len())];
        match shown.split_first() {
            Some((&lead, _)) => d.set("lead", Entry::Item(lead)),
            None => d.value("lead", Value::Null),
        };
        d.set(
            "items",
            Entry::Items(shown.iter().skip(1).copied().collect()),
        );
        d
    }

    pub(super) fn archive(&self, l: usize, n: usize) -> Data {
        let li = &self.index.langs[l];
        let first = format!("{}/news/", self.prefix(l));
        let title = self.langs[l].t("archive_title").to_string();
        let mut d = self.html(l, "archive.html", &paged_url(&first, n), &title);
        self.lang_versions(&mut d, l, |pre| format!("{pre}/news/"));
        self.list_page(&mut d, l, &first, &li.articles, n);
        d
    }

    /// Page `n` of a tag's (`tag.html`), section's (`section.html`) or author's
    /// (`author.html`) list.
    pub(super) fn list_data(&self, l: usize, list: List, n: usize) -> Data {
        let idx = self.index;
        let config = &idx.config;
        let lc = &self.langs[l];
        let name = self.list_name(l, list);
        let first = self.list_url(l, list);
        let (template, key, title) = match list {
            List::Tag(_) => (
                "tag.html",
                "tag",
                crate::i18n::fill(lc.t("stories_tagged"), &[("tag", name)]),
            ),
            List::Section(_) => ("section.html", "section", name.to_string()),
            List::Author(_) => ("author.html", "author", name.to_string()),
        };
        let mut d = self.html(l, template, &paged_url(&first, n), &title);
        // The list's page in every language that has it.
        let existing = (0..idx.langs.len())
            .filter(|&k| !self.list(k, list).is_empty())
            .map(|k| (idx.langs[k].code.clone(), self.list_url(k, list)))
            .collect();
        self.versions(&mut d, l, &Versions { existing });
        let stories = self.list(l, list);
        self.list_page(&mut d, l, &first, stories, n);
        let mut v = json!({
            "name": name,
            "url": href(&first),
            // Only on the first page: numbered pages must not change with every story.
            "count": (n == 0).then(|| lc.count("story_count", stories.len() as u64)),
            "feed": absolute(config, &format!("{first}atom.xml")),
        });
        match list {
            List::Tag(t) => v["slug"] = json!(idx.tags[t].slug),
            List::Section(s) => v["id"] = json!(idx.sections[s]),
            List::Author(a) => {
                let id = &idx.authors[a];
                let person = &config.authors[id];
                v["id"] = json!(id);
                v["bio"] = json!(
                    person
                        .bio
                        .get(&lc.code)
                        .or_else(|| person.bio.get(&config.default_language))
                );
                v["photo"] = json!(person.photo.as_deref().map(|p| match p.starts_with('/') {
                    true => href(p),
                    false => p.to_string(),
                }));
                v["email"] = json!(person.email);
                v["same_as"] = json!(person.same_as());
                v["x"] = json!(person.x.as_deref().map(|x| x.trim_start_matches('@')));
                v["website"] = json!(person.website);
            }
        }
        d.value(key, v);
        d
    }

    /// The items and the paginator of page `n` of `list`.
    fn list_page(&self, d: &mut Data, l: usize, first: &str, list: &[usize], n: usize) {
        let shown = list[self.page_range(list.len(), n)].to_vec();
        d.set("items", Entry::Items(shown));
        let pages = Pages {
            first,
            n,
            total: self.pages_of(list.len()),
            per: self.index.config.paginate_by,
            len: list.len(),
        };
        d.value("paginator", paginator(&self.langs[l], &pages));
    }

    pub(super) fn tag_index(&self, l: usize) -> Data {
        self.with_tags(l, "tags.html", "tags/", "all_tags")
    }

    pub(super) fn search_page(&self, l: usize) -> Data {
        self.with_tags(l, "search.html", "search/", "search")
    }

    pub(super) fn not_found(&self, l: usize) -> Data {
        let path = format!("{}/404.html", self.prefix(l));
        let title = self.langs[l].t("not_found_title").to_string();
        let mut d = self.html(l, "404.html", &path, &title);
        self.lang_versions(&mut d, l, |pre| format!("{pre}/"));
        d.value("tags", self.tag_refs(l));
        d
    }

    /// A page at `<prefix>/<dir>` in every language that shows every tag.
    fn with_tags(&self, l: usize, name: &'static str, dir: &str, title_key: &str) -> Data {
        let path = format!("{}/{dir}", self.prefix(l));
        let title = self.langs[l].t(title_key).to_string();
        let mut d = self.html(l, name, &path, &title);
        self.lang_versions(&mut d, l, |pre| format!("{pre}/{dir}"));
        d.value("tags", self.tag_refs(l));
        d
    }

    /// Pages that exist in every language at the same path under the language prefix.
    fn lang_versions(&self, d: &mut Data, l: usize, path: impl Fn(&str) -> String) {
        let config = &self.index.config;
        let existing = config
            .language_codes()
            .iter()
            .map(|c| (c.clone(), path(&config.lang_prefix(c))))
            .collect();
        self.versions(d, l, &Versions { existing });
    }

    /// Every tag of language `l`, the most used first.
    fn tag_refs(&self, l: usize) -> Value {
        let lc = &self.langs[l];
        let config = &self.index.config;
        let refs = self
            .index
            .tags_by_count(l)
            .map(|(t, n)| {
                let tag = &self.index.tags[t];
                json!({
                    "name": crate::taxonomy::display_name(config, &tag.name, &lc.code),
                    "slug": tag.slug,
                    "url": href(&self.tag_url(l, t)),
                    "count": lc.count("story_count", n as u64),
                    "n": n,
                })
            })
            .collect();
        Value::Array(refs)
    }
}

/// Numbered pages of a list of `len` stories, `per` to a page.
pub fn numbered_pages(len: usize, per: usize) -> usize {
    if len <= per { 0 } else { len.div_ceil(per) }
}

/// Where page `n` of a list sits among its pages.
struct Pages<'a> {
    first: &'a str,
    n: usize,
    total: usize,
    per: usize,
    len: usize,
}

/// The template's `paginator`: links to the newer and the older page, to the first page
/// (the newest stories) and to numbered pages near this one. Nothing in it depends on how
/// many pages there are beyond the next two, so an old page stays as it was.
fn paginator(lc: &super::context::LangCtx, p: &Pages) -> Value {
    let url = |k: usize| href(&paged_url(p.first, k));
    let (newer, older) = match p.n {
        0 => (None, (p.total > 0).then(|| (p.len - 1 - p.per) / p.per + 1)),
        n => (
            Some(if n == p.total { 0 } else { n + 1 }),
            n.checked_sub(1).filter(|&k| k > 0),
        ),
    };
    // Around this page; the first page's neighbours are the newest numbered pages.
    let around = if p.n == 0 { p.total } else { p.n };
    let mut pages = Vec::new();
    for k in 1..=p.total {
        if k == 1 || k.abs_diff(around) <= 2 {
            pages.push(json!({ "n": lc.fmt.number(k as u64), "url": url(k), "current": k == p.n }));
        } else if k == 2 {
            pages.push(json!({ "gap": true }));
        }
    }
    let label = if p.n == 0 {
        String::new()
    } else {
        crate::i18n::fill(lc.t("page_n"), &[("n", &lc.fmt.number(p.n as u64))])
    };
    json!({
        "current": p.n,
        // Whether there are numbered pages at all: not how many, which would change every
        // page's data each time one is added.
        "show": p.total > 0,
        "label": label,
        "newest": (p.n > 0).then(|| url(0)),
        "prev": newer.map(url),
        "next": older.map(url),
        "pages": pages,
    })
}
