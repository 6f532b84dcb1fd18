// Live preview in headless Chromium, run by tests/e2e/serve.sh (which copies the default site
// into a temp dir and starts `batmi serve` on it). Every step edits the copy on disk the way an
// editor would and waits for the open page to show it. A step passes when the change shows up
// within LIMIT_MS, measured from just before the write to the moment the page shows it, and
// the page was not navigated (window.__marker survives; no main-frame navigation events).
// Prints one line per step with the time in the page and the server's rebuild line.

import { createRequire } from 'node:module';
import { readFileSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
for (const need of ['base', 'site', 'log']) {
  if (!args[need]) throw new Error(`--${need} is required`);
}
const require = createRequire(path.join(process.env.PLAYWRIGHT_DIR, 'package.json'));
const { chromium } = require('playwright-core');

const LIMIT_MS = 2000;
// How long to keep waiting after the limit, so a slow step reports its real time.
const PATIENCE_MS = 15000;
const base = args.base;
const site = args.site;
const STEM = 'ruben-mayer-leaves-meta';
const STORY_REL = `content/news/${STEM}.mr.md`;
const STORY = path.join(site, STORY_REL);
const ARTICLE = `/news/${STEM}/`;
const run = Date.now().toString(36);

const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
  return ok;
}

// The server's terminal output, read from the log file serve.sh redirects it to.
let logSeen = 0;
function newLogLines() {
  const text = readFileSync(args.log, 'utf8');
  const fresh = text.slice(logSeen);
  logSeen = text.length;
  return fresh;
}
function rebuildLines(text) {
  return text.split('\n').filter((l) => l.startsWith('changed '));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const context = await browser.newContext();
// Observe (not replace) the live-reload channel: record the kind of every message, so a step
// can wait until the page is connected and report whether it got `reload`, `css` or `error`.
await context.addInitScript(() => {
  const Native = window.EventSource;
  window.__batmiEvents = [];
  window.EventSource = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => window.__batmiEvents.push(e.data.split('\n')[0]));
    }
  };
});
const pageErrors = [];
const page = await context.newPage();
page.on('pageerror', (e) => pageErrors.push(String(e)));
let navigations = 0;
page.on('framenavigated', (f) => {
  if (f === page.mainFrame()) navigations++;
});

/** Opens `url` (a site path), waits for the live-reload channel and sets the marker. */
async function open(url) {
  const res = await page.goto(base + url, { waitUntil: 'load' });
  if (!res || res.status() !== 200) throw new Error(`GET ${url} gave ${res && res.status()}`);
  await page.waitForFunction(() => window.__batmiEvents.length > 0, null, { timeout: PATIENCE_MS });
  await page.evaluate(() => {
    window.__marker = 1;
  });
  return { navs: navigations };
}

/**
 * Runs `change` (the disk edit) and waits until `done(arg)` holds in the page. Returns the
 * milliseconds from just before the edit, or null when it never held.
 */
async function timed(change, done, arg) {
  const t0 = performance.now();
  change();
  try {
    await page.waitForFunction(done, arg, { polling: 10, timeout: LIMIT_MS + PATIENCE_MS });
  } catch {
    return null;
  }
  return Math.round(performance.now() - t0);
}

async function stayed(step, before) {
  const marker = await page.evaluate(() => window.__marker);
  check(marker === 1, `${step}: window.__marker is ${marker}: the page navigated`);
  check(navigations === before.navs, `${step}: ${navigations - before.navs} main-frame navigation(s)`);
}

function within(step, ms) {
  check(ms !== null, `${step}: not seen in the page within ${(LIMIT_MS + PATIENCE_MS) / 1000} s`);
  if (ms !== null) check(ms <= LIMIT_MS, `${step}: took ${ms} ms, over ${LIMIT_MS} ms`);
}

async function lastEvent() {
  return page.evaluate(() => window.__batmiEvents[window.__batmiEvents.length - 1]);
}

function report(step, parts, log) {
  const lines = rebuildLines(log);
  const server = lines.length ? lines.map((l) => l.replace(/^changed /, '')).join(' | ') : 'no rebuild line';
  console.log(`serve: ${step}: ${parts}; server: ${server}`);
}

async function status(url) {
  const res = await fetch(base + url, { redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

const bodyHas = (t) => document.body.innerText.includes(t);
const bodyLacks = (t) => !document.body.innerText.includes(t);
const fmt = (ms) => (ms === null ? 'never' : `${ms} ms`);

newLogLines();
const original = readFileSync(STORY, 'utf8');

// (a) A new paragraph in the story's Markdown.
{
  const step = '(a) markdown edit';
  const before = await open(ARTICLE);
  check(await page.$('#batmi-error') === null, `${step}: an error overlay before any edit`);
  check(await page.$('script#batmi-live') !== null, `${step}: no live-reload script in the page`);
  const token = `E2E-A-${run}`;
  const ms = await timed(() => appendFileSync(STORY, `\nनवा परिच्छेद ${token}.\n`), bodyHas, token);
  within(step, ms);
  await stayed(step, before);
  const log = newLogLines();
  check(rebuildLines(log).some((l) => l.includes(STORY_REL)), `${step}: no terminal line names ${STORY_REL}`);
  report(step, `${fmt(ms)} until the paragraph showed, no navigation`, log);
}
const tokenA = `E2E-A-${run}`;
const withA = readFileSync(STORY, 'utf8');

// (b) A template change: a new line in the footer of base.html.
{
  const step = '(b) template edit';
  const before = { navs: navigations };
  const file = path.join(site, 'templates/base.html');
  const html = readFileSync(file, 'utf8');
  const anchor = '<p>{{ t.footer }}</p>';
  check(html.includes(anchor), `${step}: templates/base.html has no ${anchor}`);
  const token = `E2E-B-${run}`;
  const ms = await timed(
    () => writeFileSync(file, html.replace(anchor, `${anchor}\n    <p id="e2e-footer">${token}</p>`)),
    (t) => document.querySelector('#e2e-footer')?.textContent === t,
    token,
  );
  within(step, ms);
  await stayed(step, before);
  check(await page.evaluate(bodyHas, tokenA), `${step}: the paragraph of (a) is gone`);
  const log = newLogLines();
  check(rebuildLines(log).some((l) => l.includes('templates/base.html')), `${step}: no terminal line names templates/base.html`);
  report(step, `${fmt(ms)} until the footer showed, no navigation`, log);
}

// (c) Broken front matter: `title = ` with no value on line 2.
{
  const step = '(c) broken front matter';
  const before = { navs: navigations };
  const lines = withA.split('\n');
  const line = lines.findIndex((l) => l.startsWith('title = ')) + 1;
  check(line === 2, `${step}: expected the title on line 2 of ${STORY_REL}, found it on ${line}`);
  lines[line - 1] = 'title = ';
  const where = `${STORY_REL}:${line}:`;
  const ms = await timed(
    () => writeFileSync(STORY, lines.join('\n')),
    (w) => document.querySelector('#batmi-error')?.textContent.includes(w),
    where,
  );
  within(step, ms);
  await stayed(step, before);
  const overlay = await page.$eval('#batmi-error', (e) => e.textContent).catch(() => '');
  check(overlay.includes(where), `${step}: the overlay does not name ${where}: ${overlay.slice(0, 300)}`);
  check(
    await page.$eval('#batmi-error', (e) => getComputedStyle(e).position === 'fixed' && e.getBoundingClientRect().height > 0).catch(() => false),
    `${step}: the overlay is not a visible fixed box`,
  );
  check(await page.evaluate(bodyHas, tokenA), `${step}: the last good page is gone from under the overlay`);
  // The server keeps serving: other pages, and the last good version of the broken one.
  const other = await status('/news/');
  check(other.status === 200, `${step}: GET /news/ gave ${other.status} while the story is broken`);
  const same = await status(ARTICLE);
  check(same.status === 200 && same.text.includes(tokenA), `${step}: GET ${ARTICLE} gave ${same.status} or not the last good page`);
  // A page opened while the error lasts shows it at once.
  const second = await context.newPage();
  await second.goto(`${base}/en/`);
  const shown = await second
    .waitForFunction((w) => document.querySelector('#batmi-error')?.textContent.includes(w), where, { timeout: 5000 })
    .then(() => true, () => false);
  check(shown, `${step}: a page opened during the error shows no overlay`);
  await second.close();
  const log = newLogLines();
  check(log.includes('did not build') && log.includes(where), `${step}: the terminal does not show the error at ${where}`);
  report(
    step,
    `${fmt(ms)} until the overlay showed "${overlay.split('\n').find((l) => l.includes(where)) || '?'}", no navigation; /news/ ${other.status}, ${ARTICLE} ${same.status}`,
    log,
  );
}

// (d) The front matter fixed again: the overlay goes.
{
  const step = '(d) fixed front matter';
  const before = { navs: navigations };
  const ms = await timed(() => writeFileSync(STORY, withA), () => document.querySelector('#batmi-error') === null);
  within(step, ms);
  await stayed(step, before);
  check(await page.evaluate(bodyHas, tokenA), `${step}: the story text is gone`);
  const log = newLogLines();
  report(step, `${fmt(ms)} until the overlay went, no navigation`, log);
}

// (e) An editor-style save: the new text goes to a temp file in the same folder, renamed over
// the story. Then a plain write, to show the watcher still follows the replaced file.
{
  const step = '(e) save by rename';
  const before = { navs: navigations };
  const token = `E2E-E-${run}`;
  const tmp = path.join(site, 'content/news', `.goutputstream-${run}`);
  const ms = await timed(
    () => {
      writeFileSync(tmp, withA.replace(tokenA, token));
      renameSync(tmp, STORY);
    },
    ([t, old]) => document.body.innerText.includes(t) && !document.body.innerText.includes(old),
    [token, tokenA],
  );
  within(step, ms);
  await stayed(step, before);
  const again = `E2E-E2-${run}`;
  const ms2 = await timed(() => appendFileSync(STORY, `\nआणखी ${again}.\n`), bodyHas, again);
  within(`${step}, then a plain write`, ms2);
  await stayed(step, before);
  const log = newLogLines();
  check(!log.includes('did not build'), `${step}: the save by rename was reported as a failed build`);
  report(step, `${fmt(ms)} until the renamed file showed, ${fmt(ms2)} for a plain write after it, no navigation`, log);
}

// (f) A new story pair appears on the archive page, and goes when deleted.
{
  const step = '(f) new story pair';
  const token = `E2E-F-${run}`;
  const titles = { mr: `नवी बातमी ${token}`, en: `New story ${token}` };
  const files = Object.keys(titles).map((lang) => path.join(site, `content/news/e2e-live-story.${lang}.md`));
  const story = (lang) =>
    `+++\ntitle = "${titles[lang]}"\ndate = 2025-09-05T10:00:00+05:30\ntags = ["Meta"]\nauthor = "E2E"\n+++\n\n${lang === 'mr' ? 'मजकूर' : 'Text'} ${token}.\n`;

  const before = await open('/news/');
  check(await page.evaluate(bodyLacks, titles.mr), `${step}: /news/ shows the title before the file exists`);
  const live = await timed(
    () => {
      writeFileSync(files[0], story('mr'));
      writeFileSync(files[1], story('en'));
    },
    bodyHas,
    titles.mr,
  );
  within(`${step} (open archive)`, live);
  await stayed(step, before);
  // A fresh load of the archive, as a reader arriving now would see it.
  const t0 = performance.now();
  let loaded = null;
  while (performance.now() - t0 < LIMIT_MS + PATIENCE_MS) {
    await page.goto(`${base}/news/`);
    if (await page.evaluate(bodyHas, titles.mr)) {
      loaded = Math.round(performance.now() - t0);
      break;
    }
  }
  check(loaded !== null, `${step}: page.goto('/news/') never shows ${titles.mr}`);
  const en = await status('/en/news/');
  check(en.text.includes(titles.en), `${step}: /en/news/ does not list ${titles.en}`);
  const article = await status('/news/e2e-live-story/');
  check(article.status === 200 && article.text.includes(token), `${step}: /news/e2e-live-story/ gave ${article.status}`);
  const logAdd = newLogLines();

  const before2 = await open('/news/');
  const gone = await timed(
    () => files.forEach((f) => rmSync(f)),
    bodyLacks,
    titles.mr,
  );
  within(`${step} deleted (open archive)`, gone);
  await stayed(step, before2);
  await page.goto(`${base}/news/`);
  check(await page.evaluate(bodyLacks, titles.mr), `${step}: page.goto('/news/') still shows the deleted story`);
  const enAfter = await status('/en/news/');
  check(!enAfter.text.includes(titles.en), `${step}: /en/news/ still lists the deleted story`);
  const articleAfter = await status('/news/e2e-live-story/');
  check(articleAfter.status === 404, `${step}: /news/e2e-live-story/ gave ${articleAfter.status} after deletion`);
  const logDel = newLogLines();
  report(step, `${fmt(live)} until the open archive listed it (page.goto saw it after ${fmt(loaded)}), article ${article.status}`, logAdd);
  report(`${step} deleted`, `${fmt(gone)} until the open archive dropped it, article now ${articleAfter.status}`, logDel);
}

// (g) A stylesheet change: the page restyles without navigating.
{
  const step = '(g) css edit';
  const before = await open('/news/');
  const file = path.join(site, 'static/style.css');
  const css = readFileSync(file, 'utf8');
  const was = await page.evaluate(() => getComputedStyle(document.body).outlineColor);
  check(was !== 'rgb(1, 2, 3)', `${step}: the outline colour is already set`);
  const ms = await timed(
    () => writeFileSync(file, `${css}\nbody { outline: 3px solid rgb(1, 2, 3); }\n`),
    () => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)',
  );
  within(step, ms);
  await stayed(step, before);
  const kind = await lastEvent();
  const back = await timed(
    () => writeFileSync(file, css),
    (w) => getComputedStyle(document.body).outlineColor === w,
    was,
  );
  within(`${step} undone`, back);
  await stayed(step, before);
  const log = newLogLines();
  check(rebuildLines(log).some((l) => l.includes('static/style.css')), `${step}: no terminal line names static/style.css`);
  report(step, `${fmt(ms)} until body's outline changed (message: ${kind}), ${fmt(back)} to undo, no navigation`, log);
}

check(pageErrors.length === 0, `JavaScript errors in the page: ${pageErrors.join('; ')}`);
await browser.close();

if (failures.length) {
  console.error(`serve: ${failures.length} of ${checks} checks failed:`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`serve: all ${checks} checks passed`);
