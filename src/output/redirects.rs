//! Old URLs of moved stories (`aliases = [...]`): a small page at each that sends the
//! reader on (`redirect.html`), and `_redirects`, the file Netlify and Cloudflare Pages read
//! to answer with a real 301. `publish` to S3 also sets each alias object's website redirect.

use serde_json::json;

use super::Renderer;
use super::context::{absolute, href};
use super::data::{Data, Make};

impl Renderer<'_> {
    /// The page at alias `k` of page `i`.
    pub(super) fn alias(&self, i: usize, k: usize) -> Data {
        let p = &self.index.pages[i];
        let l = super::lang_pos(self.index, &p.lang);
        let mut d = Data::new(Make::Template {
            name: "redirect.html",
            lang: l,
        });
        d.put("title", &p.title)
            .put("from", &href(&p.aliases[k]))
            .put("to", &href(&p.url))
            .put("canonical", &absolute(&self.index.config, &p.url));
        d
    }

    /// `_redirects`: one `old new 301` line per alias.
    pub(super) fn redirects(&self) -> Data {
        let mut d = Data::new(Make::Redirects);
        d.value("rules", json!(redirect_rules(self)));
        d
    }
}

/// (old path, new path) of every alias, in page order.
pub fn redirect_rules(r: &Renderer) -> Vec<(String, String)> {
    r.index
        .pages
        .iter()
        .flat_map(|p| p.aliases.iter().map(|a| (href(a), href(&p.url))))
        .collect()
}

/// The text of `_redirects`.
pub fn redirects_text(r: &Renderer) -> String {
    let mut out =
        String::from("# Old addresses of moved stories (aliases = [...] in their front matter).\n");
    for (from, to) in redirect_rules(r) {
        out.push_str(&format!("{from} {to} 301\n"));
    }
    out
}
