//! The plan of a publish: which files to upload, in which order, and which to delete.
//!
//! The order keeps readers safe: a new page must never point at a stylesheet or image that
//! is not there yet, and a feed must never announce a page that is not there yet. So assets
//! go first, then HTML, then feeds, the sitemap and robots.txt; deletions come last.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use super::local::LocalFile;

/// The groups files are uploaded in, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Stylesheets, scripts, images, fonts, data the pages load.
    Asset,
    Html,
    /// Atom feeds, the sitemap, robots.txt, search indexes: files that point at pages.
    Feed,
}

fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Which group a site file belongs to.
pub fn kind(path: &str) -> Kind {
    match extension(path).as_str() {
        "html" | "htm" => Kind::Html,
        "xml" | "rss" | "atom" => Kind::Feed,
        "txt" if path.rsplit('/').next() == Some("robots.txt") => Kind::Feed,
        // A search index points at pages: it goes up after them, like a feed.
        _ if path.split('/').rev().skip(1).any(|d| d == "search") => Kind::Feed,
        _ => Kind::Asset,
    }
}

/// Cache lifetime for HTML, feeds and other files that change when stories do.
pub const SHORT_CACHE: &str = "public, max-age=300";
/// Cache lifetime for stylesheets, scripts, images and fonts whose names stay the same when
/// their bytes change.
pub const ASSET_CACHE: &str = "public, max-age=86400";
/// Cache lifetime for fingerprinted files (a content hash in the name): they never change.
pub const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// The `Cache-Control` a file is served with.
pub fn cache_control(path: &str) -> &'static str {
    let ext = extension(path);
    let long_lived = matches!(
        ext.as_str(),
        "css"
            | "js"
            | "mjs"
            | "map"
            | "svg"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "avif"
            | "ico"
            | "woff2"
            | "woff"
            | "ttf"
            | "otf"
            | "pdf"
            | "mp4"
            | "webm"
            | "mp3"
            | "wasm"
    );
    if !long_lived {
        SHORT_CACHE
    } else if is_fingerprinted(path) {
        IMMUTABLE_CACHE
    } else {
        ASSET_CACHE
    }
}

/// True when the file name carries a content hash, as in `style.3fa9c2e1.css` or
/// `app-3fa9c2e1b0.js`: a run of at least 8 hex digits with a digit among them.
fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.split(['.', '-', '_']).skip(1).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    })
}

/// What the target holds at a path now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub size: u64,
    /// SHA-256 of its bytes, when known; unknown means "upload again".
    pub hash: Option<String>,
}

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub path: String,
    pub size: u64,
    pub kind: Kind,
}

/// Everything a publish will change.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In upload order: by kind, then path.
    pub uploads: Vec<Upload>,
    /// Sorted.
    pub deletes: Vec<String>,
    /// On the target, no longer built, and kept (no `--delete`). Sorted.
    pub kept: Vec<String>,
    pub unchanged: usize,
}

impl Plan {
    /// Compares the build with what the target holds.
    pub fn new(local: &[LocalFile], remote: &BTreeMap<String, RemoteFile>, delete: bool) -> Plan {
        let mut uploads = Vec::new();
        let mut unchanged = 0;
        for f in local {
            let same = remote
                .get(&f.path)
                .is_some_and(|r| r.size == f.size && r.hash.as_deref() == Some(f.hash.as_str()));
            if same {
                unchanged += 1;
            } else {
                uploads.push((f.path.clone(), f.size));
            }
        }
        let built: std::collections::HashSet<&str> =
            local.iter().map(|f| f.path.as_str()).collect();
        let gone: Vec<String> = remote
            .keys()
            .filter(|p| !built.contains(p.as_str()))
            .cloned()
            .collect();
        let (deletes, kept) = if delete {
            (gone, Vec::new())
        } else {
            (Vec::new(), gone)
        };
        Plan::from_parts(uploads, deletes, kept, unchanged)
    }

    /// A plan from lists worked out elsewhere (git); puts them in order.
    pub fn from_parts(
        uploads: Vec<(String, u64)>,
        mut deletes: Vec<String>,
        mut kept: Vec<String>,
        unchanged: usize,
    ) -> Plan {
        let mut uploads: Vec<Upload> = uploads
            .into_iter()
            .map(|(path, size)| Upload {
                kind: kind(&path),
                path,
                size,
            })
            .collect();
        uploads.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
        deletes.sort();
        kept.sort();
        Plan {
            uploads,
            deletes,
            kept,
            unchanged,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletes.is_empty()
    }

    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.size).sum()
    }

    /// The uploads of one kind, in order.
    pub fn group(&self, kind: Kind) -> impl Iterator<Item = &Upload> {
        self.uploads.iter().filter(move |u| u.kind == kind)
    }

    /// Refuses a `--delete` that would remove more than `max` files without `--yes`, since that
    /// usually means a wrong target or a broken build rather than a wish.
    pub fn check_deletes(&self, max: usize, yes: bool, target: &str) -> Result<()> {
        if self.deletes.len() > max && !yes {
            bail!(
                "--delete would remove {} files from {target}, more than the limit of {max}; nothing was changed\n  help: look at the list with --dry-run --delete; if it is right, run again with --yes (or raise max_deletes in [publish.<name>] of config.toml, or pass --max-deletes N)",
                self.deletes.len()
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, hash: &str) -> LocalFile {
        LocalFile {
            path: path.into(),
            abs: path.into(),
            size: 3,
            hash: hash.into(),
        }
    }

    #[test]
    fn uploads_go_assets_then_html_then_feeds() {
        let local = vec![
            file("atom.xml", "a"),
            file("index.html", "b"),
            file("style.css", "c"),
            file("robots.txt", "d"),
            file("en/index.html", "e"),
            file("search/index.json", "f"),
            file("sitemap.xml", "g"),
        ];
        let plan = Plan::new(&local, &BTreeMap::new(), false);
        let order: Vec<&str> = plan.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "style.css",
                "en/index.html",
                "index.html",
                "atom.xml",
                "robots.txt",
                "search/index.json",
                "sitemap.xml"
            ]
        );
    }

    #[test]
    fn same_hash_is_unchanged_and_gone_files_are_kept_without_delete() {
        let local = vec![file("a.html", "1"), file("b.html", "2")];
        let mut remote = BTreeMap::new();
        let r = |h: Option<&str>| RemoteFile {
            size: 3,
            hash: h.map(str::to_string),
        };
        remote.insert("a.html".to_string(), r(Some("1")));
        remote.insert("b.html".to_string(), r(None));
        remote.insert("old.html".to_string(), r(Some("9")));
        let plan = Plan::new(&local, &remote, false);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.uploads.len(), 1);
        assert_eq!(plan.uploads[0].path, "b.html");
        assert!(plan.deletes.is_empty());
        assert_eq!(plan.kept, ["old.html"]);
        let plan = Plan::new(&local, &remote, true);
        assert_eq!(plan.deletes, ["old.html"]);
        assert!(plan.check_deletes(0, false, "t").is_err());
        assert!(plan.check_deletes(0, true, "t").is_ok());
        assert!(plan.check_deletes(1, false, "t").is_ok());
    }

    #[test]
    fn search_indexes_go_up_after_the_pages_they_point_at() {
        assert_eq!(kind("search/index.json"), Kind::Feed);
        assert_eq!(kind("en/search/index.json"), Kind::Feed);
        assert_eq!(kind("en/search/terms/a1b2.json.gz"), Kind::Feed);
        assert_eq!(kind("search/index.html"), Kind::Html);
        assert_eq!(kind("data/search.json"), Kind::Asset);
        assert!(Kind::Html < Kind::Feed);
    }

    #[test]
    fn cache_and_type_follow_the_kind_of_file() {
        assert_eq!(cache_control("en/news/x/index.html"), SHORT_CACHE);
        assert_eq!(cache_control("atom.xml"), SHORT_CACHE);
        assert_eq!(cache_control("style.css"), ASSET_CACHE);
        assert_eq!(cache_control("style.3fa9c2e1.css"), IMMUTABLE_CACHE);
        assert_eq!(cache_control("img/deadbeef.png"), ASSET_CACHE);
    }
}
