//! Text analysis shared with `static/search.js`: normalisation, word splitting, stopwords,
//! Marathi stemming, Snowball English stemming and vowel folding. The browser applies it to the query as
//! this module applies it to the stories; `tests/search_analysis.json` holds words and
//! their terms, and both implementations must agree.

use unicode_normalization::UnicodeNormalization;

/// Which steps of the analysis the index uses; the browser reads them from the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Strip suffixes and postpositions (Marathi), Snowball English stems (English).
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
pub(super) fn for_each_word(norm: &str, mut f: impl FnMut(&str)) {
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

/// The Snowball English (Porter2) stem, as `static/snowball-english.js` makes it in the browser.
fn stem_english(w: &str) -> String {
    use rust_stemmers::{Algorithm, Stemmer};
    thread_local! {
        static EN: Stemmer = Stemmer::create(Algorithm::English);
    }
    EN.with(|s| s.stem(w).into_owned())
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
