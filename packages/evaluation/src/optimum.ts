/**
 * U* of the markets an evaluation reports on: always the exact optimum of the exact (decimal)
 * market. A training run keeps them in its directory (solved once per run, so a resumed run or a
 * later `eval` does not solve them again); entries are keyed by a hash of the exact market, so a
 * cache can never answer for a different market.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ExactMarket, formatMarketFile, writeFileAtomic } from '@diffcontract/env';
import { solveOptimum } from '@diffcontract/optimum';

export interface OptimumEntry {
  /** sha256 of the market file text of the exact market */
  key: string;
  /** U (N included) of the exactly feasible optimal contract */
  uStar: number;
  /** upper bound on U* from the solver's relaxation */
  upperBound: number;
  /** proven relative gap (upperBound - uStar) / |upperBound| */
  gap: number;
}

interface CacheFile {
  version: 1;
  entries: OptimumEntry[];
}

export function marketKey(market: ExactMarket): string {
  return createHash('sha256').update(formatMarketFile(market)).digest('hex');
}

function readCache(path: string | undefined): Map<string, OptimumEntry> {
  if (path === undefined) return new Map();
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (file.version === 1 && Array.isArray(file.entries))
      return new Map(file.entries.map((e) => [e.key, e]));
  } catch {
    // Missing or unreadable cache: solve again.
  }
  return new Map();
}

/**
 * U* for each market, from the cache at `cachePath` where present, solved (and added) otherwise;
 * without a cache path every market is solved and nothing is written.
 */
export async function optimumFor(
  markets: readonly ExactMarket[],
  cachePath?: string,
  onSolved?: (done: number, total: number) => void,
): Promise<OptimumEntry[]> {
  const cache = readCache(cachePath);
  const out: OptimumEntry[] = [];
  let solved = 0;
  for (const market of markets) {
    const key = marketKey(market);
    let entry = cache.get(key);
    if (!entry) {
      const r = await solveOptimum(market);
      entry = { key, uStar: r.cloudUtility, upperBound: r.upperBound, gap: r.gap };
      cache.set(key, entry);
      solved++;
    }
    out.push(entry);
    onSolved?.(out.length, markets.length);
  }
  if (solved > 0 && cachePath !== undefined) {
    const file: CacheFile = { version: 1, entries: [...cache.values()] };
    writeFileAtomic(cachePath, `${JSON.stringify(file, null, 1)}\n`);
  }
  return out;
}
