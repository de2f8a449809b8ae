#!/usr/bin/env node
// prepack of every published package: the tarball carries the repository's LICENSE and the model
// (docs/model.md) that its README links to, which live once at the repository root.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = process.cwd();
copyFileSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));
mkdirSync(join(pkg, 'docs'), { recursive: true });
copyFileSync(join(root, 'docs', 'model.md'), join(pkg, 'docs', 'model.md'));
