//! The Google News sitemap, `sitemap-news.xml`: the stories of every language published in
//! the two days before the build's clock, newest first, at most 1,000, with the
//! `news:publication` (the language's site title and code), date and title of each.
//!
//! It is the one output that depends on when the build runs, so the clock is an input like
//! any other: `Config::now`, set by `load_site` from `SOURCE_DATE_EPOCH` (the reproducible
//! builds convention) or the system clock. Everything else stays a function of the sources.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::Renderer;
use super::context::absolute;
use super::data::{Data, Make};

/// Google reads stories of the last two days from a news sitemap.
pub const WINDOW_HOURS: i64 = 48;
/// And at most this many.
pub const MAX_STORIES: usize = 1000;

/// The news sitemap's template data; with no clock, no story is recent.
pub fn data(r: &Renderer) -> Data {
    let config = &r.index.config;
    let mut recent: Vec<usize> = match config.now {
        Some(now) => recent_stories(r, now),
        None => Vec::new(),
    };
    recent.truncate(MAX_STORIES);
    let urls: Vec<Value> = recent
        .iter()
        .map(|&i| {
            let p = &r.index.pages[i];
            json!({
                "loc": absolute(config, &p.url),
                "publication": config.title_in(&p.lang),
                "language": p.lang,
                "date": p.date.map(|d| d.to_rfc3339()),
                "title": p.title,
            })
        })
        .collect();
    let mut d = Data::new(Make::Bare {
        name: "news_sitemap.xml",
    });
    d.value("urls", Value::Array(urls));
    d
}

/// Stories dated within the window before `now` (none after it), newest first.
fn recent_stories(r: &Renderer, now: DateTime<Utc>) -> Vec<usize> {
    let from = now - Duration::hours(WINDOW_HOURS);
    let mut out: Vec<usize> = r
        .index
        .langs
        .iter()
        .flat_map(|l| l.articles.iter().copied())
        .filter(|&i| r.index.pages[i].date.is_some_and(|d| d > from && d <= now))
        .collect();
    // Newest first; ties in language, then index order, so the file is the same every time.
    out.sort_by(|&a, &b| {
        r.index.pages[b]
            .date
            .cmp(&r.index.pages[a].date)
            .then(a.cmp(&b))
    });
    out
}
