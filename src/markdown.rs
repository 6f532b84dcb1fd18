//! Markdown to HTML: heading ids that work for Devanagari, highlighted code, `@/` links,
//! summary; shortcodes and lone embed links handed to the caller's templates.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::highlight;
use crate::shortcodes::{self, Call};

/// A link or image found in the body, with its byte offset for `path:line:column` reports.
#[derive(Debug, Clone)]
pub struct Reference {
    pub target: String,
    /// The target as written (`@/news/x.md` before it was resolved).
    pub raw: String,
    pub offset: usize,
    /// Alt text, for images.
    pub alt: String,
}

/// The HTML of a body and what was learned on the way.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// Plain text before `<!-- more -->`, else of the first paragraph.
    pub summary: String,
    pub words: usize,
    /// Heading ids, for `#anchor` checks.
    pub anchors: Vec<String>,
    pub links: Vec<Reference>,
    pub images: Vec<Reference>,
    /// The shortcodes the body calls (lone embed links included), sorted, once each.
    pub shortcodes: Vec<String>,
}

/// Something in a body that stops it being rendered: a `@/` link to no page, a shortcode
/// that cannot be read or rendered.
#[derive(Debug)]
pub struct BodyError {
    pub offset: usize,
    pub message: String,
    pub help: String,
    /// The `@/` target as written, for a link to no page.
    pub link: Option<String>,
}

impl BodyError {
    fn broken_link(target: &str, offset: usize) -> BodyError {
        BodyError {
            offset,
            message: format!("the link {target} points to no page"),
            help: "link to an existing story as @/news/<stem>.md (the file name without .mr/.en)"
                .into(),
            link: Some(target.to_string()),
        }
    }

    fn shifted(mut self, by: usize) -> BodyError {
        self.offset += by;
        self
    }
}

/// A heading being collected: level, explicit id, classes, inner events.
type OpenHeading<'a> = (HeadingLevel, Option<String>, Vec<String>, Vec<Event<'a>>);

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Reads `body` without producing HTML: summary, words, anchors, links, images and the
/// shortcodes called. Cheap; run at load time.
pub fn scan(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<Rendered, Vec<BodyError>> {
    process(body, resolve, false, &Hooks::default())
}

/// Renders `body` to HTML; `resolve` turns a `@/dir/stem.md` path into a URL in the page's language.
/// Only the HTML, anchors and references are filled in: words and summary come from [`scan`].
/// Without [`Hooks`], shortcodes and embeds render as nothing.
pub fn render(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<Rendered, Vec<BodyError>> {
    process(body, resolve, true, &Hooks::default())
}

/// Makes the HTML of a body image: called with its target, alt text, title and whether it
/// stands alone in its paragraph (then the HTML replaces the paragraph, as a `<figure>`).
/// `None` leaves the image as Markdown renders it.
pub type ImageHtml<'a> = &'a dyn Fn(&str, &str, &str, bool) -> Option<String>;

/// Makes the HTML of a shortcode call, given the HTML of its body (block calls); `Err` holds
/// what is wrong and how to fix it.
pub type ShortcodeHtml<'a> = &'a dyn Fn(&Call, Option<&str>) -> Result<String, (String, String)>;

/// What the caller makes of body images and shortcodes.
#[derive(Default, Clone, Copy)]
pub struct Hooks<'a> {
    pub images: Option<ImageHtml<'a>>,
    pub shortcodes: Option<ShortcodeHtml<'a>>,
}

/// [`render`], with body images and shortcodes made by `hooks`.
pub fn render_with(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    hooks: &Hooks<'_>,
) -> Result<Rendered, Vec<BodyError>> {
    process(body, resolve, true, hooks)
}

/// Whether a URL names an image elsewhere on the web rather than a file of the site.
fn is_remote(src: &str) -> bool {
    src.starts_with("http://") || src.starts_with("https://") || src.starts_with("//")
}

/// A shortcode call (or a lone embed link made into one) met in the body: in a scan, what it
/// references; in a render, its HTML.
fn visit_call(
    call: &Call,
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    html: bool,
    hooks: &Hooks<'_>,
    out: &mut Rendered,
    errors: &mut Vec<BodyError>,
) -> Option<String> {
    out.shortcodes.push(call.name.clone());
    let inner = match &call.inner {
        Some(r) => match process(&body[r.clone()], resolve, html, hooks) {
            Ok(inner) => Some((r.start, inner)),
            Err(es) => {
                errors.extend(es.into_iter().map(|e| e.shifted(r.start)));
                return None;
            }
        },
        None => None,
    };
    if !html {
        if let Some(src) = call.str("src").filter(|s| !is_remote(s)) {
            out.images.push(Reference {
                target: src.to_string(),
                raw: src.to_string(),
                offset: call.span.start,
                alt: call.str("alt").unwrap_or_default().to_string(),
            });
        }
        if let Some((at, inner)) = inner {
            let shift = |r: Reference| Reference {
                offset: r.offset + at,
                ..r
            };
            out.words += inner.words;
            out.anchors.extend(inner.anchors);
            out.links.extend(inner.links.into_iter().map(shift));
            out.images.extend(inner.images.into_iter().map(shift));
            out.shortcodes.extend(inner.shortcodes);
        }
        return None;
    }
    let hook = hooks.shortcodes?;
    match hook(call, inner.as_ref().map(|(_, r)| r.html.as_str())) {
        Ok(h) => Some(h),
        Err((message, help)) => {
            errors.push(BodyError {
                offset: call.span.start,
                message,
                help,
                link: None,
            });
            None
        }
    }
}

/// Replaces each image `images` has HTML for, with the paragraph around it when the image
/// is all the paragraph holds.
fn replace_images<'a>(events: Vec<Event<'a>>, images: ImageHtml<'_>) -> Vec<Event<'a>> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &events[i]
        else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        let Some(end) = (i..events.len()).find(|&j| matches!(events[j], Event::End(TagEnd::Image)))
        else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        let alt: String = events[i + 1..end]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let alone = matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
            && matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)));
        match images(dest_url, &alt, title, alone) {
            Some(html) if alone => {
                out.pop();
                out.push(Event::Html(html.into()));
                i = end + 2;
            }
            Some(html) => {
                out.push(Event::InlineHtml(html.into()));
                i = end + 1;
            }
            None => {
                out.extend(events[i..=end].iter().cloned());
                i = end + 1;
            }
        }
    }
    out
}

fn process(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    html: bool,
    hooks: &Hooks<'_>,
) -> Result<Rendered, Vec<BodyError>> {
    let calls = shortcodes::find(body).map_err(|es| {
        es.into_iter()
            .map(|e| BodyError {
                offset: e.offset,
                message: e.message,
                help: e.help,
                link: None,
            })
            .collect::<Vec<_>>()
    })?;
    let (masked, map) = shortcodes::mask(body, &calls);
    let mut out = Rendered::default();
    let mut broken = Vec::new();
    // Events of a block already replaced (a shortcode, an embed) end before this offset.
    let mut skip_until = 0;
    let mut events: Vec<Event> = Vec::new();
    let mut summary = String::new();
    let mut summary_done = false;
    let mut first_para: Option<String> = None;
    let mut in_para = false;
    let mut para_text = String::new();
    let mut code: Option<(String, String)> = None;
    let mut heading: Option<OpenHeading> = None;
    let mut image_alt: Option<(usize, String, String)> = None;

    for (event, masked_range) in Parser::new_ext(&masked, options()).into_offset_iter() {
        if masked_range.start < skip_until {
            continue;
        }
        let range = map.original(masked_range.start)..map.original(masked_range.end);
        // A shortcode's placeholder, or a paragraph that is one embed link and nothing else.
        let call_here = match &event {
            Event::Start(Tag::HtmlBlock) | Event::Html(_) | Event::InlineHtml(_) => {
                map.call_at(masked_range.start).map(|n| calls[n].clone())
            }
            Event::Start(Tag::Paragraph) => crate::embeds::lone_link(&masked[masked_range.clone()])
                .map(|(name, args)| {
                    if !html {
                        out.links.push(Reference {
                            target: args["url"].as_str().unwrap_or_default().to_string(),
                            raw: masked[masked_range.clone()].trim().to_string(),
                            offset: range.start,
                            alt: String::new(),
                        });
                    }
                    Call {
                        name: name.to_string(),
                        args,
                        span: range.clone(),
                        inner: None,
                    }
                }),
            _ => None,
        };
        if let Some(call) = call_here {
            if let Some(h) = visit_call(&call, body, resolve, html, hooks, &mut out, &mut broken) {
                events.push(Event::Html(format!("{h}\n").into()));
            }
            skip_until = match event {
                Event::Html(_) | Event::InlineHtml(_) => masked_range.start + 1,
                _ => masked_range.end,
            };
            continue;
        }
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().expect("inside a code block");
                    if html {
                        events.push(Event::Html(highlight::highlight(&lang, &text).into()));
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, alt, _)) = image_alt.as_mut() {
            match &event {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::End(TagEnd::Image) => {
                    let (offset, alt, target) = image_alt.take().expect("inside an image");
                    out.images.push(Reference {
                        raw: target.clone(),
                        target,
                        offset,
                        alt,
                    });
                }
                _ => {}
            }
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    Vec::new(),
                ));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, id, classes, inner) = heading.take().expect("inside a heading");
                let text: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let base = slugify_heading(id.as_deref().unwrap_or(&text));
                let base = if base.is_empty() {
                    "section".to_string()
                } else {
                    base
                };
                let mut anchor = base.clone();
                let mut n = 1;
                while out.anchors.contains(&anchor) {
                    anchor = format!("{base}-{n}");
                    n += 1;
                }
                let class_attr = if classes.is_empty() {
                    String::new()
                } else {
                    let mut c = String::new();
                    pulldown_cmark_escape::escape_html(&mut c, &classes.join(" "))
                        .expect("writing to a String cannot fail");
                    format!(" class=\"{c}\"")
                };
                events.push(Event::Html(
                    format!("<{level} id=\"{anchor}\"{class_attr}>").into(),
                ));
                out.anchors.push(anchor);
                if html {
                    events.extend(inner);
                    events.push(Event::Html(format!("</{level}>\n").into()));
                } else {
                    events.clear();
                }
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let mut dest = dest_url.to_string();
                if let Some(path) = dest_url.strip_prefix("@/") {
                    let (file, anchor) = path.split_once('#').unwrap_or((path, ""));
                    match resolve(file) {
                        Some(url) if anchor.is_empty() => dest = url,
                        Some(url) => dest = format!("{url}#{anchor}"),
                        None => broken.push(BodyError::broken_link(&dest_url, range.start)),
                    }
                }
                out.links.push(Reference {
                    target: dest.clone(),
                    raw: dest_url.to_string(),
                    offset: range.start,
                    alt: String::new(),
                });
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                image_alt = Some((range.start, String::new(), dest_url.to_string()));
                event
            }
            Event::Start(Tag::Paragraph) => {
                in_para = true;
                para_text.clear();
                event
            }
            Event::End(TagEnd::Paragraph) => {
                in_para = false;
                if first_para.is_none() {
                    first_para = Some(para_text.trim().to_string());
                }
                event
            }
            Event::Html(ref h) if h.trim() == "<!-- more -->" => {
                summary_done = true;
                event
            }
            other => other,
        };
        if html {
            // Words, summary and first paragraph were learnt when the page was scanned.
        } else if let Event::Text(t) | Event::Code(t) = &event {
            out.words += count_words(t);
            if in_para {
                para_text.push_str(t);
            }
            if !summary_done {
                summary.push_str(t);
            }
        } else if matches!(event, Event::SoftBreak | Event::HardBreak) {
            if in_para {
                para_text.push(' ');
            }
            if !summary_done {
                summary.push(' ');
            }
        } else if matches!(event, Event::End(TagEnd::Paragraph)) && !summary_done {
            summary.push(' ');
        }
        match heading.as_mut() {
            Some((_, _, _, inner)) => inner.push(event),
            None if html => events.push(event),
            None => {}
        }
    }
    if !broken.is_empty() {
        return Err(broken);
    }
    out.summary = if summary_done {
        collapse_spaces(&summary)
    } else {
        collapse_spaces(first_para.as_deref().unwrap_or(""))
    };
    out.shortcodes.sort();
    out.shortcodes.dedup();
    if html {
        out.html.reserve(body.len() * 3 / 2);
        if let Some(images) = hooks.images {
            events = replace_images(events, images);
        }
        pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    }
    Ok(out)
}

/// The words of a body without markup or code blocks, for the search index. Only parses:
/// no HTML, no highlighting.
/// The Markdown inside block shortcodes is text too; the calls themselves are not.
pub fn plain_text(body: &str) -> String {
    let calls = shortcodes::find(body).unwrap_or_default();
    let (masked, _) = shortcodes::mask(body, &calls);
    let mut out = String::with_capacity(body.len());
    let mut in_code = false;
    for call in &calls {
        if let Some(r) = &call.inner {
            out.push_str(&plain_text(&body[r.clone()]));
        }
    }
    for event in Parser::new_ext(&masked, options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) | Event::Code(t) if !in_code => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// `text.split_whitespace().count()`, without decoding every character: only four lead
/// bytes can begin a whitespace character outside ASCII, and Devanagari uses none of them.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = match b {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => (true, 1),
            0x00..=0x7F => (false, 1),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = text[i..]
                    .chars()
                    .next()
                    .expect("i is at a character boundary");
                (c.is_whitespace(), c.len_utf8())
            }
            0xF0.. => (false, 4),
            0xE0.. => (false, 3),
            _ => (false, 2),
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += len;
    }
    words
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An id for a heading: letters of any script with their combining marks (Devanagari
/// vowel signs and virama stay), digits, hyphens; everything else becomes one hyphen.
pub fn slugify_heading(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let keep = c.is_alphanumeric() || is_combining_mark(c) || c == '_';
        if keep {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Devanagari (and other Indic) vowel signs, virama, nukta and the general combining block.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0900}'..='\u{0903}'
        | '\u{093A}'..='\u{094F}'
        | '\u{0951}'..='\u{0957}'
        | '\u{0962}'..='\u{0963}'
        | '\u{0981}'..='\u{0983}'
        | '\u{09BC}'..='\u{09D7}'
        | '\u{200C}'..='\u{200D}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let spaces: Vec<char> = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        let mut texts = vec![
            String::new(),
            "one".into(),
            "  मेटाने स्केल एआयमध्ये\tगुंतवणूक केली. ".into(),
            "x\u{0B}y\u{0C}z\u{85}w\u{1680}v\u{2028}u\u{3000}t\u{200B}s\u{FEFF}r".into(),
            "é ñ ü ¿ ₹ 😀x 😀 €".into(),
        ];
        for c in spaces {
            texts.push(format!("a{c}b{c}{c}ग"));
        }
        for t in &texts {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }

    #[test]
    fn devanagari_headings_keep_their_vowel_signs() {
        let r = render("## मेटाची गुंतवणूक का?\n\ntext\n", &none).unwrap();
        assert_eq!(r.anchors, vec!["मेटाची-गुंतवणूक-का"]);
        assert!(r.html.contains("<h2 id=\"मेटाची-गुंतवणूक-का\">"), "{}", r.html);
    }

    #[test]
    fn duplicate_headings_get_numbered_ids() {
        let r = render("## A\n\n## A\n", &none).unwrap();
        assert_eq!(r.anchors, vec!["a", "a-1"]);
    }

    #[test]
    fn summary_stops_at_more_marker() {
        let r = scan("One *two*.\n\nThree.\n\n<!-- more -->\n\nFour.\n", &none).unwrap();
        assert_eq!(r.summary, "One two. Three.");
        let r = scan("First para\nline two.\n\nSecond.\n", &none).unwrap();
        assert_eq!(r.summary, "First para line two.");
    }

    #[test]
    fn source_path_links_resolve_or_fail() {
        let resolve = |p: &str| (p == "news/a.md").then(|| "/en/news/a/".to_string());
        let r = render("[x](@/news/a.md#top)", &resolve).unwrap();
        assert!(r.html.contains("href=\"/en/news/a/#top\""), "{}", r.html);
        let e = render("text\n\n[x](@/news/missing.md)", &resolve).unwrap_err();
        assert_eq!(e[0].offset, 6);
    }

    #[test]
    fn an_image_alone_in_its_paragraph_becomes_a_figure() {
        let html = |dest: &str, alt: &str, title: &str, alone: bool| {
            Some(if alone {
                format!("<figure>{dest}|{alt}|{title}</figure>")
            } else {
                format!("<i>{dest}</i>")
            })
        };
        let hooks = Hooks {
            images: Some(&html),
            shortcodes: None,
        };
        let r = render_with(
            "Intro.\n\n![A *bar* chart](c.png \"The caption\")\n\nText ![x](d.png) more.\n",
            &none,
            &hooks,
        )
        .unwrap();
        assert!(
            r.html
                .contains("<figure>c.png|A bar chart|The caption</figure>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<p><figure>"), "{}", r.html);
        assert!(
            r.html.contains("<p>Text <i>d.png</i> more.</p>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn code_blocks_are_highlighted_and_not_counted_as_words() {
        let body = "word\n\n```rust\nlet a = 1;\n```\n";
        assert!(
            render(body, &none)
                .unwrap()
                .html
                .contains("data-lang=\"rust\"")
        );
        assert_eq!(scan(body, &none).unwrap().words, 1);
    }

    fn echo(call: &Call, body: Option<&str>) -> Result<String, (String, String)> {
        if call.name == "missing" {
            return Err(("there is no shortcode missing".into(), "help".into()));
        }
        let args: Vec<String> = call.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        Ok(format!(
            "<div class=\"{}\" data-args='{}'>{}</div>",
            call.name,
            args.join(","),
            body.unwrap_or_default()
        ))
    }

    #[test]
    fn shortcodes_render_in_place_with_their_markdown_body() {
        let body = "Intro\n{{ pullquote(text=\"a \\\"quoted\\\" word\") }}\nafter *this*\n\n{% factbox(title=\"Facts\") %}\n- **one**\n{% end %}\nEnd.\n";
        let hooks = Hooks {
            images: None,
            shortcodes: Some(&echo),
        };
        let r = render_with(body, &none, &hooks).unwrap();
        assert!(r.html.contains("<p>Intro</p>"), "{}", r.html);
        assert!(
            r.html
                .contains(r#"<div class="pullquote" data-args='text="a \"quoted\" word"'>"#),
            "{}",
            r.html
        );
        assert!(r.html.contains("<p>after <em>this</em></p>"), "{}", r.html);
        assert!(
            r.html.contains("<div class=\"factbox\" data-args='title=\"Facts\"'><ul>\n<li><strong>one</strong></li>\n</ul>\n</div>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<p>End.</p>"), "{}", r.html);
        assert!(!r.html.contains("batmi-shortcode"), "{}", r.html);
    }

    #[test]
    fn a_scan_lists_shortcodes_their_images_and_links_inside_blocks() {
        let body = "{{ figure(src=\"/images/a.png\", alt=\"A chart\") }}\n\n{% factbox() %}\nSee [x](https://example.com/).\n{% end %}\n\nhttps://youtu.be/aaaaaaaaaaa\n";
        let r = scan(body, &none).unwrap();
        assert_eq!(r.shortcodes, vec!["factbox", "figure", "youtube"]);
        assert_eq!(r.images.len(), 1);
        assert_eq!(
            (r.images[0].target.as_str(), r.images[0].alt.as_str()),
            ("/images/a.png", "A chart")
        );
        let inner = body.find("[x]").unwrap();
        assert!(
            r.links
                .iter()
                .any(|l| l.offset == inner && l.target == "https://example.com/")
        );
        assert!(
            r.links
                .iter()
                .any(|l| l.target == "https://www.youtube.com/watch?v=aaaaaaaaaaa")
        );
    }

    #[test]
    fn errors_after_and_inside_shortcodes_point_at_the_written_text() {
        let body = "{{ x(a=\"a long argument that the placeholder is shorter than\") }}\n\n[l](@/news/gone.md)\n\n{% box() %}\n[m](@/news/gone2.md)\n{% end %}\n\n{{ missing() }}\n";
        let hooks = Hooks {
            images: None,
            shortcodes: Some(&echo),
        };
        let e = render_with(body, &none, &hooks).unwrap_err();
        let offsets: Vec<usize> = e.iter().map(|e| e.offset).collect();
        assert!(offsets.contains(&body.find("[l]").unwrap()), "{e:?}");
        assert!(offsets.contains(&body.find("[m]").unwrap()), "{e:?}");
        assert!(offsets.contains(&body.find("{{ missing").unwrap()), "{e:?}");
    }

    #[test]
    fn a_lone_video_link_becomes_an_embed_but_a_link_in_a_sentence_does_not() {
        let hooks = Hooks {
            images: None,
            shortcodes: Some(&echo),
        };
        let body = "Watch:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42\n\nor <https://x.com/agarwl_>\n\nSee https://youtu.be/dQw4w9WgXcQ here.\n";
        let r = render_with(body, &none, &hooks).unwrap();
        assert!(r.html.contains("<div class=\"youtube\""), "{}", r.html);
        assert!(r.html.contains("id=\"dQw4w9WgXcQ\""), "{}", r.html);
        assert!(r.html.contains("start=42"), "{}", r.html);
        assert!(
            r.html
                .contains("<p>See https://youtu.be/dQw4w9WgXcQ here.</p>"),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("<div").count(), 1, "{}", r.html);
    }
}
