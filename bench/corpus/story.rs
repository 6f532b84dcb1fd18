//! One story pair: its front matter and its body, chosen once and written in Marathi and
//! English. Story `i` depends only on `(seed, i)`: its links to earlier stories name them
//! by stem, and a stem is computed from that story's own `(seed, j)`.

use std::fmt::Write;

use chrono::{DateTime, Duration, FixedOffset, TimeZone};

use super::vocab::{self, Adj, Agent, Noun};

/// A text in both languages: `[mr, en]`.
pub type Both = [String; 2];
pub const MR: usize = 0;
pub const EN: usize = 1;

/// SplitMix64: small, fast, and ours, so the corpus bytes never change with a crate update.
pub struct Rng(u64);

impl Rng {
    /// The generator for one purpose (`stream`) of story `i`.
    pub fn new(seed: u64, stream: u64, i: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xa076_1d64_78bd_642f));
        let s = r.next() ^ i;
        let mut r = Rng(s);
        r.next();
        r
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() as u128 * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const META: u64 = 1;
const BODY: u64 = 2;
const IMAGE: u64 = 3;

/// What both language versions of a story share.
pub struct Meta {
    pub stem: String,
    pub title: Both,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub tags: Vec<&'static str>,
    pub author: (&'static str, &'static str),
    /// Indexes into `vocab::ENTITIES` of the story's big tags: they act in its sentences.
    ents: Vec<usize>,
}

/// Story `i`'s front-matter facts.
pub fn meta(seed: u64, i: usize) -> Meta {
    let mut r = Rng::new(seed, META, i as u64);
    let mut tags = Vec::new();
    if r.chance(0.35) {
        tags.push("Meta");
    }
    if r.chance(if tags.is_empty() { 0.12 } else { 0.5 }) {
        tags.push("MSL");
    }
    if r.chance(0.25) {
        tags.push("Scale AI");
    }
    let ents: Vec<usize> = tags
        .iter()
        .map(|t| vocab::ENTITIES.iter().position(|(n, _)| n == t).unwrap())
        .collect();
    let place = r.chance(0.5).then(|| r.pick(vocab::PLACES));
    if let Some(tag) = place.and_then(|p| p.tag) {
        tags.push(tag);
    }
    let want = r.range(1, 4).max(tags.len());
    while tags.len() < want {
        // Earlier tags in the list are used more: the square skews the pick to the front.
        let k = r.below(vocab::TAGS.len());
        let t = vocab::TAGS[k * r.below(vocab::TAGS.len()) / vocab::TAGS.len()];
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    // 2019-01-01 to 2026-10-31 in India, to the minute.
    let ist = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
    let start = ist.with_ymd_and_hms(2019, 1, 1, 0, 0, 0).unwrap();
    let minutes = (ist.with_ymd_and_hms(2026, 10, 31, 23, 59, 0).unwrap() - start).num_minutes();
    let date = start + Duration::minutes(r.below(minutes as usize) as i64);
    let updated = r
        .chance(0.15)
        .then(|| date + Duration::minutes(r.range(20, 3 * 24 * 60) as i64));
    let author = *r.pick(vocab::AUTHORS);

    let agent = agent(&mut r, &ents, 0.85);
    let noun = noun(&mut r, !ents.is_empty());
    let adj = r.pick(vocab::ADJS);
    let g = noun.g as usize;
    let title = if r.chance(0.8) {
        let verb = r.pick(vocab::VERBS);
        let (loc, in_en) = match place {
            Some(p) => (format!(" {}", p.loc), format!(" in {}", p.en)),
            None => (String::new(), String::new()),
        };
        let now = if agent.plural { verb.now_pl } else { verb.now };
        [
            format!(
                "{}कडून{loc} {} {} {}",
                agent.obl, adj.mr[g], noun.mr, verb.mr
            ),
            cap(&format!(
                "{} {now} {} {}{in_en}",
                headline_agent(agent),
                adj.en,
                noun.en
            )),
        ]
    } else {
        let (mr, en) = *r.pick(vocab::REMARKS);
        [
            format!(
                "{}{} {} {}: {mr}",
                agent.obl,
                ["चा", "ची", "चे"][g],
                adj.mr[g],
                noun.mr
            ),
            cap(&format!(
                "{} {} {}: {en}",
                possessive(headline_agent(agent), agent.plural),
                adj.en,
                noun.en
            )),
        ]
    };
    let stem = format!("{}-{:06}", slug_words(&title[EN], 7), i + 1);
    Meta {
        stem,
        title,
        date,
        updated,
        tags,
        author,
        ents,
    }
}

/// The story's stem alone (links to it need no more).
pub fn stem(seed: u64, i: usize) -> String {
    meta(seed, i).stem
}

/// Which of `n_images` lead images story `i` shows, if any.
pub fn lead_image(seed: u64, i: usize, n_images: usize) -> Option<(usize, usize)> {
    let mut r = Rng::new(seed, IMAGE, i as u64);
    r.chance(0.75)
        .then(|| (r.below(n_images), r.below(vocab::IMAGE_ALTS.len())))
}

fn agent<'a>(r: &mut Rng, ents: &[usize], p_entity: f64) -> &'a Agent {
    if !ents.is_empty() && r.chance(p_entity) {
        &vocab::ENTITIES[*r.pick(ents)].1
    } else {
        r.pick(vocab::AGENTS)
    }
}

fn noun<'a>(r: &mut Rng, tech: bool) -> &'a Noun {
    if tech && r.chance(0.6) {
        r.pick(vocab::TECH_NOUNS)
    } else {
        r.pick(vocab::NOUNS)
    }
}

fn headline_agent(a: &Agent) -> &'static str {
    a.en.strip_prefix("the ").unwrap_or(a.en)
}

fn possessive(who: &str, plural: bool) -> String {
    if plural && who.ends_with('s') {
        format!("{who}'")
    } else {
        format!("{who}'s")
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// An ASCII slug of the first `n` words.
fn slug_words(s: &str, n: usize) -> String {
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(n)
        .collect();
    words.join("-")
}

/// Marathi numerals.
pub fn mr_digits(n: impl std::fmt::Display) -> String {
    n.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('०' as u32 + d).unwrap(),
            None => c,
        })
        .collect()
}

fn an(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// "X did a Y": the sentence most news copy is made of, without its full stop; the English
/// starts in lower case, as in the middle of a sentence.
fn act(r: &mut Rng, ents: &[usize]) -> Both {
    let a = agent(r, ents, 0.4);
    let noun = noun(r, !ents.is_empty());
    let g = noun.g as usize;
    let verb = r.pick(vocab::VERBS);
    let adj: Option<&Adj> = r.chance(0.7).then(|| r.pick(vocab::ADJS));
    let time = r.chance(0.4).then(|| r.pick(vocab::TIMES));
    let place = r.chance(0.4).then(|| r.pick(vocab::PLACES));
    let for_whom = r.chance(0.3).then(|| r.pick(vocab::FOR));
    let ne = if a.plural { "नी" } else { "ने" };
    let mut mr = String::new();
    if let Some((t, _)) = time {
        write!(mr, "{t} ").unwrap();
    }
    write!(mr, "{}{ne} ", a.obl).unwrap();
    if let Some(p) = place {
        write!(mr, "{} ", p.loc).unwrap();
    }
    if let Some((f, _)) = for_whom {
        write!(mr, "{f} ").unwrap();
    }
    if let Some(adj) = adj {
        write!(mr, "{} ", adj.mr[g]).unwrap();
    }
    write!(mr, "{} {} {}", noun.mr, verb.mr, vocab::KELA[g]).unwrap();

    let mut en = String::new();
    if let Some((_, t)) = time {
        write!(en, "{t}, ").unwrap();
    }
    let thing = match adj {
        Some(adj) => format!("{} {}", adj.en, noun.en),
        None => noun.en.to_string(),
    };
    write!(en, "{} {} {} {thing}", a.en, verb.past, an(&thing)).unwrap();
    if let Some((_, f)) = for_whom {
        write!(en, " {f}").unwrap();
    }
    if let Some(p) = place {
        write!(en, " in {}", p.en).unwrap();
    }
    [mr, en]
}

/// One sentence, with its full stop.
fn sentence(r: &mut Rng, ents: &[usize]) -> Both {
    let [mr, en] = match r.below(10) {
        0..=2 => act(r, ents),
        3 => {
            let [mr, en] = act(r, ents);
            let (smr, sen) = r.pick(vocab::SPEAKERS);
            [
                format!("{mr}, असे {smr} सांगितले"),
                format!("{en}, {sen} said"),
            ]
        }
        4 => {
            let [mr1, en1] = act(r, ents);
            let [mr2, en2] = act(r, ents);
            [format!("{mr1}, तर {mr2}"), format!("{en1}, while {en2}")]
        }
        5 | 6 => {
            let a = agent(r, ents, 0.5);
            let noun = noun(r, !ents.is_empty());
            let g = noun.g as usize;
            let adj = r.pick(vocab::ADJS);
            let (omr, oen) = r.pick(vocab::OUTLOOK);
            [
                format!(
                    "{}{} {} {} {omr}",
                    a.obl,
                    ["चा", "ची", "चे"][g],
                    adj.mr[g],
                    noun.mr
                ),
                format!(
                    "{} {} {} {oen}",
                    possessive(a.en, a.plural),
                    adj.en,
                    noun.en
                ),
            ]
        }
        7 => {
            let p = r.pick(vocab::PLACES);
            let (tmr, ten) = r.pick(vocab::TOPICS);
            let (gmr, gen_) = r.pick(vocab::GROUPS);
            let (fmr, fen) = r.pick(vocab::FEELINGS);
            [
                format!("{} {tmr} {gmr} {fmr} आहे", p.loc),
                format!("There is {fen} among {gen_} in {} about {ten}", p.en),
            ]
        }
        8 => {
            let a = agent(r, ents, 0.5);
            let crore = 5 * r.range(2, 400);
            let ne = if a.plural { "नी" } else { "ने" };
            [
                format!(
                    "{}{ne} सुमारे {} कोटी रुपयांची गुंतवणूक जाहीर केली",
                    a.obl,
                    mr_digits(crore)
                ),
                format!("{} announced an investment of about ₹{crore} crore", a.en),
            ]
        }
        _ => {
            let year = r.range(2015, 2025);
            let pct = r.range(3, 60);
            [
                format!(
                    "{} साली ही संख्या {} टक्क्यांनी वाढली",
                    mr_digits(year),
                    mr_digits(pct)
                ),
                format!("In {year}, the figure rose by {pct} per cent"),
            ]
        }
    };
    [mr + ".", cap(&en) + "."]
}

/// Where a link in the body points.
pub enum Target {
    Story(String),
    External(String),
}

/// How the generated Markdown writes a link to another story.
#[derive(Clone, Copy)]
pub enum LinkStyle {
    /// batmi's `@/news/<stem>.md`.
    Source,
    /// Hugo's `{{< relref "/news/<stem>.md" >}}`.
    HugoRef,
}

/// Wraps words `len-4 .. len-2` of a sentence (the object, in both languages' word order
/// most of the time) in `open` and `close`.
fn wrap(s: &str, open: &str, close: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    if words.len() < 5 {
        return s.to_string();
    }
    let (a, b) = (words.len() - 4, words.len() - 2);
    let mut out = String::with_capacity(s.len() + open.len() + close.len());
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        if k == a {
            out.push_str(open);
        }
        out.push_str(w);
        if k + 1 == b {
            out.push_str(close);
        }
    }
    out
}

/// Both bodies of story `i`.
pub fn body(seed: u64, i: usize, meta: &Meta, links: LinkStyle) -> Both {
    let mut r = Rng::new(seed, BODY, i as u64);
    let ents = &meta.ents;
    let n_paras = r.range(5, 12);
    let mut headings = Vec::new();
    if n_paras >= 5 && r.chance(0.4) {
        headings.push((n_paras / 2, r.below(vocab::HEADINGS.len())));
        if n_paras >= 8 {
            headings.push((n_paras - 2, r.below(vocab::HEADINGS.len())));
        }
    }
    let list_at = r.chance(0.3).then(|| r.below(n_paras));
    let quote_at = r.chance(0.25).then(|| r.below(n_paras));
    let code_at = r.chance(0.2).then(|| r.below(n_paras));
    let table_at = r.chance(0.1).then(|| r.below(n_paras));
    // Inline decorations: (paragraph, sentence, what).
    let mut links_at: Vec<(usize, usize, Target)> = Vec::new();
    if i > 0 && r.chance(0.5) {
        let k = if r.chance(0.3) { 2 } else { 1 };
        for _ in 0..k {
            let j = r.below(i);
            links_at.push((r.below(n_paras), r.below(2), Target::Story(stem(seed, j))));
        }
    }
    if r.chance(0.15) {
        let url = format!("https://data.example.org/reports/{}", r.range(100, 999));
        links_at.push((r.below(n_paras), r.below(2), Target::External(url)));
    }
    let emph_at = r
        .chance(0.5)
        .then(|| (r.below(n_paras), r.below(2), r.chance(0.5)));

    let mut out: Both = [String::with_capacity(4096), String::with_capacity(2048)];
    for p in 0..n_paras {
        for (_, h) in headings.iter().filter(|(at, _)| *at == p) {
            let (mr, en) = vocab::HEADINGS[*h];
            out[MR].push_str(&format!("## {mr}\n\n"));
            out[EN].push_str(&format!("## {en}\n\n"));
        }
        let n_sent = r.range(3, 6);
        for s in 0..n_sent {
            let mut sent = sentence(&mut r, ents);
            // Emphasis inside the link text, and one link a sentence: the spans are the
            // same words, so the markup nests (`[**a b**](url)`).
            if let Some((_, _, strong)) = emph_at.filter(|(ep, es, _)| (*ep, *es) == (p, s)) {
                let m = if strong { "**" } else { "_" };
                for text in sent.iter_mut() {
                    *text = wrap(text, m, m);
                }
            }
            if let Some((_, _, target)) = links_at.iter().find(|(lp, ls, _)| (*lp, *ls) == (p, s)) {
                let url = match (target, links) {
                    (Target::Story(stem), LinkStyle::Source) => format!("@/news/{stem}.md"),
                    (Target::Story(stem), LinkStyle::HugoRef) => {
                        format!("{{{{< relref \"/news/{stem}.md\" >}}}}")
                    }
                    (Target::External(url), _) => url.clone(),
                };
                for text in sent.iter_mut() {
                    *text = wrap(text, "[", &format!("]({url})"));
                }
            }
            for (lang, text) in sent.iter().enumerate() {
                if s > 0 {
                    out[lang].push(' ');
                }
                out[lang].push_str(text);
            }
        }
        for o in out.iter_mut() {
            o.push_str("\n\n");
        }
        if list_at == Some(p) {
            list(&mut r, &mut out);
        }
        if quote_at == Some(p) {
            let [mr, en] = act(&mut r, ents);
            let (smr, sen) = r.pick(vocab::SPEAKERS);
            out[MR].push_str(&format!("> “{mr}”, असे {smr} म्हटले आहे.\n\n"));
            out[EN].push_str(&format!("> “{},” {sen} said.\n\n", cap(&en)));
        }
        if table_at == Some(p) {
            table(&mut r, &mut out);
        }
        if code_at == Some(p) {
            code(&mut r, &mut out);
        }
    }
    for o in out.iter_mut() {
        o.truncate(o.trim_end().len());
        o.push('\n');
    }
    out
}

fn list(r: &mut Rng, out: &mut Both) {
    let ordered = r.chance(0.4);
    for k in 1..=r.range(3, 6) {
        let noun = r.pick(vocab::NOUNS);
        let adj = r.pick(vocab::ADJS);
        let (fmr, fen) = r.pick(vocab::FOR);
        let mark = if ordered {
            format!("{k}.")
        } else {
            "-".to_string()
        };
        let thing = format!("{} {}", adj.en, noun.en);
        writeln!(
            out[MR],
            "{mark} {fmr} {} {}",
            adj.mr[noun.g as usize], noun.mr
        )
        .unwrap();
        writeln!(out[EN], "{mark} {} {thing} {fen}", cap(an(&thing))).unwrap();
    }
    for o in out.iter_mut() {
        o.push('\n');
    }
}

fn table(r: &mut Rng, out: &mut Both) {
    out[MR].push_str("| जिल्हा | निधी (कोटी रुपये) | लाभार्थी |\n|---|---:|---:|\n");
    out[EN].push_str("| District | Funds (₹ crore) | Beneficiaries |\n|---|---:|---:|\n");
    let first = r.below(vocab::PLACES.len());
    for k in 0..r.range(3, 5) {
        let p = &vocab::PLACES[(first + k) % vocab::PLACES.len()];
        let (funds, people) = (r.range(2, 900), r.range(100, 99_000));
        writeln!(
            out[MR],
            "| {} | {} | {} |",
            p.name,
            mr_digits(funds),
            mr_digits(people)
        )
        .unwrap();
        writeln!(out[EN], "| {} | {funds} | {people} |", p.en).unwrap();
    }
    for o in out.iter_mut() {
        o.push('\n');
    }
}

/// A short code sample, the same in both languages but for its comment.
fn code(r: &mut Rng, out: &mut Both) {
    let name = r.pick(vocab::CODE_NAMES);
    let limit = r.range(1, 500);
    let (cmr, cen) = *r.pick(vocab::CODE_COMMENTS);
    let extra = r.range(0, 4);
    let kind = r.below(4);
    for (lang, comment) in [(MR, cmr), (EN, cen)] {
        let o = &mut out[lang];
        match kind {
            0 => {
                writeln!(o, "```rust\n// {comment}").unwrap();
                writeln!(o, "fn {name}_total(rows: &[(String, u32)]) -> u32 {{").unwrap();
                for k in 0..extra {
                    writeln!(o, "    const LIMIT_{k}: u32 = {};", limit + k).unwrap();
                }
                writeln!(o, "    rows.iter()\n        .map(|(_, v)| *v)").unwrap();
                writeln!(o, "        .filter(|v| *v > {limit})\n        .sum()\n}}").unwrap();
            }
            1 => {
                writeln!(o, "```python\ndef {name}_summary(rows):").unwrap();
                writeln!(o, "    # {comment}").unwrap();
                for k in 0..extra {
                    writeln!(o, "    step_{k} = {}", limit * (k + 1)).unwrap();
                }
                writeln!(o, "    kept = [r for r in rows if r[\"value\"] >= {limit}]").unwrap();
                writeln!(
                    o,
                    "    return {{\"count\": len(kept), \"sum\": sum(r[\"value\"] for r in kept)}}"
                )
                .unwrap();
            }
            2 => {
                writeln!(o, "```toml\n# {comment}\n[{name}]\nlimit = {limit}").unwrap();
                for k in 0..extra {
                    writeln!(o, "ward_{k} = {}", limit + 10 * k).unwrap();
                }
                writeln!(o, "districts = [\"pune\", \"nagpur\", \"latur\"]").unwrap();
            }
            _ => {
                writeln!(o, "```sh\n# {comment}").unwrap();
                writeln!(o, "curl -s https://data.example.org/{name}.csv \\").unwrap();
                writeln!(o, "  | awk -F, '$3 > {limit}' \\").unwrap();
                for k in 0..extra {
                    writeln!(o, "  | grep -v ',{k},' \\").unwrap();
                }
                writeln!(o, "  | sort -t, -k3 -n").unwrap();
            }
        }
        o.push_str("```\n\n");
    }
}

const SUMMARY: u64 = 4;

/// A sentence short enough for a meta description (160 characters) in both languages.
fn short_sentence(r: &mut Rng, ents: &[usize]) -> Both {
    loop {
        let [mr, en] = act(r, ents);
        if mr.chars().count() < 150 && en.len() < 150 {
            return [mr + ".", cap(&en) + "."];
        }
    }
}

/// How a story's summary is given.
pub enum Lede {
    /// In the front matter.
    Summary(Both),
    /// As a short first paragraph, which batmi takes for the summary (in half of these
    /// stories marked off by `<!-- more -->`).
    Paragraph(Both),
}

/// Story `i`'s summary: nine in ten stories have one in the front matter.
pub fn lede(seed: u64, i: usize, meta: &Meta) -> Lede {
    let mut r = Rng::new(seed, SUMMARY, i as u64);
    let given = r.chance(0.9);
    let mut text = short_sentence(&mut r, &meta.ents);
    if given {
        return Lede::Summary(text);
    }
    let more = if r.chance(0.5) {
        "\n\n<!-- more -->"
    } else {
        ""
    };
    for t in text.iter_mut() {
        t.push_str(more);
        t.push_str("\n\n");
    }
    Lede::Paragraph(text)
}
