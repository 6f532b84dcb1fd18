//! The plan: every file the site consists of, with its path. Two outputs never share a path:
//! a clash (a plain page at the URL of a generated list, two stories with one URL, a static
//! file over a generated page) is found here, once, and reported naming both sources.

use std::collections::HashMap;
use std::path::Path;

use super::{Job, List, Renderer};
use crate::diag::Diagnostic;

/// The site path of page `n` of the list whose first page is `first` (`/news/`): the first
/// page for 0, numbered page `n` (counted from the oldest stories) otherwise.
pub fn paged_url(first: &str, n: usize) -> String {
    if n == 0 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// The file of an alias: `/news/old/` → `news/old/index.html`, `/old.html` → `old.html`.
fn alias_file(alias: &str) -> String {
    match alias.ends_with('/') {
        true => dir_file(alias),
        false => alias.trim_start_matches('/').to_string(),
    }
}

/// The file of a directory URL: `/en/news/` → `en/news/index.html`.
fn dir_file(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

impl Renderer<'_> {
    /// Every file of the site, in a stable order.
    pub fn plan(&self) -> Vec<Job> {
        let mut jobs: Vec<Job> = (0..self.index.pages.len()).map(Job::Page).collect();
        for (l, li) in self.index.langs.iter().enumerate() {
            jobs.push(Job::Home(l));
            let pages = self.pages_of(li.articles.len());
            jobs.extend((0..=pages).map(|n| Job::Archive(l, n)));
            jobs.push(Job::TagIndex(l));
            let lists = (li.tags.iter().map(|(t, v)| (List::Tag(*t), v)))
                .chain(li.sections.iter().map(|(s, v)| (List::Section(*s), v)))
                .chain(li.authors.iter().map(|(a, v)| (List::Author(*a), v)));
            for (list, stories) in lists {
                let pages = self.pages_of(stories.len());
                jobs.extend((0..=pages).map(|n| Job::List(l, list, n)));
                jobs.push(Job::Feed(l, Some(list)));
            }
            jobs.push(Job::Feed(l, None));
            if self.index.config.search.enabled {
                jobs.push(Job::Search(l));
                jobs.push(Job::SearchIndex(l));
            }
            jobs.push(Job::NotFound(l));
        }
        let pages = &self.index.pages;
        jobs.extend(
            (0..pages.len())
                .flat_map(|i| (0..pages[i].aliases.len()).map(move |k| Job::Alias(i, k))),
        );
        if pages.iter().any(|p| !p.aliases.is_empty()) {
            jobs.push(Job::Redirects);
        }
        jobs.extend(super::sitemap::jobs(self, &jobs));
        jobs.extend([Job::Robots, Job::SyntaxCss]);
        jobs.extend((0..self.assets.jobs.len()).map(Job::Asset));
        jobs
    }

    pub(super) fn prefix(&self, l: usize) -> String {
        self.index.config.lang_prefix(&self.index.langs[l].code)
    }

    /// The URL of the first page of tag `t`'s list in language `l`.
    pub(super) fn tag_url(&self, l: usize, t: usize) -> String {
        self.list_url(l, List::Tag(t))
    }

    /// The URL of the first page of `list` in language `l`: `/tags/<slug>/`,
    /// `/sections/<id>/` or `/authors/<id>/` under the language's prefix.
    pub fn list_url(&self, l: usize, list: List) -> String {
        let idx = self.index;
        let (dir, slug) = match list {
            List::Tag(t) => ("tags", &idx.tags[t].slug),
            List::Section(s) => ("sections", &idx.sections[s]),
            List::Author(a) => ("authors", &idx.authors[a]),
        };
        format!("{}/{dir}/{slug}/", self.prefix(l))
    }

    /// The site path of a job's file, relative to the output root (`en/news/x/index.html`).
    pub fn path(&self, job: Job) -> String {
        let file = |path: String| path.trim_start_matches('/').to_string();
        match job {
            Job::Page(i) => dir_file(&self.index.pages[i].url),
            Job::Home(l) => dir_file(&format!("{}/", self.prefix(l))),
            Job::Archive(l, n) => dir_file(&paged_url(&format!("{}/news/", self.prefix(l)), n)),
            Job::TagIndex(l) => dir_file(&format!("{}/tags/", self.prefix(l))),
            Job::List(l, list, n) => dir_file(&paged_url(&self.list_url(l, list), n)),
            Job::Feed(l, None) => file(format!("{}/atom.xml", self.prefix(l))),
            Job::Feed(l, Some(list)) => file(format!("{}atom.xml", self.list_url(l, list))),
            Job::Alias(i, k) => alias_file(&self.index.pages[i].aliases[k]),
            Job::Redirects => "_redirects".into(),
            Job::Search(l) => dir_file(&format!("{}/search/", self.prefix(l))),
            Job::SearchIndex(l) => file(format!(
                "{}/search/{}",
                self.prefix(l),
                crate::search::MANIFEST
            )),
            Job::NotFound(l) => file(format!("{}/404.html", self.prefix(l))),
            Job::Sitemap(part) => part.path(),
            Job::Robots => "robots.txt".into(),
            Job::SyntaxCss => "syntax.css".into(),
            Job::Asset(k) => self.assets.jobs[k].path.clone(),
        }
    }

    /// Who makes a job's file, for messages: the story's file, or what batmi generates.
    fn source(&self, job: Job) -> String {
        let code = |l: usize| &self.index.langs[l].code;
        let list = |list: List| match list {
            List::Tag(t) => format!("tag \"{}\"", self.index.tags[t].name),
            List::Section(s) => format!("section \"{}\"", self.index.sections[s]),
            List::Author(a) => format!("author \"{}\"", self.index.authors[a]),
        };
        match job {
            Job::Page(i) => self.index.pages[i].path.display().to_string(),
            Job::Home(l) => format!("the home page of language {}", code(l)),
            Job::Archive(l, 0) => format!("the archive of language {}", code(l)),
            Job::Archive(l, n) => format!("page {n} of the archive of language {}", code(l)),
            Job::TagIndex(l) => format!("the tag index of language {}", code(l)),
            Job::List(l, x, 0) => format!("the page of {} in language {}", list(x), code(l)),
            Job::List(l, x, n) => format!("page {n} of {} in language {}", list(x), code(l)),
            Job::Feed(l, None) => format!("the feed of language {}", code(l)),
            Job::Feed(l, Some(x)) => format!("the feed of {} in language {}", list(x), code(l)),
            Job::Alias(i, k) => format!(
                "the alias {} of {}",
                self.index.pages[i].aliases[k],
                self.index.pages[i].path.display()
            ),
            Job::Redirects => "the redirects file (_redirects)".into(),
            Job::Search(l) | Job::SearchIndex(l) => format!("the search of language {}", code(l)),
            Job::NotFound(l) => format!("the 404 page of language {}", code(l)),
            Job::Sitemap(part) => part.describe(),
            Job::Robots => "robots.txt".into(),
            Job::SyntaxCss => "the code highlighting stylesheet".into(),
            Job::Asset(k) => self.assets.describe(k, self.index),
        }
    }

    /// Every output with its path, or an error for each path that two sources would write:
    /// two outputs, or an output and one of `statics` (site paths of the files in `static/`).
    pub fn planned(&self, statics: &[String]) -> Result<Vec<(Job, String)>, Vec<Diagnostic>> {
        let plan: Vec<(Job, String)> = self.plan().into_iter().map(|j| (j, self.path(j))).collect();
        let mut owner: HashMap<&str, Job> = HashMap::with_capacity(plan.len());
        let mut errors = Vec::new();
        for (job, path) in &plan {
            if let Some(first) = owner.insert(path.as_str(), *job) {
                errors.push(self.clash(path, first, &self.source(*job), *job));
            }
        }
        for s in statics {
            if let Some(&job) = owner.get(s.as_str()) {
                let file = Path::new("static").join(s);
                errors.push(self.clash(s, job, &file.display().to_string(), job));
            }
        }
        if errors.is_empty() {
            Ok(plan)
        } else {
            Err(errors)
        }
    }

    /// `path` would be written by `first` and by `other` (described as `other_source`).
    fn clash(&self, path: &str, first: Job, other_source: &str, other: Job) -> Diagnostic {
        // Point at a story's file where one is involved: that is what the user can change.
        let alias = [other, first].into_iter().find_map(|j| match j {
            Job::Alias(i, _) => Some(i),
            _ => None,
        });
        if let Some(i) = alias {
            let p = &self.index.pages[i];
            let line = crate::content::frontmatter::line_of_key(self.root, &p.path, "aliases");
            let message = format!(
                "two outputs would be written to /{path}: {} and {other_source}",
                self.source(first)
            );
            return Diagnostic::error(&p.path, message)
                .at(line, 1)
                .help("an alias must be an old address that nothing else uses now: remove it from aliases = [...] or change it");
        }
        let page = [other, first].into_iter().find_map(|j| match j {
            Job::Page(i) => Some(i),
            _ => None,
        });
        let message = format!(
            "two outputs would be written to /{path}: {} and {other_source}",
            self.source(first)
        );
        match page {
            Some(i) => Diagnostic::error(&self.index.pages[i].path, message)
                .at(1, 1)
                .help("give the page another slug = \"...\" in its front matter (a plain page's slug must not be news, tags, search, page or a language code)"),
            None => Diagnostic::error(other_source, message)
                .help("rename or move the file so that it does not take the place of a page batmi generates"),
        }
    }
}
