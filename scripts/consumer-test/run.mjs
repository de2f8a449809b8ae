#!/usr/bin/env node
/**
 * The consumer test of issue 14: the packages as a user installs them. Packs every publishable
 * package with pnpm (after `pnpm build`), installs the tarballs with npm into fresh projects in a
 * temporary directory (npm's cache there too; only the npm registry is reached, for tfjs, typescript
 * and @types/node), and runs
 *   1. every package README's marked example (`<!-- consumer-test: run -->`) verbatim as .mjs, and
 *      every example the tarballs ship (`examples/*.mjs`),
 *   2. a strict TypeScript consumer (consumer.ts, skipLibCheck false, lib.dom) compiled with tsc,
 *   3. the exit code of an uncaught user error after the wasm backend started (must be 1),
 *   4. a project with only the checker (and its dependencies) certifying examples/contract-k3.json,
 *   5. a project with only the inference entry point and no tfjs in node_modules.
 * Usage: node scripts/consumer-test/run.mjs [--keep]   (pnpm test:consumer)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PUBLISHED = [
  'specs',
  'packages/env',
  'packages/optimum',
  'packages/contract-checker',
  'packages/diffusion-actor',
  'packages/pruning',
  'packages/sac',
];
const MARK = '<!-- consumer-test: run -->';
const keep = process.argv.includes('--keep');
const started = Date.now();

const work = mkdtempSync(join(tmpdir(), 'diffcontract-consumer-'));
const npmCache = join(work, 'npm-cache');
const tarballs = join(work, 'tarballs');

function step(what) {
  console.log(`[consumer ${((Date.now() - started) / 1000).toFixed(0)}s] ${what}`);
}

function run(cmd, args, cwd, { expectStatus = 0 } = {}) {
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: npmCache },
  });
  if (result.status !== expectStatus) {
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${cwd}) exited ${result.status} (expected ${expectStatus})\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** The version the workspace develops with (from a package's node_modules, default the root's). */
function versionOf(pkg, from = '.') {
  return JSON.parse(readFileSync(join(root, from, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function manifest(dir) {
  return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
}

function tarballOf(dir) {
  const { name, version } = manifest(dir);
  return join(tarballs, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
}

function project(name, specs) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
  return dir;
}

/** The marked code blocks of a README, in order. */
function examples(readme) {
  const text = readFileSync(readme, 'utf8');
  const blocks = [];
  for (const m of text.matchAll(/<!-- consumer-test: run -->\n```(?:js|ts)\n([\s\S]*?)\n```/g))
    blocks.push(m[1]);
  if (text.split(MARK).length - 1 !== blocks.length)
    throw new Error(`${readme}: a ${MARK} marker is not followed by a js/ts block`);
  return blocks;
}

function tfjsInstalled(dir) {
  return existsSync(join(dir, 'node_modules', '@tensorflow'));
}

try {
  step(`packing ${PUBLISHED.length} packages into ${tarballs}`);
  for (const dir of PUBLISHED) {
    if (!existsSync(join(root, dir, 'dist', 'index.js')))
      throw new Error(`${dir}: not built (run pnpm build first)`);
    run('pnpm', ['pack', '--pack-destination', tarballs], join(root, dir));
    const listing = execFileSync('tar', ['tzf', tarballOf(dir)], { encoding: 'utf8' }).split('\n');
    const unwanted = listing.filter((f) => /\.test\.|\/bench\.|\/test-[^/]*$/.test(f));
    if (unwanted.length > 0)
      throw new Error(`${dir}: tests or benches in the tarball: ${unwanted.join(', ')}`);
    for (const needed of [
      'package/LICENSE',
      'package/README.md',
      'package/docs/model.md',
      'package/dist/index.d.ts',
    ]) {
      if (!listing.includes(needed)) throw new Error(`${dir}: ${needed} missing from the tarball`);
    }
    const packed = JSON.parse(
      execFileSync('tar', ['xzf', tarballOf(dir), '-O', 'package/package.json'], { encoding: 'utf8' }),
    );
    if (JSON.stringify(packed).includes('workspace:'))
      throw new Error(`${dir}: workspace: protocol left in the packed manifest`);
  }
  const all = PUBLISHED.map(tarballOf);
  const tfjs = versionOf('@tensorflow/tfjs', 'packages/sac');

  step('full project: every tarball, tfjs and its wasm backend, typescript');
  const full = project('full', [
    ...all,
    `@tensorflow/tfjs@${tfjs}`,
    `@tensorflow/tfjs-backend-wasm@${tfjs}`,
    `typescript@${versionOf('typescript')}`,
    `@types/node@${versionOf('@types/node')}`,
  ]);
  for (const dir of PUBLISHED) {
    examples(join(root, dir, 'README.md')).forEach((code, i) => {
      const file = `readme-${dir.split('/').pop()}-${i + 1}.mjs`;
      step(`README example ${dir} #${i + 1}`);
      writeFileSync(join(full, file), `${code}\n`);
      run('node', [file], full);
    });
  }

  for (const dir of PUBLISHED) {
    const { name } = manifest(dir);
    const shipped = join(full, 'node_modules', name, 'examples');
    if (!existsSync(shipped)) continue;
    for (const file of readdirSync(shipped).filter((f) => f.endsWith('.mjs'))) {
      step(`shipped example ${name}/examples/${file}`);
      run('node', [join(shipped, file)], full);
    }
  }

  step('strict TypeScript consumer (tsc, skipLibCheck false, lib.dom)');
  copyFileSync(join(here, 'consumer.ts'), join(full, 'consumer.ts'));
  copyFileSync(join(here, 'tsconfig.json'), join(full, 'tsconfig.json'));
  copyFileSync(join(root, 'examples', 'contract-k3.json'), join(full, 'contract-k3.json'));
  // tfjs' own declarations do not pass skipLibCheck false (hash_util's Long, tfjs-layers'
  // LayersModel.inputs); every other error, in ours or in consumer.ts, fails the test.
  const tsc = spawnSync(join(full, 'node_modules', '.bin', 'tsc'), ['-p', '.'], {
    cwd: full,
    encoding: 'utf8',
  });
  const errors = tsc.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
  const ours = errors.filter((line) => !line.startsWith('node_modules/@tensorflow/'));
  if (ours.length > 0 || (tsc.status !== 0 && errors.length === 0))
    throw new Error(`tsc:\n${tsc.stdout}${tsc.stderr}`);
  if (errors.length > 0) step(`tsc: ${errors.length} errors, all in tfjs' own declarations (ignored)`);
  run('node', ['consumer.js'], full);

  step('an uncaught user error after setBackend("wasm") exits 1');
  copyFileSync(join(here, 'exit-code.mjs'), join(full, 'exit-code.mjs'));
  const crashed = run('node', ['exit-code.mjs'], full, { expectStatus: 1 });
  if (!crashed.stderr.includes('user error after setBackend'))
    throw new Error(`exit-code.mjs: stderr lacks the error\n${crashed.stderr}`);

  step('checker only: @diffcontract/contract-checker with its dependencies');
  const checker = project('checker', ['specs', 'packages/env', 'packages/contract-checker'].map(tarballOf));
  if (tfjsInstalled(checker) || existsSync(join(checker, 'node_modules', 'highs'))) {
    throw new Error('checker only: tfjs or highs was installed');
  }
  copyFileSync(join(root, 'examples', 'contract-k3.json'), join(checker, 'contract-k3.json'));
  copyFileSync(join(here, 'certify.mjs'), join(checker, 'certify.mjs'));
  run('node', ['certify.mjs'], checker);

  step('inference only: @diffcontract/diffusion-actor/inference without tfjs');
  const inference = project(
    'inference',
    ['specs', 'packages/env', 'packages/diffusion-actor'].map(tarballOf),
  );
  if (tfjsInstalled(inference))
    throw new Error(
      `inference only: tfjs in node_modules (${readdirSync(join(inference, 'node_modules', '@tensorflow'))})`,
    );
  for (const f of [
    'policy.json',
    'policy.bin',
    'policy-compact.json',
    'policy-compact.bin',
    'policy-actions.json',
    'infer.mjs',
  ]) {
    copyFileSync(f === 'infer.mjs' ? join(here, f) : join(full, f), join(inference, f));
  }
  console.log(run('node', ['infer.mjs'], inference).stdout.trim());

  step('all consumer checks passed');
} catch (error) {
  console.error(`consumer test failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
