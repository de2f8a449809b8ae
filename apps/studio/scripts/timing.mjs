#!/usr/bin/env node
/**
 * How long the page takes: navigation to U*, to the certificate and to the learned contract, on the
 * example market, three fresh pages in one chromium (the later ones may reuse cached compiled wasm).
 * Usage: node apps/studio/scripts/timing.mjs [chromium executable]   (builds first if needed)
 */
import puppeteer from 'puppeteer-core';
import { ensureBuilt, serve } from './serve.mjs';

const executablePath = process.argv[2] ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!ensureBuilt()) process.exit(4);
const server = await serve({ port: 0 });
const browser = await puppeteer.launch({ executablePath, args: ['--no-sandbox'] });
try {
  for (let load = 1; load <= 3; load++) {
    const page = await browser.newPage();
    const started = Date.now();
    const at = async (testId) => {
      await page.waitForSelector(`[data-testid="${testId}"]`, { timeout: 60_000 });
      return Date.now() - started;
    };
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const optimum = await at('optimum-utility');
    const certificate = await at('certificate-verdict');
    const learned = await at('learned-ratio');
    const proof = await page.$eval('.verdict-line .muted', (e) => e.textContent);
    console.log(
      `load ${load}: U* ${optimum} ms, certificate ${certificate} ms, learned ${learned} ms; proof ${proof}`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
