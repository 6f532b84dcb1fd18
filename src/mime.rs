//! The `Content-Type` of a site file: one table for `serve` and `publish`, so the preview
//! serves every file as the host will. Types come from `mime_guess`; feeds named
//! `atom.xml` are Atom, other XML is `application/xml`, and text types say their charset (everything batmi writes is UTF-8).

/// The `Content-Type` a site file (`tags/meta/atom.xml`) is served and uploaded with.
pub fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "atom.xml" || name.ends_with(".atom.xml") {
        return "application/atom+xml; charset=utf-8".into();
    }
    // mime_guess says text/xml; application/xml is what RFC 7303 recommends.
    if name.ends_with(".xml") {
        return "application/xml; charset=utf-8".into();
    }
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let text = mime.type_() == "text"
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "atom+xml" | "rss+xml" | "manifest+json"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn site_files_get_the_types_hosts_expect() {
        let cases = [
            ("en/news/x/index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("search/index.json", "application/json; charset=utf-8"),
            ("tags/meta/atom.xml", "application/atom+xml; charset=utf-8"),
            ("atom.xml", "application/atom+xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("favicon.svg", "image/svg+xml; charset=utf-8"),
            ("img/a.png", "image/png"),
            ("img/a.webp", "image/webp"),
            ("img/a.jpg", "image/jpeg"),
            ("fonts/x.woff2", "font/woff2"),
            ("_redirects", "application/octet-stream"),
        ];
        for (path, want) in cases {
            assert_eq!(content_type(path), want, "{path}");
        }
    }
}
