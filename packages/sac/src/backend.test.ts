import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { BackendUnavailableError, setBackend } from './backend.js';

describe('setBackend', () => {
  // first in this file: the wasm backend's Emscripten module starts (once per process) right here
  test('starting wasm leaves no process handler behind (a user error would otherwise exit 7)', async () => {
    const counts = () => [
      process.listenerCount('uncaughtException'),
      process.listenerCount('unhandledRejection'),
    ];
    const before = counts();
    await setBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(counts()).toEqual(before);
  });

  test('wasm and cpu start and compute the same matMul', async () => {
    const a = [1, 2, 3, 4];
    const results: number[][] = [];
    for (const name of ['wasm', 'cpu'] as const) {
      const info = await setBackend(name);
      expect(info.name).toBe(name);
      expect(tf.getBackend()).toBe(name);
      results.push(
        Array.from(tf.tidy(() => tf.matMul(tf.tensor2d(a, [2, 2]), tf.tensor2d(a, [2, 2]))).dataSync()),
      );
    }
    expect(results[0]).toEqual([7, 10, 15, 22]);
    expect(results[1]).toEqual(results[0]);
  });

  test("'tensorflow' without the native package explains how to install it and why it may fail", async () => {
    const error = await setBackend('tensorflow').catch((e: unknown) => e);
    if (!(error instanceof Error)) return; // a working native build is installed here: nothing to report
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toMatch(/pnpm add @tensorflow\/tfjs-node@4\.22\.0/);
    expect((error as Error).message).toMatch(/onlyBuiltDependencies/);
    expect((error as Error).message).toMatch(/downloads the libtensorflow binary/);
  });

  test("'auto' falls back to wasm here and unknown names are rejected", async () => {
    const info = await setBackend('auto');
    expect(['tensorflow', 'wasm']).toContain(info.name);
    await expect(setBackend('gpu' as never)).rejects.toThrow(
      'backend: must be one of auto, wasm, cpu, tensorflow ("gpu")',
    );
  });
});
