//! The build manifest: what the output in place was made from, kept beside it
//! (`.<output>.batmi-manifest`) so the next build reads, renders and writes only what changed.
//!
//! It holds, for every content file, its size and modification time and the page made of it;
//! for every output, the fingerprint of its inputs and the SHA-256 and size of each file it
//! wrote (publish reads those instead of hashing the output again). Anything that could make
//! it wrong starts a full build instead: another batmi, another `config.toml` or build
//! option, an output folder that is gone, a manifest that does not read.

use std::collections::HashMap;
use std::fs;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
use bincode::Options as _;
use serde::{Deserialize, Serialize};

use crate::content::Page;

/// Changes whenever the manifest's layout or what a build writes could differ between
/// batmi builds: the version and the commit it was built from.
pub fn stamp() -> String {
    format!(
        "batmi {} {} manifest 2",
        env!("CARGO_PKG_VERSION"),
        option_env!("BATMI_COMMIT").unwrap_or("-")
    )
}

/// A file's size and modification time, as `stat` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub size: u64,
    /// Nanoseconds since the epoch.
    pub mtime: i128,
}

impl Stat {
    pub fn of(path: &Path) -> Option<Stat> {
        let m = fs::metadata(path).ok()?;
        Some(Stat {
            size: m.len(),
            mtime: nanos(m.modified().ok()?),
        })
    }
}

pub fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// One file written to the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    /// Site path, e.g. `news/x/index.html`.
    pub path: String,
    /// Lowercase hex.
    pub sha256: String,
    pub size: u64,
}

/// One output of the plan (a page, a feed, a static file, the search index of a language)
/// and the files it wrote: one for most, several for a search index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Output {
    pub path: String,
    pub fingerprint: u64,
    pub files: Vec<Written>,
}

/// What the summary line of a build says, kept for a build that finds nothing changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counts {
    pub pages_per_lang: Vec<(String, usize)>,
    pub tags: usize,
    pub feeds: usize,
    pub warnings: Vec<crate::Diagnostic>,
}

/// The part of the manifest every build reads: enough to tell that nothing changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub stamp: String,
    /// Hash of `config.toml`'s bytes and the build options.
    pub options: u64,
    /// Hash of every template's fingerprint.
    pub templates: u64,
    /// When the build that wrote it started: a file modified since may have changed within
    /// the same clock tick as its recorded time, so it is read again.
    pub started: i128,
    /// Every content file (site-root relative) with its size and time, in load order.
    pub files: Vec<(PathBuf, Stat)>,
    /// The site paths of the files in `static/`.
    pub statics: Vec<String>,
    /// Every image file a page names (lead or figure), with its size and time: a page is read
    /// again when one of its images changed.
    pub images: Vec<(PathBuf, Stat)>,
    pub outputs: Vec<Output>,
    pub counts: Counts,
    /// The next time the build's clock changes an output (a story leaving or entering the
    /// news sitemap's window), in seconds since the epoch: from then on something changed.
    pub clock_event: Option<i64>,
}

/// The manifest as read: its header, and the pages made of `header.files` (a draft left out
/// is `None`), read only when asked for.
pub struct Manifest {
    pub header: Header,
    rest: BufReader<fs::File>,
    len: u64,
}

/// bincode's encoding (variable-length integers), never reading more than `limit` bytes: a
/// damaged length in the file is an error, not an allocation of its size.
fn format(limit: u64) -> impl bincode::Options {
    use bincode::Options;
    bincode::DefaultOptions::new().with_limit(limit)
}

/// Where the manifest of `output` lives: beside it, so it is never published.
pub fn path_for(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!(".{name}.batmi-manifest"))
}

impl Manifest {
    /// The manifest of `output`, if there is one this batmi wrote and the output is there.
    pub fn load(output: &Path) -> Option<Manifest> {
        if !output.is_dir() {
            return None;
        }
        let file = fs::File::open(path_for(output)).ok()?;
        let len = file.metadata().ok()?.len();
        let mut rest = BufReader::with_capacity(1 << 20, file);
        // The stamp first and alone: a manifest of another batmi is not read further.
        let stamp_read: String = format(len).deserialize_from(&mut rest).ok()?;
        if stamp_read != stamp() {
            return None;
        }
        let header: Header = format(len).deserialize_from(&mut rest).ok()?;
        Some(Manifest { header, rest, len })
    }

    /// The header, and the pages still to be read.
    pub fn split(self) -> (Header, Pages) {
        (self.header, Pages(self.rest, self.len))
    }

    /// Writes a manifest atomically (a temporary file renamed over the old one): `header`,
    /// then `pages`, one for each of `header.files`.
    pub fn save(output: &Path, header: &Header, pages: &[Option<&Page>]) -> Result<()> {
        let path = path_for(output);
        let tmp = path.with_extension("batmi-manifest-new");
        let write = || -> Result<()> {
            let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
            let f = || format(u64::MAX);
            f().serialize_into(&mut w, &header.stamp)?;
            f().serialize_into(&mut w, header)?;
            f().serialize_into(&mut w, pages)?;
            w.flush()?;
            Ok(())
        };
        write().with_context(|| format!("cannot write the build manifest {}", tmp.display()))?;
        fs::rename(&tmp, &path)
            .with_context(|| format!("cannot write the build manifest {}", path.display()))
    }

    /// Forgets the manifest of `output`: done before the output is changed in place, so that
    /// a build killed half-way is followed by a full one.
    pub fn discard(output: &Path) -> Result<()> {
        let path = path_for(output);
        match fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e)
                .with_context(|| format!("cannot remove the build manifest {}", path.display())),
            _ => Ok(()),
        }
    }
}

/// The pages of a manifest, not yet read.
pub struct Pages(BufReader<fs::File>, u64);

impl Pages {
    /// The pages of `header.files`, one for each.
    pub fn read(mut self, header: &Header) -> Option<Vec<Option<Page>>> {
        let pages: Vec<Option<Page>> = format(self.1).deserialize_from(&mut self.0).ok()?;
        (pages.len() == header.files.len()).then_some(pages)
    }
}

impl Header {
    /// The outputs by path.
    pub fn outputs_by_path(&self) -> HashMap<&str, &Output> {
        self.outputs.iter().map(|o| (o.path.as_str(), o)).collect()
    }

    /// Every file the output holds.
    pub fn files_written(&self) -> impl Iterator<Item = &Written> {
        self.outputs.iter().flat_map(|o| o.files.iter())
    }
}
