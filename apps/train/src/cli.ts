#!/usr/bin/env node
import { shutdownZ3 } from '@diffcontract/contract-checker';
import { main } from './main.js';

// First Ctrl-C: finish the current step, checkpoint, exit 130. Second: quit at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
  process.stderr.write('\nstopping after this step with a checkpoint (Ctrl-C again to quit now)\n');
});

const code = await main(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
  {
    signal: controller.signal,
  },
);
// z3's worker threads (certification) would keep the process alive.
await shutdownZ3();
process.exit(code);
