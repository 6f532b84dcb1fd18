//! The persistent cache of processed images and cards: `.batmi-cache/` at the site root
//! (ignored by git), one file per cache key. A rebuild takes every file it made before from
//! here instead of encoding it again; a full build removes the entries it did not use.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cache folder of the site at `root`.
pub const DIR: &str = ".batmi-cache";

/// A site's cache of encoded files, with counts of what a build found and made.
pub struct Cache {
    dir: PathBuf,
    pub hits: AtomicUsize,
    pub encoded: AtomicUsize,
}

impl Cache {
    pub fn new(root: &Path) -> Cache {
        Cache {
            dir: root.join(DIR).join("img"),
            hits: AtomicUsize::new(0),
            encoded: AtomicUsize::new(0),
        }
    }

    /// The name of an entry: its key and extension.
    pub fn entry(key: &str, ext: &str) -> String {
        format!("{key}.{ext}")
    }

    /// The bytes of `name`, made by `make` when they are not in the cache yet. A cache that
    /// cannot be written (a read-only checkout) costs speed only.
    pub fn get_or_make(
        &self,
        name: &str,
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Vec<u8>, String> {
        let path = self.dir.join(name);
        if let Ok(bytes) = fs::read(&path) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(bytes);
        }
        let bytes = make()?;
        self.encoded.fetch_add(1, Ordering::Relaxed);
        if fs::create_dir_all(&self.dir).is_ok() {
            // Written beside, then renamed: a reader never sees half a file.
            let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
            if fs::write(&tmp, &bytes).is_ok() && fs::rename(&tmp, &path).is_err() {
                fs::remove_file(&tmp).ok();
            }
        }
        Ok(bytes)
    }

    /// Removes every entry not in `keep` (names as given to [`Cache::get_or_make`]).
    /// Returns how many were removed.
    pub fn prune(&self, keep: &HashSet<String>) -> usize {
        let mut removed = 0;
        for entry in fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}
