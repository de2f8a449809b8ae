#!/usr/bin/env node
// The diffcontract-verify executable. Commands live in src/commands/ and are listed in
// src/commands/index.ts; the frame (parsing, errors, exit codes) is src/main.ts.
import { main } from './main.js';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });

const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((done) => stream.write('', () => done()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// Exit explicitly once the output is out: solver runtimes (HiGHS, z3 workers) may otherwise keep
// the process alive, or slow its shutdown, after the answer is already printed.
process.exit(code);
