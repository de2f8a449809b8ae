/** node:crypto in the browser: the synchronous SHA-256 the checker's contract hash needs. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export function createHash(algorithm: string) {
  if (algorithm !== 'sha256') throw new Error(`createHash: only sha256 in the browser (${algorithm})`);
  const chunks: Uint8Array[] = [];
  const hash = {
    update(text: string) {
      chunks.push(new TextEncoder().encode(text));
      return hash;
    },
    digest(encoding: string) {
      if (encoding !== 'hex') throw new Error(`digest: only hex in the browser (${encoding})`);
      const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      return bytesToHex(sha256(all));
    },
  };
  return hash;
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
export default { createHash, randomBytes };
