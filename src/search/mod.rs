//! Site search: the per-language index written at build time as `search/index.json`, built
//! with the text analysis the browser's `static/search.js` applies to queries.
//!
//! The browser applies the same analysis to the query that was applied here to the stories, so
//! an inflected query (मेटाच्या) finds other inflections of the same word (मेटाने, मेटाला).

mod analysis;
mod memo;

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{Value, json};

use crate::diag::Diagnostic;
use crate::output::Renderer;

pub use analysis::{
    MR_ENDINGS, MR_SUFFIXES, Options, STOPWORDS, fold, normalize, stem, term, terms, words,
};
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

/// The search index of language `l` (index into `Index::langs`) as JSON bytes.
///
/// `docs` holds each article as `[title, url, date as shown, summary, [tag numbers]]`, newest
/// first; `tags` the language's tags as `[name, slug]`, most used first; `terms` maps each
/// term to its postings: doc gap, weight, doc gap, weight, ... (a doc number is the previous
/// one plus the gap), written with [`push_number`]. `opts` tells the browser how the terms
/// were made.
pub fn index_json(r: &Renderer, l: usize, opts: Options) -> Result<Vec<u8>, Diagnostic> {
    let idx = r.index;
    let li = &idx.langs[l];
    let mut tags: Vec<&(usize, Vec<usize>)> = li.tags.iter().collect();
    tags.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let tag_list: Vec<Value> = tags
        .iter()
        .map(|(t, _)| {
            let tag = &idx.tags[*t];
            let name = crate::taxonomy::display_name(&idx.config, &tag.name, &li.code);
            json!([name, tag.slug])
        })
        .collect();
    let tag_no = |slug: &str| tags.iter().position(|(t, _)| idx.tags[*t].slug == slug);
    // Stories are analysed a chunk at a time, in parallel, and their terms merged into the
    // postings in story order: only one chunk's term tables are held at once.
    let mut docs: Vec<Value> = Vec::with_capacity(li.articles.len());
    // term → (last doc number, postings)
    let mut postings: FxHashMap<Arc<str>, (usize, String)> = FxHashMap::default();
    for chunk in li.articles.chunks(512) {
        let analysed: Vec<(Value, Weights)> = chunk
            .par_iter()
            .map(|&i| {
                let it = &r.items[i];
                let body = crate::content::page_text(r.root, &idx.pages[i])?;
                let mut texts = vec![(it.title.as_str(), TITLE)];
                texts.extend(it.tags.iter().map(|t| (t.name.as_str(), TAG)));
                texts.push((&it.summary, SUMMARY));
                texts.push((&it.author, AUTHOR));
                texts.push((&body, BODY));
                let weights = weigh(&texts, opts);
                let tag_nos: Vec<usize> = it.tags.iter().filter_map(|t| tag_no(&t.slug)).collect();
                let doc = json!([it.title, it.url, it.date, it.summary, tag_nos]);
                Ok((doc, weights))
            })
            .collect::<Result<_, Diagnostic>>()?;
        for (doc, weights) in analysed {
            let d = docs.len();
            for (t, w) in weights {
                let (prev, list) = postings.entry(t).or_default();
                push_number(list, (d - *prev) as u32);
                push_number(list, w);
                *prev = d;
            }
            docs.push(doc);
        }
    }
    let postings: serde_json::Map<String, Value> = postings
        .into_iter()
        .map(|(t, (_, list))| (t.to_string(), Value::String(list)))
        .collect();
    let out = json!({
        "v": 1,
        "lang": li.code,
        "opts": { "stem": opts.stem, "fold": opts.fold },
        "tags": tag_list,
        "docs": docs,
        "terms": postings,
    });
    serde_json::to_vec(&out).map_err(|e| Diagnostic::error("batmi", format!("search index: {e}")))
}
