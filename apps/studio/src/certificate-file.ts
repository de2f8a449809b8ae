/** The contract file of model.md section 8 with its certificate embedded, as `verify certify` writes it. */
import type { Certificate } from '@diffcontract/contract-checker';
import { formatContractFile, parseModelText } from '@diffcontract/env';

export function certifiedFileText(contractText: string, certificate: Certificate): string {
  const file = parseModelText(contractText, 'contract', { expect: 'contract' });
  return formatContractFile({
    market: file.market,
    contract: file.contract!,
    ...(file.meta === undefined ? {} : { meta: file.meta as Record<string, string | number | boolean> }),
    certificate: certificate as unknown as Record<string, unknown>,
  });
}
