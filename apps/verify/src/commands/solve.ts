import { formatContractFile, isFeasibleExact } from '@diffcontract/env';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';

export function defineSolve(program: Command, ctx: CliContext): void {
  program
    .command('solve')
    .description(
      'Compute the optimal contract of a market file or of a contract file (its market is used) and print it as a contract file with meta {cloudUtility, perES, upperBound, gap}.',
    )
    .argument('<file>', 'market file {"version": 1, "market": {...}} or contract file')
    .option('--out <file>', 'write the contract file here (atomically) instead of printing it')
    .action(
      ctx.action(async (file: string, options: { out?: string }) => {
        const { market } = ctx.readModel(file, { floatRanges: true });
        // Loaded on use: the solver (HiGHS, wasm) is not needed to print help or to check files.
        const { solveOptimum } = await import('@diffcontract/optimum');
        const result = await solveOptimum(market);
        // The solver promises an exactly feasible contract; a file that says otherwise must not leave.
        if (!isFeasibleExact(market, result.exactContract)) {
          throw new Error('solve: the optimum is not exactly feasible for the market as written');
        }
        const text = formatContractFile({
          market,
          contract: result.exactContract,
          meta: {
            cloudUtility: result.cloudUtility,
            perES: result.perES,
            upperBound: result.upperBound,
            gap: result.gap,
          },
        });
        ctx.emit(text, options.out);
        return EXIT.ok;
      }),
    );
}
