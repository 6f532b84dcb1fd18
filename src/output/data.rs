//! The template data of one output together with what it is made from.
//!
//! Every kind of output builds a [`Data`]; the same value is hashed to tell whether the file
//! must be written again ([`Data::fingerprint`]) and turned into the template context to
//! write it ([`Data::render`]). The inputs of an output are therefore never listed apart
//! from the code that uses them: whatever goes into the context goes into the hash.
//!
//! Parts that are costly to build are held by reference and hashed by what they are made
//! of: a page's list summary by its key (the hash of [`crate::content::ItemSource`], the
//! only page fields a summary can read), a story's body by its source bytes and the URLs
//! its `@/` links point to.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::Value;

use super::Renderer;
use super::context::Ctx;
use crate::diag::Diagnostic;

/// How the output's bytes are made.
#[derive(Debug, Clone, Copy)]
pub enum Make {
    /// A template, with the `site`, `t` and `lang` entries of language `lang`.
    Template { name: &'static str, lang: usize },
    /// A template without the language entries (the sitemap).
    Bare { name: &'static str },
    /// `robots.txt`, made from the config.
    Robots,
    /// The code highlighting stylesheet, made from the config's themes.
    SyntaxCss,
    /// The search index of language `l`.
    SearchIndex(usize),
    /// Image output `k`.
    Asset(usize),
    /// `_redirects`, made from every page's aliases.
    Redirects,
}

/// One entry of the template context.
pub enum Entry {
    /// A value built in full: hashed by its contents.
    Value(Value),
    /// Page `i`'s list summary (`Renderer::items[i].value`).
    Item(usize),
    /// A list of page summaries.
    Items(Vec<usize>),
    /// Page `i` as its own page shows it: its summary, `extra`, lead image and body.
    Page(usize),
    /// Feed entries of these stories: their summaries and full bodies.
    FeedEntries(Vec<usize>),
}

/// The data of one output.
pub struct Data {
    pub make: Make,
    entries: Vec<(&'static str, Entry)>,
    /// Inputs that are in no entry (the stories a search index reads).
    extra_inputs: u64,
}

impl Data {
    pub fn new(make: Make) -> Data {
        Data {
            make,
            entries: Vec::new(),
            extra_inputs: 0,
        }
    }

    pub fn set(&mut self, key: &'static str, entry: Entry) -> &mut Data {
        self.entries.push((key, entry));
        self
    }

    pub fn value(&mut self, key: &'static str, v: Value) -> &mut Data {
        self.set(key, Entry::Value(v))
    }

    pub fn put<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> &mut Data {
        self.value(key, serde_json::to_value(v).unwrap_or(Value::Null))
    }

    /// Adds inputs the output reads without putting them in its context.
    pub fn inputs(&mut self, hash: u64) {
        self.extra_inputs = hash;
    }

    /// A hash of everything the output's bytes depend on: when it is unchanged, so is the file.
    pub fn fingerprint(&self, r: &Renderer) -> u64 {
        let mut h = DefaultHasher::new();
        r.config_hash.hash(&mut h);
        match self.make {
            Make::Template { name, lang } => (
                0u8,
                name,
                r.templates.fingerprint(name),
                r.langs[lang].site_hash,
            )
                .hash(&mut h),
            Make::Bare { name } => (1u8, name, r.templates.fingerprint(name)).hash(&mut h),
            Make::Robots => 2u8.hash(&mut h),
            Make::SyntaxCss => 3u8.hash(&mut h),
            Make::SearchIndex(l) => (4u8, l).hash(&mut h),
            Make::Asset(k) => (5u8, k).hash(&mut h),
            Make::Redirects => 6u8.hash(&mut h),
        }
        self.extra_inputs.hash(&mut h);
        for (key, entry) in &self.entries {
            key.hash(&mut h);
            match entry {
                Entry::Value(v) => hash_value(v, &mut h),
                Entry::Item(i) => r.items[*i].key.hash(&mut h),
                Entry::Items(list) => {
                    list.len().hash(&mut h);
                    for &i in list {
                        r.items[i].key.hash(&mut h);
                    }
                }
                Entry::Page(i) => {
                    r.items[*i].key.hash(&mut h);
                    r.page_inputs(*i, &mut h);
                }
                Entry::FeedEntries(list) => {
                    list.len().hash(&mut h);
                    for &i in list {
                        r.items[i].key.hash(&mut h);
                        r.body_inputs(i, &mut h);
                    }
                }
            }
        }
        h.finish()
    }

    /// Renders the output into `buf`.
    pub fn render(self, r: &Renderer, buf: &mut Vec<u8>) -> Result<(), Diagnostic> {
        let make = self.make;
        let mut ctx = Ctx::new();
        for (key, entry) in self.entries {
            let v = match entry {
                Entry::Value(v) => v,
                Entry::Item(i) => r.items[i].value.clone(),
                Entry::Items(list) => {
                    Value::Array(list.iter().map(|&i| r.items[i].value.clone()).collect())
                }
                Entry::Page(i) => r.page_value(i)?,
                Entry::FeedEntries(list) => super::feeds::entries(r, &list)?,
            };
            ctx.set(key, v);
        }
        match make {
            Make::Template { name, lang } => {
                ctx.render_with(&r.langs[lang], r.templates, name, buf)
            }
            Make::Bare { name } => r.templates.render_into(name, &ctx.into_tera(), buf),
            Make::Robots => {
                *buf = super::robots(r).into_bytes();
                Ok(())
            }
            Make::SyntaxCss => super::syntax_css(r).map(|b| *buf = b),
            // Only the manifest: the writer calls `search::search_files` for all the files.
            Make::SearchIndex(l) => {
                crate::search::search_files(r, l).map(|mut files| *buf = files.swap_remove(0).1)
            }
            Make::Asset(k) => r.asset(k).map(|b| *buf = b),
            Make::Redirects => {
                *buf = super::redirects::redirects_text(r).into_bytes();
                Ok(())
            }
        }
    }
}

/// Hashes a JSON value by its contents (object keys in their order, which is the order the
/// value was built in).
pub fn hash_value(v: &Value, h: &mut impl Hasher) {
    match v {
        Value::Null => h.write_u8(0),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => (2u8, n.to_string()).hash(h),
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(a) => {
            (4u8, a.len()).hash(h);
            for x in a {
                hash_value(x, h);
            }
        }
        Value::Object(o) => {
            (5u8, o.len()).hash(h);
            for (k, x) in o {
                k.hash(h);
                hash_value(x, h);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::hash_value;
    use serde_json::json;
    use std::hash::{DefaultHasher, Hasher};

    fn h(v: serde_json::Value) -> u64 {
        let mut hasher = DefaultHasher::new();
        hash_value(&v, &mut hasher);
        hasher.finish()
    }

    #[test]
    fn values_that_render_differently_hash_differently() {
        let pairs = [
            (json!({"a": "xy"}), json!({"a": "x", "b": "y"})),
            (json!(["ab", "c"]), json!(["a", "bc"])),
            (json!({"a": null}), json!({"a": false})),
            (json!({"a": 1}), json!({"a": "1"})),
            (json!([[], []]), json!([[[]]])),
        ];
        for (a, b) in pairs {
            assert_ne!(h(a.clone()), h(b.clone()), "{a} vs {b}");
        }
        assert_eq!(h(json!({"a": [1, "x"]})), h(json!({"a": [1, "x"]})));
    }
}
