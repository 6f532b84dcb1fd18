//! The files of a built site on disk, with their sizes and content hashes.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Path inside the site with `/` separators, e.g. `en/news/x/index.html`.
    pub path: String,
    pub abs: PathBuf,
    pub size: u64,
    /// Lowercase hex SHA-256 of the bytes.
    pub hash: String,
}

/// Every regular file under `dir`, sorted by path, hashed in parallel: but for those `known`
/// lists (the build manifest's record of the files the build wrote, by site path) with the
/// size found, whose hash is taken from there instead of reading the file again.
pub fn scan(dir: &Path, known: &Known) -> Result<Vec<LocalFile>> {
    let found = walk(dir)?;
    found
        .into_par_iter()
        .map(|(path, abs, size)| {
            let hash = match known.get(&path) {
                Some((s, hash)) if *s == size => hash.clone(),
                _ => hash_file(&abs)?,
            };
            Ok(LocalFile {
                path,
                abs,
                size,
                hash,
            })
        })
        .collect()
}

/// Site path → (size, SHA-256) of files whose hash is already known.
pub type Known = std::collections::HashMap<String, (u64, String)>;

/// Every regular file under `dir` as (site path, absolute path, size), sorted by path.
/// A missing `dir` has no files.
pub fn walk(dir: &Path) -> Result<Vec<(String, PathBuf, u64)>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = site_path(dir, entry.path());
        let size = entry
            .metadata()
            .with_context(|| format!("cannot read {}", entry.path().display()))?
            .len();
        out.push((rel, entry.into_path(), size));
    }
    Ok(out)
}

/// Lowercase hex SHA-256 of a file's bytes.
/// The site path (`news/x/index.html`, `/`-separated) of `path`, a file walked under `dir`.
pub fn site_path(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .expect("walked under dir")
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

pub fn hash_file(path: &Path) -> Result<String> {
    let mut file =
        fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex SHA-256 of bytes in memory.
pub fn hash_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_bytes() {
        assert_eq!(
            hash_bytes(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
