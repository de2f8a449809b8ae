#!/usr/bin/env node
/**
 * Writes the README's screenshot (screenshot.png) of the page with the example market, its
 * optimum, the example policy's contract and the certificate, taken by headless chromium.
 * Usage: node apps/studio/scripts/screenshot.mjs [chromium executable]
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { ensureBuilt, serve } from './serve.mjs';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = process.argv[2] ?? process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!ensureBuilt()) process.exit(4);
const server = await serve({ port: 0 });
const browser = await puppeteer.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('[data-testid="certificate-verdict"]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="learned-ratio"]', { timeout: 60_000 });
  await page.screenshot({ path: join(appDir, 'screenshot.png'), fullPage: true });
} finally {
  await browser.close();
  server.close();
}
