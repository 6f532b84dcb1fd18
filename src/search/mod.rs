//! Site search: each language's index, written at build time as gzip files under `search/`
//! that a query fetches only the parts of, built with the text analysis the browser's
//! `static/search.js` applies to queries.
//!
//! The browser applies the same analysis to the query that was applied here to the stories, so
//! an inflected query (मेटाच्या) finds other inflections of the same word (मेटाने, मेटाला).
//! How the index is cut into files, and why, is told in [`files`].

mod analysis;
pub mod cache;
pub mod files;
mod memo;

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::diag::Diagnostic;
use crate::output::Renderer;

pub use analysis::{
    MR_ENDINGS, MR_SUFFIXES, Options, STOPWORDS, fold, normalize, stem, term, terms, words,
};
pub use files::{MANIFEST, SearchFile, write_search_files};
use memo::{Weights, weigh};

/// The digits of posting numbers: 0-31 end a number, 32-63 carry five bits and continue it.
pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `n`, low five bits first, one character per five bits. Most gaps and weights are
/// below 32 and take one character: a third of the bytes of a JSON array of numbers.
pub fn push_number(out: &mut String, mut n: u32) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low] as char);
            return;
        }
        out.push(DIGITS[32 + low] as char);
    }
}

/// How much one occurrence of a term counts, by where it occurs.
const TITLE: u32 = 6;
const TAG: u32 = 4;
const SUMMARY: u32 = 3;
const AUTHOR: u32 = 2;
const BODY: u32 = 1;

/// The prefix of the term that lists a tag's stories: `#scale-ai`. Analysed words never hold
/// `#`, so it cannot be met by a query, only by the tag filter.
pub const TAG_TERM: char = '#';

/// One story as search sees it: its result data and its weighted terms.
pub struct Doc {
    /// `[title, url, date as shown, summary]`.
    pub meta: Value,
    pub weights: Weights,
}

/// The stories `docs` (page indexes, oldest first, so that a new story is the last document
/// and the numbers of the others stay as they were), analysed with `opts` and added to
/// `index` a chunk at a time: only one chunk's terms are held at once.
fn analyse(
    r: &Renderer,
    docs: &[usize],
    opts: Options,
    index: &mut files::Postings,
) -> Result<(), Diagnostic> {
    for chunk in docs.chunks(512) {
        let analysed: Vec<Doc> = chunk
            .par_iter()
            .map(|&i| {
                let it = &r.items[i];
                let body = crate::content::page_text(r.root, &r.index.pages[i])?;
                let mut texts = vec![(it.title.as_str(), TITLE)];
                texts.extend(it.tags.iter().map(|t| (t.name.as_str(), TAG)));
                texts.push((&it.summary, SUMMARY));
                texts.push((&it.author, AUTHOR));
                texts.push((&body, BODY));
                let mut weights = weigh(&texts, opts);
                for t in &it.tags {
                    weights.push((Arc::from(format!("{TAG_TERM}{}", t.slug)), 1));
                }
                let meta = json!([it.title, it.url, it.date, it.summary]);
                Ok(Doc { meta, weights })
            })
            .collect::<Result<_, Diagnostic>>()?;
        analysed.into_iter().for_each(|d| index.add(d));
    }
    Ok(())
}

/// Every search file of language `l`: `(site path, bytes)`, the manifest first. A pure
/// function of the language's stories; see [`files`] for what each file holds.
pub fn search_files(r: &Renderer, l: usize) -> Result<Vec<SearchFile>, Diagnostic> {
    search_files_with(r, l, Options::default())
}

/// [`search_files`] made with other analysis options (the relevance test compares them).
pub fn search_files_with(
    r: &Renderer,
    l: usize,
    opts: Options,
) -> Result<Vec<SearchFile>, Diagnostic> {
    let li = &r.index.langs[l];
    let oldest_first: Vec<usize> = li.articles.iter().rev().copied().collect();
    let n = oldest_first.len();
    let cut = files::cut(n);
    // The base (documents below the cut) as the last build made it, if it is made of the
    // same documents; then only the delta is analysed.
    let key = cache::key(r, l, opts, &oldest_first[..cut]);
    let (index, base) = match cache::load(r.root, &li.code, key) {
        Some(base) => {
            let mut index = files::Postings::resume(n, base.metas);
            analyse(r, &oldest_first[cut..], opts, &mut index)?;
            (index, base.fragments)
        }
        None => {
            let mut index = files::Postings::new(n);
            analyse(r, &oldest_first, opts, &mut index)?;
            let (index, fragments) = index.base_fragments();
            let base = cache::Base {
                metas: index.base_metas().to_vec(),
                fragments,
            };
            cache::save(r.root, &li.code, key, &base);
            (index, base.fragments)
        }
    };
    let dir = format!("{}/search/", r.index.config.lang_prefix(&li.code));
    Ok(files::layout(index, base, &li.code, opts)
        .into_iter()
        .map(|(name, bytes)| {
            (
                format!("{dir}{name}").trim_start_matches('/').to_string(),
                bytes,
            )
        })
        .collect())
}
