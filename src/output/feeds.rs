//! Atom 1.0 feeds, per language and per tag per language, rendered from `atom.xml`.

use serde_json::{Value, json};

use super::context::{Ctx, absolute};
use super::{Renderer, last_change};
use crate::diag::Diagnostic;

/// The feed of language `l`, or of tag `t` in it: the newest `feed_limit` stories, full text.
pub fn render(r: &Renderer, l: usize, t: Option<usize>) -> Result<Vec<u8>, Diagnostic> {
    let idx = r.index;
    let config = &idx.config;
    let lc = &r.langs[l];
    let li = &idx.langs[l];
    let prefix = config.lang_prefix(&lc.code);
    let (list, title, page_path): (&[usize], String, String) = match t {
        None => (
            &li.articles,
            config.title_in(&lc.code).to_string(),
            format!("{prefix}/"),
        ),
        Some(t) => {
            let tag = &idx.tags[t];
            let name = crate::taxonomy::display_name(config, &tag.name, &lc.code);
            (
                r.tag_list(l, t),
                format!(
                    "{} — {}",
                    config.title_in(&lc.code),
                    crate::i18n::fill(lc.t("stories_tagged"), &[("tag", name)])
                ),
                format!("{prefix}/tags/{}/", tag.slug),
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
    let entries = list
        .iter()
        .map(|&j| {
            let p = &idx.pages[j];
            let item = &r.items[j];
            Ok(json!({
                "title": p.title,
                "url": item.permalink,
                "published": item.date_iso,
                "updated": item.updated_iso,
                "author": p.author.clone().unwrap_or_else(|| config.title_in(&lc.code).to_string()),
                "summary": p.summary,
                "content": r.body_html(j)?,
                "tags": item.tags,
            }))
        })
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    let self_url = absolute(config, &format!("{page_path}atom.xml"));
    let mut ctx = Ctx::new();
    ctx.set(
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
    ctx.set("entries", Value::Array(entries));
    let mut out = Vec::new();
    ctx.render_with(lc, r.templates, "atom.xml", &mut out)?;
    Ok(out)
}
