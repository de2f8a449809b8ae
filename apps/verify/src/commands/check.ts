import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type Certificate,
  type Counterexample,
  checkContract,
  DEFAULT_CHECK_OPTIONS,
  DEFAULT_MARGIN_OPTIONS,
  type FamilyResult,
  type IicMethod,
  robustnessMargin,
  shutdownZ3,
} from '@diffcontract/contract-checker';
import {
  type ExactContract,
  type ExactMarket,
  ExactNumberError,
  FileInputError,
  formatExact,
  formatJson,
  parseExactNumber,
  type Rational,
} from '@diffcontract/env';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** Options shared by check and certify. */
export interface ProofOptions {
  robust?: string;
  timeout?: string;
  rlimit?: string;
  iic?: string;
}

export interface ParsedProofOptions {
  robust: Rational | null;
  timeoutMs: number;
  resourceLimit: number;
  iicMethod: IicMethod;
}

function exactOption(name: string, text: string): Rational {
  try {
    return parseExactNumber(text);
  } catch (error) {
    if (error instanceof ExactNumberError) throw new UsageError(`${name}: ${error.message}`);
    throw error;
  }
}

export function parseProofOptions(options: ProofOptions): ParsedProofOptions {
  let robust: Rational | null = null;
  if (options.robust !== undefined) {
    robust = exactOption('--robust', options.robust);
    if (robust.s < 0n || robust.compare(1) >= 0) {
      throw new UsageError(`--robust: must be >= 0 and < 1 (${JSON.stringify(options.robust)})`);
    }
  }
  let timeoutMs: number = DEFAULT_CHECK_OPTIONS.timeoutMs;
  if (options.timeout !== undefined) {
    if (!/^[1-9][0-9]{0,8}$/.test(options.timeout)) {
      throw new UsageError(
        `--timeout: must be a whole number of milliseconds >= 1 (${JSON.stringify(options.timeout)})`,
      );
    }
    timeoutMs = Number(options.timeout);
  }
  let resourceLimit: number = DEFAULT_CHECK_OPTIONS.resourceLimit;
  if (options.rlimit !== undefined) {
    if (!/^[1-9][0-9]{0,9}$/.test(options.rlimit)) {
      throw new UsageError(`--rlimit: must be a whole number >= 1 (${JSON.stringify(options.rlimit)})`);
    }
    resourceLimit = Number(options.rlimit);
  }
  const iic = options.iic ?? DEFAULT_CHECK_OPTIONS.iicMethod;
  if (iic !== 'identity' && iic !== 'all') {
    throw new UsageError(`--iic: must be "identity" or "all" (${JSON.stringify(iic)})`);
  }
  return { robust, timeoutMs, resourceLimit, iicMethod: iic };
}

/** Adds --robust, --timeout and --iic to a command. */
export function withProofOptions(command: Command): Command {
  return command
    .option(
      '--robust <eps>',
      "prove the constraints for every theta'_k and a' within relative EPS of the file's values (0 <= EPS < 1, exact decimal or fraction)",
    )
    .option(
      '--timeout <ms>',
      `z3 timeout per query in milliseconds (default ${DEFAULT_CHECK_OPTIONS.timeoutMs})`,
    )
    .option('--rlimit <n>', 'z3 resource limit per query: deterministic, unlike --timeout (default none)')
    .option(
      '--iic <method>',
      'IIC proof: "identity" proves IC2 first and then IIC with truthful period-2 reports; "all" proves IIC against every misreport combined with every period-2 strategy (default identity)',
    );
}

/**
 * Stops z3's worker threads after a command, which the process needs in order to exit. In-process
 * callers that run many commands (tests) set DIFFCONTRACT_KEEP_Z3=1 to keep one z3 session across
 * them, and call shutdownZ3() themselves at the end.
 */
export async function releaseZ3(ctx: CliContext): Promise<void> {
  if (ctx.env.DIFFCONTRACT_KEEP_Z3 !== '1') await shutdownZ3();
}

export function exitCodeOf(certificates: Certificate[]): ExitCode {
  if (certificates.some((c) => c.verdict === 'violated')) return EXIT.violated;
  if (certificates.some((c) => c.verdict === 'unknown')) return EXIT.unknown;
  return EXIT.ok;
}

/** The contract files named: files as given, directories as their *.json files in name order. */
function expandInputs(ctx: CliContext, inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let isDirectory = false;
    try {
      isDirectory = statSync(ctx.resolvePath(input)).isDirectory();
    } catch {
      // a missing file is reported by the reader with its usual message
    }
    if (!isDirectory) {
      files.push(input);
      continue;
    }
    const names = readdirSync(ctx.resolvePath(input))
      .filter((name) => name.endsWith('.json'))
      .sort();
    if (names.length === 0) throw new FileInputError(input, 'directory holds no .json contract files');
    files.push(...names.map((name) => join(input, name)));
  }
  return files;
}

const FAMILY_METHOD: Record<FamilyResult['method'], string> = {
  direct: '',
  'identity-after-IC2': ', sigma = identity after IC2',
  'all-deviations': ', every misreport x every period-2 strategy',
};

function value(v: { fraction: string; decimal: string; decimalExact: boolean }): string {
  if (v.fraction === v.decimal) return v.fraction;
  return `${v.fraction} = ${v.decimalExact ? '' : '~'}${v.decimal}`;
}

function counterexampleLine(cx: Counterexample): string {
  let line = `${cx.deviation}: gains ${value(cx.gain)}${cx.worst ? ' (the worst)' : ''}`;
  if (cx.perturbed !== undefined) {
    line += ` at theta' = [${cx.perturbed.theta.map((t) => t.decimal).join(', ')}], a' = ${cx.perturbed.a.decimal}`;
  }
  if (!cx.exact) line += ' (z3 approximations)';
  return line;
}

/** The human summary: a header, one line per family, and the counterexample under a violated one. */
export function summary(file: string, cert: Certificate): string {
  const robust = cert.robust === null ? '' : `, robust EPS = ${cert.robust.eps.decimal}`;
  const lines = [
    `${file}: ${cert.verdict}${robust} (K = ${cert.types}, sha256 ${cert.contractSha256.slice(0, 12)}, z3 ${cert.solver.version}, ${cert.timeMs.toFixed(0)} ms)`,
  ];
  for (const f of Object.values(cert.families)) {
    const head = `  ${f.family.padEnd(4)}${f.status.padEnd(9)}`;
    const scope = `${f.instances} instance${f.instances === 1 ? '' : 's'}${FAMILY_METHOD[f.method]}`;
    if (f.status === 'proved') lines.push(`${head}${scope}`);
    if (f.status === 'unknown') {
      lines.push(
        `${head}${scope}; z3 gave up (${f.unknown!.reason}, limit ${f.unknown!.timeoutMs} ms${f.unknown!.resourceLimit ? ` and rlimit ${f.unknown!.resourceLimit}` : ''} per query)`,
      );
    }
    if (f.status === 'violated') lines.push(`${head}${counterexampleLine(f.counterexample!)}`);
    if (f.note !== undefined) lines.push(`      note: ${f.note}`);
  }
  const m = cert.margin;
  if (m !== undefined) {
    lines.push(
      m.certifiedAtZero
        ? `  margin   certified for EPS <= ${m.lo!.decimal}; ${m.hiReason === 'domain' ? 'the whole domain EPS < 1' : `${m.hiReason} at EPS = ${m.hi!.decimal}`} (tolerance ${m.tolerance.decimal}, ${m.steps.length} checks)`
        : '  margin   none: the contract as written is not certified',
    );
  }
  return `${lines.join('\n')}\n`;
}

interface Progress {
  tick(file: string, cert: Certificate): void;
  stop(): void;
}

/** A bar on a terminal; plain `[n/total] file: verdict` lines otherwise (only for several files). */
function progress(ctx: CliContext, total: number): Progress {
  if (total < 2) return { tick: () => undefined, stop: () => undefined };
  if (ctx.stderr.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'check [{bar}] {value}/{total} {file}',
        stream: ctx.stderr as NodeJS.WriteStream,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { file: '' });
    return { tick: (file) => bar.increment(1, { file }), stop: () => bar.stop() };
  }
  let done = 0;
  return {
    tick: (file, cert) => {
      done++;
      ctx.stderr.write(`[${done}/${total}] ${file}: ${cert.verdict}\n`);
    },
    stop: () => undefined,
  };
}

/** Checks one contract (and its margin when asked); shared with certify. */
export async function certificateFor(
  market: ExactMarket,
  contract: ExactContract,
  proof: ParsedProofOptions,
  margin?: { tolerance: Rational },
): Promise<Certificate> {
  const cert = await checkContract(market, contract, proof);
  if (margin !== undefined) {
    cert.margin = await robustnessMargin(market, contract, {
      tolerance: margin.tolerance,
      timeoutMs: proof.timeoutMs,
      iicMethod: proof.iicMethod,
    });
  }
  return cert;
}

interface CheckOptions extends ProofOptions {
  json?: boolean;
  margin?: boolean;
  marginTolerance?: string;
  out?: string;
}

function certificateNames(files: string[]): string[] {
  const used = new Map<string, number>();
  return files.map((file) => {
    const stem = basename(file).replace(/\.json$/, '');
    const n = (used.get(stem) ?? 0) + 1;
    used.set(stem, n);
    return `${n === 1 ? stem : `${stem}-${n}`}.certificate.json`;
  });
}

export function defineCheck(program: Command, ctx: CliContext): void {
  const command = program
    .command('check')
    .description(
      'Prove IR1, IR2, IC2 and IIC (model.md section 4) of contract files with z3, numbers exactly as written. Prints one line per family (and the counterexample of a violated one), or the certificate JSON. Exit 0 all certified, 1 some violated, 3 some unknown and none violated.',
    )
    .argument('<files...>', 'contract files, or directories of *.json contract files')
    .option('--json', 'print the certificate JSON (an array of {file, certificate} for several files)')
    .option('--margin', 'also bracket the largest EPS for which --robust EPS certifies, by bisection')
    .option(
      '--margin-tolerance <tol>',
      `width of the margin bracket (default ${formatExact(DEFAULT_MARGIN_OPTIONS.tolerance)})`,
    )
    .option('--out <dir>', 'also write one <name>.certificate.json per contract into this directory');
  withProofOptions(command).action(
    ctx.action(async (inputs: string[], options: CheckOptions) => {
      const proof = parseProofOptions(options);
      let tolerance = DEFAULT_MARGIN_OPTIONS.tolerance;
      if (options.marginTolerance !== undefined) {
        tolerance = exactOption('--margin-tolerance', options.marginTolerance);
        if (tolerance.s < 0n || tolerance.n === 0n || tolerance.compare(1) >= 0) {
          throw new UsageError(
            `--margin-tolerance: must be > 0 and < 1 (${JSON.stringify(options.marginTolerance)})`,
          );
        }
      }
      const files = expandInputs(ctx, inputs);
      // Every file is read and validated before z3 starts, so bad input fails fast with exit 2.
      const models = files.map((file) => ctx.readModel(file, { expect: 'contract' }));
      if (options.out !== undefined) {
        try {
          mkdirSync(ctx.resolvePath(options.out), { recursive: true });
        } catch (error) {
          throw new FileInputError(
            options.out,
            `cannot create directory (${(error as NodeJS.ErrnoException).code ?? error})`,
          );
        }
      }
      const names = certificateNames(files);
      const certificates: Certificate[] = [];
      const bar = progress(ctx, files.length);
      try {
        for (const [k, model] of models.entries()) {
          const cert = await certificateFor(
            model.market,
            model.contract!,
            proof,
            options.margin === true ? { tolerance } : undefined,
          );
          certificates.push(cert);
          bar.tick(files[k]!, cert);
          if (options.out !== undefined) ctx.emit(formatJson(cert), join(options.out, names[k]!));
        }
      } finally {
        bar.stop();
        await releaseZ3(ctx);
      }
      if (options.json === true) {
        const payload =
          files.length === 1
            ? certificates[0]
            : certificates.map((certificate, k) => ({ file: files[k], certificate }));
        ctx.stdout.write(formatJson(payload));
      } else {
        ctx.stdout.write(certificates.map((cert, k) => summary(files[k]!, cert)).join(''));
      }
      return exitCodeOf(certificates);
    }),
  );
}
