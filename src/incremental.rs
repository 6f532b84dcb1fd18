//! Rebuilding after edits, for `serve`: only the files an edit touched are read again, and
//! only the outputs whose inputs changed (by `Renderer::fingerprint`) are rendered and written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::content;
use crate::diag::{Diagnostic, SiteErrors};
use crate::output::context::LangCtx;
use crate::output::{CachedItem, ItemCache, Job, PriorItems, Renderer, Reuse, write};
use crate::templates::Templates;
use crate::{BuildOptions, Index};

/// What one (re)build did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Output files rendered and written.
    pub written: usize,
    /// Output files removed because nothing produces them any more.
    pub removed: usize,
    /// Output files whose inputs did not change.
    pub unchanged: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// Site paths of the written files, e.g. `news/x/index.html`.
    pub paths: Vec<String>,
}

/// A site kept in memory between edits, written into `opts.output` (a private directory).
pub struct Incremental {
    opts: BuildOptions,
    index: Index,
    templates: Templates,
    /// Language contexts of the last render; `None` when the index's lists or the config
    /// changed since.
    langs: Option<Vec<LangCtx>>,
    /// Page summaries of the last render, in the order of `item_paths`.
    items: Vec<Arc<CachedItem>>,
    /// Whether `items` still follows `index.pages` one to one.
    items_aligned: bool,
    /// Source paths of `items`, kept for when the index is rebuilt.
    item_paths: Vec<PathBuf>,
    /// Every output of the last render: its job and site path. Empty when it must be
    /// planned again (the index's lists changed).
    plan: Vec<(Job, String)>,
    /// Fingerprint of what each output in `plan` was last written from (0: unknown).
    fingerprints: Vec<u64>,
    warnings: Vec<Diagnostic>,
    /// Paths saved since the last rebuild that succeeded: a failed rebuild applies nothing
    /// for sure, so its paths are taken up again by the next one (and its error is shown
    /// again until the file is fixed).
    pending: Vec<PathBuf>,
}

/// How an edited path is handled.
enum Change {
    Config,
    Template,
    Static(PathBuf),
    Content(PathBuf),
    Ignored,
}

impl Incremental {
    /// Loads the whole site and writes every file into `opts.output`.
    pub fn start(opts: BuildOptions) -> Result<(Incremental, Report)> {
        let start = Instant::now();
        let site = crate::load_site(&opts)?;
        std::fs::create_dir_all(&opts.output)
            .with_context(|| format!("cannot create {}", opts.output.display()))?;
        let mut inc = Incremental {
            opts,
            index: site.index,
            templates: site.templates,
            langs: None,
            items: Vec::new(),
            items_aligned: false,
            item_paths: Vec::new(),
            plan: Vec::new(),
            fingerprints: Vec::new(),
            warnings: site.warnings,
            pending: Vec::new(),
        };
        let mut report = inc.render(false)?;
        write::copy_static(&inc.opts.root, &inc.opts.output)?;
        report.warnings = inc.warnings.clone();
        report.elapsed = start.elapsed();
        Ok((inc, report))
    }

    pub fn output(&self) -> &Path {
        &self.opts.output
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Applies edits to the given files (absolute or root-relative). On error the previous
    /// state and output stay as they were.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Report> {
        let root = self.opts.root.clone();
        for p in changed {
            let p = p.strip_prefix(&root).unwrap_or(p).to_path_buf();
            if !self.pending.contains(&p) {
                self.pending.push(p);
            }
        }
        let changed = self.pending.clone();
        let result = self.apply(&changed);
        if result.is_ok() {
            self.pending.clear();
        }
        result
    }

    fn apply(&mut self, changed: &[PathBuf]) -> Result<Report> {
        let start = Instant::now();
        let root = self.opts.root.clone();
        let changes: Vec<Change> = changed.iter().map(|p| classify(&root, p)).collect();
        let mut report = if changes.iter().any(|c| matches!(c, Change::Config)) {
            let site = crate::load_site(&self.opts)?;
            self.index = site.index;
            self.templates = site.templates;
            self.warnings = site.warnings;
            self.lists_changed();
            let report = self.render(false)?;
            write::copy_static(&root, &self.opts.output)?;
            report
        } else {
            if changes.iter().any(|c| matches!(c, Change::Template)) {
                self.templates = Templates::load(&root).map_err(SiteErrors)?;
            }
            let files: Vec<PathBuf> = changes
                .iter()
                .filter_map(|c| match c {
                    Change::Content(p) => Some(p.clone()),
                    _ => None,
                })
                .collect();
            if !files.is_empty() {
                self.reload(&files)?;
            }
            self.render(false)?
        };
        for c in &changes {
            if let Change::Static(rel) = c {
                let from = root.join(rel);
                let rel_out = rel.strip_prefix("static").unwrap_or(rel);
                let to = self.opts.output.join(rel_out);
                // Only plain files: a symlink could point outside the site.
                let plain = from
                    .symlink_metadata()
                    .is_ok_and(|m| m.file_type().is_file());
                if plain {
                    // Replaced, not written into (see `write::write_file`).
                    let site_path = rel_out.to_string_lossy().replace('\\', "/");
                    let bytes = std::fs::read(&from)
                        .with_context(|| format!("cannot copy {}", from.display()))?;
                    write::write_file(&self.opts.output, &site_path, &bytes)
                        .map_err(|d| SiteErrors(vec![d]))?;
                    report.written += 1;
                    report.paths.push(site_path);
                } else if to.is_file() {
                    std::fs::remove_file(&to).ok();
                    report.removed += 1;
                }
            }
        }
        report.warnings = self.warnings.clone();
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// Reads the changed content files again. An edit that leaves every list as it was (the
    /// same URL, date, tags and translations: most saves) replaces the pages in place;
    /// anything else builds the index again.
    fn reload(&mut self, files: &[PathBuf]) -> Result<()> {
        let root = &self.opts.root;
        let present: Vec<PathBuf> = files
            .iter()
            .map(|f| root.join(f))
            .filter(|f| f.is_file())
            .collect();
        let reloaded = content::reload(
            root,
            &present,
            &self.index.config,
            &self.index.urls,
            self.opts.drafts,
        )
        .map_err(SiteErrors)?;
        let pages = &self.index.pages;
        let in_place: Option<Vec<usize>> = (reloaded.len() == files.len())
            .then(|| {
                reloaded
                    .iter()
                    .map(|new| {
                        let i = pages.iter().position(|p| p.path == new.path)?;
                        (pages[i].index_key() == new.index_key()).then_some(i)
                    })
                    .collect()
            })
            .flatten();
        if let Some(positions) = in_place {
            for (i, page) in positions.into_iter().zip(reloaded) {
                self.index.pages[i] = page;
            }
            return Ok(());
        }
        let kept = pages
            .iter()
            .chain(&self.index.held)
            .filter(|p| !files.contains(&p.path));
        let duplicates = content::duplicate_urls(kept.chain(&reloaded));
        if !duplicates.is_empty() {
            return Err(SiteErrors(duplicates).into());
        }
        let mut pages = std::mem::take(&mut self.index.pages);
        pages.append(&mut self.index.held);
        pages.retain(|p| !files.contains(&p.path));
        pages.extend(reloaded);
        let config = self.index.config.clone();
        self.warnings = content::warnings(&pages, &config);
        self.index = Index::new(config, pages);
        self.lists_changed();
        Ok(())
    }

    /// Forgets what depends on the index's lists and the config.
    fn lists_changed(&mut self) {
        self.langs = None;
        self.items_aligned = false;
    }

    /// Renders what an edit left for later: the search indexes (they read every story of a
    /// language) and the sitemap (it lists every page). No open page shows them; `serve`
    /// calls this once the editor pauses.
    pub fn finish_deferred(&mut self) -> Result<Report> {
        let start = Instant::now();
        let mut report = self.render(true)?;
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// Renders the outputs whose fingerprint changed, and removes those no longer produced.
    fn render(&mut self, include_deferred: bool) -> Result<Report> {
        let t0 = Instant::now();
        let lap = |what: &str| {
            if std::env::var_os("BATMI_TIMINGS").is_some() {
                eprintln!("{:>8.1} ms  {what}", t0.elapsed().as_secs_f64() * 1000.0);
            }
        };
        let by_path: ItemCache;
        let prior = if self.items_aligned {
            PriorItems::Aligned(&self.items)
        } else {
            by_path = self
                .item_paths
                .iter()
                .cloned()
                .zip(self.items.iter().cloned())
                .collect();
            PriorItems::ByPath(&by_path)
        };
        let reuse = Reuse {
            langs: self.langs.take(),
            items: prior,
        };
        let renderer = Renderer::reusing(&self.opts.root, &self.index, &self.templates, reuse)?;
        lap("renderer ready");
        let first_build = self.plan.is_empty() && self.fingerprints.is_empty();
        // The outputs, and what each was last written from.
        // An edit that changed an image or a card (its path holds a hash of what it shows)
        // needs a new plan even when every list stayed the same.
        let replan = !self.items_aligned || !renderer.assets_match(&self.plan);
        let (plan, old): (Vec<(Job, String)>, Vec<u64>) = if !replan {
            (
                std::mem::take(&mut self.plan),
                std::mem::take(&mut self.fingerprints),
            )
        } else {
            let statics = write::static_files(&self.opts.root);
            let plan = renderer.planned(&statics).map_err(SiteErrors)?;
            let before: HashMap<&str, u64> = self
                .plan
                .iter()
                .map(|(_, p)| p.as_str())
                .zip(self.fingerprints.iter().copied())
                .collect();
            let old = plan
                .iter()
                .map(|(_, p)| before.get(p.as_str()).copied().unwrap_or(0))
                .collect();
            (plan, old)
        };
        let new: Vec<u64> = plan
            .par_iter()
            .map(|&(j, _)| renderer.fingerprint(j))
            .collect();
        lap(&format!("fingerprints of {} outputs", plan.len()));
        let deferred = |job: &Job| {
            !include_deferred
                && !first_build
                && matches!(job, Job::SearchIndex(_) | Job::Sitemap(_))
        };
        let todo: Vec<usize> = (0..plan.len())
            .filter(|&k| old[k] != new[k] && !deferred(&plan[k].0))
            .collect();
        let errors = write::render_jobs(&renderer, &plan, &todo, &self.opts.output, None).errors;
        // What each output on disk now comes from: the new fingerprint where it was written
        // or unchanged, the old one where writing failed or was deferred (so it is tried again).
        let mut fingerprints: Vec<u64> = (0..plan.len())
            .map(|k| if deferred(&plan[k].0) { old[k] } else { new[k] })
            .collect();
        for (k, _) in &errors {
            fingerprints[*k] = old[*k];
        }
        let mut removed = 0;
        if replan {
            let now: HashSet<&str> = plan.iter().map(|(_, p)| p.as_str()).collect();
            for (_, old_path) in &self.plan {
                if !now.contains(old_path.as_str()) {
                    let path = self.opts.output.join(old_path);
                    if std::fs::remove_file(&path).is_ok() {
                        removed += 1;
                    }
                    // Leave no empty directory behind (e.g. a deleted story's folder).
                    if let Some(dir) = path.parent() {
                        std::fs::remove_dir(dir).ok();
                    }
                }
            }
        }
        let report = Report {
            written: todo.len() - errors.len(),
            removed,
            unchanged: plan.len() - todo.len(),
            paths: todo.iter().map(|&k| plan[k].1.clone()).collect(),
            ..Report::default()
        };
        let (langs, items) = renderer.into_parts();
        self.langs = Some(langs);
        self.items = items;
        if !self.items_aligned {
            self.item_paths = self.index.pages.iter().map(|p| p.path.clone()).collect();
        }
        self.items_aligned = true;
        self.plan = plan;
        self.fingerprints = fingerprints;
        lap("written");
        if errors.is_empty() {
            Ok(report)
        } else {
            Err(crate::diag::PartialErrors(write::site_errors(errors).0).into())
        }
    }
}

fn classify(root: &Path, path: &Path) -> Change {
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Editors' temporary and backup files.
    if name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
    {
        return Change::Ignored;
    }
    // A page's images are measured and hashed when it is loaded: load them all again.
    let image = rel
        .extension()
        .is_some_and(|e| crate::images::resolve::is_image_name(&e.to_string_lossy()));
    if rel == Path::new("config.toml") || (image && !rel.starts_with("templates")) {
        Change::Config
    } else if rel.starts_with("templates") {
        Change::Template
    } else if rel.starts_with("static") {
        Change::Static(rel)
    } else if rel.starts_with("content") && rel.extension().is_some_and(|e| e == "md") {
        Change::Content(rel)
    } else if rel.starts_with("content") && !rel.to_string_lossy().contains('.') {
        // A folder moved or deleted: treat as a content change of unknown files.
        Change::Config
    } else {
        Change::Ignored
    }
}
