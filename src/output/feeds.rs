//! Atom 1.0 feeds, per language and per tag per language, rendered from `atom.xml`.

use serde_json::{Value, json};

use super::context::absolute;
use super::data::{Data, Entry, Make};
use super::{List, Renderer, last_change};
use crate::diag::Diagnostic;

/// The feed of language `l`, or of one list in it: the newest `feed_limit` stories, full text.
pub fn data(r: &Renderer, l: usize, list: Option<List>) -> Data {
    let idx = r.index;
    let config = &idx.config;
    let lc = &r.langs[l];
    let li = &idx.langs[l];
    let (list, title, page_path): (&[usize], String, String) = match list {
        None => (
            &li.articles,
            config.title_in(&lc.code).to_string(),
            format!("{}/", config.lang_prefix(&lc.code)),
        ),
        Some(list) => {
            let name = r.list_name(l, list);
            let what = match list {
                List::Tag(_) => crate::i18n::fill(lc.t("stories_tagged"), &[("tag", name)]),
                List::Section(_) | List::Author(_) => name.to_string(),
            };
            (
                r.list(l, list),
                format!("{} — {what}", config.title_in(&lc.code)),
                r.list_url(l, list),
            )
        }
    };
    let list = &list[..config.feed_limit.min(list.len())];
    let updated = list
        .iter()
        .filter_map(|&j| last_change(&idx.pages[j]))
        .max()
        .map(|d| d.to_rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let self_url = absolute(config, &format!("{page_path}atom.xml"));
    let mut d = Data::new(Make::Template {
        name: "atom.xml",
        lang: l,
    });
    d.value(
        "feed",
        json!({
            "title": title,
            "id": self_url,
            "self_url": self_url,
            "alternate": absolute(config, &page_path),
            "updated": updated,
            "subtitle": lc.site["description"],
        }),
    );
    d.set("entries", Entry::FeedEntries(list.to_vec()));
    d
}

/// The entries of the stories `list`, with their full text.
pub fn entries(r: &Renderer, list: &[usize]) -> Result<Value, Diagnostic> {
    let idx = r.index;
    list.iter()
        .map(|&j| {
            let item = &r.items[j];
            let author = match item.author.as_str() {
                "" => idx.config.title_in(&item.lang).to_string(),
                a => a.to_string(),
            };
            Ok(json!({
                "title": item.title,
                "url": item.permalink,
                "published": item.date_iso,
                "updated": item.updated_iso,
                "author": author,
                "summary": item.summary,
                "content": r.body_html(j)?,
                "tags": item.tags,
            }))
        })
        .collect::<Result<Vec<_>, Diagnostic>>()
        .map(Value::Array)
}
