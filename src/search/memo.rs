//! The per-thread memo that makes indexing cheap: a site repeats a small vocabulary, so
//! each token is analysed once per thread, and a document's weights add up by term number.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::analysis::{Options, for_each_word, normalize, term};

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
pub(super) type Weights = Vec<(Arc<str>, u32)>;

thread_local! {
    static TERM_MEMO: RefCell<TermMemo> = RefCell::default();
}

/// Bound on the memo's tables, per thread, before it starts afresh (between documents).
const MEMO_MAX: usize = 500_000;

impl TermMemo {
    /// Calls `f` with the number of every term of a text, in order, stopwords left out.
    ///
    /// The text is cut at ASCII whitespace first, and each piece is looked up whole. That
    /// gives the same terms as normalising and splitting the whole text, as
    /// [`terms`](super::terms) does: normalisation leaves ASCII whitespace alone and never joins characters across it,
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
pub(super) fn weigh(texts: &[(&str, u32)], opts: Options) -> Weights {
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

#[cfg(test)]
mod tests {
    use super::super::analysis::terms;
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
