//! Files put in place whole: new bytes go to a new file beside the target, renamed over it.
//! No file that exists is ever opened for writing, because an output file may be a hard link
//! of an image cache entry, and writing into it would change the entry and every other file
//! that links it. A reader never sees half a file either.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Creates `path` with `bytes`; fails (`AlreadyExists`) rather than open a file that exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
}

/// Replaces `path` (or creates it) with a new file that `make` creates at a temporary path
/// beside it, then renames into place.
pub fn with(path: &Path, make: impl FnOnce(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
    static TEMP: AtomicUsize = AtomicUsize::new(0);
    let n = TEMP.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.batmi-{}-{n}.tmp", std::process::id()));
    let result = make(&tmp).and_then(|()| fs::rename(&tmp, path));
    // Also after a rename that succeeded: renaming a hard link over another link of the same
    // file (serve placing an unchanged cache entry again) does nothing and leaves `tmp`.
    fs::remove_file(&tmp).ok();
    result
}
