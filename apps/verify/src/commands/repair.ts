import { formatContractFile, isFeasibleExact } from '@diffcontract/env';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';

export function defineRepair(program: Command, ctx: CliContext): void {
  program
    .command('repair')
    .description(
      "Print the cloud-best exactly feasible contract that keeps the contract's contributions q when they are implementable (else the nearest implementable allocation), with meta {cloudUtility, perES, changedAllocation}.",
    )
    .argument('<file>', 'contract file')
    .option('--out <file>', 'write the repaired contract file here (atomically) instead of printing it')
    .action(
      ctx.action(async (file: string, options: { out?: string }) => {
        const { market, contract } = ctx.readModel(file, { expect: 'contract', floatRanges: true });
        // Loaded on use: the solver (HiGHS, wasm) is not needed to print help or to check files.
        const { repairContract } = await import('@diffcontract/optimum');
        const result = await repairContract(market, contract!);
        if (!isFeasibleExact(market, result.contract)) {
          throw new Error('repair: the repaired contract is not exactly feasible');
        }
        // The input's meta and certificate describe the old contract, so neither is carried over.
        const text = formatContractFile({
          market,
          contract: result.contract,
          meta: {
            cloudUtility: result.cloudUtility,
            perES: result.cloudUtility / market.esCount,
            changedAllocation: result.changedAllocation,
          },
        });
        ctx.emit(text, options.out);
        return EXIT.ok;
      }),
    );
}
