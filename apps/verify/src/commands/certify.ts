import { cloudUtility, formatContractFile, toFloatContract, toFloatMarket } from '@diffcontract/env';
import { repairContract } from '@diffcontract/optimum';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import {
  certificateFor,
  exitCodeOf,
  type ProofOptions,
  parseProofOptions,
  releaseZ3,
  withProofOptions,
} from './check.js';

export function defineCertify(program: Command, ctx: CliContext): void {
  const command = program
    .command('certify')
    .description(
      'Prove a contract with z3 (as `check` does) and print the contract file with its certificate under "certificate" (a violated one carries its counterexample). With --repair, first make it exactly feasible as `repair` does and certify that. Exit 0 certified, 1 violated, 3 unknown; the file is printed either way.',
    )
    .argument('<file>', 'contract file')
    .option(
      '--repair',
      'repair first (the cloud-best exactly feasible contract keeping q) and certify the repaired contract',
    )
    .option('--out <file>', 'write the certified contract file here (atomically) instead of printing it');
  withProofOptions(command).action(
    ctx.action(async (file: string, options: ProofOptions & { out?: string; repair?: boolean }) => {
      const proof = parseProofOptions(options);
      const { market, contract: given } = ctx.readModel(file, { expect: 'contract', floatRanges: true });
      const repaired = options.repair ? await repairContract(market, given!) : null;
      const contract = repaired?.contract ?? given!;
      let certificate: Awaited<ReturnType<typeof certificateFor>>;
      try {
        certificate = await certificateFor(market, contract, proof);
      } finally {
        await releaseZ3(ctx);
      }
      const utility =
        repaired?.cloudUtility ?? cloudUtility(toFloatMarket(market), toFloatContract(contract));
      const text = formatContractFile({
        market,
        contract,
        meta: {
          source: repaired ? 'certify --repair' : 'certify',
          cloudUtility: utility,
          perES: utility / market.esCount,
          ...(repaired ? { changedAllocation: repaired.changedAllocation } : {}),
        },
        certificate: certificate as unknown as Record<string, unknown>,
      });
      ctx.emit(text, options.out);
      const code = exitCodeOf([certificate]);
      if (code !== EXIT.ok) {
        ctx.stderr.write(
          `certify: ${file}: the ${repaired ? 'repaired ' : ''}contract is ${certificate.verdict}, not certified\n`,
        );
      }
      return code;
    }),
  );
}
