/**
 * The browser the page tests drive: Debian's chromium through puppeteer-core (no browser download).
 * CHROME_PATH names another executable. Missing locally, the tests skip and say why; in CI (CI set)
 * a missing browser is a failure, since .ci/run installs it.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export function findChromium(): string | null {
  const named = process.env.CHROME_PATH;
  if (named !== undefined && named !== '') return existsSync(named) ? named : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

export const SKIP_MESSAGE =
  'studio browser tests skipped: no chromium found (apt-get install -y chromium, or set CHROME_PATH)';
