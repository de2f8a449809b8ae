import { formatContractFile } from '@diffcontract/env';
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
      'Repair a contract (as `repair` does), prove it with z3 (as `check` does) and print the repaired contract file with the certificate under "certificate". Exit 0 certified, 1 violated, 3 unknown; the file is printed either way.',
    )
    .argument('<file>', 'contract file')
    .option('--out <file>', 'write the certified contract file here (atomically) instead of printing it');
  withProofOptions(command).action(
    ctx.action(async (file: string, options: ProofOptions & { out?: string }) => {
      const proof = parseProofOptions(options);
      const { market, contract } = ctx.readModel(file, { expect: 'contract', floatRanges: true });
      const repaired = await repairContract(market, contract!);
      let certificate: Awaited<ReturnType<typeof certificateFor>>;
      try {
        certificate = await certificateFor(market, repaired.contract, proof);
      } finally {
        await releaseZ3(ctx);
      }
      const text = formatContractFile({
        market,
        contract: repaired.contract,
        meta: {
          source: 'certify',
          cloudUtility: repaired.cloudUtility,
          perES: repaired.cloudUtility / market.esCount,
          changedAllocation: repaired.changedAllocation,
        },
        certificate: certificate as unknown as Record<string, unknown>,
      });
      ctx.emit(text, options.out);
      const code = exitCodeOf([certificate]);
      if (code !== EXIT.ok) {
        // repair promises exact feasibility, so anything but certified deserves a loud line
        ctx.stderr.write(
          `certify: ${file}: the repaired contract is ${certificate.verdict}, not certified\n`,
        );
      }
      return code;
    }),
  );
}
