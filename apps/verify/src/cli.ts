#!/usr/bin/env node
// The diffcontract-verify executable. Commands live in src/commands/ and are listed in
// src/commands/index.ts; the frame (parsing, errors, exit codes) is src/main.ts.
import { main } from './main.js';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
// exitCode rather than exit(): let stdout drain. Solver workers are the commands' to stop.
process.exitCode = code;
