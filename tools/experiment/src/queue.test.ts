import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunSpec } from './plan.js';
import { runQueue, runState, trainArgs } from './queue.js';

const spec = (id: string): RunSpec => ({
  id,
  group: 'main',
  formulation: 'allocation',
  algo: 'dmsac',
  seed: 0,
  ratio: 0,
  denoisingSteps: 5,
});

/**
 * A stand-in for the training CLI: records its arguments, writes eval.json into --out (or the --resume
 * directory) unless the run is called "bad", which exits 1.
 */
const FAKE_CLI = `
const fs = require('node:fs');
const args = process.argv.slice(2);
const dir = args[args.indexOf(args.includes('--resume') ? '--resume' : '--out') + 1];
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify(args) + '\\n');
if (dir.endsWith('bad')) { console.error('boom'); process.exit(1); }
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(dir + '/eval.json', '{}');
`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'experiment-queue-'));
  const cli = join(dir, 'fake-cli.cjs');
  writeFileSync(cli, FAKE_CLI);
  const log = join(dir, 'calls.log');
  process.env.FAKE_LOG = log;
  const calls = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as string[])
      : [];
  return { dir, cli, runsDir: join(dir, 'runs'), calls };
}

describe('resume decisions', () => {
  test('eval.json: done; config and a step checkpoint: resumable; anything else: fresh', () => {
    const { dir } = setup();
    const run = (name: string, files: string[]) => {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      for (const f of files) {
        mkdirSync(join(d, f, '..'), { recursive: true });
        if (f.endsWith('/')) mkdirSync(join(d, f), { recursive: true });
        else writeFileSync(join(d, f), '{}');
      }
      return d;
    };
    expect(runState(run('a', ['config.json', 'checkpoints/step-110/state.json', 'eval.json']))).toBe('done');
    expect(runState(run('b', ['config.json', 'checkpoints/step-110/state.json']))).toBe('resumable');
    expect(runState(run('c', ['config.json', 'checkpoints/']))).toBe('fresh');
    expect(runState(run('d', ['checkpoints/step-110/state.json']))).toBe('fresh');
    expect(runState(join(dir, 'missing'))).toBe('fresh');
  });

  test('training arguments: --config/--out for a fresh run, --resume for a checkpointed one', () => {
    expect(trainArgs('cli.js', 'c.json', 'runs/x', 'fresh')).toEqual([
      'cli.js',
      '--config',
      'c.json',
      '--out',
      'runs/x',
    ]);
    expect(trainArgs('cli.js', 'c.json', 'runs/x', 'resumable')).toEqual(['cli.js', '--resume', 'runs/x']);
  });
});

describe('the job queue', () => {
  test('runs every run once with its generated config; a rerun with resume skips them all', async () => {
    const { cli, runsDir, calls } = setup();
    const runs = ['a', 'b', 'c'].map(spec);
    const configOf = (s: RunSpec) => ({ seed: s.id.charCodeAt(0) });
    const first = await runQueue({ runs, runsDir, cli, jobs: 2, configOf, resume: false });
    expect(first.failed).toEqual([]);
    expect(first.ran.sort()).toEqual(['a', 'b', 'c']);
    expect(calls()).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(runsDir, 'b.config.json'), 'utf8'))).toEqual({ seed: 98 });
    const again = await runQueue({ runs, runsDir, cli, jobs: 2, configOf, resume: true });
    expect(again.skipped).toEqual(['a', 'b', 'c']);
    expect(again.ran).toEqual([]);
    expect(calls()).toHaveLength(3);
    // without --resume, existing runs are an error rather than silently reused
    await expect(runQueue({ runs, runsDir, cli, jobs: 2, configOf, resume: false })).rejects.toThrow(
      /already exists/,
    );
  });

  test('resume continues a checkpointed run and restarts a torn one; failures are reported, others still run', async () => {
    const { cli, runsDir, calls } = setup();
    mkdirSync(join(runsDir, 'cp', 'checkpoints', 'step-10'), { recursive: true });
    writeFileSync(join(runsDir, 'cp', 'config.json'), '{}');
    mkdirSync(join(runsDir, 'torn'), { recursive: true });
    writeFileSync(join(runsDir, 'torn', 'junk'), 'x');
    const runs = ['cp', 'torn', 'bad', 'ok'].map(spec);
    const r = await runQueue({ runs, runsDir, cli, jobs: 1, configOf: () => ({}), resume: true });
    expect(r.ran).toEqual(['cp', 'torn', 'ok']);
    expect(r.failed.map((f) => [f.id, f.code])).toEqual([['bad', 1]]);
    expect(readFileSync(r.failed[0]!.log, 'utf8')).toContain('boom');
    const args = calls();
    expect(args[0]).toEqual(['--resume', join(runsDir, 'cp')]);
    expect(args[1]).toEqual(['--config', join(runsDir, 'torn.config.json'), '--out', join(runsDir, 'torn')]);
    expect(existsSync(join(runsDir, 'torn', 'junk'))).toBe(false);
  });
});
