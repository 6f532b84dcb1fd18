//! Publishing to a directory: the new version is put together beside the old one and swapped
//! in with a rename, so readers see either the old site or the new one, never a mix.
//!
//! When PATH is a symlink (`/var/www/news -> .news.batmi-…`), the swap is a single atomic
//! rename of a fresh link. When PATH is a plain folder, it is two renames in a row (old aside,
//! new in), which leaves PATH missing for an instant; make it a symlink to avoid even that.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use super::local::{self, LocalFile};
use super::plan::{Plan, RemoteFile};
use super::{Progress, PublishOptions, Report};

/// What PATH is now.
enum Layout {
    Missing,
    Dir,
    /// A symlink; `live` is the folder it points at, if that exists.
    Link {
        live: Option<PathBuf>,
    },
}

impl Layout {
    fn of(dest: &Path) -> Result<Layout> {
        match fs::symlink_metadata(dest) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Layout::Missing),
            Err(e) => Err(e).with_context(|| format!("cannot look at {}", dest.display())),
            Ok(m) if m.file_type().is_symlink() => Ok(Layout::Link {
                live: fs::canonicalize(dest).ok().filter(|p| p.is_dir()),
            }),
            Ok(m) if m.is_dir() => Ok(Layout::Dir),
            Ok(_) => bail!(
                "{} is a file, not a folder\n  help: publish to a folder: --to dir:PATH",
                dest.display()
            ),
        }
    }

    fn live(&self, dest: &Path) -> Option<PathBuf> {
        match self {
            Layout::Missing => None,
            Layout::Dir => Some(dest.to_path_buf()),
            Layout::Link { live } => live.clone(),
        }
    }
}

/// One entry found in the published folder.
struct Existing {
    abs: PathBuf,
    size: u64,
    symlink: bool,
}

/// Publishes the built `site` folder to `dest`.
pub fn deploy(
    site: &Path,
    dest: &Path,
    opts: &PublishOptions,
    progress: &Progress,
) -> Result<Report> {
    let files = local::scan(site, &opts.known)?;
    let layout = Layout::of(dest)?;
    let live = layout.live(dest);
    let (existing, dirs) = match &live {
        Some(dir) => walk_existing(dir)?,
        None => (BTreeMap::new(), Vec::new()),
    };
    let remote = compare_hashes(&files, &existing)?;
    let plan = Plan::new(&files, &remote, opts.delete);
    plan.check_deletes(opts.max_deletes, opts.yes, &opts.target.to_string())?;
    if opts.dry_run || plan.is_empty() {
        return Ok(Report::from_plan(&plan, opts.dry_run));
    }
    progress.begin(plan.uploads.len() + plan.deletes.len());

    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let staging = Staging::new(match layout {
        Layout::Link { .. } => parent.join(format!(".{name}.batmi-{}", stamp())),
        _ => parent.join(format!(".{name}.batmi-new-{}", std::process::id())),
    })?;

    // The new version: every built file, plus (without --delete) what the old one had that
    // the build no longer makes.
    files
        .par_iter()
        .try_for_each(|f| link_or_copy(&f.abs, &staging.0.join(&f.path)))?;
    if let Some(live) = &live {
        if !opts.delete {
            for d in &dirs {
                fs::create_dir_all(staging.0.join(d)).ok();
            }
        }
        for path in &plan.kept {
            let e = &existing[path];
            let to = staging.0.join(path);
            if e.symlink {
                copy_symlink(&e.abs, &to)?;
            } else {
                link_or_copy(&e.abs, &to)?;
            }
        }
        if let Ok(meta) = fs::metadata(live) {
            fs::set_permissions(&staging.0, meta.permissions()).ok();
        }
    }

    match layout {
        Layout::Missing => {
            fs::rename(&staging.0, dest)
                .with_context(|| format!("cannot move the new site to {}", dest.display()))?;
        }
        Layout::Dir => swap_dir(&staging.0, dest, parent, &name)?,
        Layout::Link { live } => swap_link(&staging.0, dest, parent, &name, live.as_deref())?,
    }
    staging.keep();

    for u in &plan.uploads {
        progress.uploaded(&u.path, u.size);
    }
    for d in &plan.deletes {
        progress.deleted(d);
    }
    Ok(Report::from_plan(&plan, false))
}

/// Files (and symlinks) in the published folder by site path, and its folders.
fn walk_existing(dir: &Path) -> Result<(BTreeMap<String, Existing>, Vec<String>)> {
    let mut files = BTreeMap::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let rel = local::site_path(dir, entry.path());
        let ft = entry.file_type();
        if ft.is_dir() {
            dirs.push(rel);
            continue;
        }
        let size = if ft.is_file() {
            entry
                .metadata()
                .with_context(|| format!("cannot read {}", entry.path().display()))?
                .len()
        } else {
            0
        };
        files.insert(
            rel,
            Existing {
                abs: entry.into_path(),
                size,
                symlink: ft.is_symlink(),
            },
        );
    }
    Ok((files, dirs))
}

/// What the folder holds, hashing only the files whose size matches a built file (a different
/// size already means different bytes).
fn compare_hashes(
    files: &[LocalFile],
    existing: &BTreeMap<String, Existing>,
) -> Result<BTreeMap<String, RemoteFile>> {
    let built: BTreeMap<&str, &LocalFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    existing
        .par_iter()
        .map(|(path, e)| {
            let hash = match built.get(path.as_str()) {
                Some(f) if !e.symlink && f.size == e.size => Some(local::hash_file(&e.abs)?),
                _ => None,
            };
            Ok((path.clone(), RemoteFile { size: e.size, hash }))
        })
        .collect()
}

fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(p) = to.parent() {
        fs::create_dir_all(p).with_context(|| format!("cannot create {}", p.display()))?;
    }
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to)
            .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

fn copy_symlink(from: &Path, to: &Path) -> Result<()> {
    let target = fs::read_link(from).with_context(|| format!("cannot read {}", from.display()))?;
    if let Some(p) = to.parent() {
        fs::create_dir_all(p).with_context(|| format!("cannot create {}", p.display()))?;
    }
    symlink(&target, to)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("cannot create the symlink {}", link.display()))
}

#[cfg(not(unix))]
fn symlink(_target: &Path, link: &Path) -> Result<()> {
    bail!(
        "cannot create the symlink {}: symlinks are supported on Unix only",
        link.display()
    )
}

/// Old folder aside, new folder in, old folder removed; on failure the old one goes back.
fn swap_dir(new: &Path, dest: &Path, parent: &Path, name: &str) -> Result<()> {
    let old = parent.join(format!(".{name}.batmi-old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old).ok();
    }
    fs::rename(dest, &old)
        .with_context(|| format!("cannot move the published site {} aside", dest.display()))?;
    if let Err(e) = fs::rename(new, dest) {
        fs::rename(&old, dest).ok();
        return Err(e).with_context(|| format!("cannot move the new site to {}", dest.display()));
    }
    fs::remove_dir_all(&old).ok();
    Ok(())
}

/// A fresh symlink to the new folder renamed over the old link: one atomic step. The folder
/// the old link pointed at is removed when batmi made it.
fn swap_link(
    new: &Path,
    dest: &Path,
    parent: &Path,
    name: &str,
    old_live: Option<&Path>,
) -> Result<()> {
    let tmp = parent.join(format!(".{name}.batmi-link-{}", std::process::id()));
    fs::remove_file(&tmp).ok();
    let rel = new.file_name().map(PathBuf::from).unwrap_or_default();
    symlink(&rel, &tmp)?;
    if let Err(e) = fs::rename(&tmp, dest) {
        fs::remove_file(&tmp).ok();
        return Err(e).with_context(|| format!("cannot point {} at the new site", dest.display()));
    }
    if let Some(old) = old_live {
        let ours = old
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&format!(".{name}.batmi-")));
        let beside =
            old.parent().and_then(|p| fs::canonicalize(p).ok()) == fs::canonicalize(parent).ok();
        if ours && beside {
            fs::remove_dir_all(old).ok();
        }
    }
    Ok(())
}

fn stamp() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}{:09}", d.as_secs(), d.subsec_nanos())
}

/// A folder being filled; removed unless kept.
struct Staging(PathBuf, bool);

impl Staging {
    fn new(dir: PathBuf) -> Result<Staging> {
        if dir.exists() {
            fs::remove_dir_all(&dir).ok();
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging(dir, false))
    }

    fn keep(mut self) {
        self.1 = true;
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.1 {
            fs::remove_dir_all(&self.0).ok();
        }
    }
}
