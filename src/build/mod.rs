//! `build`: the site into its output folder, costing what changed, not what exists.
//!
//! With a manifest of the output in place ([`manifest`]), a build stats the content and
//! static files, reads again only those whose size or time changed, renders only the outputs
//! whose fingerprint (the hash of exactly their template data) changed, and replaces only the
//! files whose bytes changed. Without one (the first build, `--clean`, another batmi, another
//! `config.toml` or build option) it builds everything into a fresh folder and swaps it in.
//! Either way a failed build changes nothing: errors are found before the output is touched.

pub mod manifest;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::content::{self, Page};
use crate::diag::{Diagnostic, SiteErrors};
use crate::output::write::{self, Staging, Written};
use crate::output::{Job, Renderer};
use crate::templates::Templates;
use crate::{BuildOptions, Index, Site};
use manifest::{Counts, Header, Manifest, Output, Stat};

/// What a build did, for the summary line.
#[derive(Debug, Clone)]
pub struct Summary {
    /// (language, pages in it).
    pub pages_per_lang: Vec<(String, usize)>,
    pub tags: usize,
    pub feeds: usize,
    /// Files the output holds.
    pub files: usize,
    /// Files written (new or with other bytes than before).
    pub written: usize,
    /// Files removed because nothing makes them any more.
    pub removed: usize,
    /// Why everything was built, or `None` for an incremental build.
    pub full: Option<String>,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Every file the output holds, with its hash (publish reads them from here).
    pub outputs: Vec<Written>,
    /// Image files encoded by this build, and taken from the cache.
    pub images_encoded: usize,
    pub images_cached: usize,
}

/// Builds the site into `opts.output`: incrementally when the output's manifest allows,
/// otherwise in full into a fresh folder swapped in at the end.
pub fn build(opts: &BuildOptions) -> Result<Summary> {
    let start = Instant::now();
    let started = manifest::nanos(SystemTime::now());
    // Taken first: it holds the output's lock while the manifest is read and the output changed.
    let staging = Staging::new(&opts.output)?;
    let config_bytes = std::fs::read(opts.root.join("config.toml")).unwrap_or_default();
    let options = options_hash(opts, &config_bytes);
    let prior = match opts.clean {
        true => Err("--clean".to_string()),
        false => match Manifest::load(&opts.output) {
            None => Err("no manifest of an earlier build".to_string()),
            Some(m) if m.header.options != options => {
                Err("config.toml or the build options changed".to_string())
            }
            Some(m) => Ok(m),
        },
    };
    let mut summary = match prior {
        Ok(m) => incremental(opts, staging, m, options, started)?,
        Err(why) => {
            let mut s = full(opts, staging, options, started)?;
            s.full = Some(why);
            s
        }
    };
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Hash of what, besides the files, decides every output: the config and the options.
fn options_hash(opts: &BuildOptions, config: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    (config, &opts.base_url, opts.drafts, opts.future).hash(&mut h);
    h.finish()
}

fn lap(start: Instant, what: &str) {
    if std::env::var_os("BATMI_TIMINGS").is_some() {
        eprintln!("{:>8.3} s  {what}", start.elapsed().as_secs_f64());
    }
}

/// Everything, into the staging folder, swapped in at the end.
fn full(opts: &BuildOptions, mut staging: Staging, options: u64, started: i128) -> Result<Summary> {
    let start = Instant::now();
    let stats = content_stats(&opts.root);
    let site = crate::load_site(opts)?;
    lap(start, "loaded");
    let renderer = Renderer::new(&opts.root, &site.index, &site.templates)?;
    let statics = write::static_files(&opts.root);
    let plan = renderer.planned(&statics).map_err(SiteErrors)?;
    lap(start, "planned outputs");
    let all: Vec<usize> = (0..plan.len()).collect();
    let rendered = render(opts, &renderer, &plan, &all, &staging)?;
    lap(start, "rendered and wrote outputs");
    let mut outputs: Vec<Output> = rendered
        .written
        .into_iter()
        .map(|(k, fingerprint, files)| Output {
            path: plan[k].1.clone(),
            fingerprint,
            files,
        })
        .collect();
    let copied = write::copy_static(&opts.root, &staging.dir)?;
    outputs.extend(static_outputs(&opts.root, copied));
    let mut summary = summarize(&site, &plan, &outputs);
    image_work(&renderer, &mut summary);
    // The manifest goes in with the output: a manifest without its output is never read.
    Manifest::discard(&opts.output)?;
    staging.commit()?;
    save(opts, &site, stats, options, started, outputs, &summary)?;
    drop(staging);
    lap(start, "swapped output in");
    Ok(Summary {
        written: summary.files,
        ..summary
    })
}

/// Renders `todo` into the staging folder, counting progress; any error fails the build
/// before the output is touched.
fn render(
    opts: &BuildOptions,
    renderer: &Renderer,
    plan: &[(Job, String)],
    todo: &[usize],
    staging: &Staging,
) -> Result<write::Rendered> {
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.planned(todo.len());
    }
    let rendered = write::render_jobs(renderer, plan, todo, &staging.dir, progress);
    if !rendered.errors.is_empty() {
        return Err(write::site_errors(rendered.errors).into());
    }
    Ok(rendered)
}

/// The size and time of every content file, taken before the files are read: a file changed
/// while the build reads it has a newer time than the build's start, and is read again next
/// time.
fn content_stats(root: &Path) -> Vec<(PathBuf, Option<Stat>)> {
    content::content_files(root)
        .into_par_iter()
        .map(|f| {
            let stat = Stat::of(&f);
            (f.strip_prefix(root).unwrap_or(&f).to_path_buf(), stat)
        })
        .collect()
}

/// The image files (site-root relative) a page names.
fn page_images(p: &Page) -> impl Iterator<Item = &Path> {
    p.lead
        .iter()
        .map(|s| s.path.as_path())
        .chain(p.figures.iter().map(|f| f.source.path.as_path()))
}

/// Saves the manifest of the output just written.
fn save(
    opts: &BuildOptions,
    site: &Site,
    stats: Vec<(PathBuf, Option<Stat>)>,
    options: u64,
    started: i128,
    outputs: Vec<Output>,
    summary: &Summary,
) -> Result<()> {
    let by_path: HashMap<&Path, &Page> = site
        .index
        .pages
        .iter()
        .chain(&site.index.held)
        .map(|p| (p.path.as_path(), p))
        .collect();
    let files: Vec<(PathBuf, Stat)> = stats
        .into_iter()
        .filter_map(|(p, stat)| Some((p, stat?)))
        .collect();
    let pages: Vec<Option<&Page>> = files
        .iter()
        .map(|(p, _)| by_path.get(p.as_path()).copied())
        .collect();
    // The next time the clock alone changes the site: a scheduled story's time comes, a
    // story leaves the news sitemap's window, or one expires.
    let clock_event = site.index.config.now.and_then(|now| {
        let window = chrono::Duration::hours(crate::output::news_sitemap::WINDOW_HOURS);
        let pages = || site.index.pages.iter().chain(&site.index.held);
        let dated = pages().filter_map(|p| p.date).filter_map(|d| {
            let d = d.with_timezone(&chrono::Utc);
            match d > now {
                true => Some(d),
                false => (d + window > now).then_some(d + window),
            }
        });
        let expiring = pages()
            .filter_map(|p| p.expires)
            .map(|d| d.with_timezone(&chrono::Utc))
            .filter(|&d| d > now);
        dated.chain(expiring).min().map(|t| t.timestamp())
    });
    let mut images: Vec<&Path> = site.index.pages.iter().flat_map(page_images).collect();
    images.sort();
    images.dedup();
    let images = images
        .into_iter()
        .filter_map(|p| Some((p.to_path_buf(), Stat::of(&opts.root.join(p))?)))
        .collect();
    let header = Header {
        images,
        clock_event,
        stamp: manifest::stamp(),
        options,
        templates: site.templates.set_fingerprint(),
        started,
        files,
        statics: write::static_files(&opts.root),
        outputs,
        counts: Counts {
            pages_per_lang: summary.pages_per_lang.clone(),
            tags: summary.tags,
            feeds: summary.feeds,
            warnings: summary.warnings.clone(),
        },
    };
    Manifest::save(&opts.output, &header, &pages)
}

/// Static files as outputs: a site file's fingerprint is its size and time, a theme file's
/// its bytes (they come with batmi).
fn static_outputs(root: &Path, files: Vec<Written>) -> Vec<Output> {
    files
        .into_iter()
        .map(|w| Output {
            path: w.path.clone(),
            fingerprint: static_fingerprint(root, &w.path),
            files: vec![w],
        })
        .collect()
}

fn static_fingerprint(root: &Path, rel: &str) -> u64 {
    let mut h = DefaultHasher::new();
    match Stat::of(&root.join("static").join(rel)) {
        Some(stat) => (0u8, stat.size, stat.mtime).hash(&mut h),
        None => match write::BUILTIN_STATIC.iter().find(|(n, _)| *n == rel) {
            Some((_, bytes)) => (1u8, bytes).hash(&mut h),
            None => 2u8.hash(&mut h),
        },
    }
    h.finish()
}

/// A build into the output in place, from the manifest of the build before.
fn incremental(
    opts: &BuildOptions,
    staging: Staging,
    prior: Manifest,
    options: u64,
    started: i128,
) -> Result<Summary> {
    let start = Instant::now();
    let root = &opts.root;
    let config = crate::load_config(opts)?;
    let templates = Templates::load(root).map_err(SiteErrors)?;
    let stats = content_stats(root);
    let statics = write::static_files(root);
    lap(start, "read the manifest's header and stat the files");
    let (header, pages_left) = prior.split();
    let head = &header;
    // A file is as recorded when its size and time are, and it was not modified after the
    // build that recorded it started (then it may have changed within the same clock tick).
    let recorded: HashMap<&Path, (usize, &Stat)> = head
        .files
        .iter()
        .enumerate()
        .map(|(k, (p, s))| (p.as_path(), (k, s)))
        .collect();
    // Images whose file changed since (their pages are read again).
    let changed_images: HashSet<&Path> = head
        .images
        .iter()
        .filter(|(p, old)| Stat::of(&root.join(p)) != Some(*old) || old.mtime >= head.started)
        .map(|(p, _)| p.as_path())
        .collect();
    let unchanged = |path: &Path, stat: &Option<Stat>| -> Option<usize> {
        let (k, old) = recorded.get(path)?;
        (Some(**old) == *stat && old.mtime < head.started).then_some(*k)
    };
    let before = head.outputs_by_path();
    let builtins: Vec<&str> = write::builtin_statics(&statics).map(|(n, _)| n).collect();
    let static_unchanged = |rel: &str| {
        let racy =
            Stat::of(&root.join("static").join(rel)).is_some_and(|s| s.mtime >= head.started);
        before
            .get(rel)
            .is_some_and(|o| o.fingerprint == static_fingerprint(root, rel) && !racy)
    };
    let nothing_changed = changed_images.is_empty()
        && stats.len() == head.files.len()
        && stats.iter().all(|(p, s)| unchanged(p, s).is_some())
        && templates.set_fingerprint() == head.templates
        && statics
            .iter()
            .map(String::as_str)
            .chain(builtins.iter().copied())
            .all(static_unchanged)
        && statics == head.statics
        && head
            .clock_event
            .is_none_or(|t| config.now.is_some_and(|now| now.timestamp() < t));
    if nothing_changed {
        lap(start, "nothing changed");
        return Ok(Summary {
            pages_per_lang: head.counts.pages_per_lang.clone(),
            tags: head.counts.tags,
            feeds: head.counts.feeds,
            files: head.files_written().count(),
            written: 0,
            removed: 0,
            full: None,
            elapsed: Duration::ZERO,
            warnings: head.counts.warnings.clone(),
            outputs: head.files_written().cloned().collect(),
            images_encoded: 0,
            images_cached: 0,
        });
    }
    let old_pages = pages_left
        .read(head)
        .context("the build manifest is damaged; run batmi build --clean")?;
    // A page is taken from the manifest when its file and its images are as recorded.
    let stale: HashSet<usize> = old_pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.as_ref()
                .is_some_and(|p| page_images(p).any(|i| changed_images.contains(i)))
        })
        .map(|(k, _)| k)
        .collect();
    let unchanged =
        |path: &Path, stat: &Option<Stat>| unchanged(path, stat).filter(|k| !stale.contains(k));
    let kept_page = |k: usize| old_pages[k].as_ref();
    let changed: Vec<PathBuf> = stats
        .iter()
        .filter(|(p, stat)| unchanged(p, stat).is_none())
        .map(|(p, _)| root.join(p))
        .collect();
    let kept: Vec<&Page> = stats
        .iter()
        .filter_map(|(p, stat)| kept_page(unchanged(p, stat)?))
        .collect();
    let urls = content::url_map(kept.iter().copied());
    let reloaded =
        content::reload(root, &changed, &config, &urls, opts.drafts).map_err(SiteErrors)?;
    lap(start, &format!("read {} changed files", changed.len()));
    let mut fresh: HashMap<PathBuf, Page> =
        reloaded.into_iter().map(|p| (p.path.clone(), p)).collect();
    // Pages in the order a full build loads them, so that the index sorts them the same.
    let pages: Vec<Page> = stats
        .iter()
        .filter_map(|(p, stat)| match unchanged(p, stat) {
            Some(k) => kept_page(k).cloned(),
            None => fresh.remove(p),
        })
        .collect();
    drop(old_pages);
    let duplicates = content::duplicate_urls(pages.iter());
    if !duplicates.is_empty() {
        return Err(SiteErrors(duplicates).into());
    }
    let warnings = content::warnings(&pages, &config);
    let site = Site {
        index: Index::new(config, pages),
        templates,
        warnings,
    };
    lap(start, "index ready");
    let renderer = Renderer::new(root, &site.index, &site.templates)?;
    lap(start, "list summaries and cards ready");
    let plan = renderer.planned(&statics).map_err(SiteErrors)?;
    let fingerprints: Vec<u64> = plan
        .par_iter()
        .map(|&(j, _)| renderer.fingerprint(j))
        .collect();
    lap(start, &format!("fingerprints of {} outputs", plan.len()));
    let before = head.outputs_by_path();
    let todo: Vec<usize> = (0..plan.len())
        .filter(|&k| before.get(plan[k].1.as_str()).map(|o| o.fingerprint) != Some(fingerprints[k]))
        .collect();
    let rendered = render(opts, &renderer, &plan, &todo, &staging)?;
    lap(start, &format!("rendered {} outputs", todo.len()));
    let mut made: HashMap<usize, Vec<Written>> = rendered
        .written
        .into_iter()
        .map(|(k, _, files)| (k, files))
        .collect();
    let mut outputs: Vec<Output> = (0..plan.len())
        .map(|k| Output {
            path: plan[k].1.clone(),
            fingerprint: fingerprints[k],
            files: match made.remove(&k) {
                Some(files) => files,
                None => before[plan[k].1.as_str()].files.clone(),
            },
        })
        .collect();
    // Static files: copied where their size or time changed, or they are new.
    for rel in statics.iter().map(String::as_str).chain(builtins) {
        let files = match before.get(rel) {
            Some(o) if static_unchanged(rel) => o.files.clone(),
            _ => match write::BUILTIN_STATIC.iter().find(|(n, _)| *n == rel) {
                Some((name, bytes)) if !statics.iter().any(|s| s == name) => {
                    write::write_file(&staging.dir, name, bytes)
                        .map_err(|d| SiteErrors(vec![d]))?;
                    vec![Written::of(name, bytes)]
                }
                _ => vec![write::copy_one_static(root, &staging.dir, rel)?],
            },
        };
        outputs.push(Output {
            path: rel.to_string(),
            fingerprint: static_fingerprint(root, rel),
            files,
        });
    }
    // What changes on disk: files with other bytes than before, and files no output makes.
    let old_files: HashMap<&str, &Written> =
        head.files_written().map(|w| (w.path.as_str(), w)).collect();
    let new_files: HashSet<&str> = outputs
        .iter()
        .flat_map(|o| o.files.iter().map(|w| w.path.as_str()))
        .collect();
    let moves: Vec<&str> = outputs
        .iter()
        .flat_map(|o| o.files.iter())
        .filter(|w| old_files.get(w.path.as_str()).is_none_or(|old| *old != *w))
        .map(|w| w.path.as_str())
        .collect();
    let gone: Vec<&str> = old_files
        .keys()
        .copied()
        .filter(|p| !new_files.contains(p))
        .collect();
    let mut summary = summarize(&site, &plan, &outputs);
    image_work(&renderer, &mut summary);
    let (written, removed) = (moves.len(), gone.len());
    if written > 0 || removed > 0 {
        Manifest::discard(&opts.output)?;
        staging.merge(&moves, &gone)?;
    }
    save(opts, &site, stats, options, started, outputs, &summary).context(
        "the output was updated, but its manifest could not be saved: the next build will be a full one",
    )?;
    drop(staging);
    lap(
        start,
        &format!("{written} files replaced, {removed} removed"),
    );
    Ok(Summary {
        written,
        removed,
        ..summary
    })
}

/// Prunes the image cache to what this build uses; counts what it encoded and reused.
fn image_work(renderer: &Renderer, summary: &mut Summary) {
    use std::sync::atomic::Ordering::Relaxed;
    let cache = &renderer.assets.cache;
    let pruned = cache.prune(&renderer.assets.entries());
    summary.images_encoded = cache.encoded.load(Relaxed);
    summary.images_cached = cache.hits.load(Relaxed);
    if std::env::var_os("BATMI_TIMINGS").is_some() {
        eprintln!(
            "images: {} encoded, {} from the cache, {} damaged entries made again, {pruned} cache entries pruned",
            summary.images_encoded,
            summary.images_cached,
            cache.damaged.load(Relaxed)
        );
    }
}

fn summarize(site: &Site, plan: &[(Job, String)], outputs: &[Output]) -> Summary {
    let index = &site.index;
    let mut pages_per_lang: Vec<(String, usize)> =
        index.langs.iter().map(|l| (l.code.clone(), 0)).collect();
    let mut feeds = 0;
    for (job, path) in plan {
        if matches!(job, Job::Feed(..)) {
            feeds += 1;
        }
        if !path.ends_with(".html") {
            continue;
        }
        let l = match *job {
            Job::Page(i) => crate::output::lang_pos(index, &index.pages[i].lang),
            Job::Home(l)
            | Job::Archive(l, _)
            | Job::TagIndex(l)
            | Job::List(l, _, _)
            | Job::Search(l)
            | Job::NotFound(l) => l,
            _ => continue,
        };
        pages_per_lang[l].1 += 1;
    }
    Summary {
        pages_per_lang,
        tags: index.tags.len(),
        feeds,
        files: outputs.iter().map(|o| o.files.len()).sum(),
        written: 0,
        removed: 0,
        full: None,
        elapsed: Duration::ZERO,
        warnings: site.warnings.clone(),
        outputs: outputs
            .iter()
            .flat_map(|o| o.files.iter().cloned())
            .collect(),
        images_encoded: 0,
        images_cached: 0,
    }
}
