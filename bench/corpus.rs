//! The project's deterministic benchmark and test corpus: N bilingual story pairs.
//!
//! Story `i` is a pure function of `(seed, i)`, so the same options always give the same
//! bytes and a corpus of 1,000 pairs is the first 1,000 stories of one of 10,000. Stories
//! have Devanagari and ASCII tags (Meta, Scale AI and MSL on enough of them for paginated
//! tag pages), headings, lists, quotes, tables, fenced code, links to earlier stories and,
//! with `images`, lead images.
//!
//! Used by `cargo run --release --example gen_corpus` (bench/gen_corpus.rs) and by the
//! tests (tests/common/mod.rs), which both include this file by path.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use rayon::prelude::*;

#[path = "corpus/images.rs"]
mod images;
#[path = "corpus/story.rs"]
mod story;
#[path = "corpus/vocab.rs"]
mod vocab;

use story::{Both, EN, Lede, LinkStyle, MR};

/// Which site generator the corpus is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// config.toml and `content/` as batmi reads them (README, "The content contract").
    Batmi,
    /// The same stories as a complete Hugo site, with the layouts in bench/hugo-site/.
    Hugo,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Story pairs (each a `.mr.md` and an `.en.md` file).
    pub pairs: usize,
    pub seed: u64,
    /// Lead images: PNG files under `static/images/`, named in stories' front matter.
    pub images: bool,
    pub layout: Layout,
}

/// The seed used unless another is asked for.
pub const DEFAULT_SEED: u64 = 2026;

impl Options {
    pub fn new(pairs: usize) -> Options {
        Options {
            pairs,
            seed: DEFAULT_SEED,
            images: false,
            layout: Layout::Batmi,
        }
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub files: u64,
    pub bytes: u64,
}

/// Writes the corpus into `out`, which must not exist or be empty.
pub fn generate(out: &Path, opts: &Options) -> io::Result<Summary> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty; remove it first", out.display()),
        ));
    }
    let news = out.join("content/news");
    std::fs::create_dir_all(&news)?;
    let mut sum = Summary::default();
    let mut put = |rel: &str, bytes: &[u8]| -> io::Result<()> {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, bytes)?;
        sum.files += 1;
        sum.bytes += bytes.len() as u64;
        Ok(())
    };
    match opts.layout {
        Layout::Batmi => put("config.toml", batmi_config().as_bytes())?,
        Layout::Hugo => {
            for (rel, text) in HUGO_SITE {
                put(rel, text.as_bytes())?;
            }
            for (lang, title) in [("mr", "बातम्या"), ("en", "News")] {
                put(
                    &format!("content/news/_index.{lang}.md"),
                    format!("+++\ntitle = \"{title}\"\n+++\n").as_bytes(),
                )?;
            }
            for (tag, mr, en) in vocab::TAG_NAMES {
                for (lang, name) in [("mr", mr), ("en", en)] {
                    put(
                        &format!("content/tags/{}/_index.{lang}.md", hugo_term(tag)),
                        format!("+++\ntitle = {}\n+++\n", toml_str(name)).as_bytes(),
                    )?;
                }
            }
        }
    }
    // batmi serves content/pages/<stem> at /<stem>/; Hugo does so for a page at the top.
    let pages = match opts.layout {
        Layout::Batmi => "content/pages",
        Layout::Hugo => "content",
    };
    for (lang, text) in about_pages() {
        put(&format!("{pages}/about.{lang}.md"), text.as_bytes())?;
    }
    if opts.images {
        let dir = out.join("static/images");
        std::fs::create_dir_all(&dir)?;
        let written: Vec<u64> = (0..images::SIZES.len())
            .into_par_iter()
            .map(|k| images::write(&dir, opts.seed, k))
            .collect::<io::Result<_>>()?;
        sum.files += written.len() as u64;
        sum.bytes += written.iter().sum::<u64>();
    }
    let bytes = (0..opts.pairs)
        .into_par_iter()
        .map(|i| {
            let mut n = 0;
            for (lang, text) in story_files(opts, i) {
                let stem_lang = format!("{}.{lang}.md", text.0);
                std::fs::write(news.join(stem_lang), &text.1)?;
                n += text.1.len() as u64;
            }
            Ok::<u64, io::Error>(n)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    sum.files += 2 * opts.pairs as u64;
    sum.bytes += bytes;
    Ok(sum)
}

/// Story `i` of a corpus as `(lang, (stem, file text))`, Marathi first.
pub fn story_files(opts: &Options, i: usize) -> [(&'static str, (String, String)); 2] {
    let meta = story::meta(opts.seed, i);
    let links = match opts.layout {
        Layout::Batmi => LinkStyle::Source,
        Layout::Hugo => LinkStyle::HugoRef,
    };
    let body = story::body(opts.seed, i, &meta, links);
    let lede = story::lede(opts.seed, i, &meta);
    let image = if opts.images {
        story::lead_image(opts.seed, i, images::SIZES.len())
    } else {
        None
    };
    let file = |lang: usize| {
        let mut fm = String::with_capacity(512 + body[lang].len());
        fm.push_str("+++\n");
        writeln!(fm, "title = {}", toml_str(&meta.title[lang])).unwrap();
        writeln!(fm, "date = {}", meta.date.to_rfc3339()).unwrap();
        if let Some(u) = meta.updated {
            let key = match opts.layout {
                Layout::Batmi => "updated",
                Layout::Hugo => "lastmod",
            };
            writeln!(fm, "{key} = {}", u.to_rfc3339()).unwrap();
        }
        let tags: Vec<String> = meta.tags.iter().map(|t| toml_str(t)).collect();
        writeln!(fm, "tags = [{}]", tags.join(", ")).unwrap();
        if let Lede::Summary(s) = &lede {
            writeln!(fm, "summary = {}", toml_str(&s[lang])).unwrap();
        }
        let author = if lang == MR {
            meta.author.0
        } else {
            meta.author.1
        };
        writeln!(fm, "author = {}", toml_str(author)).unwrap();
        writeln!(fm, "slug = {}", toml_str(&meta.stem)).unwrap();
        if let Some((k, alt)) = image {
            writeln!(fm, "image = \"/images/{}\"", images::file_name(k)).unwrap();
            let alt: Both = [
                vocab::IMAGE_ALTS[alt].0.into(),
                vocab::IMAGE_ALTS[alt].1.into(),
            ];
            writeln!(fm, "image_alt = {}", toml_str(&alt[lang])).unwrap();
        }
        fm.push_str("+++\n\n");
        if let Lede::Paragraph(p) = &lede {
            fm.push_str(&p[lang]);
        }
        fm.push_str(&body[lang]);
        (meta.stem.clone(), fm)
    };
    [("mr", file(MR)), ("en", file(EN))]
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The folder Hugo gives a tag's term page: ASCII lower-cased with spaces as hyphens,
/// Devanagari kept (what its `urlize` does for these names).
fn hugo_term(tag: &str) -> String {
    tag.to_lowercase().replace(' ', "-")
}

fn batmi_config() -> String {
    let mut c = String::from(
        "# A generated corpus (bench/gen_corpus.rs): the same for every size and seed.\n\
         base_url = \"https://batmi.example.org\"\n\
         title = \"बातमी\"\n\
         default_language = \"mr\"\n\
         utc_offset = \"+05:30\"\n\
         paginate_by = 20\n\
         feed_limit = 20\n\
         home_items = 20\n\
         nav_tags = [\"Meta\", \"Scale AI\", \"MSL\"]\n\
         \n\
         [languages.mr]\n\
         title = \"बातमी\"\n\
         name = \"मराठी\"\n\
         description = \"मराठीतील तंत्रज्ञान आणि स्थानिक बातम्या\"\n\
         \n\
         [languages.en]\n\
         title = \"Batmi\"\n\
         name = \"English\"\n\
         description = \"Technology and local news from Maharashtra\"\n",
    );
    for (tag, mr, en) in vocab::TAG_NAMES {
        write!(c, "\n[tags.{}]\n", toml_str(tag)).unwrap();
        if tag.contains(' ') {
            writeln!(c, "slug = {}", toml_str(&hugo_term(tag))).unwrap();
        }
        writeln!(
            c,
            "names = {{ mr = {}, en = {} }}",
            toml_str(mr),
            toml_str(en)
        )
        .unwrap();
    }
    c
}

fn about_pages() -> [(&'static str, &'static str); 2] {
    [
        (
            "mr",
            "+++\ntitle = \"आमच्याविषयी\"\n+++\n\n\
                 बातमी हे मराठी आणि इंग्रजीतून बातम्या देणारे संकेतस्थळ आहे. \
                 तंत्रज्ञान, शिक्षण, आरोग्य आणि स्थानिक घडामोडींवर आमचे प्रतिनिधी लिहितात.\n\n\
                 ## संपर्क\n\n\
                 - ईमेल: desk@batmi.example.org\n\
                 - पत्ता: पुणे, महाराष्ट्र\n",
        ),
        (
            "en",
            "+++\ntitle = \"About us\"\n+++\n\n\
                 Batmi publishes news in Marathi and English. Our correspondents write on \
                 technology, education, health and local affairs.\n\n\
                 ## Contact\n\n\
                 - Email: desk@batmi.example.org\n\
                 - Address: Pune, Maharashtra\n",
        ),
    ]
}

/// The Hugo site's own files: configuration and layouts.
const HUGO_SITE: &[(&str, &str)] = &[
    ("hugo.toml", include_str!("hugo-site/hugo.toml")),
    (
        "layouts/_default/baseof.html",
        include_str!("hugo-site/layouts/_default/baseof.html"),
    ),
    (
        "layouts/index.html",
        include_str!("hugo-site/layouts/index.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("hugo-site/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/list.html",
        include_str!("hugo-site/layouts/_default/list.html"),
    ),
    (
        "layouts/_default/terms.html",
        include_str!("hugo-site/layouts/_default/terms.html"),
    ),
    (
        "layouts/_default/list.atom.xml",
        include_str!("hugo-site/layouts/_default/list.atom.xml"),
    ),
    (
        "layouts/404.html",
        include_str!("hugo-site/layouts/404.html"),
    ),
    (
        "layouts/partials/card.html",
        include_str!("hugo-site/layouts/partials/card.html"),
    ),
];
