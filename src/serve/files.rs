//! Answering a request from the output directory: safe path resolution, content types, and
//! the live-reload script injected into HTML.

use std::path::{Component, Path, PathBuf};

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A directory asked for without its trailing slash: redirect here.
    Redirect(String),
    NotFound,
    /// `..`, encoded slashes, NUL and the like: never served.
    Forbidden,
}

/// Resolves a raw (still percent-encoded) request path inside `root`, never outside it.
pub fn resolve(root: &Path, raw: &str) -> Resolved {
    let lower = raw.to_ascii_lowercase();
    // Encoded separators and NUL have no business in a site path.
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Resolved::Forbidden;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Resolved::Forbidden;
    };
    if decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/') {
        return Resolved::Forbidden;
    }
    let mut path = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let seg = Path::new(segment);
        let mut comps = seg.components();
        match (comps.next(), comps.next()) {
            (Some(Component::Normal(_)), None) => path.push(segment),
            _ => return Resolved::Forbidden,
        }
    }
    if path.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(format!("{raw}/"));
        }
        path.push("index.html");
    }
    // Symlinks inside the output could point elsewhere: the real path must stay inside.
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(root)) if real.starts_with(&root) && real.is_file() => Resolved::File(real),
        (Ok(_), Ok(_)) => Resolved::Forbidden,
        _ => Resolved::NotFound,
    }
}

/// The script every served HTML page gets: it listens for rebuilds and swaps in the new page
/// (keeping the scroll position), refreshes style sheets, and shows build errors on top.
pub const LIVE_RELOAD: &str = r#"<script id="batmi-live">
(() => {
  const overlay = (text) => {
    let box = document.getElementById("batmi-error");
    if (text === null) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "batmi-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0000;color:#fff;font:14px/1.5 monospace;padding:1rem 1.25rem;border-top:4px solid #e00;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "batmi: the last change did not build; showing the last good page.\n\n" + text;
  };
  const refresh = async () => {
    const res = await fetch(location.href, { cache: "no-store" });
    if (!res.ok) { location.reload(); return; }
    const doc = new DOMParser().parseFromString(await res.text(), "text/html");
    const y = window.scrollY;
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    window.scrollTo(0, y);
  };
  const restyle = () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("batmi", Date.now());
      link.href = url.toString();
    }
  };
  const events = new EventSource("/__batmi/events");
  events.onmessage = (e) => {
    const nl = e.data.indexOf("\n");
    const kind = nl < 0 ? e.data : e.data.slice(0, nl);
    if (kind === "error") overlay(e.data.slice(nl + 1));
    else if (kind === "css") { overlay(null); restyle(); }
    else if (kind === "reload") { overlay(null); refresh().catch(() => location.reload()); }
  };
})();
</script>
"#;

/// Puts the live-reload script before `</body>` (or at the end).
pub fn inject(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + LIVE_RELOAD.len());
    match html.rfind("</body>") {
        Some(i) => {
            out.push_str(&html[..i]);
            out.push_str(LIVE_RELOAD);
            out.push_str(&html[i..]);
        }
        None => {
            out.push_str(html);
            out.push_str(LIVE_RELOAD);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/news/a")).unwrap();
        std::fs::write(dir.path().join("site/news/a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn paths_resolve_inside_the_site_only() {
        let dir = site();
        let root = dir.path().join("site");
        assert!(matches!(resolve(&root, "/news/a/"), Resolved::File(_)));
        assert_eq!(
            resolve(&root, "/news/a"),
            Resolved::Redirect("/news/a/".into())
        );
        assert_eq!(resolve(&root, "/nope/"), Resolved::NotFound);
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/news/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/news/%2E%2E/%2E%2E/secret.txt",
            "/%00",
        ] {
            assert_eq!(resolve(&root, bad), Resolved::Forbidden, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>");
        assert!(html.ends_with("</script>\n</body></html>"));
    }
}
