#!/usr/bin/env node
/**
 * How long the page takes on the example market: navigation to U*, to the certificate and to the
 * learned contract. Cold loads each get a fresh chromium with a fresh profile (nothing cached: the
 * first visit); warm loads are further pages in one browser (z3's compiled wasm may be cached).
 * With --trace, each cold load also prints its timeline: the page's and the workers'
 * performance.mark()s (from a chromium trace) and the network requests.
 *
 * Usage: node apps/studio/scripts/timing.mjs [--cold N] [--warm N] [--settle MS] [--trace]
 *        [--dist DIR | --url URL] [--chromium PATH]
 * (defaults: 3 cold, 2 warm, settle 0; builds first if needed). `--settle MS` gives each cold
 * browser MS milliseconds for its own start-up before the navigation (see settleMs). `--url` times a
 * studio that is already being served, e.g. by `pnpm -s studio` in another terminal (the server then
 * runs in a process of its own, as a user has it, not beside puppeteer in this one). Bad options:
 * one line, exit 2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { ensureBuilt, serve } from './serve.mjs';

const options = {
  cold: { type: 'string', default: '3' },
  warm: { type: 'string', default: '2' },
  trace: { type: 'boolean', default: false },
  chromium: { type: 'string' },
  // another build to compare with, served the same way (no rebuild)
  dist: { type: 'string' },
  url: { type: 'string' },
  // milliseconds between a cold browser's launch and its navigation (see settleMs)
  settle: { type: 'string', default: '0' },
};
let values;
try {
  ({ values } = parseArgs({ options }));
} catch (error) {
  console.error(`timing: ${error.message.split('\n')[0]}`);
  process.exit(2);
}

/** A whole number of at least 0 from the option `name`, or exit 2 naming the option and value. */
function wholeNumber(name) {
  // digits only, as serve.mjs's --port: Number() would also take '' and ' 5'
  if (/^\d{1,9}$/.test(values[name])) return Number(values[name]);
  console.error(`timing: --${name}: must be a whole number >= 0 (${JSON.stringify(values[name])})`);
  process.exit(2);
}
const coldLoads = wholeNumber('cold');
const warmLoads = wholeNumber('warm');
/**
 * A freshly launched chromium spends its first seconds on its own start-up: in chromium 156 a
 * "WebUI Top Renderer" process loads the browser's own WebUI (omnibox popup, search box), 1.2 to
 * 1.4 s of CPU on a 2-core machine during a page opened at once. A user opens the studio in a
 * browser that is already running; --settle MS waits that long between the launch and the
 * navigation (the profile is still fresh: nothing cached).
 */
const settleMs = wholeNumber('settle');

const executablePath = values.chromium ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (values.dist === undefined && values.url === undefined && !ensureBuilt()) process.exit(4);
const server =
  values.url === undefined
    ? await serve({ port: 0, ...(values.dist && { root: resolve(values.dist) }) })
    : null;
const url = values.url ?? `http://127.0.0.1:${server.address().port}/`;
const launch = () => puppeteer.launch({ executablePath, args: ['--no-sandbox'] });

const IDS = ['optimum-utility', 'certificate-verdict', 'learned-ratio'];

/** One page load: milliseconds from navigation to each test id. */
async function load(browser, label, traceFile) {
  const page = await browser.newPage();
  const requests = new Map();
  if (traceFile !== undefined) {
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', (e) =>
      requests.set(e.requestId, { url: e.request.url, start: e.timestamp }),
    );
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r !== undefined) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
    });
    await page.tracing.start({ path: traceFile, categories: ['blink.user_timing'] });
  }
  await page.evaluateOnNewDocument((ids) => {
    globalThis.__seen = {};
    new MutationObserver(() => {
      for (const id of ids)
        if (globalThis.__seen[id] === undefined && document.querySelector(`[data-testid="${id}"]`))
          globalThis.__seen[id] = Math.round(performance.now());
    }).observe(document, { childList: true, subtree: true });
  }, IDS);
  const started = Date.now();
  const at = async (testId) => {
    await page.waitForSelector(`[data-testid="${testId}"]`, { timeout: 60_000 });
    return Date.now() - started;
  };
  await page.goto(url);
  const optimum = await at('optimum-utility');
  const certificate = await at('certificate-verdict');
  const learned = await at('learned-ratio');
  const proof = await page.$eval('.verdict-line .muted', (e) => e.textContent);
  // when each element entered the DOM, in the page's clock (since navigation start); puppeteer
  // notices it later, by a polling round trip that a busy machine stretches
  const inPage = await page.evaluate(() => globalThis.__seen);
  console.log(
    `${label}: U* ${optimum} ms, certificate ${certificate} ms, learned ${learned} ms ` +
      `(in the page: U* ${inPage[IDS[0]]}, certificate ${inPage[IDS[1]]}, learned ${inPage[IDS[2]]}); proof ${proof}`,
  );
  if (traceFile !== undefined) {
    await page.tracing.stop();
    printTimeline(traceFile, [...requests.values()]);
  }
  await page.close();
  return {
    optimum,
    certificate,
    learned,
    pageOptimum: inPage[IDS[0]],
    pageCertificate: inPage[IDS[1]],
    pageLearned: inPage[IDS[2]],
  };
}

/** The marks of every thread and the requests, in milliseconds since navigation. */
function printTimeline(traceFile, requests) {
  const events = JSON.parse(readFileSync(traceFile, 'utf8')).traceEvents;
  const threads = new Map(
    events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]),
  );
  const nav = events.find((e) => e.name === 'navigationStart');
  const zero = nav?.ts ?? Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const rows = events
    .filter((e) => e.cat?.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'b'))
    .filter((e) => e.name.startsWith('studio:'))
    .map((e) => [(e.ts - zero) / 1000, `${e.name}  [${threads.get(`${e.pid}:${e.tid}`) ?? e.tid}]`]);
  // CDP network timestamps are seconds on the same monotonic clock as the trace's microseconds
  for (const r of requests) {
    const name = r.url.replace(url, '/');
    const end = r.end === undefined ? 'unfinished' : `${((r.end - r.start) * 1000).toFixed(0)} ms`;
    rows.push([(r.start * 1e6 - zero) / 1000, `request ${name} (${end}, ${r.bytes ?? '?'} B)`]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  for (const [t, what] of rows) console.log(`  ${t.toFixed(0).padStart(6)} ms  ${what}`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summary(label, runs) {
  if (runs.length === 0) return;
  const m = (key) => median(runs.map((r) => r[key]));
  console.log(
    `${label} median of ${runs.length}: U* ${m('optimum')} ms, certificate ${m('certificate')} ms, ` +
      `learned ${m('learned')} ms (in the page: U* ${m('pageOptimum')}, certificate ` +
      `${m('pageCertificate')}, learned ${m('pageLearned')})`,
  );
}

const loads = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`load average before: ${loads()}`);
const cold = [];
const warm = [];
const scratch = mkdtempSync(join(tmpdir(), 'studio-timing-'));
try {
  for (let i = 1; i <= coldLoads; i++) {
    const browser = await launch();
    try {
      if (settleMs > 0) await sleep(settleMs);
      const trace = values.trace ? join(scratch, `trace-${i}.json`) : undefined;
      cold.push(await load(browser, `cold ${i}`, trace));
    } finally {
      await browser.close();
    }
  }
  if (warmLoads > 0) {
    const browser = await launch();
    try {
      await load(browser, 'first (cold, not counted)');
      for (let i = 1; i <= warmLoads; i++) warm.push(await load(browser, `warm ${i}`));
    } finally {
      await browser.close();
    }
  }
} finally {
  server?.close();
  rmSync(scratch, { recursive: true, force: true });
}
summary('cold', cold);
summary('warm', warm);
console.log(`load average after: ${loads()}`);
