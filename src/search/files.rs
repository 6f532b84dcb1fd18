//! How a language's index is cut into files, so that a query downloads only what its terms
//! need and a new story changes only a few files.
//!
//! Documents are numbered oldest first. Every file is gzip (static hosts do not all compress
//! JSON, so the compression is in the file; the browser opens it with `DecompressionStream`)
//! and, but for the manifest, named by the hash of its bytes, so it can be cached for ever.
//!
//! - `manifest.gz`, the one file with a fixed name: the document count, the first term of
//!   each base fragment with the fragment's name, the delta's name, the names of the
//!   document tables and of the newest document chunks.
//! - Base fragments: the postings of the documents below the cut (the document count rounded
//!   down to a multiple of [`SEGMENT`]), a sorted term range each. A query fetches the
//!   fragment of each of its terms, in parallel.
//! - The delta: the postings of the documents above the cut (fewer than [`SEGMENT`]), all
//!   terms, fetched with every query. A new story changes only the delta; every [`SEGMENT`]
//!   stories the delta is merged into the base (the cut moves), and the base fragments whose
//!   postings grew are written anew. A larger segment means rarer merges but a larger delta
//!   on every query: 64 keeps the delta near 15 KB.
//! - Document chunks: [`CHUNK`] documents' result data (title, URL, date, summary), fetched
//!   for the results shown only. Their names are listed [`TABLE`] to a table file, but for
//!   the newest, listed in the manifest: a new story changes its chunk and the manifest.
//!
//! So a new story changes the manifest, the delta and the newest chunk (and, once per
//! `CHUNK × TABLE` stories, writes a table): at most 4 files. Fragment boundaries are chosen
//! by a hash of the terms as well as by size, so that an edit that changes one fragment's
//! size does not move the boundaries of all the fragments after it.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Doc, Options, push_number};
use crate::diag::Diagnostic;

/// `(site path, bytes)` of one search file.
pub type SearchFile = (String, Vec<u8>);

/// The name of the file that maps terms and documents to the other files.
pub const MANIFEST: &str = "manifest.gz";
/// The largest delta: this many new documents are merged into the base at once.
pub const SEGMENT: usize = 64;
/// Documents per chunk of result data.
pub const CHUNK: usize = 8;
/// Chunk names per table.
pub const TABLE: usize = 128;
/// The smallest base fragment, in bytes of JSON, on a small site; larger sites get larger
/// fragments (see [`fragment_min`]) so that the manifest stays small.
const FRAGMENT_MIN: usize = 12 * 1024;

/// The smallest fragment for a base of `docs` documents: about 1,000 fragments at most.
fn fragment_min(docs: usize) -> usize {
    FRAGMENT_MIN.max(docs / 2)
}

/// A stable hash of a term (FNV-1a), for fragment boundaries that do not depend on sizes only.
fn term_hash(t: &str) -> u32 {
    t.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// Gzip at the highest level (the files are written once and read many times); the header
/// carries no time, so the bytes depend on the input only.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// A file named by the hash of its bytes: `(name, gzip bytes)` of JSON `json`.
fn hashed(json: &[u8]) -> (String, Vec<u8>) {
    let gz = gzip(json);
    let sum = Sha256::digest(&gz);
    let name: String = sum[..6].iter().map(|b| format!("{b:02x}")).collect();
    (format!("{name}.gz"), gz)
}

/// A language's documents as they are added, oldest first: their result data (as JSON) and
/// the postings of the base and of the delta, each term's doc gap, weight, doc gap, weight,
/// ... (the first gap counts from 0), written with [`push_number`].
pub struct Postings {
    /// Where the base ends: the document count rounded down to a multiple of [`SEGMENT`].
    cut: usize,
    metas: Vec<String>,
    /// term → (last document, postings)
    base: FxHashMap<Arc<str>, (usize, String)>,
    delta: FxHashMap<Arc<str>, (usize, String)>,
}

/// Where the base ends for `n` documents: `n` rounded down to a multiple of [`SEGMENT`].
pub fn cut(n: usize) -> usize {
    n / SEGMENT * SEGMENT
}

/// A base fragment: `(first term, file name, gzip bytes)`.
pub type Fragment = (String, String, Vec<u8>);

impl Postings {
    /// Ready for `n` documents.
    pub fn new(n: usize) -> Postings {
        Postings {
            cut: cut(n),
            metas: Vec::with_capacity(n),
            base: FxHashMap::default(),
            delta: FxHashMap::default(),
        }
    }

    /// Ready for the documents above the cut of `n`, the base's being made already (its
    /// result data is `metas`).
    pub fn resume(n: usize, mut metas: Vec<String>) -> Postings {
        metas.reserve(n - metas.len());
        Postings {
            cut: cut(n),
            metas,
            base: FxHashMap::default(),
            delta: FxHashMap::default(),
        }
    }

    /// The result data of the base's documents.
    pub fn base_metas(&self) -> &[String] {
        &self.metas[..self.cut.min(self.metas.len())]
    }

    /// Compresses the base's postings into fragments, taking them out of `self`.
    pub fn base_fragments(mut self) -> (Postings, Vec<Fragment>) {
        let base = sorted(std::mem::take(&mut self.base));
        let fragments = fragments(&base, fragment_min(self.cut))
            .into_par_iter()
            .map(|frag| {
                let (name, gz) = hashed(&object(frag));
                (frag[0].0.to_string(), name, gz)
            })
            .collect();
        (self, fragments)
    }

    /// Adds the next document.
    pub fn add(&mut self, doc: Doc) {
        let d = self.metas.len();
        let map = if d < self.cut {
            &mut self.base
        } else {
            &mut self.delta
        };
        for (t, w) in doc.weights {
            let (prev, list) = map.entry(t).or_default();
            push_number(list, (d - *prev) as u32);
            push_number(list, w);
            *prev = d;
        }
        self.metas.push(doc.meta.to_string());
    }
}

/// Postings sorted by term (in code point order, as the browser compares them).
fn sorted(map: FxHashMap<Arc<str>, (usize, String)>) -> Vec<(Arc<str>, String)> {
    let mut v: Vec<(Arc<str>, String)> = map.into_iter().map(|(t, (_, l))| (t, l)).collect();
    v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    v
}

/// A JSON object of sorted postings, written straight (terms escaped as JSON strings).
fn object(terms: &[(Arc<str>, String)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(terms.iter().map(|(t, l)| t.len() + l.len() + 6).sum());
    out.push(b'{');
    for (k, (t, list)) in terms.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &**t).expect("writing to memory");
        out.extend_from_slice(b":\"");
        // Posting digits need no escaping.
        out.extend_from_slice(list.as_bytes());
        out.push(b'"');
    }
    out.push(b'}');
    out
}

/// Cuts sorted postings into fragments: a new one starts at a term whose hash is 0 mod 8
/// once the current one holds `min` bytes, or before a term that would take it past `4 × min`.
fn fragments(terms: &[(Arc<str>, String)], min: usize) -> Vec<&[(Arc<str>, String)]> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (k, (t, list)) in terms.iter().enumerate() {
        let bytes = t.len() + list.len() + 6;
        let cut = (size >= min && term_hash(t).is_multiple_of(8)) || size + bytes > 4 * min;
        if cut && k > start {
            out.push(&terms[start..k]);
            (start, size) = (k, 0);
        }
        size += bytes;
    }
    if start < terms.len() {
        out.push(&terms[start..]);
    }
    out
}

/// Every file of one language's index, `(name in search/, bytes)`, the manifest first:
/// `base` is the base's fragments ([`Postings::base_fragments`]), `index` the rest.
pub fn layout(
    index: Postings,
    base: Vec<Fragment>,
    lang: &str,
    opts: Options,
) -> Vec<(String, Vec<u8>)> {
    let Postings {
        cut, metas, delta, ..
    } = index;
    let n = metas.len();
    // Chunks and tables are compressed in parallel; only their order matters.
    let delta = (cut < n).then(|| hashed(&object(&sorted(delta))));
    let chunks: Vec<(String, Vec<u8>)> = metas
        .par_chunks(CHUNK)
        .map(|c| hashed(format!("[{}]", c.join(",")).as_bytes()))
        .collect();
    // Tables only for runs of full chunks: a table never changes once written.
    let full_tables = n / (CHUNK * TABLE);
    let tables: Vec<(String, Vec<u8>)> = chunks[..full_tables * TABLE]
        .par_chunks(TABLE)
        .map(|t| {
            let names: Vec<&String> = t.iter().map(|(name, _)| name).collect();
            hashed(&serde_json::to_vec(&names).expect("JSON values serialise"))
        })
        .collect();
    let recent: Vec<&String> = chunks[full_tables * TABLE..]
        .iter()
        .map(|(n, _)| n)
        .collect();
    // Dates are shown in the edition's digits; result counts follow them.
    let native = metas.first().is_some_and(|m| {
        let date = serde_json::from_str::<Value>(m).ok();
        date.and_then(|d| {
            d[2].as_str()
                .map(|s| s.chars().any(|c| ('\u{0966}'..='\u{096F}').contains(&c)))
        })
        .unwrap_or(false)
    });
    let manifest = json!({
        "v": 2,
        "lang": lang,
        "opts": { "stem": opts.stem, "fold": opts.fold },
        "n": n,
        "native": native,
        "terms": base.iter().map(|(first, name, _)| json!([first, name])).collect::<Vec<_>>(),
        "delta": delta.as_ref().map(|(name, _)| name),
        "chunk": CHUNK,
        "table": TABLE,
        "tables": tables.iter().map(|(name, _)| name).collect::<Vec<_>>(),
        "recent": recent,
    });
    let mut out = vec![(
        MANIFEST.to_string(),
        gzip(&serde_json::to_vec(&manifest).expect("JSON values serialise")),
    )];
    out.extend(base.into_iter().map(|(_, name, gz)| (name, gz)));
    out.extend(delta);
    out.extend(chunks);
    out.extend(tables);
    out
}

/// Writes a language's search files into the output `dir`, skipping those already there
/// with the same bytes, and removes the index files of `dir` that are no longer part of it.
/// Returns the site paths written.
pub fn write_search_files(dir: &Path, files: &[SearchFile]) -> Result<Vec<String>, Diagnostic> {
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        // A hashed name holds the same bytes wherever it exists; only the manifest is compared.
        let same = if rel.ends_with(MANIFEST) {
            std::fs::read(&path).is_ok_and(|old| &old == bytes)
        } else {
            path.is_file()
        };
        if !same {
            crate::output::write::write_file(dir, rel, bytes)?;
            written.push(rel.clone());
        }
    }
    let Some((manifest, _)) = files.first() else {
        return Ok(written);
    };
    let search_dir = dir.join(manifest).parent().map(Path::to_path_buf);
    let keep: std::collections::HashSet<&str> = files
        .iter()
        .filter_map(|(rel, _)| rel.rsplit('/').next())
        .collect();
    if let Some(entries) = search_dir.and_then(|d| std::fs::read_dir(d).ok()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".gz") && !keep.contains(name.as_str()) {
                std::fs::remove_file(e.path()).ok();
            }
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// A synthetic story `i`: a few hundred terms from a vocabulary of 3,000, some rare.
    fn doc(i: usize, edit: bool) -> Doc {
        let mut weights: Vec<(Arc<str>, u32)> = (0..300)
            .map(|k| {
                let t = (i * 7919 + k * k * 31) % 3000;
                (Arc::from(format!("term{t:04}")), (k % 5 + 1) as u32)
            })
            .collect();
        weights.sort();
        weights.dedup_by(|a, b| a.0 == b.0);
        if edit {
            weights.push((Arc::from("correction"), 1));
        }
        Doc {
            meta: json!([
                format!("Story {i}"),
                format!("/news/s{i}/"),
                "1 Jan",
                "summary"
            ]),
            weights,
        }
    }

    fn files(docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
        let mut index = Postings::new(docs.len());
        for d in docs {
            index.add(Doc {
                meta: d.meta.clone(),
                weights: d.weights.clone(),
            });
        }
        let (index, base) = index.base_fragments();
        layout(index, base, "en", Options::default())
    }

    fn names(docs: &[Doc]) -> HashSet<(String, Vec<u8>)> {
        files(docs).into_iter().collect()
    }

    fn changed(before: &[Doc], after: &[Doc]) -> usize {
        let (a, b) = (names(before), names(after));
        b.difference(&a).count()
    }

    #[test]
    fn a_new_story_changes_at_most_four_files_until_the_delta_is_merged() {
        let docs: Vec<Doc> = (0..3 * SEGMENT + 5).map(|i| doc(i, false)).collect();
        let base = names(&docs[..3 * SEGMENT]);
        assert!(
            base.len() > 20,
            "the base is fragmented: {} files",
            base.len()
        );
        for n in 3 * SEGMENT + 1..docs.len() {
            let c = changed(&docs[..n - 1], &docs[..n]);
            assert!(c <= 4, "story {n} changed {c} files");
            assert!(c >= 2, "the manifest and the delta change");
        }
        // The story that fills the segment merges the delta: the base is written anew.
        let docs: Vec<Doc> = (0..2 * SEGMENT).map(|i| doc(i, false)).collect();
        let merged = changed(&docs[..2 * SEGMENT - 1], &docs);
        assert!(merged > 4, "a merge rewrites base fragments ({merged})");
    }

    #[test]
    fn an_edit_in_the_base_changes_only_the_fragments_of_its_changed_terms() {
        let docs: Vec<Doc> = (0..4 * SEGMENT).map(|i| doc(i, false)).collect();
        let mut edited: Vec<Doc> = (0..4 * SEGMENT).map(|i| doc(i, false)).collect();
        edited[10] = doc(10, true);
        let c = changed(&docs, &edited);
        // The manifest and the fragment that gained a term; boundaries after it stay put.
        assert!(c <= 3, "{c} files changed");
    }

    #[test]
    fn every_term_is_in_the_fragment_the_manifest_points_to() {
        let docs: Vec<Doc> = (0..5 * SEGMENT + 3).map(|i| doc(i, false)).collect();
        let files = files(&docs);
        let by_name: std::collections::HashMap<&str, &[u8]> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let read = |b: &[u8]| -> Value {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(b), &mut s).unwrap();
            serde_json::from_str(&s).unwrap()
        };
        let m = read(by_name[MANIFEST]);
        let frags: Vec<(String, Value)> = m["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f[0].as_str().unwrap().to_string(),
                    read(by_name[f[1].as_str().unwrap()]),
                )
            })
            .collect();
        assert!(frags.len() > 5);
        for (k, (first, frag)) in frags.iter().enumerate() {
            for t in frag.as_object().unwrap().keys() {
                assert!(t >= first, "{t} before its fragment's first term {first}");
                if let Some((next, _)) = frags.get(k + 1) {
                    assert!(t < next, "{t} belongs to a later fragment");
                }
            }
        }
        assert_eq!(m["n"], docs.len());
        assert!(m["delta"].is_string(), "3 documents above the cut");
    }
}
