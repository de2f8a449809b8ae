/**
 * The experiment CLI and the training app as real processes in the tests, run from their sources
 * (tests need no build): node with the workspace's source condition and the tsx loader.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const TRAIN_CLI = join(ROOT, 'apps/train/src/cli.ts');
const MAIN = join(ROOT, 'tools/experiment/src/main.ts');

export const SOURCE_NODE_ARGS: readonly string[] = [
  '--conditions=@diffcontract/source',
  '--import',
  pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href,
];

export interface Proc {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<number | null>;
}

/** `diffcontract-experiment ARGS` from sources, stdout and stderr collected together. */
export function experiment(args: readonly string[], cwd: string): Proc {
  const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, MAIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) =>
    child.on('close', (code, signal) => r(signal ? null : code)),
  );
  return { child, pid: child.pid!, output: () => out, exited };
}

/** Processes whose parent is `pid` (Linux /proc). */
export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // field 4 of stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

/** Running (a zombie, dead but not yet reaped by its new parent, counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
