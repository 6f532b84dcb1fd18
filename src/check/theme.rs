//! Links written by templates (navigation, scripts, styles, language switcher): every one
//! must lead to a file of the built site, or the theme is broken on every page using it.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::Outputs;
use super::links::{Target, resolve};
use crate::Site;
use crate::diag::Diagnostic;

/// One error per missing target, placed at the template that writes it when it can be found.
pub(super) fn links(root: &Path, site: &Site, outputs: &Outputs) -> Vec<Diagnostic> {
    let base_url = &site.index.config.base_url;
    // Links from Markdown and front matter are checked (with their line) page by page.
    let key = |path: &str, fragment: Option<&str>| format!("{path}#{}", fragment.unwrap_or(""));
    let mut from_content: HashSet<String> = HashSet::new();
    for p in &site.index.pages {
        for r in p.links.iter().chain(&p.images) {
            if let Target::Site { path, fragment } = resolve(&r.target, &p.url, base_url) {
                from_content.insert(key(&path, fragment.as_deref()));
            }
        }
        if let Some(img) = &p.image {
            from_content.insert(key(&format!("/{}", img.trim_start_matches('/')), None));
        }
    }
    // Missing target (as resolved) → (as written, the pages linking to it).
    let mut missing: BTreeMap<String, (String, Vec<&str>)> = BTreeMap::new();
    for (page, refs) in &outputs.refs {
        for written in refs {
            let Target::Site { path, fragment } = resolve(written, page, base_url) else {
                continue;
            };
            if from_content.contains(&key(&path, fragment.as_deref())) {
                continue;
            }
            let broken = match outputs.find(&path) {
                None => Some(path),
                Some((found, ids)) => match (fragment, ids) {
                    (Some(f), Some(ids)) if !ids.contains(&f) => Some(format!("{found}#{f}")),
                    _ => None,
                },
            };
            if let Some(target) = broken {
                missing
                    .entry(target)
                    .or_insert_with(|| (written.clone(), Vec::new()))
                    .1
                    .push(page);
            }
        }
    }
    let sources = template_sources(root);
    missing
        .into_iter()
        .map(|(target, (written, pages))| {
            let others = match pages.len() {
                1 => String::new(),
                2 => " and 1 other page".to_string(),
                n => format!(" and {} other pages", n - 1),
            };
            let message = format!(
                "the link {target} leads to no file of the site (on {}{others})",
                pages[0]
            );
            let help = if target.contains('#') {
                "no element on that page has this id; correct the template".to_string()
            } else {
                format!(
                    "a template writes it: add the file as static{target}, or correct the template"
                )
            };
            let d = match find_in(&sources, &written) {
                Some((path, line, column)) => Diagnostic::error(path, message).at(line, column),
                None => Diagnostic::error("templates", message),
            };
            d.help(help)
        })
        .collect()
}

/// (path for messages, text) of every template in use: the site's, then the built-in ones
/// it does not override.
fn template_sources(root: &Path) -> Vec<(String, String)> {
    let dir = root.join("templates");
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    for (name, text) in crate::templates::BUILTIN {
        let rel = format!("templates/{name}");
        if !out.iter().any(|(p, _)| *p == rel) {
            out.push((format!("{rel} (built-in)"), text.to_string()));
        }
    }
    out
}

/// Where `literal` is first written in a template: path, line, column.
fn find_in(sources: &[(String, String)], literal: &str) -> Option<(String, usize, usize)> {
    sources.iter().find_map(|(path, text)| {
        let at = text
            .find(&format!("\"{literal}\""))
            .map(|i| i + 1)
            .or_else(|| text.find(literal))?;
        let (line, column) = crate::diag::line_col(text, at);
        Some((path.clone(), line, column))
    })
}
