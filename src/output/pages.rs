//! Story and plain pages as [`Data`], the fields every HTML page has, and a page's body with
//! what it is made from.

use std::hash::{DefaultHasher, Hash};

use serde_json::{Value, json};

use super::context::{Versions, absolute, href};
use super::data::{Data, Entry, Make};
use super::{Renderer, internal, lang_pos};
use crate::content::Kind;
use crate::diag::Diagnostic;
use crate::shortcodes::Call;

impl Renderer<'_> {
    /// A story or a plain page.
    pub(super) fn page(&self, i: usize) -> Data {
        let idx = self.index;
        let p = &idx.pages[i];
        let l = lang_pos(idx, &p.lang);
        let name = match p.kind {
            Kind::Article => "article.html",
            Kind::Plain => "page.html",
        };
        let mut d = Data::new(Make::Template { name, lang: l });
        self.base(&mut d, l, &p.url, &p.title, &p.summary);
        self.versions(&mut d, l, &self.page_versions(i));
        d.set("page", Entry::Page(i));
        if p.kind == Kind::Article {
            d.set("related", Entry::Items(idx.related[i].clone()));
        }
        d
    }

    /// `page` of a page's own template: its summary plus body, `extra` and lead image.
    pub(super) fn page_value(&self, i: usize) -> Result<Value, Diagnostic> {
        let p = &self.index.pages[i];
        let mut page = self.items[i].value.clone();
        let content = self.body_html(i)?;
        // The click-to-load script, only where a body has something for it to load.
        page["embeds"] = json!(content.contains(" data-embed="));
        page["content"] = json!(content);
        page["extra"] = serde_json::to_value(&p.extra).map_err(internal)?;
        let config = &self.index.config;
        let site = |path: &str| absolute(config, &format!("/{path}"));
        let card = self.assets.card_path(i);
        // What link previews show: the card, else an image elsewhere on the web.
        page["image"] = json!(match (card, &p.image) {
            (Some(card), _) => site(card),
            (None, Some(img)) if crate::images::resolve::is_remote(img) => {
                absolute_or_site(config, img)
            }
            _ => String::new(),
        });
        page["card"] = match card {
            Some(card) => json!({
                "url": site(card),
                "width": self.assets.card_size().0,
                "height": self.assets.card_size().1,
                "alt": p.title,
            }),
            None => Value::Null,
        };
        let mut ld: Vec<String> = self.assets.crop_paths(i).iter().map(|c| site(c)).collect();
        if ld.is_empty() {
            ld.extend(card.map(site));
        }
        page["ld_images"] = json!(ld);
        page["byline"] = json!(
            p.authors
                .iter()
                .map(|a| {
                    let person = &config.authors[a];
                    let url = format!("{}/authors/{a}/", config.lang_prefix(&p.lang));
                    json!({
                        "name": config.author_name(a, &p.lang),
                        "url": href(&url),
                        "permalink": absolute(config, &url),
                        "same_as": person.same_as(),
                    })
                })
                .collect::<Vec<_>>()
        );
        let lc = &self.langs[lang_pos(self.index, &p.lang)];
        page["corrections"] = json!(
            p.corrections
                .iter()
                .map(|c| json!({
                    "date": lc.fmt.date(c.date.date_naive()),
                    "date_iso": c.date.to_rfc3339(),
                    "text": c.text,
                }))
                .collect::<Vec<_>>()
        );
        page["breadcrumb"] = json!(self.breadcrumb(i));
        page["lead"] = match &p.lead {
            Some(src) => crate::images::html::lead_value(
                src,
                p.image_alt.as_deref().unwrap_or_default(),
                p.image_caption.as_deref().unwrap_or_default(),
                p.image_credit.as_deref().unwrap_or_default(),
                &href,
            ),
            None => Value::Null,
        };
        Ok(page)
    }

    /// What [`Renderer::page_value`] reads besides the page's summary.
    pub(super) fn page_inputs(&self, i: usize, h: &mut DefaultHasher) {
        let p = &self.index.pages[i];
        (&p.extra.to_string(), &p.image, &p.lead).hash(h);
        (&p.image_caption, &p.image_credit, &p.corrections).hash(h);
        (self.assets.card_path(i), self.assets.card_size()).hash(h);
        self.body_inputs(i, h);
    }

    /// Where a story sits: the home page, its section (else the archive), the story itself;
    /// each with its name and absolute URL.
    fn breadcrumb(&self, i: usize) -> Vec<Value> {
        let idx = self.index;
        let p = &idx.pages[i];
        let config = &idx.config;
        let lc = &self.langs[lang_pos(idx, &p.lang)];
        let prefix = config.lang_prefix(&p.lang);
        let crumb = |name: &str, path: &str| json!({ "name": name, "url": href(path), "permalink": absolute(config, path) });
        let mut out = vec![crumb(lc.t("home"), &format!("{prefix}/"))];
        if p.kind == Kind::Article {
            out.push(match &p.section {
                Some(s) => crumb(
                    config.section_name(s, &p.lang),
                    &format!("{prefix}/sections/{s}/"),
                ),
                None => crumb(lc.t("news"), &format!("{prefix}/news/")),
            });
        }
        out.push(crumb(&p.title, &p.url));
        out
    }

    /// A page's body as HTML, rendered now from its file.
    pub fn body_html(&self, i: usize) -> Result<String, Diagnostic> {
        let idx = self.index;
        let shortcode = |call: &Call, body: Option<&str>| self.shortcode(i, call, body);
        let render = || {
            crate::content::page_html(
                self.root,
                &idx.pages[i],
                &idx.urls,
                &idx.config,
                &shortcode,
                &idx.held,
            )
            .map_err(|mut d| d.remove(0))
        };
        match self.shared_bodies.get(&i) {
            Some(once) => once.get_or_init(render).clone(),
            None => render(),
        }
    }

    /// What [`Renderer::body_html`] reads: the file (whose bytes `source_hash` is the hash
    /// of, checked again when it is read) and the URLs its `@/` links point to now. The
    /// config is in every fingerprint.
    pub(super) fn body_inputs(&self, i: usize, h: &mut DefaultHasher) {
        let idx = self.index;
        let page = &idx.pages[i];
        page.source_hash.hash(h);
        page.figures.hash(h);
        for name in &page.shortcodes {
            self.templates
                .fingerprint(&shortcode_template(name))
                .hash(h);
        }
        for link in &page.links {
            if let Some(path) = link.raw.strip_prefix("@/") {
                let path = path.split('#').next().unwrap_or(path);
                crate::content::resolve_link(&idx.urls, &idx.config, &page.lang, path).hash(h);
            }
        }
    }

    /// The fields every HTML page has, besides `site`, `t` and `lang`, which
    /// [`super::context::Ctx::render_with`] adds.
    pub(super) fn base(&self, d: &mut Data, l: usize, path: &str, title: &str, description: &str) {
        let lc = &self.langs[l];
        let description = if description.is_empty() {
            lc.site["description"].as_str().unwrap_or("")
        } else {
            description
        };
        d.put("path", &href(path))
            .put("list_path", &href(super::context::list_path(path)))
            .put("canonical", &absolute(&self.index.config, path))
            .put("title", title)
            .put("description", description);
    }

    /// The hreflang alternates and language switcher of a page of language `l`.
    pub(super) fn versions(&self, d: &mut Data, l: usize, v: &Versions) {
        let (alternates, x_default, switch) = v.values(self.index, &self.langs[l].code);
        d.value("alternates", alternates)
            .value("x_default", x_default)
            .value("switch", switch);
    }

    /// The language versions of page `i`: itself and its translations.
    pub fn page_versions(&self, i: usize) -> Versions {
        let idx = self.index;
        let mut existing: Vec<(String, String)> = std::iter::once(i)
            .chain(idx.translations_of(i))
            .map(|j| (idx.pages[j].lang.clone(), idx.pages[j].url.clone()))
            .collect();
        let order = idx.config.language_codes();
        existing.sort_by_key(|(l, _)| order.iter().position(|c| c == l));
        Versions { existing }
    }
}

/// An image path as an absolute URL (for Open Graph and JSON-LD).
fn absolute_or_site(config: &crate::config::Config, img: &str) -> String {
    if img.starts_with("http://") || img.starts_with("https://") {
        img.to_string()
    } else {
        absolute(config, &format!("/{}", img.trim_start_matches('/')))
    }
}

/// The template of shortcode `name`.
fn shortcode_template(name: &str) -> String {
    format!("shortcodes/{name}.html")
}

impl Renderer<'_> {
    /// The HTML of a shortcode call in page `i`: its template, given the call's arguments,
    /// `body` (the HTML of a block call's Markdown), `t`, `lang` and `site`; and, when its
    /// `src` is an image of the site, that image's ladder as `image` (like `page.lead`).
    fn shortcode(
        &self,
        i: usize,
        call: &Call,
        body: Option<&str>,
    ) -> Result<String, (String, String)> {
        let name = shortcode_template(&call.name);
        if self.templates.source(&name).is_none() {
            let known: Vec<String> = self
                .templates
                .names()
                .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
                .map(str::to_string)
                .collect();
            return Err((
                format!("there is no shortcode called {}", call.name),
                format!("use one of {}, or add templates/{name}", known.join(", ")),
            ));
        }
        let p = &self.index.pages[i];
        let lc = &self.langs[lang_pos(self.index, &p.lang)];
        let mut ctx = tera::Context::new();
        for (k, v) in &call.args {
            ctx.insert(k.as_str(), v);
        }
        if let Some(body) = body {
            ctx.insert("body", body);
        }
        if let Some(src) = call.str("src")
            && let Some(f) = p.figures.iter().find(|f| f.written == src)
        {
            let arg = |k: &str| call.str(k).unwrap_or_default();
            let image = crate::images::html::lead_value(
                &f.source,
                arg("alt"),
                arg("caption"),
                arg("credit"),
                &href,
            );
            ctx.insert("image", &image);
        }
        ctx.insert("t", &lc.strings);
        ctx.insert("lang", &lc.code);
        ctx.insert("site", &lc.site);
        let mut out = Vec::new();
        self.templates
            .render_into(&name, &ctx, &mut out)
            .map_err(|d| {
                (
                    format!(
                        "the shortcode {} cannot be rendered: {}",
                        call.name, d.message
                    ),
                    format!("check the arguments it is given against templates/{name}"),
                )
            })?;
        String::from_utf8(out).map_err(|_| {
            (
                format!("the shortcode {} made text that is not UTF-8", call.name),
                format!("check templates/{name}"),
            )
        })
    }
}
