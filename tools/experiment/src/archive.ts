/**
 * A run directory as one gzipped tar buffer, so checkpoints and results travel through Redis and no
 * folder has to be shared between the coordinator and the workers.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create, extract } from 'tar';

function withTemp<T>(fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'diffcontract-archive-'));
  try {
    return fn(join(dir, 'a.tgz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Packs `entries` (paths relative to `dir`, folders recursively) leaving out every path for which
 * `exclude` holds (relative, `/`-separated, e.g. `checkpoints/step-000000020/agent.bin`).
 */
export function packDir(
  dir: string,
  entries: readonly string[],
  exclude: (path: string) => boolean = () => false,
): Buffer {
  return withTemp((file) => {
    create(
      {
        gzip: { level: 1 },
        sync: true,
        file,
        cwd: dir,
        portable: true,
        filter: (path) => !exclude(path.replace(/^\.\//, '')),
      },
      [...entries],
    );
    return readFileSync(file);
  });
}

/** Unpacks an archive of packDir into `dir`, which is replaced as a whole (temp folder + rename). */
export function unpackDir(archive: Uint8Array, dir: string): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, '.incoming-'));
  try {
    withTemp((file) => {
      writeFileSync(file, archive);
      extract({ sync: true, file, cwd: staging, strict: true });
    });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
