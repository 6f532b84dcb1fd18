//! Rebuilding after edits, for `serve`: only the files an edit touched are read again, and
//! only the outputs whose inputs changed (by `Renderer::fingerprint`) are rendered and written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::content::{self, Page};
use crate::diag::{Diagnostic, SiteErrors};
use crate::output::{ItemCache, Renderer, write};
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
    cache: ItemCache,
    /// Output path → fingerprint of what it was rendered from.
    fingerprints: HashMap<String, u64>,
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
            cache: ItemCache::new(),
            fingerprints: HashMap::new(),
        };
        let mut report = inc.render_changed()?;
        write::copy_static(&inc.opts.root, &inc.opts.output)?;
        report.warnings = site.warnings;
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
        let start = Instant::now();
        let root = self.opts.root.clone();
        let changes: Vec<Change> = changed.iter().map(|p| classify(&root, p)).collect();
        if changes.iter().any(|c| matches!(c, Change::Config)) {
            let site = crate::load_site(&self.opts)?;
            self.index = site.index;
            self.templates = site.templates;
            let mut report = self.render_changed()?;
            write::copy_static(&root, &self.opts.output)?;
            report.warnings = site.warnings;
            report.elapsed = start.elapsed();
            return Ok(report);
        }
        if changes.iter().any(|c| matches!(c, Change::Template)) {
            self.templates = Templates::load(&root).map_err(SiteErrors)?;
        }
        let files: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Content(p) => Some(p),
                _ => None,
            })
            .collect();
        let mut warnings = Vec::new();
        if !files.is_empty() {
            let reloaded = reload(&root, &self.index, self.opts.drafts, &files)?;
            let config = self.index.config.clone();
            let mut pages = std::mem::take(&mut self.index.pages);
            pages.retain(|p| !files.iter().any(|f| **f == p.path));
            pages.extend(reloaded);
            warnings = content::warnings(&pages, &config);
            self.index = Index::new(config, pages);
        }
        let mut report = self.render_changed()?;
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
                    if let Some(parent) = to.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::copy(&from, &to)
                        .with_context(|| format!("cannot copy {}", from.display()))?;
                    report.written += 1;
                    report
                        .paths
                        .push(rel_out.to_string_lossy().replace('\\', "/"));
                } else if to.is_file() {
                    std::fs::remove_file(&to).ok();
                    report.removed += 1;
                }
            }
        }
        report.warnings = warnings;
        report.elapsed = start.elapsed();
        Ok(report)
    }

    /// Renders the outputs whose fingerprint changed, and removes those no longer produced.
    fn render_changed(&mut self) -> Result<Report> {
        self.render(false)
    }

    /// Renders what an edit left for later (the search indexes: they read every story of
    /// a language). `serve` calls it after the browsers have the edited pages.
    pub fn finish_deferred(&mut self) -> Result<Report> {
        let start = Instant::now();
        let mut report = self.render(true)?;
        report.elapsed = start.elapsed();
        Ok(report)
    }

    fn render(&mut self, include_deferred: bool) -> Result<Report> {
        let t0 = Instant::now();
        let timings = std::env::var_os("BATMI_TIMINGS").is_some();
        let renderer =
            Renderer::with_cache(&self.opts.root, &self.index, &self.templates, &self.cache)?;
        if timings {
            eprintln!(
                "{:>8.1} ms  renderer ready",
                t0.elapsed().as_secs_f64() * 1000.0
            );
        }
        let jobs = renderer.plan();
        let planned: Vec<(crate::output::Job, String, u64)> = jobs
            .par_iter()
            .map(|&j| (j, renderer.path(j), renderer.fingerprint(j)))
            .collect();
        if timings {
            eprintln!(
                "{:>8.1} ms  fingerprints of {} outputs",
                t0.elapsed().as_secs_f64() * 1000.0,
                planned.len()
            );
        }
        let first_build = self.fingerprints.is_empty();
        let deferred = |job: &crate::output::Job| {
            !include_deferred && !first_build && matches!(job, crate::output::Job::SearchIndex(_))
        };
        let todo: Vec<&(crate::output::Job, String, u64)> = planned
            .iter()
            .filter(|(job, path, fp)| self.fingerprints.get(path) != Some(fp) && !deferred(job))
            .collect();
        let results: Vec<Result<(), Diagnostic>> = todo
            .par_iter()
            .map_init(Vec::new, |buf, (job, path, _)| {
                let t = Instant::now();
                renderer.render_into(*job, buf)?;
                if timings {
                    eprintln!("{:>8.1} ms  {path}", t.elapsed().as_secs_f64() * 1000.0);
                }
                write::write_file(&self.opts.output, path, buf)
            })
            .collect();
        let errors: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
        if !errors.is_empty() {
            // Files already written are fine: they are correct for the new inputs. Forget the
            // fingerprints so the next rebuild writes everything that may be stale.
            self.fingerprints.clear();
            return Err(SiteErrors(errors).into());
        }
        let new_paths: HashSet<&str> = planned.iter().map(|(_, p, _)| p.as_str()).collect();
        let mut removed = 0;
        for old in self.fingerprints.keys() {
            if !new_paths.contains(old.as_str()) {
                let path = self.opts.output.join(old);
                if std::fs::remove_file(&path).is_ok() {
                    removed += 1;
                }
                // Leave no empty directory behind (e.g. a deleted story's folder).
                if let Some(dir) = path.parent() {
                    std::fs::remove_dir(dir).ok();
                }
            }
        }
        let report = Report {
            written: todo.len(),
            removed,
            unchanged: planned.len() - todo.len(),
            paths: todo.iter().map(|(_, p, _)| p.clone()).collect(),
            ..Report::default()
        };
        self.cache = renderer.item_cache();
        let old = std::mem::take(&mut self.fingerprints);
        self.fingerprints = planned
            .into_iter()
            .filter_map(|(job, p, fp)| {
                if deferred(&job) {
                    // Not rendered yet: keep what is on disk, so the next pass sees the change.
                    old.get(&p).map(|&fp| (p, fp))
                } else {
                    Some((p, fp))
                }
            })
            .collect();
        Ok(report)
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
    if rel == Path::new("config.toml") {
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

/// Reads the changed files again: the pages that replace them (none for a deleted file or a
/// draft). Nothing is changed when any of them has an error.
fn reload(root: &Path, index: &Index, drafts: bool, files: &[&PathBuf]) -> Result<Vec<Page>> {
    let mut errors = Vec::new();
    let mut pages = Vec::new();
    for rel in files {
        let abs = root.join(rel);
        if !abs.is_file() {
            continue;
        }
        match content::reload_one(root, &abs, &index.config, &index.pages) {
            Ok(page) if page.draft && !drafts => {}
            Ok(page) => pages.push(page),
            Err(mut d) => errors.append(&mut d),
        }
    }
    let kept = index
        .pages
        .iter()
        .filter(|p| !files.iter().any(|f| **f == p.path));
    let mut seen: HashMap<(&str, &str), &Path> = HashMap::new();
    for p in kept.chain(pages.iter()) {
        if let Some(first) = seen.insert((&p.lang, &p.url), &p.path) {
            errors.push(
                Diagnostic::error(
                    &p.path,
                    format!(
                        "two pages have the URL {} (the other is {})",
                        p.url,
                        first.display()
                    ),
                )
                .help("give one of them another slug = \"...\" in its front matter"),
            );
        }
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err(SiteErrors(errors).into())
    }
}
