// Search relevance in headless Chromium, run by tests/e2e/search.sh (which builds and serves
// the default site). Loads /search/?q=... for every query of search_queries.json, reads the
// result links from #search-results and scores them against the expected stories.
//
// P@5: of the (up to 5) results shown first, the share that is expected.
// R@5: of the expected stories (at most 5 count), the share found among the first 5 results.
// The built index is scored, then indexes written without each analysis step, served in its
// place, so the report shows what each step is worth. Also checked: highlighting, tag filter,
// typing, the page without JavaScript, and that a query is never parsed as HTML.

import { createRequire } from 'node:module';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const require = createRequire(path.join(process.env.PLAYWRIGHT_DIR, 'package.json'));
const { chromium } = require('playwright-core');

const THRESHOLDS = { p5: 0.99, r5: 0.98, mrR5: 0.9 };
const queries = JSON.parse(readFileSync(args.queries, 'utf8')).queries;
const site = args.site;
// The folders of the index files (search/*.gz), one per edition.
const INDEXES = ['search', 'en/search'];
const gz = (dir) => readdirSync(dir).filter((f) => f.endsWith('.gz'));
/** Puts the index files of `from` (a site folder) in place of those of the built site. */
function useIndex(from) {
  for (const rel of INDEXES) {
    for (const f of gz(path.join(site, rel))) rmSync(path.join(site, rel, f));
    for (const f of gz(path.join(from, rel))) copyFileSync(path.join(from, rel, f), path.join(site, rel, f));
  }
}
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});

function pageUrl(q) {
  const params = new URLSearchParams({ q: q.q });
  if (q.tag) params.set('tag', q.tag);
  return `${args.base}${q.lang === 'mr' ? '' : '/' + q.lang}/search/?${params}`;
}

function slug(href) {
  return decodeURIComponent(new URL(href).pathname).replace(/\/$/, '').split('/').pop();
}

/**
 * Counts the bytes that reach the page (over the wire, headers included) while `fn` runs;
 * `cold`: with the browser cache off, as on a first visit.
 */
async function metered(page, fn, cold = false) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (cold) await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  const byUrl = new Map();
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const u = new URL(urls.get(e.requestId) || 'http://x/').pathname;
    byUrl.set(u, (byUrl.get(u) || 0) + e.encodedDataLength);
  });
  await fn();
  await cdp.detach();
  return { bytes, byUrl };
}

async function waitForResults(page) {
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '', null, { timeout: 10000 });
  // Excerpts of matches in story bodies arrive after the list; let them.
  await page.waitForLoadState('networkidle');
}

async function run(variant, detailed) {
  const context = await browser.newContext();
  const rows = [];
  for (const q of queries) {
    const page = await context.newPage();
    let found = [];
    let marked = 0;
    const meter = await metered(page, async () => {
      await page.goto(pageUrl(q));
      await waitForResults(page);
    }, true);
    found = await page.$$eval('#search-results li h2 a', (as) => as.map((a) => a.href));
    if (detailed) {
      marked = await page.$$eval('#search-results li', (lis) => lis.slice(0, 5).filter((li) => li.querySelector('mark')).length);
      const selected = await page.$eval('#tag', (s) => s.value);
      check(selected === (q.tag || ''), `${q.q}: tag filter shows ${selected}`);
    }
    await page.close();
    const top = found.slice(0, 5).map(slug);
    const hits = top.filter((s) => q.expected.includes(s)).length;
    rows.push({
      q,
      top,
      p5: top.length ? hits / top.length : 0,
      r5: hits / Math.min(5, q.expected.length),
      marked,
      bytes: meter.bytes,
      indexBytes: [...meter.byUrl].filter(([u]) => /\/search\/[^/]+\.gz$/.test(u)).reduce((a, [, b]) => a + b, 0),
      bodyBytes: [...meter.byUrl].filter(([u]) => u.includes('/news/')).reduce((a, [, b]) => a + b, 0),
    });
  }
  await context.close();
  return rows;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
function summary(rows) {
  const mr = rows.filter((r) => r.q.lang === 'mr');
  const en = rows.filter((r) => r.q.lang === 'en');
  return {
    p5: mean(rows.map((r) => r.p5)), r5: mean(rows.map((r) => r.r5)),
    mrP5: mean(mr.map((r) => r.p5)), mrR5: mean(mr.map((r) => r.r5)),
    enP5: mean(en.map((r) => r.p5)), enR5: mean(en.map((r) => r.r5)),
  };
}
const f = (x) => x.toFixed(3);

// --- The built site, as the generator wrote it.
const built = await run('built', true);
const s = summary(built);
console.log(`search relevance: ${queries.length} queries (${built.filter((r) => r.q.lang === 'mr').length} Marathi, ` +
  `${built.filter((r) => r.q.lang === 'en').length} English)`);
for (const r of built) {
  if (r.p5 < 1 || r.r5 < 1) {
    console.log(`  below 1: [${r.q.lang}] ${r.q.q}${r.q.tag ? ' tag=' + r.q.tag : ''}  P@5 ${f(r.p5)} R@5 ${f(r.r5)}  got ${r.top.join(', ') || '(nothing)'}`);
  }
}
const shown = built.reduce((a, r) => a + Math.min(5, r.top.length), 0);
const marked = built.reduce((a, r) => a + r.marked, 0);
console.log(`  highlighted: ${marked} of ${shown} results shown first carry a <mark>`);
check(marked >= 0.95 * shown, `only ${marked} of ${shown} results have the match highlighted`);

// --- Variants: the same pages and script, an index made without one analysis step.
const saved = mkdtempSync(path.join(tmpdir(), 'batmi-index-'));
for (const rel of INDEXES) cpSync(path.join(site, rel), path.join(saved, rel), { recursive: true });
const table = [['built', s]];
for (const name of ['full', 'no-stemming', 'no-fold', 'none']) {
  const dir = path.join(args.variants, name);
  if (!existsSync(dir)) throw new Error(`missing variant ${dir}`);
  useIndex(dir);
  table.push([name, summary(await run(name, false))]);
}
useIndex(saved);
rmSync(saved, { recursive: true });
console.log('  variant        P@5    R@5   | mr P@5 mr R@5 | en P@5 en R@5');
for (const [name, t] of table) {
  console.log(`  ${name.padEnd(12)} ${f(t.p5)}  ${f(t.r5)} | ${f(t.mrP5)}  ${f(t.mrR5)} | ${f(t.enP5)}  ${f(t.enR5)}`);
}
const byName = Object.fromEntries(table);
check(f(byName.full.r5) === f(s.r5) && f(byName.full.p5) === f(s.p5), 'the built index and the "full" variant should score the same');
check(byName.full.mrR5 > byName['no-stemming'].mrR5, 'stemming should raise Marathi recall');

// --- Size and bytes.
for (const rel of INDEXES) {
  const files = gz(path.join(site, rel));
  const bytes = files.reduce((a, f) => a + statSync(path.join(site, rel, f)).size, 0);
  console.log(`  ${rel}/: ${files.length} index files, ${bytes} bytes (gzip)`);
}
console.log(`  bytes per search, opening /search/?q=... with an empty cache (page, CSS, script, index, story pages read for excerpts): ` +
  `mean ${Math.round(mean(built.map((r) => r.bytes)))}, of which index ${Math.round(mean(built.map((r) => r.indexBytes)))}, ` +
  `story pages for excerpts ${Math.round(mean(built.map((r) => r.bodyBytes)))}`);

// --- Typing: later searches on the page fetch only the files they lack; the URL follows the query.
{
  const page = await browser.newPage();
  await page.goto(`${args.base}/search/`);
  const typed = await metered(page, async () => {
    await page.locator('#q').pressSequentially('मर्कोरसो', { delay: 20 });
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length === 5, null, { timeout: 10000 });
    await page.waitForLoadState('networkidle');
  });
  const first = typed.bytes;
  const again = await metered(page, async () => {
    await page.locator('#q').fill('हायपेरियन');
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length === 1, null, { timeout: 10000 });
    await page.waitForLoadState('networkidle');
  });
  const url = new URL(page.url());
  check(url.searchParams.get('q') === 'हायपेरियन', `URL after typing: ${page.url()}`);
  console.log(`  typing: first search on the page ${first} bytes (index included), next search ${again.bytes} bytes`);
  check(again.bytes < first, `a second search downloaded ${again.bytes} bytes, the first ${first}`);
  // The tag filter narrows the list without a new query.
  await page.selectOption('#tag', 'scale-ai');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('tag') === 'scale-ai');
  check(await page.locator('#search-results li').count() === 0, 'Hyperion is not tagged Scale AI');
  await page.close();
}

// --- A query is text, never markup.
{
  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  const evil = '<img src=x onerror=alert(1)>मेटा';
  await page.goto(`${args.base}/search/?q=${encodeURIComponent(evil)}`);
  await waitForResults(page);
  check(await page.locator('#search-results img, #search-status img').count() === 0, 'query markup became an element');
  check(dialogs === 0, 'query markup ran');
  check(await page.inputValue('#q') === evil, 'the query is put back into the field as typed');
  await page.close();
}

// --- Without JavaScript the page points to the tag list.
{
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${args.base}/en/search/?q=Mercor`);
  const visible = await page.locator('main a[href="/en/tags/mercor/"]').isVisible();
  check(visible, 'without JavaScript the tag links are shown');
  check(await page.locator('#search-results li').count() === 0, 'no results without JavaScript');
  await context.close();
}

await browser.close();

check(s.p5 >= THRESHOLDS.p5, `mean P@5 ${f(s.p5)} < ${THRESHOLDS.p5}`);
check(s.r5 >= THRESHOLDS.r5, `mean R@5 ${f(s.r5)} < ${THRESHOLDS.r5}`);
check(s.mrR5 >= THRESHOLDS.mrR5, `Marathi mean R@5 ${f(s.mrR5)} < ${THRESHOLDS.mrR5}`);
for (const w of failures) console.log(`FAILED: ${w}`);
console.log(`search e2e: ${checks - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
