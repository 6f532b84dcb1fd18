//! Site search: the text analysis shared with `static/search.js` (normalisation, Marathi and
//! English stemming) and the per-language index written at build time as `search/index.json`.
//!
//! The browser applies the same analysis to the query that was applied here to the stories, so
//! an inflected query (मेटाच्या) finds other inflections of the same word (मेटाने, मेटाला).
//! `tests/search_analysis.json` holds words and their terms; both implementations must agree.

use std::cell::RefCell;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;

use crate::diag::Diagnostic;
use crate::output::Renderer;

/// Which steps of the analysis the index uses; the browser reads them from the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Strip suffixes and postpositions (Marathi) and plurals (English).
    pub stem: bool,
    /// Fold long and short i/u vowels and candrabindu, common spelling variants in Marathi.
    pub fold: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            stem: true,
            fold: true,
        }
    }
}

/// Marathi suffixes and postpositions, longest first (in chars). Stripped one per round, until
/// none applies, so `सर्जसोबतच्या` loses `च्या` and then `सोबत`.
pub const MR_SUFFIXES: &[&str] = &[
    "प्रमाणे",
    "पर्यंत",
    "पलीकडे",
    "पासून",
    "मध्ये",
    "पूर्वी",
    "बरोबर",
    "विषयी",
    "बद्दल",
    "ऐवजी",
    "नुसार",
    "भोवती",
    "विरुद्ध",
    "द्वारे",
    "करिता",
    "खालील",
    "मधून",
    "मधील",
    "कडून",
    "कडील",
    "वरून",
    "वरील",
    "साठी",
    "सोबत",
    "नंतर",
    "च्या",
    "मुळे",
    "खाली",
    "पुढे",
    "आधी",
    "कडे",
    "तून",
    "तील",
    "वर",
    "चा",
    "ची",
    "चे",
    "ला",
    "ना",
    "ने",
    "नी",
    "शी",
    "ही",
    "त",
    "च",
];

/// Endings of oblique and plural forms (`संशोधकां-`, `कर्मचाऱ्या-`) and final vowel signs,
/// longest first; stripped when no suffix applies.
pub const MR_ENDINGS: &[&str] = &[
    "्यां",
    "्या",
    "ां",
    "ीं",
    "ें",
    "ों",
    "ा",
    "ि",
    "ी",
    "ु",
    "ू",
    "े",
    "ै",
    "ो",
    "ौ",
    "ं",
];

/// Words too common to search for; they are not indexed, and dropped from queries.
pub const STOPWORDS: &[&str] = &[
    // Marathi
    "आणि",
    "व",
    "हा",
    "ही",
    "हे",
    "या",
    "ते",
    "ती",
    "तो",
    "की",
    "का",
    "आहे",
    "आहेत",
    "होते",
    "होता",
    "होती",
    "असे",
    "अशी",
    "असा",
    "तर",
    "पण",
    "मात्र",
    "त्या",
    "त्यांनी",
    "त्यांच्या",
    "यांनी",
    "यांच्या",
    "यांना",
    "असून",
    // English
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "and",
    "or",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "it",
    "its",
    "as",
    "that",
    "this",
    "has",
    "have",
    "had",
    "not",
    "but",
    "he",
    "his",
    "she",
    "her",
    "they",
    "their",
    "will",
    "would",
    "which",
    "who",
];

/// Text as the index sees it: NFC; nukta folded (क़ = क, ऩ = न, ऱ = र); zero-width joiners,
/// soft hyphens and byte-order marks removed; Devanagari digits as Latin digits; curly
/// apostrophes straight; `अॅ`/`अॉ` as `ॲ`/`ऑ`; lowercase. The virama is kept: it changes words.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    // Most text is already NFC: composing it again would give the same characters.
    let quick = unicode_normalization::is_nfc_quick(text.chars());
    let chars: Box<dyn Iterator<Item = char>> = if quick == unicode_normalization::IsNormalized::Yes
    {
        Box::new(text.chars())
    } else {
        Box::new(text.nfc())
    };
    for c in chars {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let c = match c {
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{093C}' => continue,
            '\u{0929}' => 'न',
            '\u{0931}' => 'र',
            '\u{0934}' => 'ळ',
            '\u{0958}' => 'क',
            '\u{0959}' => 'ख',
            '\u{095A}' => 'ग',
            '\u{095B}' => 'ज',
            '\u{095C}' => 'ड',
            '\u{095D}' => 'ढ',
            '\u{095E}' => 'फ',
            '\u{095F}' => 'य',
            '\u{0966}'..='\u{096F}' => char::from(b'0' + (c as u32 - 0x0966) as u8),
            '\u{2018}' | '\u{2019}' => '\'',
            _ => c,
        };
        if matches!(c, '\u{0945}' | '\u{0949}') && out.ends_with('अ') {
            out.pop();
            out.push(if c == '\u{0945}' { 'ॲ' } else { 'ऑ' });
            continue;
        }
        if is_devanagari(c) {
            // Devanagari has no case.
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn is_devanagari(c: char) -> bool {
    ('\u{0900}'..='\u{097F}').contains(&c)
}

/// Letters and digits of any script, and every Devanagari sign except the dandas and `॰`.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if is_devanagari(c) {
        !matches!(c, '\u{0964}' | '\u{0965}' | '\u{0970}')
    } else {
        c.is_alphanumeric()
    }
}

/// The words of normalised text. A `.` between digits stays (`14.3`), a `,` between digits
/// goes (`1,000` = `1000`), an apostrophe between letters stays for the English stemmer.
pub fn words(norm: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(norm, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each word of normalised text (see [`words`]).
fn for_each_word(norm: &str, mut f: impl FnMut(&str)) {
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    let mut chars = norm.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let between = |f: fn(char) -> bool| prev.is_some_and(f) && next.is_some_and(f);
        if is_word_char(c) || (c == '.' && between(|x| x.is_ascii_digit())) {
            cur.push(c);
        } else if (c == ',' && between(|x| x.is_ascii_digit()))
            || (c == '\'' && !cur.is_empty() && between(is_word_char))
        {
            if c == '\'' {
                cur.push(c);
            }
        } else if !cur.is_empty() {
            f(&cur);
            cur.clear();
        }
        prev = Some(c);
    }
    if !cur.is_empty() {
        f(&cur);
    }
}

/// What one thread has learnt: the options its terms were made with, every term met so far
/// under a dense number, and the term numbers of the words and of the tokens met so far. A
/// site repeats a small vocabulary, so nearly every token of a story was met before and
/// costs one table lookup instead of normalisation, splitting and stemming; and weights are
/// added up in an array indexed by term number instead of a table keyed by the term.
#[derive(Default)]
struct TermMemo {
    opts: Options,
    /// Term number → term.
    terms: Vec<Arc<str>>,
    /// Term → its number.
    numbers: FxHashMap<Arc<str>, u32>,
    /// Normalised word → its term's number (`None`: a stopword).
    words: FxHashMap<String, Option<u32>>,
    /// Text between ASCII whitespace, as written → its terms' numbers, in order.
    tokens: FxHashMap<String, Box<[u32]>>,
    /// The weights of the document being analysed, by term number (0: not in it yet)...
    weights: Vec<u32>,
    /// ... and the numbers whose weight is not 0.
    seen: Vec<u32>,
}

/// A document's terms with their weights.
type Weights = Vec<(Arc<str>, u32)>;

thread_local! {
    static TERM_MEMO: RefCell<TermMemo> = RefCell::default();
}

/// Bound on the memo's tables, per thread, before it starts afresh (between documents).
const MEMO_MAX: usize = 500_000;

impl TermMemo {
    /// Calls `f` with the number of every term of a text, in order, stopwords left out.
    ///
    /// The text is cut at ASCII whitespace first, and each piece is looked up whole. That
    /// gives the same terms as normalising and splitting the whole text (as [`terms`] does):
    /// normalisation leaves ASCII whitespace alone and never joins characters across it,
    /// whitespace is never part of a word, and the rules that look at a neighbour (`.`, `,`
    /// and `'` between digits or letters) see no word character across it either way.
    fn for_each_term(&mut self, text: &str, mut f: impl FnMut(u32)) {
        let TermMemo {
            opts,
            terms,
            numbers,
            words,
            tokens,
            ..
        } = self;
        for token in text.split_ascii_whitespace() {
            if let Some(known) = tokens.get(token) {
                known.iter().copied().for_each(&mut f);
                continue;
            }
            let mut found = Vec::new();
            for_each_word(&normalize(token), |w| {
                let n = match words.get(w) {
                    Some(n) => *n,
                    None => {
                        let n = term(w, *opts).map(|t| {
                            let t: Arc<str> = Arc::from(t);
                            *numbers.entry(t).or_insert_with_key(|t| {
                                terms.push(Arc::clone(t));
                                (terms.len() - 1) as u32
                            })
                        });
                        words.insert(w.to_string(), n);
                        n
                    }
                };
                found.extend(n);
            });
            found.iter().copied().for_each(&mut f);
            tokens.insert(token.to_string(), found.into_boxed_slice());
        }
    }

    /// The terms of one document's texts with their weights (each text's weight added for
    /// every time a term occurs in it, at most 255), in no particular order.
    fn weigh(&mut self, texts: &[(&str, u32)]) -> Weights {
        let mut weights = std::mem::take(&mut self.weights);
        let mut seen = std::mem::take(&mut self.seen);
        for &(text, w) in texts {
            self.for_each_term(text, |n| {
                let n = n as usize;
                if n >= weights.len() {
                    weights.resize(n + 1, 0);
                }
                if weights[n] == 0 {
                    seen.push(n as u32);
                }
                weights[n] = (weights[n] + w).min(255);
            });
        }
        let out = seen
            .drain(..)
            .map(|n| {
                let w = std::mem::take(&mut weights[n as usize]);
                (Arc::clone(&self.terms[n as usize]), w)
            })
            .collect();
        self.weights = weights;
        self.seen = seen;
        out
    }
}

/// The weighted terms of one document's texts (see [`TermMemo::weigh`]), with this thread's
/// memo.
fn weigh(texts: &[(&str, u32)], opts: Options) -> Weights {
    TERM_MEMO.with_borrow_mut(|memo| {
        if memo.opts != opts || memo.words.len() > MEMO_MAX || memo.tokens.len() > MEMO_MAX {
            *memo = TermMemo {
                opts,
                ..TermMemo::default()
            };
        }
        memo.weigh(texts)
    })
}

/// The index term of one normalised word, or `None` for a stopword.
pub fn term(word: &str, opts: Options) -> Option<String> {
    let w = word.strip_suffix("'s").unwrap_or(word).replace('\'', "");
    if w.is_empty() || STOPWORDS.contains(&w.as_str()) {
        return None;
    }
    let w = if opts.stem { stem(&w) } else { w };
    Some(if opts.fold { fold(&w) } else { w })
}

/// Every term of a text, in order, stopwords left out.
pub fn terms(text: &str, opts: Options) -> Vec<String> {
    words(&normalize(text))
        .iter()
        .filter_map(|w| term(w, opts))
        .collect()
}

/// The stem of a normalised word: Marathi if it has Devanagari, English if it is ASCII letters.
pub fn stem(word: &str) -> String {
    if word.chars().any(is_devanagari) {
        stem_marathi(word)
    } else if word.bytes().all(|b| b.is_ascii_lowercase()) {
        stem_english(word)
    } else {
        word.to_string()
    }
}

/// Letters that carry weight in a stem: not vowel signs, virama, anusvara or other marks.
fn letters(s: &str) -> usize {
    s.chars()
        .filter(|&c| {
            !matches!(c as u32,
                0x0900..=0x0903 | 0x093A..=0x093C | 0x093E..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963)
        })
        .count()
}

/// Strips one ending from `lists` if at least two letters stay and the stem does not end in a
/// virama (a conjunct across the cut means the ending was part of the word).
fn strip_one(s: &str, lists: &[&str]) -> Option<usize> {
    lists.iter().find_map(|suf| {
        let rest = s.strip_suffix(suf)?;
        (letters(rest) >= 2 && !rest.ends_with('\u{094D}')).then_some(rest.len())
    })
}

fn stem_marathi(word: &str) -> String {
    let mut s = word.to_string();
    // A round strips one suffix or, failing that, one ending; `s` shrinks, so this ends.
    while let Some(len) = strip_one(&s, MR_SUFFIXES).or_else(|| strip_one(&s, MR_ENDINGS)) {
        s.truncate(len);
    }
    s
}

fn stem_english(w: &str) -> String {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        format!("{}y", &w[..n - 3])
    } else if w.ends_with("sses") {
        w[..n - 2].to_string()
    } else if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w[..n - 1].to_string()
    } else {
        w.to_string()
    }
}

/// Spelling variants readers mix up: ी/ि, ू/ु, ई/इ, ऊ/उ, candrabindu/anusvara.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ी' => 'ि',
            'ू' => 'ु',
            'ई' => 'इ',
            'ऊ' => 'उ',
            'ँ' => 'ं',
            _ => c,
        })
        .collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The memoised path, which cuts text at ASCII whitespace first, gives exactly the terms
    /// of normalising and splitting the whole text, also where a rule looks across a space.
    #[test]
    fn memoised_terms_are_the_terms_of_the_whole_text() {
        let texts = [
            "Meta's 14.3 billion-dollar deal, 1,000 people; don't stop.",
            "मेटाने स्केल एआयमध्ये १४.३ अब्ज डॉलर गुंतवले. अॅप आणि अॉफिस",
            "क़लम ज़मीन\u{200B}दार\u{00A0}शब्द \u{FEFF}खरे — ‘quoted’ it’s 3 . 5 , 7",
            "a. b ,c ' d' 'e 1 ,2 1, 2 1.\t2 x\ny\r\nz",
            "ranking runs ran RUNNING Runner's the a an और आणि",
            "e\u{301}te\u{301} cafe\u{301}s ﬁne Ǆ ΣΑΣ x \u{301}y अ \u{945}प",
        ];
        for opts in [
            Options::default(),
            Options {
                stem: false,
                fold: true,
            },
            Options {
                stem: true,
                fold: false,
            },
        ] {
            let mut memo = TermMemo {
                opts,
                ..TermMemo::default()
            };
            for text in texts {
                // Twice: the second pass answers from the memo.
                for _ in 0..2 {
                    let mut memoised = Vec::new();
                    memo.for_each_term(text, |n| memoised.push(n as usize));
                    let memoised: Vec<String> = memoised
                        .iter()
                        .map(|&n| memo.terms[n].to_string())
                        .collect();
                    assert_eq!(memoised, terms(text, opts), "{text:?} with {opts:?}");
                }
            }
        }
    }

    /// A document's weights are the sums over its texts of each text's weight per occurrence,
    /// capped at 255, whichever words a term came from; the memo forgets them between
    /// documents.
    #[test]
    fn weights_add_up_per_document() {
        let opts = Options::default();
        let docs: [&[(&str, u32)]; 3] = [
            &[
                ("Running runs", 6),
                ("runner RUNS, run.", 1),
                ("मुंबईत मुंबई", 2),
            ],
            &[("runs", 1)],
            &[("run run run", 100)],
        ];
        let mut memo = TermMemo {
            opts,
            ..TermMemo::default()
        };
        for texts in docs {
            let mut want: std::collections::BTreeMap<String, u32> = Default::default();
            for &(text, w) in texts {
                for t in terms(text, opts) {
                    let e = want.entry(t).or_default();
                    *e = (*e + w).min(255);
                }
            }
            let weights = memo.weigh(texts);
            let got: std::collections::BTreeMap<String, u32> =
                weights.iter().map(|(t, w)| (t.to_string(), *w)).collect();
            assert_eq!(got, want, "{texts:?}");
            assert_eq!(weights.len(), got.len(), "each term once: {weights:?}");
        }
    }
}
