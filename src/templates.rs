//! Tera setup: the built-in theme, overridden file by file by the site's `templates/`.
//!
//! Tera 1 is used: it is the stable release that the wider ecosystem (Zola) runs on,
//! it already fails on undefined variables, and its API is settled.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use tera::Tera;

use crate::diag::Diagnostic;

/// The built-in theme's templates, also written out by `batmi init`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("card.html", include_str!("../templates/card.html")),
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("archive.html", include_str!("../templates/archive.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("tags.html", include_str!("../templates/tags.html")),
    ("section.html", include_str!("../templates/section.html")),
    ("author.html", include_str!("../templates/author.html")),
    ("redirect.html", include_str!("../templates/redirect.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    (
        "sitemap_index.xml",
        include_str!("../templates/sitemap_index.xml"),
    ),
    (
        "news_sitemap.xml",
        include_str!("../templates/news_sitemap.xml"),
    ),
    (
        "shortcodes/figure.html",
        include_str!("../templates/shortcodes/figure.html"),
    ),
    (
        "shortcodes/pullquote.html",
        include_str!("../templates/shortcodes/pullquote.html"),
    ),
    (
        "shortcodes/factbox.html",
        include_str!("../templates/shortcodes/factbox.html"),
    ),
    (
        "shortcodes/youtube.html",
        include_str!("../templates/shortcodes/youtube.html"),
    ),
    (
        "shortcodes/x.html",
        include_str!("../templates/shortcodes/x.html"),
    ),
    (
        "social-card.toml",
        include_str!("../templates/social-card.toml"),
    ),
];

/// The parsed templates and a hash of each one's source, for incremental rebuilds.
pub struct Templates {
    pub tera: Tera,
    sources: BTreeMap<String, (String, bool)>,
    /// Per template: a hash of its source and of every template it extends, includes or
    /// imports, directly or through others.
    fingerprints: HashMap<String, u64>,
}

impl Templates {
    /// Loads the theme and the site's overrides from `root/templates`.
    pub fn load(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, bool)> = BUILTIN
            .iter()
            .map(|(n, s)| (n.to_string(), (s.to_string(), false)))
            .collect();
        let dir = root.join("templates");
        let mut errors = Vec::new();
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    sources.insert(name, (text, true));
                }
                Err(e) => errors.push(Diagnostic::error(
                    Path::new("templates").join(rel),
                    format!("cannot read the template: {e}"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("json_ld", json_ld);
        tera.register_filter("breadcrumb_ld", breadcrumb_ld);
        // Escapes & < > " only: enough for text and double-quoted attributes, and URLs stay readable.
        tera.set_escape_fn(escape_html);
        // Parse one by one first, so a syntax error names its own file.
        for (name, (text, _)) in &sources {
            if let Err(e) = tera::Template::new(name, None, text) {
                errors.push(tera_diagnostic(name, &sources, &e));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        tera.add_raw_templates(sources.iter().map(|(n, (t, _))| (n.as_str(), t.as_str())))
            .map_err(|e| vec![tera_diagnostic("base.html", &sources, &e)])?;
        let fingerprints = sources
            .keys()
            .map(|name| {
                let mut h = DefaultHasher::new();
                for dep in closure(name, &sources) {
                    dep.hash(&mut h);
                    sources[dep].0.hash(&mut h);
                }
                (name.clone(), h.finish())
            })
            .collect();
        Ok(Templates {
            tera,
            sources,
            fingerprints,
        })
    }

    /// A hash of every template's fingerprint: when it is unchanged, so is every template.
    pub fn set_fingerprint(&self) -> u64 {
        let mut all: Vec<(&String, &u64)> = self.fingerprints.iter().collect();
        all.sort();
        let mut h = DefaultHasher::new();
        all.hash(&mut h);
        h.finish()
    }

    /// The text of template `name` (the site's, else the built-in one).
    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|(text, _)| text.as_str())
    }

    /// Every template's name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str)
    }

    /// What an output rendered with `name` depends on among the templates: `name` and
    /// everything it extends, includes or imports (a name that is no template hashes as such).
    pub fn fingerprint(&self, name: &str) -> u64 {
        self.fingerprints.get(name).copied().unwrap_or_else(|| {
            let mut h = DefaultHasher::new();
            name.hash(&mut h);
            h.finish()
        })
    }

    /// Renders `name` into `out` (cleared first), without an intermediate `String`.
    pub fn render_into(
        &self,
        name: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        out.clear();
        self.tera
            .render_to(name, ctx, &mut *out)
            .map_err(|e| tera_diagnostic(name, &self.sources, &e))
    }
}

/// `name` and every template it reaches through `extends`, `include` and `import`, in
/// name order. Tera takes only string literals there, so the names are read from the tags'
/// quoted strings; a quoted string that names no template is skipped.
fn closure<'s>(name: &'s str, sources: &'s BTreeMap<String, (String, bool)>) -> Vec<&'s str> {
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut todo = vec![name];
    while let Some(n) = todo.pop() {
        let Some((key, (text, _))) = sources.get_key_value(n) else {
            continue;
        };
        if !seen.insert(key.as_str()) {
            continue;
        }
        todo.extend(
            referenced(text).filter_map(|r| sources.get_key_value(r).map(|(k, _)| k.as_str())),
        );
    }
    seen.into_iter().collect()
}

/// The quoted strings of a template's `{% extends %}`, `{% include %}` and `{% import %}` tags.
fn referenced(text: &str) -> impl Iterator<Item = &str> {
    text.split("{%").skip(1).flat_map(|tag| {
        let tag = tag.split("%}").next().unwrap_or("");
        let tag = tag.trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let word = tag.split_whitespace().next().unwrap_or("");
        let wanted = matches!(word, "extends" | "include" | "import");
        tag.split(['"', '\''])
            .skip(1)
            .step_by(2)
            .filter(move |_| wanted)
    })
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// `{{ page | json_ld(site=site) }}`: schema.org `NewsArticle` data for an article, safe
/// to put inside `<script type="application/ld+json">`.
fn json_ld(
    page: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let no_site = tera::Value::Null;
    let site = args.get("site").unwrap_or(&no_site);
    let s = |v: &tera::Value, k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s(page, "title"),
        "description": s(page, "summary"),
        "datePublished": s(page, "date_iso"),
        "dateModified": s(page, "updated_iso"),
        "inLanguage": s(page, "lang"),
        "mainEntityOfPage": s(page, "permalink"),
        "url": s(page, "permalink"),
        "author": { "@type": "Person", "name": s(page, "author") },
        "publisher": { "@type": "Organization", "name": s(site, "title"), "url": s(site, "base_url") },
    });
    let byline = page.get("byline").and_then(|b| b.as_array());
    if let Some(people) = byline.filter(|b| !b.is_empty()) {
        let people: Vec<serde_json::Value> = people
            .iter()
            .map(|a| {
                let mut person = serde_json::json!({
                    "@type": "Person",
                    "name": s(a, "name"),
                    "url": s(a, "permalink"),
                });
                if let Some(same) = a
                    .get("same_as")
                    .filter(|v| v.as_array().is_some_and(|x| !x.is_empty()))
                {
                    person["sameAs"] = same.clone();
                }
                person
            })
            .collect();
        data["author"] = serde_json::json!(people);
    } else if s(page, "author").is_empty() {
        data["author"] = serde_json::json!({ "@type": "Organization", "name": s(site, "title") });
    }
    if let Some(section) = page.get("section").filter(|v| !v.is_null()) {
        data["articleSection"] = serde_json::json!(s(section, "name"));
    }
    match page.get("ld_images").and_then(|v| v.as_array()) {
        Some(images) if !images.is_empty() => data["image"] = serde_json::json!(images),
        _ if !s(page, "image").is_empty() => {
            data["image"] = serde_json::json!([s(page, "image")]);
        }
        _ => {}
    }
    if let Some(tags) = page.get("tags").and_then(|t| t.as_array()) {
        let names: Vec<String> = tags.iter().map(|t| s(t, "name")).collect();
        data["keywords"] = serde_json::json!(names);
    }
    let text = serde_json::to_string(&data).map_err(|e| tera::Error::msg(e.to_string()))?;
    // Inside <script>, "</" would end the element early.
    Ok(tera::Value::String(text.replace("</", "<\\/")))
}

/// `{{ page | breadcrumb_ld }}`: schema.org `BreadcrumbList` of `page.breadcrumb`, safe inside
/// `<script type="application/ld+json">`.
fn breadcrumb_ld(
    page: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let crumbs = page
        .get("breadcrumb")
        .and_then(|b| b.as_array())
        .cloned()
        .unwrap_or_default();
    let items: Vec<serde_json::Value> = crumbs
        .iter()
        .enumerate()
        .map(|(k, c)| {
            serde_json::json!({
                "@type": "ListItem",
                "position": k + 1,
                "name": c.get("name").cloned().unwrap_or_default(),
                "item": c.get("permalink").cloned().unwrap_or_default(),
            })
        })
        .collect();
    let data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    });
    let text = serde_json::to_string(&data).map_err(|e| tera::Error::msg(e.to_string()))?;
    Ok(tera::Value::String(text.replace("</", "<\\/")))
}

/// Where a template lives, for messages: the site's file, or the built-in theme.
fn template_path(name: &str, sources: &BTreeMap<String, (String, bool)>) -> String {
    match sources.get(name) {
        Some((_, true)) => format!("templates/{name}"),
        _ => format!("templates/{name} (built-in)"),
    }
}

fn tera_diagnostic(
    name: &str,
    sources: &BTreeMap<String, (String, bool)>,
    err: &tera::Error,
) -> Diagnostic {
    let mut chain = vec![err.to_string()];
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        chain.push(c.to_string());
        cause = c.source();
    }
    let full = chain.join(": ");
    // The innermost message names the template actually at fault ("while rendering 'x'").
    let culprit = chain
        .iter()
        .rev()
        .find_map(|m| quoted_after(m, "rendering '"))
        .or_else(|| chain.iter().find_map(|m| quoted_after(m, "template '")))
        .unwrap_or_else(|| name.to_string());
    let mut d = Diagnostic::error(template_path(&culprit, sources), compact(&full));
    if let Some((line, col)) = parse_position(&full) {
        d = d.at(line, col);
    } else if let Some(var) = quoted_backtick(&full)
        && let Some((text, _)) = sources.get(&culprit)
        && let Some(line) = text.lines().position(|l| l.contains(&var))
    {
        d = d.at_line(line + 1).help(format!(
            "`{var}` is not defined here; check its spelling, or guard it with {{% if {var} is defined %}}"
        ));
    }
    d
}

fn compact(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn quoted_after(s: &str, marker: &str) -> Option<String> {
    let rest = &s[s.find(marker)? + marker.len()..];
    Some(rest[..rest.find('\'')?].to_string())
}

fn quoted_backtick(s: &str) -> Option<String> {
    let start = s.find('`')? + 1;
    let end = start + s[start..].find('`')?;
    Some(s[start..end].to_string())
}

/// Tera's parse errors carry "--> line:col".
fn parse_position(s: &str) -> Option<(usize, usize)> {
    let rest = &s[s.find("--> ")? + 4..];
    let mut parts = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}
