//! What may become part of an output path. Every name a site's files give (a story's slug,
//! a tag's slug) is checked here before it is used in a URL, and the writer checks every
//! path once more before it touches the disk, so nothing a site says can make batmi write
//! outside its output directory or over one of its own generated files.

use std::path::{Component, Path};

/// Why `segment` cannot be one segment of a URL path, or `None` when it can.
///
/// A segment is what sits between two slashes: it must not be empty, `.` or `..`, start
/// with a dot (hidden files, `..` tricks), or hold a slash, a backslash, whitespace,
/// `?`, `#` or a control character.
pub fn segment_problem(segment: &str) -> Option<&'static str> {
    if segment.is_empty() {
        return Some("it is empty");
    }
    if segment.starts_with('.') {
        return Some("it starts with a dot");
    }
    if segment.contains(['/', '\\']) {
        return Some("it contains a slash");
    }
    if segment.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains a space or a control character");
    }
    if segment.contains(['?', '#']) {
        return Some("it contains ? or #");
    }
    None
}

/// A story's old address (`aliases = [...]`) as a clean site path: it starts with `/`, ends
/// with `/` or `.html`, and each segment is a plain name.
pub fn alias_path(alias: &str) -> Result<String, String> {
    let a = alias.trim();
    let Some(rest) = a.strip_prefix('/') else {
        return Err("it must start with /".into());
    };
    if rest.is_empty() {
        return Err("it is the home page".into());
    }
    if !(a.ends_with('/') || a.ends_with(".html")) {
        return Err("it must end with / (or .html)".into());
    }
    for seg in rest.trim_end_matches('/').split('/') {
        if let Some(why) = segment_problem(seg) {
            return Err(format!("a part of it cannot be used ({why})"));
        }
    }
    Ok(a.to_string())
}

/// Whether `rel` (a site path such as `en/news/x/index.html`) stays inside the directory it
/// is joined to: relative, made only of plain names, none of them `.` or `..`.
pub fn stays_inside(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_slugs_pass_in_any_script() {
        for ok in ["meta-invests", "scale-ai", "मुंबई", "2025", "a_b"] {
            assert_eq!(segment_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn slugs_that_could_leave_a_folder_are_refused() {
        for bad in [
            "", ".", "..", "../x", "a/b", "a\\b", ".hidden", "a b", "a?b", "a#b", "a\nb",
        ] {
            assert!(segment_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn only_plain_relative_paths_stay_inside() {
        assert!(stays_inside("news/x/index.html"));
        assert!(stays_inside("tags/मुंबई/index.html"));
        for bad in ["", "/etc/passwd", "../x", "news/../../x", "./x", "a\\..\\b"] {
            assert!(!stays_inside(bad), "{bad:?}");
        }
    }
}
