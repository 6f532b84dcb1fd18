//! `batmi new <stem>`: a new story as a pair of drafts, one per language.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::term::Out;

#[derive(Args, Debug, Clone)]
pub struct NewArgs {
    /// The story's file name without language and extension: lowercase letters, digits and
    /// hyphens, e.g. mumbai-rains (it is also the story's web address).
    pub stem: String,
    /// Tags, comma-separated, as named in config.toml: --tags Meta,MSL
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// The site's folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: &NewArgs, out: &Out) -> Result<()> {
    let config = batmi::Config::load(&args.root.join("config.toml")).map_err(batmi::SiteErrors)?;
    let tags: Vec<String> = args
        .tags
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let now = chrono::Utc::now().with_timezone(&config.offset());
    let written = batmi::scaffold::new_story(&args.root, &config, &args.stem, &tags, now)?;
    for path in &written {
        out.say(path.strip_prefix(".").unwrap_or(path).display().to_string());
    }
    for tag in &tags {
        if !config.tags.contains_key(tag) {
            out.note(format!(
                "note: the tag \"{tag}\" is not in config.toml yet; add [tags.\"{tag}\"] with names = {{ mr = \"...\", en = \"...\" }} so it shows a name in every language"
            ));
        }
    }
    out.note(
        "note: the story is a draft: remove draft = true when it is ready (batmi serve --drafts shows drafts)",
    );
    Ok(())
}
