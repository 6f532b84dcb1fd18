//! batmi: a static news-site generator for bilingual newsrooms.
//!
//! The pipeline runs one way: `config.toml` → [`Config`] → pages ([`content::load`]) →
//! the sorted [`Index`] → rendered outputs ([`output::Renderer`]) → disk. `build`, `check`
//! and `serve` all go through [`load_site`]; `serve` and `publish` consume its output.

pub mod cards;
pub mod check;
pub mod config;
pub mod content;
pub mod diag;
pub mod highlight;
pub mod i18n;
pub mod images;
pub mod incremental;
pub mod index;
pub mod markdown;
pub mod mime;
pub mod output;
pub mod paths;
pub mod publish;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod taxonomy;
pub mod templates;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;

pub use config::Config;
pub use diag::{Diagnostic, SiteErrors};
pub use index::Index;
use output::Renderer;
use templates::Templates;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
            drafts: false,
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
    let mut config = Config::load(&opts.root.join("config.toml")).map_err(SiteErrors)?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.trim_end_matches('/').to_string();
    }
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

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct Summary {
    /// (language, pages written in it).
    pub pages_per_lang: Vec<(String, usize)>,
    pub tags: usize,
    pub feeds: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Image files encoded by this build, and taken from the cache.
    pub images_encoded: usize,
    pub images_cached: usize,
}

/// Builds the site into `opts.output`, atomically.
pub fn build(opts: &BuildOptions) -> Result<Summary> {
    let start = Instant::now();
    let timings = std::env::var_os("BATMI_TIMINGS").is_some();
    let lap = |what: &str| {
        if timings {
            eprintln!("{:>8.3} s  {what}", start.elapsed().as_secs_f64());
        }
    };
    let site = load_site(opts)?;
    lap("loaded and rendered Markdown");
    let renderer = Renderer::new(&opts.root, &site.index, &site.templates)?;
    let statics = output::write::static_files(&opts.root);
    let plan = renderer.planned(&statics).map_err(SiteErrors)?;
    lap("planned outputs");
    let staging = output::write::Staging::new(&opts.output)?;
    let all: Vec<usize> = (0..plan.len()).collect();
    let errors = output::write::render_jobs(&renderer, &plan, &all, &staging.dir);
    if !errors.is_empty() {
        return Err(output::write::site_errors(errors).into());
    }
    lap("rendered and wrote outputs");
    let statics = output::write::copy_static(&opts.root, &staging.dir)?;
    staging.commit()?;
    lap("swapped output in");
    let cache = &renderer.assets.cache;
    let pruned = cache.prune(&renderer.assets.entries());
    let (encoded, cached) = (
        cache.encoded.load(std::sync::atomic::Ordering::Relaxed),
        cache.hits.load(std::sync::atomic::Ordering::Relaxed),
    );
    if timings {
        eprintln!(
            "images: {encoded} encoded, {cached} from the cache, {pruned} cache entries pruned"
        );
    }
    let jobs: Vec<output::Job> = plan.iter().map(|(j, _)| *j).collect();
    let mut summary = summarize(
        &site,
        &renderer,
        &jobs,
        plan.len() + statics,
        start.elapsed(),
        site.warnings.clone(),
    );
    summary.images_encoded = encoded;
    summary.images_cached = cached;
    Ok(summary)
}

fn summarize(
    site: &Site,
    r: &Renderer,
    jobs: &[output::Job],
    files: usize,
    elapsed: Duration,
    warnings: Vec<Diagnostic>,
) -> Summary {
    let mut pages_per_lang: Vec<(String, usize)> = site
        .index
        .langs
        .iter()
        .map(|l| (l.code.clone(), 0))
        .collect();
    let mut feeds = 0;
    for &job in jobs {
        let path = r.path(job);
        if path.ends_with(".xml") && path != "sitemap.xml" {
            feeds += 1;
        }
        if !path.ends_with(".html") {
            continue;
        }
        let l = match job {
            output::Job::Page(i) => output::lang_pos(&site.index, &site.index.pages[i].lang),
            output::Job::Home(l)
            | output::Job::Archive(l, _)
            | output::Job::TagIndex(l)
            | output::Job::Tag(l, _, _)
            | output::Job::Search(l)
            | output::Job::NotFound(l) => l,
            _ => continue,
        };
        pages_per_lang[l].1 += 1;
    }
    Summary {
        pages_per_lang,
        tags: site.index.tags.len(),
        feeds,
        files,
        elapsed,
        warnings,
        images_encoded: 0,
        images_cached: 0,
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
