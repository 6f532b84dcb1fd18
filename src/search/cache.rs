//! The base of a language's index, kept between builds in `.batmi-cache/search/` at the site
//! root: the result data and the compressed fragments of the documents below the cut. A new
//! story only adds to the delta (see [`super::files`]), so the next build analyses the few
//! documents above the cut instead of reading and analysing every story again.
//!
//! The key is a hash of everything the base is made of: batmi's version, the language, the
//! analysis options, and, in order, each base document's list summary key and source hash.
//! A stale entry is never used, only replaced; a cache that cannot be read or written just
//! means the work is done again.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use bincode::Options as _;
use serde::{Deserialize, Serialize};

use super::Options;
use crate::output::Renderer;

/// The folder of the cache under the site root.
pub const DIR: &str = ".batmi-cache/search";

/// What the base of an index is made of, once made.
#[derive(Serialize, Deserialize)]
pub struct Base {
    /// The result data (JSON) of documents `0..cut`.
    pub metas: Vec<String>,
    /// `(first term, file name, gzip bytes)` of each base fragment.
    pub fragments: Vec<(String, String, Vec<u8>)>,
}

/// The key of the base of language `l` made of `docs` (page indexes, oldest first).
pub fn key(r: &Renderer, l: usize, opts: Options, docs: &[usize]) -> u64 {
    let mut h = DefaultHasher::new();
    (
        env!("BATMI_VERSION"),
        &r.index.langs[l].code,
        opts.stem,
        opts.fold,
        docs.len(),
    )
        .hash(&mut h);
    for &i in docs {
        (r.items[i].key, r.index.pages[i].source_hash).hash(&mut h);
    }
    h.finish()
}

fn file(root: &Path, lang: &str, key: u64) -> PathBuf {
    root.join(DIR).join(format!("{lang}-{key:016x}.bin"))
}

/// The base stored under `key`, if there is one that reads.
pub fn load(root: &Path, lang: &str, key: u64) -> Option<Base> {
    let f = std::fs::File::open(file(root, lang, key)).ok()?;
    let len = f.metadata().ok()?.len();
    bincode::DefaultOptions::new()
        .with_limit(len)
        .deserialize_from(std::io::BufReader::new(f))
        .ok()
}

/// Stores `base` under `key`, replacing the language's other entries. Failures are ignored.
pub fn save(root: &Path, lang: &str, key: u64, base: &Base) {
    let dir = root.join(DIR);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let path = file(root, lang, key);
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::File::create(&tmp).ok().and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        bincode::DefaultOptions::new()
            .serialize_into(&mut w, base)
            .ok()?;
        std::io::Write::flush(&mut w).ok()
    });
    if written.is_none() || std::fs::rename(&tmp, &path).is_err() {
        std::fs::remove_file(&tmp).ok();
        return;
    }
    let prefix = format!("{lang}-");
    let keep = path.file_name().map(|n| n.to_os_string());
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = e.file_name();
        let ours =
            name.to_string_lossy().starts_with(&prefix) && name.to_string_lossy().ends_with(".bin");
        if ours && Some(&name) != keep.as_ref() {
            std::fs::remove_file(e.path()).ok();
        }
    }
}
