//! The persistent cache of processed images and cards: `.batmi-cache/` at the site root
//! (ignored by git), one file per cache key. A rebuild takes every file it made before from
//! here instead of encoding it again; a full build removes the entries it did not use.
//!
//! An entry is named `<key>-<content hash>.<ext>`: the key says what it was made of, the hash
//! (the first 12 bytes of the SHA-256 of its bytes) what it holds. The output hard-links the
//! entries instead of copying them (`output::write::link_file`), so an entry's file may be
//! reached through `public/img/...` too. Batmi never writes into an existing file, of the
//! output or of the cache (every write is a new file, renamed into place), so its own writes
//! never reach an entry through a link. A person or a tool that writes into an output file in
//! place (`cp x.jpg public/img/...`) does change the entry; that is why every use of an entry
//! reads it and checks its bytes against the hash in its name: a damaged entry is never given
//! out, it is removed and made again, and the output stays what a clean build writes.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

/// The cache folder of the site at `root`.
pub const DIR: &str = ".batmi-cache";

/// How many hex digits of the content hash an entry's name carries.
const HASH_HEX: usize = 24;

/// A site's cache of encoded files, with counts of what a build found and made.
pub struct Cache {
    dir: PathBuf,
    /// The entries on disk, by name as given to [`Cache::get_or_make`] (`<key>.<ext>`): their
    /// file names. Listed once, when the cache is opened.
    files: Mutex<HashMap<String, String>>,
    pub hits: AtomicUsize,
    pub encoded: AtomicUsize,
    /// Entries found damaged (their bytes no longer match their name) and made again.
    pub damaged: AtomicUsize,
}

/// The bytes of an entry, where they are kept, and their SHA-256.
pub struct Entry {
    /// The entry's file, or `None` when the cache could not be written (a read-only checkout).
    pub path: Option<PathBuf>,
    pub bytes: Vec<u8>,
    /// The SHA-256 of `bytes`, in lower-case hex.
    pub sha256: String,
}

impl Cache {
    pub fn new(root: &Path) -> Cache {
        let dir = root.join(DIR).join("img");
        let files = fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let file = e.file_name().into_string().ok()?;
                Some((logical_name(&file)?.0, file))
            })
            .collect();
        Cache {
            dir,
            files: Mutex::new(files),
            hits: AtomicUsize::new(0),
            encoded: AtomicUsize::new(0),
            damaged: AtomicUsize::new(0),
        }
    }

    /// The name of an entry: its key and extension.
    pub fn entry(key: &str, ext: &str) -> String {
        format!("{key}.{ext}")
    }

    /// Entry `name`, made by `make` when it is not in the cache yet or its bytes were damaged.
    /// A cache that cannot be written (a read-only checkout) costs speed only.
    pub fn get_or_make(
        &self,
        name: &str,
        make: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Entry, String> {
        let file = self.files.lock().ok().and_then(|f| f.get(name).cloned());
        if let Some(file) = file {
            let path = self.dir.join(&file);
            if let Ok(bytes) = fs::read(&path) {
                let sha256 = crate::images::hex(&Sha256::digest(&bytes));
                if logical_name(&file).is_some_and(|(_, hash)| sha256.starts_with(hash)) {
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    return Ok(Entry {
                        path: Some(path),
                        bytes,
                        sha256,
                    });
                }
                // Written into through an output file that links it: made again below, as a
                // new file (the damaged one may still be linked from elsewhere).
                self.damaged.fetch_add(1, Ordering::Relaxed);
                fs::remove_file(&path).ok();
            }
        }
        let bytes = make()?;
        self.encoded.fetch_add(1, Ordering::Relaxed);
        let sha256 = crate::images::hex(&Sha256::digest(&bytes));
        let path = self.keep(name, &sha256, &bytes);
        Ok(Entry {
            path,
            bytes,
            sha256,
        })
    }

    /// Writes a new entry beside, then renames it into place (a reader never sees half a
    /// file, and no file that exists is ever written into). Returns its path.
    fn keep(&self, name: &str, sha256: &str, bytes: &[u8]) -> Option<PathBuf> {
        let (key, ext) = name.rsplit_once('.')?;
        let file = format!("{key}-{}.{ext}", &sha256[..HASH_HEX]);
        fs::create_dir_all(&self.dir).ok()?;
        let path = self.dir.join(&file);
        crate::replace::with(&path, |tmp| crate::replace::write_new(tmp, bytes)).ok()?;
        if let Ok(mut files) = self.files.lock() {
            files.insert(name.to_string(), file);
        }
        Some(path)
    }

    /// Removes every entry not in `keep` (names as given to [`Cache::get_or_make`]), and any
    /// file that is no entry. Returns how many were removed.
    pub fn prune(&self, keep: &HashSet<String>) -> usize {
        let mut removed = 0;
        for entry in fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let kept = logical_name(&file).is_some_and(|(name, _)| keep.contains(&name));
            if !kept && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// The entry name (`<key>.<ext>`) and content hash of an entry's file name
/// (`<key>-<hash>.<ext>`); `None` for any other file (a temporary file, an entry of an older
/// batmi).
fn logical_name(file: &str) -> Option<(String, &str)> {
    let (stem, ext) = file.rsplit_once('.')?;
    let (key, hash) = stem.rsplit_once('-')?;
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(key) && hash.len() == HASH_HEX && hex(hash)).then(|| (format!("{key}.{ext}"), hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_damaged_in_place_is_made_again_as_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let made = cache
            .get_or_make("ab12.jpg", || Ok(b"card".to_vec()))
            .unwrap();
        let path = made.path.unwrap();
        assert!(path.ends_with(format!("ab12-{}.jpg", &made.sha256[..HASH_HEX])));
        // A second output linking the entry, then written into in place.
        let link = dir.path().join("linked.jpg");
        fs::hard_link(&path, &link).unwrap();
        fs::write(&link, b"edited").unwrap();
        let cache = Cache::new(dir.path());
        let again = cache
            .get_or_make("ab12.jpg", || Ok(b"card".to_vec()))
            .unwrap();
        assert_eq!(again.bytes, b"card");
        assert_eq!(cache.damaged.load(Ordering::Relaxed), 1);
        assert_eq!(cache.encoded.load(Ordering::Relaxed), 1);
        assert_eq!(fs::read(again.path.unwrap()).unwrap(), b"card");
        assert_eq!(
            fs::read(&link).unwrap(),
            b"edited",
            "a new file, not a write"
        );
    }

    #[test]
    fn only_entry_names_are_taken_for_entries() {
        let h = "0123456789abcdef01234567";
        assert_eq!(
            logical_name(&format!("ab12-{h}.webp")),
            Some(("ab12.webp".into(), h))
        );
        assert_eq!(
            logical_name("ab12.webp"),
            None,
            "an entry of an older batmi"
        );
        assert_eq!(logical_name(&format!(".ab12-{h}.webp.77-0.tmp")), None);
    }
}
