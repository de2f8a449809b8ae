/**
 * The studio in a real browser (chromium, headless): one browser and one server for all tests.
 * Expectations come from outside the page: the optimum from optimum's solver (what `verify solve`
 * prints), messages from env's reader (what the CLI prints), the learned contract from the same
 * policy run in Node.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModelText } from '@diffcontract/env';
import { solveOptimum } from '@diffcontract/optimum';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, serve } from '../scripts/serve.mjs';
import { learnedContract } from './learned.js';
import { parseMarketText, randomMarket, searchForMarket } from './market-text.js';
import { findChromium, SKIP_MESSAGE } from './test-browser.js';
import { parseWeights } from './weights.js';

const chromium = findChromium();
if (chromium === null) {
  if (process.env.CI) throw new Error(`${SKIP_MESSAGE}; CI must install it (.ci/run)`);
  console.warn(SKIP_MESSAGE);
}

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
// generous: on a loaded machine a page load takes many times its usual second or two; speed is
// measured by scripts/timing.mjs, not here
const WAIT = { timeout: 120_000 };
const SLOW_TEST = 240_000;

describe.skipIf(chromium === null)('studio in chromium', () => {
  let browser: Browser;
  let server: Server;
  let base: string;
  let page: Page;
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'studio-test-'));

  beforeAll(async () => {
    if (!ensureBuilt()) throw new Error('studio: vite build failed');
    server = await serve({ port: 0 });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await puppeteer.launch({
      executablePath: chromium!,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
  }, SLOW_TEST);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  const text = (testId: string) => page.$eval(`[data-testid="${testId}"]`, (e) => e.textContent ?? '');
  const waitFor = (testId: string) => page.waitForSelector(`[data-testid="${testId}"]`, WAIT);

  test(
    'a market in the URL shows the U* of `verify solve` and the verdict certified, without console errors',
    async () => {
      const market = randomMarket(7, 3);
      await page.goto(`${base}${searchForMarket(market)}`);
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
      await waitFor('optimum-utility');
      const expected = (await solveOptimum(market)).cloudUtility;
      const shown = Number(await text('optimum-utility'));
      expect(Math.abs(shown - expected) / Math.abs(expected)).toBeLessThanOrEqual(1e-9);
      await waitFor('certificate-verdict');
      expect(await text('certificate-verdict')).toBe('certified');
      // the page's market, read back from its URL, is the one given
      const url = new URL(page.url());
      expect(url.search).toBe(searchForMarket(market));
      expect(errors).toEqual([]);
    },
    SLOW_TEST,
  );

  test(
    'a violated contract file shows its counterexample in words with the exact gain',
    async () => {
      // examples/contract-k3.json with R1[0] lowered from 2.5 to 2: type 1 then loses
      // a q^2 / theta - R = 1/0.4 - 2 = 1/2 by participating, so it gains 1/2 by staying out
      const source = readFileSync(`${examples}contract-k3.json`, 'utf8');
      const violated = source.replace(
        '"period1": [{"q": 1, "reward": 2.5}',
        '"period1": [{"q": 1, "reward": 2}',
      );
      expect(violated).not.toBe(source);
      const path = join(dir, 'violated.json');
      writeFileSync(path, violated);
      const input = await page.waitForSelector('input[data-testid="contract-file"]', WAIT);
      await input!.uploadFile(path);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="certificate-verdict"]')?.textContent === 'violated',
        WAIT,
      );
      const words = await text('counterexample');
      expect(words).toContain('θ1 = 0.4');
      expect(words).toContain('stays out');
      expect(words).toContain('gains exactly 1/2');
      expect(words).toContain('IR1');
      expect(errors).toEqual([]);
    },
    SLOW_TEST,
  );

  test(
    "an invalid file shows the CLI's message with the field path",
    async () => {
      const source = readFileSync(`${examples}contract-k3.json`, 'utf8');
      const invalid = source.replace('"theta": [0.4, 0.7, 1.0]', '"theta": [0.4, 0.3, 1.0]');
      const path = join(dir, 'invalid.json');
      writeFileSync(path, invalid);
      let cli = '';
      try {
        parseModelText(invalid, 'invalid.json');
      } catch (e) {
        cli = (e as Error).message;
      }
      expect(cli).toBe('invalid.json: market.theta[1]: must be > theta[0] = 0.4 (0.3)');
      const input = await page.waitForSelector('input[data-testid="contract-file"]', WAIT);
      await input!.uploadFile(path);
      await waitFor('file-error');
      expect(await text('file-error')).toBe(`invalid ${cli}`);
    },
    SLOW_TEST,
  );

  test(
    'the editor names a bad field as the CLI does; a market of another K is refused by the policy',
    async () => {
      await page.goto(base);
      const prior = await page.waitForSelector('input[aria-label="prior 2"]', WAIT);
      await prior!.click({ count: 3 });
      await prior!.type('0.5');
      await page.click('[data-testid="apply-market"]');
      await waitFor('market-error');
      expect(await text('market-error')).toMatch(/^market editor: market\.prior: .*sum/);
      await page.select('[data-testid="market-k"]', '2');
      await page.click('[data-testid="random-market"]');
      await page.waitForFunction(() => new URL(window.location.href).searchParams.has('market'), WAIT);
      const market = parseMarketText(new URL(page.url()).searchParams.get('market')!, 'url');
      expect(market.theta).toHaveLength(2);
      await waitFor('learned-error');
      expect(await text('learned-error')).toBe('the policy was trained for K = 3; this market has K = 2');
      expect(errors).toEqual([]);
    },
    SLOW_TEST,
  );

  test(
    "the example policy's contract appears with its U/U*, as the same policy gives in Node",
    async () => {
      await page.goto(base);
      await page.waitForSelector('[data-testid="learned-ratio"]', WAIT);
      const market = parseMarketText(readFileSync(`${examples}market-k3.json`, 'utf8'), 'market-k3.json');
      const policy = parseWeights(
        readFileSync(`${examples}policy-k3/policy.json`, 'utf8'),
        new Uint8Array(readFileSync(`${examples}policy-k3/policy.bin`)).buffer,
      );
      const node = await learnedContract(market, policy, 16, { seed: 0 });
      const optimum = await solveOptimum(market);
      const shownU = Number(await text('learned-utility'));
      expect(Math.abs(shownU - node.best.cloudUtility)).toBeLessThanOrEqual(
        1e-9 * Math.abs(optimum.cloudUtility),
      );
      expect(await text('learned-ratio')).toBe((node.best.cloudUtility / optimum.cloudUtility).toFixed(4));
      expect(errors).toEqual([]);
    },
    SLOW_TEST,
  );
});
