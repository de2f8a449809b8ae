import { expect, test } from 'vitest';
import { createGridProgress, gridStatusLine } from './grid-progress.js';

const snapshot = {
  total: 6,
  done: 2,
  failed: 1,
  running: [
    { id: 'sac-s1', progress: { worker: 'b:2', step: 4, steps: 24 } },
    { id: 'edmsac-s1', progress: { worker: 'a:1', step: 8, steps: 24 } },
    { id: 'dmsac-s1', progress: { worker: 'a:1', step: 0, steps: 24 } },
  ],
};

test('the status line counts the whole grid and groups running runs by worker', () => {
  expect(gridStatusLine(snapshot)).toBe(
    '2/6 done, 1 failed, 3 running, 0 waiting | a:1 edmsac-s1 8/24, dmsac-s1 0/24 | b:2 sac-s1 4/24',
  );
  expect(gridStatusLine({ total: 3, done: 0, failed: 0, running: [{ id: 'x', progress: null }] })).toBe(
    '0/3 done, 1 running, 2 waiting | ? x',
  );
});

test('off a terminal a line is written only when runs start, finish or move between workers', () => {
  const written: string[] = [];
  const out = { write: (s: string) => written.push(s) > 0, isTTY: false } as unknown as NodeJS.WritableStream;
  const p = createGridProgress(out);
  p.update(snapshot);
  const later = structuredClone(snapshot);
  later.running[0]!.progress.step = 12;
  p.update(later);
  expect(written).toHaveLength(1);
  p.update({ ...later, done: 3, running: later.running.slice(1) });
  expect(written).toHaveLength(2);
  expect(written[1]).toBe('3/6 done, 1 failed, 2 running, 0 waiting | a:1 edmsac-s1, dmsac-s1\n');
});
