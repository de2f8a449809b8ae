import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { run } from './test-helpers.js';

describe('the CLI frame', () => {
  it('lists its commands and exit codes under --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: diffcontract-verify/);
    expect(stdout).toContain('solve [options] <file>');
    expect(stdout).toContain('repair [options] <file>');
    expect(stdout).toContain(
      'Exit codes: 0 success, 1 violated, 2 invalid input, 3 unknown, 4 internal error.',
    );
  });

  it('prints its version', async () => {
    const { code, stdout } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('treats a bad command line as invalid input (exit 2)', async () => {
    for (const argv of [
      [],
      ['frobnicate'],
      ['solve'],
      ['solve', 'a.json', '--nope'],
      ['solve', 'a.json', '--out'],
    ]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).not.toMatch(/\n\s+at /);
    }
    expect((await run(['sovle'])).stderr).toContain('(Did you mean solve?)');
  });

  it('reports an internal error as exit 4 on one line, with the stack only under DIFFCONTRACT_DEBUG=1', async () => {
    const failing = (env: Record<string, string>) => {
      let stderr = '';
      const io = {
        stdout: {
          write: () => {
            throw new Error('EPIPE: broken pipe');
          },
        },
        stderr: { write: (text: string) => (stderr += text) },
        env,
      };
      return main(['--help'], io).then((code) => ({ code, stderr }));
    };
    const quiet = await failing({});
    expect(quiet.code).toBe(4);
    expect(quiet.stderr).toBe(
      'internal error: EPIPE: broken pipe (set DIFFCONTRACT_DEBUG=1 for a stack trace)\n',
    );
    const loud = await failing({ DIFFCONTRACT_DEBUG: '1' });
    expect(loud.code).toBe(4);
    expect(loud.stderr).toMatch(/^internal error: EPIPE: broken pipe\nError: EPIPE: broken pipe\n\s+at /);
  });
});
