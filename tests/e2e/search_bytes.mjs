// Bytes per query, batmi's search beside Pagefind's on the same built site, in headless
// Chromium with the cache off (a first visit), run by tests/e2e/search.sh. For each query
// (--queries: a JSON file with {queries: [{lang, q, expected?}]}) it opens the edition's
// /search/?q=..., counts what reaches the page from /search/*.gz (batmi's index) and, on the
// same page without a query, what Pagefind's own API (/pagefind/pagefind.js) downloads to
// answer it and show five results. Where queries name expected stories, P@5 and R@5 of both.
// --max-kb: fails when batmi's mean index bytes per query is above it. --find: a query and the
// slug it must find (a story added by the last rebuild).

import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const require = createRequire(path.join(process.env.PLAYWRIGHT_DIR, 'package.json'));
const { chromium } = require('playwright-core');

/**
 * Queries from a generated corpus (--corpus DIR): the first two words of the title of every
 * 50th story (--every N) of each edition, as a reader who remembers a headline would type them.
 */
const every = Number(args.every || 50);
function corpusQueries(dir) {
  const files = readdirSync(path.join(dir, 'content/news')).sort();
  const out = [];
  for (const lang of ['mr', 'en']) {
    const mine = files.filter((f) => f.endsWith(`.${lang}.md`));
    for (let i = 0; i < mine.length; i += every) {
      const text = readFileSync(path.join(dir, 'content/news', mine[i]), 'utf8');
      const title = /^title\s*=\s*"(.*)"\s*$/m.exec(text);
      if (title) out.push({ lang, q: title[1].split(/\s+/).slice(0, 2).join(' ') });
    }
  }
  return out;
}
const queries = args.corpus ? corpusQueries(args.corpus)
  : args.queries ? JSON.parse(readFileSync(args.queries, 'utf8')).queries.filter((q) => !q.tag) : [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const failures = [];

const prefix = (q) => (q.lang === 'mr' ? '' : '/' + q.lang);
const slug = (href) => decodeURIComponent(new URL(href, 'http://x').pathname).replace(/\/$/, '').split('/').pop();

/**
 * Bytes over the wire (headers and body as received, so compressed where the server
 * compressed) by path while `fn` runs. Pagefind fetches from a web worker, whose requests
 * Playwright reports with the page's; each query gets a fresh context, so a cold cache.
 */
async function metered(page, fn) {
  const byUrl = [];
  const pending = [];
  const onFinished = (req) => {
    pending.push(req.sizes().then((s) => {
      byUrl.push([new URL(req.url()).pathname, s.responseBodySize + s.responseHeadersSize]);
    }, () => {}));
  };
  page.context().on('requestfinished', onFinished);
  const out = await fn();
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  page.context().off('requestfinished', onFinished);
  if (process.env.SEARCH_BYTES_DEBUG) console.log(byUrl);
  const sum = (f) => byUrl.filter(([u]) => f(u)).reduce((a, [, b]) => a + b, 0);
  return { out, sum, files: byUrl.length };
}

async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.close = () => context.close();
  return page;
}

async function batmi(q) {
  const page = await newPage();
  const m = await metered(page, async () => {
    const params = new URLSearchParams({ q: q.q });
    await page.goto(`${args.base}${prefix(q)}/search/?${params}`);
    await page.waitForFunction(() => document.getElementById('search-status').textContent !== '', null, { timeout: 20000 });
    await page.waitForLoadState('networkidle');
    return page.$$eval('#search-results li h2 a', (as) => as.map((a) => a.getAttribute('href')));
  });
  await page.close();
  return {
    top: m.out.slice(0, 5).map(slug),
    index: m.sum((u) => /\/search\/[^/]+\.gz$/.test(u)),
    scripts: m.sum((u) => /\/(search|snowball-english)\.js$/.test(u)),
    pages: m.sum((u) => u.includes('/news/')),
  };
}

async function pagefind(q) {
  const page = await newPage();
  await page.goto(`${args.base}${prefix(q)}/search/`);
  const m = await metered(page, () => page.evaluate(async (query) => {
    const pf = await import('/pagefind/pagefind.js');
    const found = await pf.search(query);
    const data = await Promise.all(found.results.slice(0, 5).map((r) => r.data()));
    return data.map((d) => d.url);
  }, q.q));
  await page.close();
  return {
    top: m.out.map(slug),
    index: m.sum((u) => u.startsWith('/pagefind/') && !/\.js$/.test(u) && !/\/wasm\./.test(u)),
    scripts: m.sum((u) => u.startsWith('/pagefind/') && (/\.js$/.test(u) || /\/wasm\./.test(u))),
  };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
function score(rows) {
  const judged = rows.filter((r) => r.q.expected);
  const p5 = judged.map((r) => (r.top.length ? r.top.filter((s) => r.q.expected.includes(s)).length / r.top.length : 0));
  const r5 = judged.map((r) => r.top.filter((s) => r.q.expected.includes(s)).length / Math.min(5, r.q.expected.length));
  return judged.length ? `P@5 ${mean(p5).toFixed(3)} R@5 ${mean(r5).toFixed(3)} (${judged.length} queries)` : '';
}

const rows = { batmi: [], pagefind: [] };
// Pagefind may have no index (at 100,000 pairs it ran out of memory): its figures are then
// missing, and said to be, while batmi's are still measured.
let pagefindError = null;
for (const q of queries) {
  rows.batmi.push({ q, ...(await batmi(q)) });
  if (args.pagefind && !pagefindError) {
    try {
      rows.pagefind.push({ q, ...(await pagefind(q)) });
    } catch (e) {
      pagefindError = e.message.split('\n')[0];
    }
  }
}
if (pagefindError) {
  console.log(`${args.label || 'site'}: pagefind not measured: ${pagefindError}`);
  failures.push(`Pagefind could not be queried: ${pagefindError}`);
}
const kb = (x) => (x / 1024).toFixed(1);
const label = args.label || 'site';
for (const [name, rs] of Object.entries(rows)) {
  if (!rs.length) continue;
  const max = Math.max(...rs.map((r) => r.index));
  console.log(`${label}: ${name.padEnd(8)} index KB per query (cold cache, compressed, on the wire): mean ${kb(mean(rs.map((r) => r.index)))}, ` +
    `max ${kb(max)}; scripts ${kb(mean(rs.map((r) => r.scripts)))} KB` +
    (name === 'batmi' ? `; story pages read for excerpts ${kb(mean(rs.map((r) => r.pages)))} KB` : '') +
    `  ${score(rs)}`);
}
for (const r of rows.batmi) {
  if (args.verbose) console.log(`  [${r.q.lang}] ${r.q.q}: ${kb(r.index)} KB, ${r.top.length} shown`);
}
const batmiMean = mean(rows.batmi.map((r) => r.index));
if (args['max-kb'] && batmiMean > Number(args['max-kb']) * 1024) {
  failures.push(`batmi downloads ${kb(batmiMean)} KB per query, above ${args['max-kb']} KB`);
}
if (args.find) {
  const [lang, q, want] = args.find.split('|');
  let r = await batmi({ lang, q });
  for (let i = 0; i < 30 && !r.top.includes(want); i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    r = await batmi({ lang, q });
  }
  console.log(`${label}: "${q}" finds ${r.top.join(', ') || '(nothing)'}`);
  if (!r.top.includes(want)) failures.push(`"${q}" does not find ${want}`);
}
await browser.close();
for (const f of failures) console.log(`FAILED: ${f}`);
process.exit(failures.length ? 1 : 0);
