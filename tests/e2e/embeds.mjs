// Run by tests/e2e/embeds.sh against the built site on 127.0.0.1: records every request a
// page makes, aborting those that would leave loopback, and checks that embeds fetch nothing
// from a third party until the reader presses the video.
import { createRequire } from 'node:module';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const require = createRequire(path.join(process.env.PLAYWRIGHT_DIR, 'package.json'));
const { chromium } = require('playwright-core');

const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext();
  const outside = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort();
  });

  const page = await context.newPage();
  await page.goto(`${args.base}/en/news/meta-hyperion-data-center-next-model/`, { waitUntil: 'load' });
  await page.waitForTimeout(500);
  check(outside.length === 0, `the video page asks nothing of another host before the press (${outside.join(', ') || 'none'})`);
  const facade = page.locator('a.embed-facade');
  check((await facade.count()) === 1, 'the video is one facade link');
  check((await page.locator('iframe').count()) === 0, 'no iframe before the press');
  check(
    (await facade.getAttribute('href')) === 'https://www.youtube.com/watch?v=abcdefghijk&t=30s',
    'without JavaScript the link opens the video on YouTube',
  );
  const box = await facade.boundingBox();
  check(box && box.width > 200 && Math.abs(box.width / box.height - 16 / 9) < 0.05, `the facade keeps the video's 16:9 shape (${box && `${Math.round(box.width)}×${Math.round(box.height)}`})`);

  await facade.click();
  const frame = page.locator('iframe.embed-frame');
  await frame.waitFor({ timeout: 5000 });
  const src = await frame.getAttribute('src');
  check(src === 'https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1&start=30', `after the press the player comes from youtube-nocookie.com (${src})`);
  check((await frame.getAttribute('title')) !== '', 'the player has a title');
  check(page.url().startsWith(args.base), 'the press did not leave the page');
  await page.waitForTimeout(500);
  check(outside.length > 0 && outside.every((u) => u.startsWith('https://www.youtube-nocookie.com/')), `the only host asked after the press is youtube-nocookie.com (${outside.slice(0, 3).join(', ')})`);

  // The default site's X card: a link, no script, no request.
  outside.length = 0;
  const card = await context.newPage();
  await card.goto(`${args.base}/news/msl-researchers-announce-exits/`, { waitUntil: 'load' });
  await card.waitForTimeout(500);
  check((await card.locator('a.embed-card[href="https://x.com/agarwl_"]').count()) === 1, 'the Marathi story shows the X account as a link card');
  check((await card.locator('script[src$="embed.js"]').count()) === 0, 'a page with no video loads no embed script');
  check(outside.length === 0, `the X card asks nothing of another host (${outside.join(', ') || 'none'})`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`embeds: ${failures.length} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`embeds: ${checks} checks passed`);
