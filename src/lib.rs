//! batmi: a static news-site generator for bilingual newsrooms.
//!
//! The pipeline runs one way: `config.toml` → [`Config`] → pages ([`content::load`]) →
//! the sorted [`Index`] → rendered outputs ([`output::Renderer`]) → disk. `build`, `check`
//! and `serve` all go through [`load_site`]; `serve` and `publish` consume its output.

pub mod build;
pub mod cards;
pub mod check;
pub mod config;
pub mod content;
pub mod diag;
pub mod embeds;
pub mod highlight;
pub mod i18n;
pub mod images;
pub mod incremental;
pub mod index;
pub mod markdown;
pub mod mime;
pub mod output;
pub mod paths;
pub mod progress;
pub mod publish;
pub mod replace;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod shortcodes;
pub mod taxonomy;
pub mod templates;

use std::path::{Path, PathBuf};

use anyhow::Result;

pub use build::{Summary, build};
pub use config::Config;
pub use diag::{Diagnostic, SiteErrors};
pub use index::Index;
use templates::Templates;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Include stories dated after the build's clock (`--future`).
    pub future: bool,
    /// Build everything, ignoring what the previous build left (`--clean`).
    pub clean: bool,
    /// Counts the outputs written, for a progress bar.
    pub progress: Option<std::sync::Arc<progress::Progress>>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
            drafts: false,
            future: false,
            clean: false,
            progress: None,
        }
    }
}

/// The loaded site: everything before rendering.
pub struct Site {
    pub index: Index,
    pub templates: Templates,
    pub warnings: Vec<Diagnostic>,
}

/// Reads config, content and templates. Every error found is returned at once.
pub fn load_site(opts: &BuildOptions) -> Result<Site> {
    let config = load_config(opts)?;
    let (content, templates) = rayon::join(
        || content::load(&opts.root, &config, opts.drafts),
        || Templates::load(&opts.root),
    );
    match (content, templates) {
        (Ok((pages, warnings)), Ok(templates)) => Ok(Site {
            index: Index::new(config, pages),
            templates,
            warnings,
        }),
        (content, templates) => {
            let mut errors = content.err().unwrap_or_default();
            errors.extend(templates.err().unwrap_or_default());
            Err(SiteErrors(errors).into())
        }
    }
}

/// `config.toml` with what the build options override (`--base-url`) and the build's clock.
pub fn load_config(opts: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&opts.root.join("config.toml")).map_err(SiteErrors)?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
    config.now = Some(build_clock()?);
    config.future = opts.future;
    Ok(config)
}

/// The time a build counts as now: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible
/// builds convention) when set, so that a build can be repeated byte for byte and tests can
/// set the clock; the system clock otherwise. Only the news sitemap reads it.
pub fn build_clock() -> Result<chrono::DateTime<chrono::Utc>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "SOURCE_DATE_EPOCH is {s:?}, not a number of seconds since 1970-01-01\n  help: set it to `date +%s`, or unset it to use the system clock"
                )
            }),
        Err(_) => Ok(chrono::Utc::now()),
    }
}

/// An error as the user should read it: every diagnostic of a `SiteErrors`, or the cause chain.
pub fn error_text(e: &anyhow::Error) -> String {
    if let Some(partial) = e.downcast_ref::<diag::PartialErrors>() {
        return partial.to_string();
    }
    match e.downcast_ref::<SiteErrors>() {
        Some(site) => site.to_string(),
        None => format!("error: {e:#}"),
    }
}

/// `Path` helper for messages: relative to the root where possible.
pub fn display_path(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}
