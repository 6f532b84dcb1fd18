//! Embeds: a YouTube or X link alone in its paragraph becomes a call of the `youtube` or `x`
//! shortcode, whose theme templates are click-to-load facades: nothing is fetched from the
//! third party until the reader asks (`static/embed.js` swaps in the player on click).

use std::collections::BTreeMap;

use serde_json::Value;
use url::Url;

/// The shortcode and arguments for a paragraph's text, when it is one YouTube or X link
/// (bare or in `<…>`) and nothing else.
pub fn lone_link(paragraph: &str) -> Option<(&'static str, BTreeMap<String, Value>)> {
    let text = paragraph.trim();
    let text = text
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(text);
    if text.contains(char::is_whitespace) || !text.starts_with("http") {
        return None;
    }
    let url = Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.trim_start_matches("www.");
    let mut args = BTreeMap::new();
    let mut put = |k: &str, v: Value| args.insert(k.to_string(), v);
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    match host {
        "youtube.com" | "m.youtube.com" | "youtube-nocookie.com" | "youtu.be" => {
            let id = match (host, segments.as_slice()) {
                ("youtu.be", [id]) => id.to_string(),
                (_, ["watch"]) => query("v")?,
                (_, ["shorts" | "embed" | "live", id]) => id.to_string(),
                _ => return None,
            };
            if !is_video_id(&id) {
                return None;
            }
            let start = query("t")
                .or_else(|| query("start"))
                .and_then(|t| seconds(&t));
            let mut watch = format!("https://www.youtube.com/watch?v={id}");
            if let Some(s) = start {
                watch.push_str(&format!("&t={s}s"));
                put("start", s.into());
            }
            put("id", id.into());
            put("url", watch.into());
            Some(("youtube", args))
        }
        "x.com" | "twitter.com" | "mobile.twitter.com" | "mobile.x.com" => {
            match segments.as_slice() {
                [user, "status", id] if is_handle(user) && is_status(id) => {
                    put("user", user.to_string().into());
                    put("status", id.to_string().into());
                    put("url", format!("https://x.com/{user}/status/{id}").into());
                }
                [user] if is_handle(user) && !RESERVED.contains(user) => {
                    put("user", user.to_string().into());
                    put("url", format!("https://x.com/{user}").into());
                }
                _ => return None,
            }
            Some(("x", args))
        }
        _ => None,
    }
}

/// Paths of x.com that are pages of the site, not accounts.
const RESERVED: &[&str] = &[
    "home",
    "explore",
    "search",
    "i",
    "settings",
    "messages",
    "notifications",
    "login",
    "signup",
    "tos",
    "privacy",
    "intent",
    "share",
    "hashtag",
];

/// YouTube video ids are 11 characters of the URL-safe base64 alphabet.
fn is_video_id(id: &str) -> bool {
    id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// X handles: 1 to 15 letters, digits and underscores.
fn is_handle(s: &str) -> bool {
    (1..=15).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn is_status(s: &str) -> bool {
    (1..=20).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// A start time as YouTube writes it (`90`, `90s`, `1m30s`, `1h2m`) in seconds.
fn seconds(t: &str) -> Option<u64> {
    if let Ok(n) = t.parse() {
        return Some(n);
    }
    let mut total = 0u64;
    let mut n = String::new();
    for c in t.chars() {
        match c {
            '0'..='9' => n.push(c),
            'h' | 'm' | 's' => {
                let v: u64 = n.parse().ok()?;
                total += v * match c {
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                n.clear();
            }
            _ => return None,
        }
    }
    n.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(text: &str, key: &str) -> Option<String> {
        let (_, args) = lone_link(text)?;
        args.get(key).map(|v| match v {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        })
    }

    #[test]
    fn youtube_links_in_every_common_form_name_their_video() {
        for link in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "<https://youtu.be/dQw4w9WgXcQ>",
            "  https://youtu.be/dQw4w9WgXcQ\n",
        ] {
            assert_eq!(lone_link(link).map(|l| l.0), Some("youtube"), "{link}");
            assert_eq!(arg(link, "id").as_deref(), Some("dQw4w9WgXcQ"), "{link}");
        }
        assert_eq!(
            arg("https://youtu.be/dQw4w9WgXcQ?t=1m30s", "start").as_deref(),
            Some("90")
        );
        assert_eq!(
            arg("https://youtu.be/dQw4w9WgXcQ?t=90", "url").as_deref(),
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s")
        );
    }

    #[test]
    fn x_posts_and_accounts_are_recognised() {
        let post = "https://twitter.com/AIatMeta/status/1234567890123456789";
        assert_eq!(
            arg(post, "url").as_deref(),
            Some("https://x.com/AIatMeta/status/1234567890123456789")
        );
        assert_eq!(
            arg("https://x.com/agarwl_", "user").as_deref(),
            Some("agarwl_")
        );
        assert_eq!(arg("https://x.com/agarwl_", "status"), None);
    }

    #[test]
    fn other_text_is_not_an_embed() {
        for text in [
            "https://example.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ and more",
            "see https://youtu.be/dQw4w9WgXcQ",
            "https://x.com/search",
            "https://x.com/a/b/c/d",
            "ftp://youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?t=soon",
        ] {
            let got = lone_link(text);
            let bad_start = text.ends_with("soon")
                && got.as_ref().is_some_and(|(_, a)| !a.contains_key("start"));
            assert!(got.is_none() || bad_start, "{text}: {got:?}");
        }
    }
}
