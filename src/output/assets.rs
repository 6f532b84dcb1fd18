//! Image files as outputs: every variant of every lead and body image, the crops of lead
//! images for search engines, and each story's social card. Each is a job with its own
//! path, planned and checked for clashes like any other output; its bytes come from the
//! persistent cache ([`crate::images::cache`]) or are encoded once.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use image::RgbImage;
use sha2::{Digest, Sha256};

use crate::content::Kind;
use crate::diag::Diagnostic;
use crate::images::cache::{Cache, Entry};
use crate::images::{self, Format, Source, Variant};
use crate::index::Index;

/// The name of the card layout among the templates.
pub const CARD_LAYOUT: &str = "social-card.toml";

/// What one image output is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Asset {
    /// A variant of the source in `slot`.
    Variant { slot: usize, variant: Variant },
    /// The social card of page `page`.
    Card { page: usize },
}

/// An image output: its site path, its cache entry and what it is made of.
pub struct AssetJob {
    pub path: String,
    pub entry: String,
    pub asset: Asset,
}

/// A source image and, while its variants are being made, its decoded pixels.
struct Slot {
    source: Source,
    decoded: Mutex<Option<Arc<RgbImage>>>,
    /// Jobs that still need the pixels; they are dropped when none is left.
    left: AtomicUsize,
}

/// Every image output of the site.
pub struct Assets {
    pub jobs: Vec<AssetJob>,
    slots: Vec<Slot>,
    /// Per page: the asset index of its card, and its lead image's slot.
    cards: Vec<Option<usize>>,
    leads: Vec<Option<usize>>,
    pub cache: Cache,
    layout: crate::cards::Layout,
    layout_hash: String,
}

impl Assets {
    /// The image outputs of `index`'s pages; `layout` is the card layout's text.
    pub fn new(
        root: &std::path::Path,
        index: &Index,
        layout_text: &str,
        site_titles: &[String],
    ) -> Result<Assets, Diagnostic> {
        let layout = crate::cards::Layout::parse(layout_text).map_err(|e| {
            Diagnostic::error(format!("templates/{CARD_LAYOUT}"), e)
                .help("see the built-in layout in batmi's README (Social cards) for every key")
        })?;
        let layout_hash = images::hex(&Sha256::digest(layout_text.as_bytes())[..8]);
        // Sources by file, each once, in a stable order.
        let sources: std::collections::BTreeSet<&Source> = index
            .pages
            .iter()
            .flat_map(|p| p.lead.iter().chain(p.figures.iter().map(|f| &f.source)))
            .collect();
        let slot_of: BTreeMap<&Source, usize> =
            sources.iter().enumerate().map(|(k, s)| (*s, k)).collect();
        let slots: Vec<Slot> = sources
            .iter()
            .map(|s| Slot {
                source: (*s).clone(),
                decoded: Mutex::new(None),
                left: AtomicUsize::new(0),
            })
            .collect();
        let mut wanted: BTreeMap<String, (String, Asset)> = BTreeMap::new();
        let mut add_variants = |slot: usize, variants: Vec<Variant>| {
            let src = &slots[slot].source;
            for v in variants {
                let entry = Cache::entry(&images::key(src, &v), v.format.ext());
                wanted
                    .entry(images::site_path(src, &v))
                    .or_insert((entry, Asset::Variant { slot, variant: v }));
            }
        };
        let mut leads = vec![None; index.pages.len()];
        for (i, p) in index.pages.iter().enumerate() {
            let all = p.lead.iter().map(|s| (s, true));
            let all = all.chain(p.figures.iter().map(|f| (&f.source, false)));
            for (s, lead) in all {
                let slot = slot_of[s];
                let mut variants = images::ladder(s, Format::Webp);
                variants.extend(images::ladder(s, Format::Jpeg));
                if lead {
                    variants.extend(images::crops(s));
                    leads[i] = Some(slot);
                }
                add_variants(slot, variants);
            }
        }
        let mut card_paths: Vec<Option<String>> = vec![None; index.pages.len()];
        for (i, p) in index.pages.iter().enumerate() {
            if p.kind != Kind::Article {
                continue;
            }
            let l = super::lang_pos(index, &p.lang);
            let lead = leads[i].map(|s| slots[s].source.hash.as_str());
            let key = card_key(&layout_hash, &p.title, &site_titles[l], lead);
            let path = format!("img/card-{key}.jpg");
            wanted
                .entry(path.clone())
                .or_insert((Cache::entry(&key, "jpg"), Asset::Card { page: i }));
            card_paths[i] = Some(path);
        }
        let jobs: Vec<AssetJob> = wanted
            .into_iter()
            .map(|(path, (entry, asset))| AssetJob { path, entry, asset })
            .collect();
        let by_path: BTreeMap<&str, usize> = jobs
            .iter()
            .enumerate()
            .map(|(k, j)| (j.path.as_str(), k))
            .collect();
        let cards = card_paths
            .iter()
            .map(|p| p.as_deref().map(|p| by_path[p]))
            .collect();
        for j in &jobs {
            match j.asset {
                Asset::Variant { slot, .. } => {
                    slots[slot].left.fetch_add(1, Ordering::Relaxed);
                }
                Asset::Card { page } => {
                    if let Some(slot) = leads[page] {
                        slots[slot].left.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
        Ok(Assets {
            jobs,
            slots,
            cards,
            leads,
            cache: Cache::new(root),
            layout,
            layout_hash,
        })
    }

    /// The site path of page `i`'s card, when it has one.
    pub fn card_path(&self, i: usize) -> Option<&str> {
        self.cards[i].map(|k| self.jobs[k].path.as_str())
    }

    /// Width and height of every card.
    pub fn card_size(&self) -> (u32, u32) {
        (self.layout.width, self.layout.height)
    }

    /// The crops of page `i`'s lead image (16:9, 4:3, 1:1), as site paths.
    pub fn crop_paths(&self, i: usize) -> Vec<String> {
        self.leads[i]
            .map(|slot| {
                let src = &self.slots[slot].source;
                images::crops(src)
                    .iter()
                    .map(|v| images::site_path(src, v))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A hash of what asset `k` is made of (its cache entry names it exactly).
    pub fn inputs(&self, k: usize) -> u64 {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        (&self.jobs[k].entry, &self.layout_hash).hash(&mut h);
        h.finish()
    }

    /// Who makes asset `k`, for messages.
    pub fn describe(&self, k: usize, index: &Index) -> String {
        match self.jobs[k].asset {
            Asset::Variant { slot, .. } => {
                format!(
                    "a resized copy of {}",
                    self.slots[slot].source.path.display()
                )
            }
            Asset::Card { page } => {
                format!("the social card of {}", index.pages[page].path.display())
            }
        }
    }

    /// The cache entries this build uses (what a prune keeps).
    pub fn entries(&self) -> HashSet<String> {
        self.jobs.iter().map(|j| j.entry.clone()).collect()
    }

    /// Asset `k`'s cache entry: found in the cache, or made now.
    pub fn render(
        &self,
        k: usize,
        root: &std::path::Path,
        index: &Index,
        site_titles: &[String],
    ) -> Result<Entry, Diagnostic> {
        let job = &self.jobs[k];
        let slot = match job.asset {
            Asset::Variant { slot, .. } => Some(slot),
            Asset::Card { page } => self.leads[page],
        };
        let made = self.cache.get_or_make(&job.entry, || match job.asset {
            Asset::Variant { slot, variant } => {
                images::encode::make(&*self.pixels(slot, root)?, &variant)
            }
            Asset::Card { page } => {
                let p = &index.pages[page];
                let l = super::lang_pos(index, &p.lang);
                let lead = match slot {
                    Some(s) => Some(self.pixels(s, root)?),
                    None => None,
                };
                let card =
                    crate::cards::render(&self.layout, &p.title, &site_titles[l], lead.as_deref())?;
                images::encode::encode(&card, Format::Jpeg)
            }
        });
        if let Some(s) = slot {
            // The last job of a source lets its pixels go.
            if self.slots[s].left.fetch_sub(1, Ordering::AcqRel) == 1 {
                self.slots[s].decoded.lock().map(|mut d| d.take()).ok();
            }
        }
        made.map_err(|e| {
            Diagnostic::error(&job.path, format!("cannot make this image: {e}")).help(
                "check that the source image opens in an image viewer; save it again as JPEG or PNG",
            )
        })
    }

    /// The decoded pixels of a source, decoded once while its jobs run.
    fn pixels(&self, slot: usize, root: &std::path::Path) -> Result<Arc<RgbImage>, String> {
        let s = &self.slots[slot];
        let mut d = s
            .decoded
            .lock()
            .map_err(|_| "a thread panicked".to_string())?;
        if let Some(img) = d.as_ref() {
            return Ok(Arc::clone(img));
        }
        let bytes = std::fs::read(root.join(&s.source.path))
            .map_err(|e| format!("cannot read {}: {e}", s.source.path.display()))?;
        let img = Arc::new(images::encode::decode(&bytes)?);
        *d = Some(Arc::clone(&img));
        Ok(img)
    }
}

/// The cache key of a card: its layout, headline, site name and lead image.
fn card_key(layout: &str, title: &str, site: &str, lead: Option<&str>) -> String {
    let mut h = Sha256::new();
    for part in [
        crate::cards::VERSION,
        layout,
        title,
        site,
        lead.unwrap_or("-"),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    images::hex(&h.finalize()[..12])
}
