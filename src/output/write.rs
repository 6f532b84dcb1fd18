//! Writing to disk: render every job in parallel straight into a fresh directory beside the
//! output, copy static files, then swap it in. A failed build never touches the old output.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::{Job, Renderer};
pub use crate::build::manifest::Written;
use crate::diag::{Diagnostic, SiteErrors};

/// The built-in theme's static files, used where the site has no file of the same name.
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("embed.js", include_bytes!("../../static/embed.js")),
    (
        "snowball-english.js",
        include_bytes!("../../static/snowball-english.js"),
    ),
];

/// A directory being built, removed again unless `commit` swaps it in.
///
/// While it exists it holds an exclusive lock on `.<output>.batmi-lock` beside the output, so
/// two builds of one output (a cron publish and a manual one) never interleave. Holding the
/// lock also means that any other staging directory of this output is left over from a build
/// that was killed (SIGKILL, out of memory, a CI time-out): it is removed.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    committed: bool,
    _lock: fs::File,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let lock = lock_output(parent, &name, target)?;
        remove_leftovers(parent, &name);
        let dir = parent.join(format!(".{name}.batmi-new-{}", std::process::id()));
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
            _lock: lock,
        })
    }

    /// Puts the new build in place of the old one; the old one is removed afterwards. The
    /// lock is held until `self` is dropped.
    pub fn commit(&mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.batmi-old-{}",
            self.target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).with_context(|| {
                format!(
                    "cannot move the previous output {} aside",
                    self.target.display()
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                fs::rename(&old, &self.target).ok();
            }
            return Err(e).with_context(|| {
                format!("cannot move the new output to {}", self.target.display())
            });
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).ok();
        }
        Ok(())
    }
}

/// Takes the output's lock, waiting (and saying so) while another build holds it.
fn lock_output(parent: &Path, name: &str, target: &Path) -> Result<fs::File> {
    let path = parent.join(format!(".{name}.batmi-lock"));
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another batmi build that is writing {} ...",
                target.display()
            );
            file.lock()
                .with_context(|| format!("cannot lock {}", path.display()))?;
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()));
        }
    }
    Ok(file)
}

/// Removes the staging and old-output directories of builds of `name` that no longer run
/// (the caller holds the output's lock, so no build of it is running).
fn remove_leftovers(parent: &Path, name: &str) {
    let new = format!(".{name}.batmi-new-");
    let old = format!(".{name}.batmi-old-");
    for entry in fs::read_dir(parent).into_iter().flatten().flatten() {
        let file_name = entry.file_name();
        let n = file_name.to_string_lossy();
        let ours = n.starts_with(&new) || n.starts_with(&old);
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            fs::remove_dir_all(entry.path()).ok();
        }
    }
}

impl Staging {
    /// Moves the files `moves` (site paths) from the staging folder into the output, each
    /// replacing its old version atomically (a rename), then removes the files `gone` from
    /// the output. Pages go in after what they load (stylesheets, images) and before what
    /// points at them (feeds, the sitemap, search files); a search manifest goes in last of
    /// all, after the files it names.
    pub fn merge(&self, moves: &[&str], gone: &[&str]) -> Result<()> {
        let mut order = moves.to_vec();
        order.sort_by_key(|p| {
            (
                crate::publish::plan::kind(p),
                p.ends_with(crate::search::MANIFEST),
            )
        });
        for rel in order {
            let (from, to) = (self.dir.join(rel), self.target.join(rel));
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::rename(&from, &to).with_context(|| {
                format!("cannot move the new {rel} into {}", self.target.display())
            })?;
        }
        for rel in gone {
            let path = self.target.join(rel);
            fs::remove_file(&path).ok();
            // Leave no empty folder behind (a deleted story's folder, say).
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != self.target) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            fs::remove_dir_all(&self.dir).ok();
        }
    }
}

/// What [`render_jobs`] did: the files each output wrote (by index into the plan) and the
/// errors, each with the index of its output.
#[derive(Default)]
pub struct Rendered {
    /// By output: its fingerprint and its files.
    pub written: Vec<(usize, u64, Vec<Written>)>,
    pub errors: Vec<(usize, Diagnostic)>,
}

/// Renders the outputs `todo` (indexes into `plan`) and writes each into `dir`: the one
/// render-and-write loop, used by `build` (full and incremental) and by `serve`'s rebuilds.
/// Each file's SHA-256 is taken from the bytes in memory, for the build manifest; each
/// output done is counted in `progress`.
pub fn render_jobs(
    r: &Renderer,
    plan: &[(Job, String)],
    todo: &[usize],
    dir: &Path,
    progress: Option<&crate::progress::Progress>,
) -> Rendered {
    // The long jobs (a search index or sitemap covers every story) go first, so that no core
    // waits at the end for one of them while the other has nothing left to do.
    let mut order = todo.to_vec();
    order.sort_by_key(|&k| {
        !matches!(
            plan[k].0,
            Job::SearchIndex(_) | Job::Sitemap(_) | Job::Feed(..)
        )
    });
    let timings = std::env::var_os("BATMI_TIMINGS").is_some();
    let results: Vec<(usize, u64, Result<Vec<Written>, Diagnostic>)> = order
        .par_iter()
        .map_init(Vec::new, |buf, &k| {
            let (job, path) = &plan[k];
            let t = std::time::Instant::now();
            let data = r.data(*job);
            let fingerprint = data.fingerprint(r);
            let written = match job {
                // Several files; those already there with the same bytes are left alone.
                Job::SearchIndex(l) => crate::search::search_files(r, *l).and_then(|files| {
                    crate::search::write_search_files(dir, &files)?;
                    Ok(files
                        .iter()
                        .map(|(rel, bytes)| Written::of(rel, bytes))
                        .collect())
                }),
                Job::Asset(k) => r.write_asset(*k, dir, path).map(|w| vec![w]),
                _ => data
                    .render(r, buf)
                    .and_then(|()| write_file(dir, path, buf))
                    .map(|()| vec![Written::of(path, buf)]),
            };
            if let Some(p) = progress {
                p.wrote_one();
            }
            if timings && plan.len() != todo.len() {
                eprintln!("{:>8.1} ms  {path}", t.elapsed().as_secs_f64() * 1000.0);
            }
            (k, fingerprint, written)
        })
        .collect();
    let mut out = Rendered::default();
    for (k, fingerprint, result) in results {
        match result {
            Ok(files) => out.written.push((k, fingerprint, files)),
            Err(d) => out.errors.push((k, d)),
        }
    }
    out.errors.sort_by_key(|(k, _)| *k);
    out.written.sort_by_key(|(k, ..)| *k);
    out
}

impl Written {
    /// The record of `bytes` written at site path `path`.
    pub fn of(path: &str, bytes: &[u8]) -> Written {
        Written {
            path: path.to_string(),
            sha256: crate::publish::local::hash_bytes(bytes),
            size: bytes.len() as u64,
        }
    }
}

/// The errors of a render as the user reads them: each once, at most 20.
pub fn site_errors(errors: Vec<(usize, Diagnostic)>) -> SiteErrors {
    let mut unique: Vec<Diagnostic> = Vec::new();
    for (_, d) in errors {
        if !unique.contains(&d) {
            unique.push(d);
        }
    }
    unique.truncate(20);
    SiteErrors(unique)
}

/// Writes `bytes` to `dir/rel`. A `rel` that would leave `dir` is refused: slugs are checked
/// where they are read, and this is the last guard should any other path slip through.
///
/// A file already at `dir/rel` is replaced, never written into: the new bytes go to a new
/// file renamed over it. An output file may be a hard link of an image cache entry (see
/// [`link_file`]), and writing into it would change the entry, and every other output that
/// links it, too. (`serve` also gets this way no reader ever sees half a file it replaces.)
pub fn write_file(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = output_path(dir, rel)?;
    let io = |e: std::io::Error| Diagnostic::error(&path, format!("cannot write the file: {e}"));
    match crate::replace::write_new(&path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            crate::replace::with(&path, |tmp| crate::replace::write_new(tmp, bytes)).map_err(io)
        }
        other => other.map_err(io),
    }
}

/// Puts the file `from` (an image cache entry holding `bytes`) at `dir/rel` as a hard link,
/// or writes `bytes` there where a link cannot be made (another file system, one with no
/// links, an entry with the most links the file system allows). A file already there is
/// replaced by a rename, as in [`write_file`].
///
/// Safe because nothing batmi does writes into an output file: every write is a new file
/// renamed into place ([`write_file`]), a removed file is unlinked, and `publish` reads the
/// output (to a folder it links or copies files, never writing into them). The cache checks
/// an entry's bytes each time it is used, so one changed in place through the output by
/// someone else is made again rather than published ([`crate::images::cache`]).
pub fn link_file(dir: &Path, rel: &str, from: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let path = output_path(dir, rel)?;
    let linked = match fs::hard_link(from, &path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            crate::replace::with(&path, |tmp| fs::hard_link(from, tmp)).is_ok()
        }
        other => other.is_ok(),
    };
    match linked {
        true => Ok(()),
        false => write_file(dir, rel, bytes),
    }
}

/// `dir/rel`, its folder created; refused when `rel` leaves `dir`.
fn output_path(dir: &Path, rel: &str) -> Result<PathBuf, Diagnostic> {
    if !crate::paths::stays_inside(rel) {
        return Err(Diagnostic::error(
            dir,
            format!("refusing to write {rel:?}: the path leaves the output directory"),
        ));
    }
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(parent, format!("cannot create the folder: {e}")))?;
    }
    Ok(path)
}

/// Site paths of the plain files in `root/static` (`css/print.css`), sorted. Links are left
/// out: one could point anywhere on the machine.
pub fn static_files(root: &Path) -> Vec<String> {
    let src = root.join("static");
    walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&src).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// Copies `root/static` into `dir`, then the theme's files the site did not override.
/// Returns the files written.
pub fn copy_static(root: &Path, dir: &Path) -> Result<Vec<Written>> {
    let files = static_files(root);
    let mut written = files
        .par_iter()
        .map(|rel| copy_one_static(root, dir, rel))
        .collect::<Result<Vec<_>>>()?;
    for (name, bytes) in builtin_statics(&files) {
        write_file(dir, name, bytes).map_err(|d| SiteErrors(vec![d]))?;
        written.push(Written::of(name, bytes));
    }
    Ok(written)
}

/// Copies one file of `root/static` (`rel`, a site path) to `dir`.
pub fn copy_one_static(root: &Path, dir: &Path, rel: &str) -> Result<Written> {
    let from = root.join("static").join(rel);
    let bytes = fs::read(&from).with_context(|| format!("cannot read {}", from.display()))?;
    write_file(dir, rel, &bytes).map_err(|d| SiteErrors(vec![d]))?;
    Ok(Written::of(rel, &bytes))
}

/// The theme's static files that `statics` (the site's, as from [`static_files`]) does not
/// replace.
pub fn builtin_statics(statics: &[String]) -> impl Iterator<Item = (&'static str, &'static [u8])> {
    BUILTIN_STATIC
        .iter()
        .filter(move |(name, _)| !statics.iter().any(|s| s == name))
        .copied()
}
