import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

describe('plain progress (not a terminal)', () => {
  it('prints one line per logging interval with an ETA from the observed rate', () => {
    const lines: string[] = [];
    let clock = 0;
    const p = createProgress({ write: (s: string) => lines.push(s), isTTY: false }, 'train', () => clock);
    p.start(100, 20); // resumed at step 20
    clock = 10_000;
    p.update(30, { ratio: 0.5, violation: 0.25 }, false);
    clock = 20_000;
    p.update(40, { ratio: 0.81234, violation: 0.0123 }, true);
    clock = 25_000;
    p.update(100, {}, false);
    p.stop();
    // 20 steps in 20 s since the start: 60 steps left take 60 s
    expect(lines).toEqual([
      'train 40/100 (40%) U/U* 0.812 viol 0.0123 elapsed 20s ETA 1m00s\n',
      'train 100/100 (100%) elapsed 25s ETA 0s\n',
    ]);
  });
});
