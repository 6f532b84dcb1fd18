//! Where a link leads: resolved as a browser would, against the site's own paths.

use std::collections::HashSet;

/// `en/news/x/index.html` → `/en/news/x/`; `atom.xml` → `/atom.xml`.
pub(super) fn site_path(rel: &str) -> String {
    let rel = rel.replace('\\', "/");
    match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{rel}"),
    }
}

/// The values of every `id="..."` attribute in an HTML document.
pub(super) fn html_ids(html: &str) -> HashSet<String> {
    attribute_values(html, "id").collect()
}

/// The values of every `href` and `src` attribute in an HTML document: what it links to.
pub(super) fn html_refs(html: &str) -> HashSet<String> {
    attribute_values(html, "href")
        .chain(attribute_values(html, "src"))
        .collect()
}

/// Values of the quoted attribute `name` (preceded by whitespace, so `data-id` is not `id`).
fn attribute_values<'a>(html: &'a str, name: &str) -> impl Iterator<Item = String> + 'a {
    let needle = format!("{name}=");
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let i = rest.find(&needle)?;
            let before = rest[..i].chars().next_back();
            rest = &rest[i + needle.len()..];
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            rest = &rest[1..];
            let end = rest.find(quote)?;
            let value = unescape(&rest[..end]);
            rest = &rest[end..];
            return Some(value);
        }
    })
}

pub(super) fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Where a link in a page leads.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// A path on this site, percent-decoded, and the `#fragment` if any.
    Site {
        path: String,
        fragment: Option<String>,
    },
    /// An http(s) URL elsewhere.
    External(String),
    /// `mailto:`, `tel:` and other schemes, or an e-mail autolink: not checked.
    Other,
}

/// Resolves `target`, written on the page at `page_url`, as a browser would.
pub(super) fn resolve(target: &str, page_url: &str, base_url: &str) -> Target {
    let target = target.trim();
    let target = match target.strip_prefix(base_url) {
        Some(rest) if !base_url.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
            if rest.is_empty() { "/" } else { rest }
        }
        _ => target,
    };
    if target.starts_with("//") {
        return Target::External(format!("https:{target}"));
    }
    let end_of_path = target.find(['/', '?', '#']).unwrap_or(target.len());
    if let Some(colon) = target[..end_of_path].find(':') {
        let scheme = target[..colon].to_ascii_lowercase();
        return if scheme == "http" || scheme == "https" {
            Target::External(target.to_string())
        } else {
            Target::Other
        };
    }
    if target.contains('@') && !target.contains('/') {
        return Target::Other;
    }
    let (rest, fragment) = match target.split_once('#') {
        Some((r, f)) => (r, Some(decode(f))),
        None => (target, None),
    };
    let path = rest.split(['?']).next().unwrap_or("");
    let path = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        normalize(path)
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        normalize(&format!("{dir}{path}"))
    };
    Target::Site {
        path: decode(&path),
        fragment: fragment.filter(|f| !f.is_empty()),
    }
}

pub(super) fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Removes `.` and `..` segments; keeps a trailing slash.
pub(super) fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut s = format!("/{}", out.join("/"));
    if trailing && s.len() > 1 {
        s.push('/');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> Target {
        Target::Site {
            path: path.into(),
            fragment: None,
        }
    }

    #[test]
    fn links_resolve_like_a_browser() {
        let page = "/en/news/story/";
        let base = "https://news.test";
        assert_eq!(resolve("/about/", page, base), site("/about/"));
        assert_eq!(resolve("../other/", page, base), site("/en/news/other/"));
        assert_eq!(
            resolve("img/a.png", page, base),
            site("/en/news/story/img/a.png")
        );
        assert_eq!(
            resolve("https://news.test/tags/x/", page, base),
            site("/tags/x/")
        );
        assert_eq!(
            resolve("#part", page, base),
            Target::Site {
                path: page.into(),
                fragment: Some("part".into())
            }
        );
        assert_eq!(
            resolve("/tags/%E0%A4%AA/?x=1", page, base),
            site("/tags/\u{092a}/")
        );
        assert_eq!(
            resolve("https://example.com/a", page, base),
            Target::External("https://example.com/a".into())
        );
        assert_eq!(
            resolve("//example.com/a", page, base),
            Target::External("https://example.com/a".into())
        );
        assert_eq!(resolve("mailto:desk@news.test", page, base), Target::Other);
        assert_eq!(resolve("desk@news.test", page, base), Target::Other);
    }

    #[test]
    fn output_files_map_to_site_paths() {
        assert_eq!(site_path("index.html"), "/");
        assert_eq!(site_path("en/news/x/index.html"), "/en/news/x/");
        assert_eq!(site_path("en/404.html"), "/en/404.html");
        assert_eq!(site_path("atom.xml"), "/atom.xml");
    }

    #[test]
    fn links_are_read_from_html() {
        let refs =
            html_refs("<a href=\"/a/?x=1&amp;y=2\">a</a><img\nsrc='/b.png'><p data-href=\"/no\">");
        let mut refs: Vec<_> = refs.into_iter().collect();
        refs.sort();
        assert_eq!(refs, ["/a/?x=1&y=2", "/b.png"]);
    }

    #[test]
    fn ids_are_read_from_html() {
        let ids = html_ids(r#"<main id="main"><h2 id="दुसरा-भाग">x</h2><p data-id="no" id='q'>"#);
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["main", "q", "दुसरा-भाग"]);
    }
}
