//! Tags: one slug per tag in every language, display names per language.
//!
//! The slug rule: `[tags."Name"] slug = "..."` in config.toml wins; otherwise an ASCII
//! name is lowercased with runs of other characters turned into one hyphen
//! ("Scale AI" → `scale-ai`); a name in another script keeps its letters, so
//! मुंबई stays `/tags/मुंबई/` (readable and stable, percent-encoded in links)
//! instead of a letter-by-letter transliteration such as `munbii`.

use crate::config::Config;
use crate::markdown::slugify_heading;

/// A tag as the site shows it.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The canonical name written in front matter.
    pub name: String,
    pub slug: String,
}

/// The URL slug of a canonical tag name.
pub fn slug(config: &Config, name: &str) -> String {
    if let Some(s) = config.tags.get(name).and_then(|t| t.slug.clone()) {
        return s;
    }
    slugify_heading(name.trim())
}

/// How a tag is called in one language: the configured name, else the canonical one.
pub fn display_name<'a>(config: &'a Config, name: &'a str, lang: &str) -> &'a str {
    config
        .tags
        .get(name)
        .and_then(|t| t.names.get(lang))
        .map_or(name, String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            std::path::Path::new("config.toml"),
            "base_url = \"https://x.test\"\ntitle = \"t\"\n[tags.\"पुणे\"]\nslug = \"pune\"\n",
        )
        .unwrap()
    }

    #[test]
    fn ascii_names_become_hyphenated_lowercase() {
        assert_eq!(slug(&config(), "Scale AI"), "scale-ai");
        assert_eq!(slug(&config(), "TBD Lab"), "tbd-lab");
    }

    #[test]
    fn devanagari_names_keep_their_letters_unless_configured() {
        assert_eq!(slug(&config(), "मुंबई"), "मुंबई");
        assert_eq!(slug(&config(), "महाराष्ट्र"), "महाराष्ट्र");
        assert_eq!(slug(&config(), "पुणे"), "pune");
    }
}
