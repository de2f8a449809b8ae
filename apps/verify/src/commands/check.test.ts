import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shutdownZ3 } from '@diffcontract/contract-checker';
import { parseExactNumber } from '@diffcontract/env';
import { validateAgainst } from '@diffcontract/specs';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'diffcontract-verify-check-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await shutdownZ3();
});

type Item = { q: number | string; reward: number | string };
const item = (q: number | string, reward: number | string): Item => ({ q, reward });

/**
 * The hand-built feasible K = 2 contract (theta = (1/2, 1), a = 1): item (1, 2) costs type 0
 * exactly 2 (its IR binds), item (2, 5) costs type 1 exactly 4 and type 1 is indifferent between
 * the items (IC and, with identical period-2 rows, IIC bind).
 */
function feasibleFile(reward0: number | string = 2) {
  return {
    version: 1,
    market: {
      theta: ['1/2', 1],
      prior: [0.5, 0.5],
      transition: [
        [0.5, 0.5],
        [0.25, 0.75],
      ],
      a: 1,
      beta: 10,
      delta: 0.5,
      qMax: 10,
      esCount: 10,
    },
    contract: {
      period1: [item(1, reward0), item(2, 5)],
      period2: [
        [item(1, 2), item(2, 5)],
        [item(1, 2), item(2, 5)],
      ],
    },
  };
}

/**
 * delta = 0, period-2 items (0, 0): with w_k = a'/theta'_k the binding constraint under
 * perturbation is type 0 not mimicking type 1, 2 (1 - e)/(1 + e) >= 3/2, so the margin is 1/7.
 */
function marginFile() {
  const file = feasibleFile();
  file.market.delta = 0;
  file.contract.period1 = [item(1, 3), item(2, '15/2')];
  file.contract.period2 = [
    [item(0, 0), item(0, 0)],
    [item(0, 0), item(0, 0)],
  ];
  return file;
}

function write(name: string, content: unknown): string {
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return name;
}

// one z3 session for the whole file (the CLI otherwise stops z3 after each command)
const check = (...args: string[]) =>
  run(['check', ...args], { cwd: dir, env: { DIFFCONTRACT_KEEP_Z3: '1' } });
const expectSchemaValid = (cert: unknown) => expect(validateAgainst('certificate', cert)).toEqual([]);

describe('check', () => {
  it('certifies the hand-built contract: exit 0, one line per family', async () => {
    // without DIFFCONTRACT_KEEP_Z3 the command stops z3's threads, and a later check starts afresh
    const alone = await run(['check', write('feasible.json', feasibleFile())], { cwd: dir });
    expect(alone.code).toBe(0);
    const result = await check('feasible.json');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^feasible\.json: certified \(K = 2, sha256 [0-9a-f]{12}, z3 /);
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'IR1 proved',
      'IR2 proved',
      'IC2 proved',
      'IIC proved',
    ]);
  });

  it('reports the exact gain of a 1e-12 underpayment and exits 1', async () => {
    const result = await check(write('under.json', feasibleFile('1.999999999999')));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'IR1 violated period-1 type 0 refuses period1[0] (outside option 0): gains 1/1000000000000 = 0.000000000001 (the worst)',
    );
  });

  it('--json prints a certificate that matches specs/certificate.schema.json', async () => {
    const result = await check(write('under.json', feasibleFile('1.999999999999')), '--json');
    expect(result.code).toBe(1);
    const cert = JSON.parse(result.stdout);
    expectSchemaValid(cert);
    expect(cert.verdict).toBe('violated');
    expect(cert.families.IR1.counterexample.gain.fraction).toBe('1/1000000000000');
  });

  it('checks a directory in one process, with plain progress lines off a terminal, and --out', async () => {
    mkdirSync(join(dir, 'batch'), { recursive: true });
    write('batch/a-feasible.json', feasibleFile());
    write('batch/b-under.json', feasibleFile('1.999999999999'));
    write('batch/c-margin.json', marginFile());
    writeFileSync(join(dir, 'batch', 'notes.txt'), 'not a contract');
    const result = await check('batch', '--json', '--out', 'certs');
    expect(result.code).toBe(1);
    const payload = JSON.parse(result.stdout) as { file: string; certificate: { verdict: string } }[];
    expect(payload.map((p) => [p.file, p.certificate.verdict])).toEqual([
      [join('batch', 'a-feasible.json'), 'certified'],
      [join('batch', 'b-under.json'), 'violated'],
      [join('batch', 'c-margin.json'), 'certified'],
    ]);
    expect(result.stderr).toMatch(/^\[1\/3\] batch\/a-feasible\.json: certified\n/);
    expect(result.stderr).toContain('[3/3] batch/c-margin.json: certified\n');
    expect(readdirSync(join(dir, 'certs')).sort()).toEqual([
      'a-feasible.certificate.json',
      'b-under.certificate.json',
      'c-margin.certificate.json',
    ]);
    const written = JSON.parse(readFileSync(join(dir, 'certs', 'b-under.certificate.json'), 'utf8'));
    expectSchemaValid(written);
    expect(written.contractSha256).toBe(
      (payload[1]!.certificate as unknown as { contractSha256: string }).contractSha256,
    );
  });

  it('--robust: certified with enough slack, violated beyond it', async () => {
    const file = write('margin.json', marginFile());
    expect((await check(file, '--robust', '0.1')).code).toBe(0);
    const beyond = await check(file, '--robust', '1/6');
    expect(beyond.code).toBe(1);
    expect(beyond.stdout).toMatch(
      /IIC violated period-1 type 0 reports 1, then reports truthfully: gains .* at theta' = \[/,
    );
  });

  it('--margin brackets the hand-computed margin 1/7', async () => {
    const result = await check(
      write('margin.json', marginFile()),
      '--margin',
      '--margin-tolerance',
      '0.01',
      '--json',
    );
    expect(result.code).toBe(0);
    const cert = JSON.parse(result.stdout);
    expectSchemaValid(cert);
    const lo = parseExactNumber(cert.margin.lo.fraction);
    const hi = parseExactNumber(cert.margin.hi.fraction);
    expect(lo.compare('1/7')).toBeLessThanOrEqual(0);
    expect(hi.compare('1/7')).toBeGreaterThan(0);
    expect(hi.sub(lo).compare('1/100')).toBeLessThanOrEqual(0);
    const human = await check('margin.json', '--margin', '--margin-tolerance', '0.01');
    expect(human.stdout).toMatch(
      /margin {3}certified for EPS <= 0\.1\d*; violated at EPS = 0\.1\d* \(tolerance 0\.01, \d+ checks\)/,
    );
  });

  it('exits 3 when z3 runs out of resources and nothing is violated', async () => {
    const k3 = JSON.parse(
      readFileSync(new URL('../../../../examples/contract-k3.json', import.meta.url), 'utf8'),
    );
    // a resource limit, unlike a 1 ms timeout, runs out identically on every machine and load
    const result = await check(write('k3.json', k3), '--robust', '1/100', '--rlimit', '1');
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/: unknown, robust EPS = 0\.01/);
    expect(result.stdout).toContain('limit 10000 ms and rlimit 1 per query)');
  });
});

describe('check: bad input exits 2 with one line', () => {
  const edit = (change: (f: ReturnType<typeof feasibleFile> & Record<string, unknown>) => unknown) => {
    const file = feasibleFile();
    change(file as ReturnType<typeof feasibleFile> & Record<string, unknown>);
    return JSON.stringify(file);
  };
  const cases: [string, string, string][] = [
    [
      'item counts not matching K',
      edit((f) => f.contract.period1.push(item(3, 9))),
      'error: bad.json: contract.period1: must have 2 entries (K = 2)',
    ],
    [
      'zero denominator',
      edit((f) => ((f.contract.period1[0] as Item).reward = '2/0')),
      'error: bad.json: contract.period1[0].reward: fraction with a zero denominator ("2/0")',
    ],
    [
      '"0x10"',
      edit((f) => ((f.market as Record<string, unknown>).beta = '0x10')),
      'error: bad.json: market.beta: must be a number',
    ],
    [
      '"Infinity"',
      edit((f) => ((f.contract.period2[0]![0] as Item).q = 'Infinity')),
      'error: bad.json: contract.period2[0][0].q:',
    ],
    [
      '"1/-0"',
      edit((f) => ((f.contract.period2[1]![1] as Item).q = '1/-0')),
      'error: bad.json: contract.period2[1][1].q:',
    ],
    [
      'oversize file',
      `${JSON.stringify(feasibleFile())}${' '.repeat(1024 * 1024)}`,
      'error: bad.json: file too large:',
    ],
  ];
  it.each(cases)('%s', async (_name, text, expected) => {
    const result = await check(write('bad.json', text));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(expected), result.stderr).toBe(true);
    expect(result.stderr.trimEnd()).not.toContain('\n');
  });

  it('fails before proving anything when one of several files is bad', async () => {
    write('good.json', feasibleFile());
    write(
      'bad.json',
      edit((f) => f.contract.period2.pop()),
    );
    const result = await check('good.json', 'bad.json');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^error: bad\.json: contract\.period2: must have 2 entries \(K = 2\)/);
  });

  it('refuses a market file, a missing file and an empty directory', async () => {
    write('market.json', { version: 1, market: feasibleFile().market });
    expect((await check('market.json')).stderr).toBe(
      'error: market.json: contract: missing required field\n',
    );
    expect((await check('nothing.json')).stderr).toBe('error: nothing.json: cannot read: no such file\n');
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const empty = await check('empty');
    expect(empty).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: empty: directory holds no .json contract files\n',
    });
  });

  it.each([
    [['--robust', '1'], 'error: --robust: must be >= 0 and < 1 ("1")'],
    [['--robust', '0x10'], 'error: --robust: not an exact number'],
    [['--timeout', '1.5'], 'error: --timeout: must be a whole number of milliseconds >= 1 ("1.5")'],
    [['--iic', 'some'], 'error: --iic: must be "identity" or "all" ("some")'],
    [['--margin-tolerance', '0'], 'error: --margin-tolerance: must be > 0 and < 1 ("0")'],
  ])('rejects options %j', async (options, expected) => {
    const result = await check(write('good.json', feasibleFile()), ...options);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(expected), result.stderr).toBe(true);
  });
});
