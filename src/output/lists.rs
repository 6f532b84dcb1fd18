//! Lists and the pages around them: home, archive, tag index, tag pages, search and 404,
//! each as its [`Data`]. Pagination is worked out in one place ([`Renderer::page_range`]).

use serde_json::{Value, json};

use super::Renderer;
use super::context::{Versions, absolute, href, paginator};
use super::data::{Data, Entry, Make};
use super::plan::paged_url;

impl Renderer<'_> {
    /// The indexes (into `list`) shown on page `n` (1-based) of a list.
    pub(super) fn page_range(&self, len: usize, n: usize) -> std::ops::Range<usize> {
        let per = self.index.config.paginate_by;
        let start = ((n - 1) * per).min(len);
        start..(start + per).min(len)
    }

    pub(super) fn pages_of(&self, len: usize) -> usize {
        len.div_ceil(self.index.config.paginate_by).max(1)
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

    pub(super) fn tag_page(&self, l: usize, t: usize, n: usize) -> Data {
        let idx = self.index;
        let config = &idx.config;
        let lc = &self.langs[l];
        let tag = &idx.tags[t];
        let name = crate::taxonomy::display_name(config, &tag.name, &lc.code);
        let first = self.tag_url(l, t);
        let title = crate::i18n::fill(lc.t("stories_tagged"), &[("tag", name)]);
        let mut d = self.html(l, "tag.html", &paged_url(&first, n), &title);
        // The tag's page in every language that has the tag.
        let existing = idx
            .langs
            .iter()
            .enumerate()
            .filter(|(_, li)| li.tags.iter().any(|(x, _)| *x == t))
            .map(|(k, li)| (li.code.clone(), self.tag_url(k, t)))
            .collect();
        self.versions(&mut d, l, &Versions { existing });
        let list = self.tag_list(l, t);
        self.list_page(&mut d, l, &first, list, n);
        d.value(
            "tag",
            json!({
                "name": name,
                "slug": tag.slug,
                "url": href(&first),
                "count": lc.count("story_count", list.len() as u64),
                "feed": absolute(config, &format!("{first}atom.xml")),
            }),
        );
        d
    }

    /// The items and the paginator of page `n` of `list`.
    fn list_page(&self, d: &mut Data, l: usize, first: &str, list: &[usize], n: usize) {
        let shown = list[self.page_range(list.len(), n)].to_vec();
        d.set("items", Entry::Items(shown));
        d.value(
            "paginator",
            paginator(&self.langs[l], first, n, self.pages_of(list.len())),
        );
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
