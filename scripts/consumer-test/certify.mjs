// Checker-only project: certify the repository's example contract file, then write it certified.
import { checkContract, shutdownZ3 } from '@diffcontract/contract-checker';
import { formatContractFile, readModelFile, writeFileAtomic } from '@diffcontract/env';

const file = readModelFile('contract-k3.json', { expect: 'contract' });
const certificate = await checkContract(file.market, file.contract);
await shutdownZ3();
if (certificate.verdict !== 'certified') throw new Error(`example contract: ${certificate.verdict}`);
writeFileAtomic('contract-k3.certified.json', formatContractFile({ ...file, certificate }));
console.log('checker only: examples/contract-k3.json certified');
