//! One `sitemap.xml` for all languages, with `xhtml:link` hreflang alternates between translations.

use serde_json::{Value, json};

use super::context::absolute;
use super::data::{Data, Make};
use super::{Job, Renderer, last_change};

pub fn data(r: &Renderer) -> Data {
    let idx = r.index;
    let config = &idx.config;
    let mut urls: Vec<Value> = Vec::new();
    let alt = |v: &super::context::Versions| -> Vec<Value> {
        if v.existing.len() < 2 {
            return Vec::new();
        }
        v.existing
            .iter()
            .map(|(l, p)| json!({ "lang": l, "href": absolute(config, p) }))
            .collect()
    };
    for (i, p) in idx.pages.iter().enumerate() {
        urls.push(json!({
            "loc": absolute(config, &p.url),
            "lastmod": last_change(p).map(|d| d.to_rfc3339()),
            "alternates": alt(&r.page_versions(i)),
        }));
    }
    for job in r.plan() {
        let path = match job {
            Job::Home(_) | Job::Archive(..) | Job::TagIndex(_) | Job::Tag(..) => r.path(job),
            _ => continue,
        };
        let url = format!("/{}", path.trim_end_matches("index.html"));
        urls.push(json!({ "loc": absolute(config, &url), "lastmod": null, "alternates": [] }));
    }
    let mut d = Data::new(Make::Bare {
        name: "sitemap.xml",
    });
    d.value("urls", Value::Array(urls));
    d
}
