//! Fenced code highlighted by syntect with CSS classes, and the light/dark stylesheet for them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Opening of every code block. Its class, `hl-code`, is the one syntect's stylesheet gives
/// the theme's default colours to (`<prefix>code`). Long lines scroll sideways; `tabindex`
/// lets keyboard users scroll them too (WCAG 2.1.1, axe's `scrollable-region-focusable`).
const PRE: &str = "<pre tabindex=\"0\" class=\"hl-code\"";

/// WCAG AA asks 4.5:1 for normal text; a little headroom keeps rounding in browsers from
/// tipping a colour under the line.
const MIN_CONTRAST: f64 = 4.6;

/// The syntax set is loaded once, on the first code block, and shared by all threads.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// HTML for one fenced code block: classes for tokens of a known language, plain escaped text otherwise.
/// Identical blocks (a snippet repeated across stories) are highlighted once per process.
pub fn highlight(lang: &str, code: &str) -> String {
    static CACHE: OnceLock<Mutex<HashMap<(String, String), String>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (lang.to_string(), code.to_string());
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let html = highlight_uncached(lang, code);
    if let Ok(mut c) = cache.lock()
        && c.len() < 4096
    {
        c.insert(key, html.clone());
    }
    html
}

fn highlight_uncached(lang: &str, code: &str) -> String {
    let lang = lang.split([' ', ',']).next().unwrap_or("").trim();
    let mut out = String::with_capacity(code.len() * 3);
    let lang_attr = escape(lang);
    if !lang.is_empty() {
        let ss = syntaxes();
        if let Some(syntax) = ss.find_syntax_by_token(lang)
            && let Some(html) = classed_html(ss, syntax, code)
        {
            out.push_str(&format!("{PRE} data-lang=\"{lang_attr}\"><code>"));
            out.push_str(&html);
            out.push_str("</code></pre>\n");
            return out;
        }
    }
    if lang.is_empty() {
        out.push_str(&format!("{PRE}><code>"));
    } else {
        out.push_str(&format!("{PRE} data-lang=\"{lang_attr}\"><code>"));
    }
    out.push_str(&escape(code));
    out.push_str("</code></pre>\n");
    out
}

/// What highlighting one line did: its HTML, the change in open `<span>`s, and the parser
/// and scope states after it.
struct LineResult {
    parse_before: ParseState,
    scopes_before: ScopeStack,
    html: String,
    delta: isize,
    parse_after: ParseState,
    scopes_after: ScopeStack,
}

/// Per-thread memo of highlighted lines, keyed by syntax and line text; each key holds the
/// results for the parser states the line was met in. A line's HTML depends only on its text
/// and those states, so a line seen again in the same state (a closing brace, a common
/// import, a line of a snippet quoted in many stories) skips syntect's regex matching.
type LineMemo = FxHashMap<(usize, String), Vec<LineResult>>;

/// Bound on the memo, per thread: about 20,000 lines (a few MB) before it starts afresh.
const LINE_MEMO_MAX: usize = 20_000;

/// Token-classed HTML for `code`, as syntect's `ClassedHTMLGenerator` writes it (the same
/// calls, line by line), with each line looked up in the memo first. `None` when syntect
/// fails on a line.
fn classed_html(ss: &SyntaxSet, syntax: &SyntaxReference, code: &str) -> Option<String> {
    thread_local! {
        static MEMO: RefCell<LineMemo> = RefCell::default();
    }
    // The syntax set is a process-wide static, so a syntax's address names it.
    let syntax_id = std::ptr::from_ref(syntax) as usize;
    MEMO.with_borrow_mut(|memo| {
        if memo.len() > LINE_MEMO_MAX {
            memo.clear();
        }
        let mut parse = ParseState::new(syntax);
        let mut scopes = ScopeStack::new();
        let mut open_spans: isize = 0;
        let mut html = String::with_capacity(code.len() * 3);
        for line in LinesWithEndings::from(code) {
            let key = (syntax_id, line.to_string());
            let seen = memo.get(&key).and_then(|results| {
                results
                    .iter()
                    .find(|r| r.parse_before == parse && r.scopes_before == scopes)
            });
            if let Some(r) = seen {
                html.push_str(&r.html);
                open_spans += r.delta;
                parse.clone_from(&r.parse_after);
                scopes.clone_from(&r.scopes_after);
                continue;
            }
            let parse_before = parse.clone();
            let scopes_before = scopes.clone();
            let ops = parse.parse_line(line, ss).ok()?;
            let (line_html, delta) =
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes).ok()?;
            html.push_str(&line_html);
            open_spans += delta;
            memo.entry(key).or_default().push(LineResult {
                parse_before,
                scopes_before,
                html: line_html,
                delta,
                parse_after: parse.clone(),
                scopes_after: scopes.clone(),
            });
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Some(html)
    })
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// CSS for the token classes: the light theme, and the dark one under `prefers-color-scheme: dark`.
/// Each theme's colours are first made readable on its own background (see [`readable`]), and
/// each is scoped to its colour scheme, so a rule only one theme has never leaks into the other.
pub fn stylesheet(light: &str, dark: &str) -> Result<String> {
    let themes = ThemeSet::load_defaults();
    let pick = |name: &str| {
        themes.themes.get(name).with_context(|| {
            let known: Vec<_> = themes.themes.keys().map(String::as_str).collect();
            format!(
                "config.toml: [highlight] theme \"{name}\" does not exist; choose one of: {}",
                known.join(", ")
            )
        })
    };
    let light_css = css_for_theme_with_class_style(&readable(pick(light)?), CLASS_STYLE)?;
    let dark_css = css_for_theme_with_class_style(&readable(pick(dark)?), CLASS_STYLE)?;
    Ok(format!(
        "/* Code colours, generated by batmi from syntect themes {light} and {dark}, adjusted to \
         at least {MIN_CONTRAST}:1 contrast. */\n\
         @media (prefers-color-scheme: light) {{\n{light_css}\n}}\n\
         @media (prefers-color-scheme: dark) {{\n{dark_css}\n}}\n"
    ))
}

/// A copy of `theme` whose every text colour has at least [`MIN_CONTRAST`] against the
/// background it is drawn on: colours that fall short are moved toward black on a light
/// background, toward white on a dark one, keeping their hue as far as possible.
/// Editor themes are tuned for taste, not for WCAG (GitHub's comments are 2.9:1).
pub fn readable(theme: &Theme) -> Theme {
    let mut theme = theme.clone();
    let white = Color::WHITE;
    let bg = opaque(theme.settings.background.unwrap_or(white), white);
    theme.settings.background = Some(bg);
    let fg = theme.settings.foreground.unwrap_or(Color::BLACK);
    theme.settings.foreground = Some(legible(opaque(fg, bg), bg));
    for item in &mut theme.scopes {
        let behind = item.style.background.map_or(bg, |b| opaque(b, bg));
        if item.style.background.is_some() {
            item.style.background = Some(behind);
        }
        if let Some(fg) = item.style.foreground {
            item.style.foreground = Some(legible(opaque(fg, behind), behind));
        } else if item.style.background.is_some() {
            // The token keeps the inherited text colour, now on another background.
            let inherited = theme.settings.foreground.unwrap_or(Color::BLACK);
            if contrast(inherited, behind) < MIN_CONTRAST {
                item.style.foreground = Some(legible(inherited, behind));
            }
        }
    }
    theme
}

/// `c` composited over `under`: the CSS syntect writes drops the alpha channel.
fn opaque(c: Color, under: Color) -> Color {
    let a = f64::from(c.a) / 255.0;
    let mix = |x: u8, y: u8| (f64::from(x) * a + f64::from(y) * (1.0 - a)).round() as u8;
    Color {
        r: mix(c.r, under.r),
        g: mix(c.g, under.g),
        b: mix(c.b, under.b),
        a: 0xFF,
    }
}

/// `fg`, or the nearest colour between it and black or white that reads on `bg`.
fn legible(fg: Color, bg: Color) -> Color {
    if contrast(fg, bg) >= MIN_CONTRAST {
        return fg;
    }
    let toward = if contrast(Color::BLACK, bg) >= contrast(Color::WHITE, bg) {
        Color::BLACK
    } else {
        Color::WHITE
    };
    let mix =
        |x: u8, y: u8, t: f64| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    (1..=100)
        .map(|step| {
            let t = f64::from(step) / 100.0;
            Color {
                r: mix(fg.r, toward.r, t),
                g: mix(fg.g, toward.g, t),
                b: mix(fg.b, toward.b, t),
                a: 0xFF,
            }
        })
        .find(|c| contrast(*c, bg) >= MIN_CONTRAST)
        .unwrap_or(toward)
}

/// WCAG 2 relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// WCAG 2 contrast ratio, 1 to 21.
pub fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_token_classes() {
        let html = highlight("rust", "fn main() {}\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(
            html.starts_with(&format!("{PRE} data-lang=\"rust\">")),
            "{html}"
        );
        assert!(PRE.contains("class=\"hl-code\""));
    }

    /// The memo must not change a byte: the same line in another parser state (here inside a
    /// block comment and a string, then outside) gets its own result.
    #[test]
    fn line_memo_writes_what_syntect_writes() {
        let ss = syntaxes();
        let blocks = [
            (
                "rust",
                "fn a() {\n    let x = 1;\n}\n/*\n    let x = 1;\n}\n*/\n    let x = 1;\n",
            ),
            (
                "rust",
                "let s = \"\n    let x = 1;\n}\n\";\n    let x = 1;\n}\n",
            ),
            (
                "python",
                "def f():\n    return out\n\"\"\"\n    return out\n\"\"\"\n    return out\n",
            ),
            (
                "rust",
                "fn a() {\n    let x = 1;\n}\n/*\n    let x = 1;\n}\n*/\n    let x = 1;\n",
            ),
        ];
        for (lang, code) in blocks {
            let syntax = ss.find_syntax_by_token(lang).unwrap();
            let mut generator =
                syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .unwrap();
            }
            assert_eq!(
                classed_html(ss, syntax, code).unwrap(),
                generator.finalize()
            );
        }
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = highlight("nosuchlang", "<b>\n");
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn plain_blocks_share_the_class_the_stylesheet_colours() {
        let html = highlight("", "x\n");
        assert!(html.starts_with(&format!("{PRE}><code>")), "{html}");
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains(".hl-code {"), "{css}");
    }

    #[test]
    fn every_default_theme_is_made_readable() {
        let themes = ThemeSet::load_defaults();
        for (name, theme) in &themes.themes {
            let t = readable(theme);
            let bg = t.settings.background.unwrap();
            let fg = t.settings.foreground.unwrap();
            assert!(contrast(fg, bg) >= MIN_CONTRAST, "{name}: default text");
            for item in &t.scopes {
                if let Some(fg) = item.style.foreground {
                    let behind = item.style.background.unwrap_or(bg);
                    let c = contrast(fg, behind);
                    assert!(c >= MIN_CONTRAST, "{name}: {:?} is {c:.2}:1", item.scope);
                }
            }
        }
    }

    #[test]
    fn readable_colours_keep_what_already_passes() {
        let black_on_white = contrast(Color::BLACK, Color::WHITE);
        assert!((black_on_white - 21.0).abs() < 1e-9);
        let grey = Color {
            r: 0x96,
            g: 0x98,
            b: 0x96,
            a: 0xFF,
        };
        let fixed = legible(grey, Color::WHITE);
        assert!(contrast(fixed, Color::WHITE) >= MIN_CONTRAST);
        assert!(fixed.r < grey.r, "darkened on white: {fixed:?}");
        let dark = legible(
            Color {
                r: 0x65,
                g: 0x73,
                b: 0x7e,
                a: 0xFF,
            },
            Color {
                r: 0x2b,
                g: 0x30,
                b: 0x3b,
                a: 0xFF,
            },
        );
        assert!(dark.r > 0x65, "lightened on a dark background: {dark:?}");
        let ok = Color {
            r: 0x18,
            g: 0x36,
            b: 0x91,
            a: 0xFF,
        };
        assert_eq!(legible(ok, Color::WHITE), ok);
    }

    #[test]
    fn stylesheet_has_a_dark_variant() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("@media (prefers-color-scheme: light)"));
        assert!(stylesheet("nope", "base16-ocean.dark").is_err());
    }
}
