/** Where the learned contract's policy comes from: the shipped example, or files the user chooses. */

import exampleValuesUrl from '../../../examples/policy-k3/policy.bin?url';
import exampleManifestUrl from '../../../examples/policy-k3/policy.json?url';
import { typesOfStateDim } from './policy-types.js';

export interface PolicySource {
  label: string;
  manifestText: string;
  bytes: ArrayBuffer;
  names: { manifest: string; values: string };
  /** number of types the policy was trained for */
  K: number;
}

function sourceOf(label: string, manifestText: string, bytes: ArrayBuffer, names: PolicySource['names']) {
  // The full check (parseWeights) runs in the solver worker, which holds the policy code; here only
  // what the page needs to know before it asks: which K the policy was trained for.
  let config: { stateDim?: unknown } | undefined;
  try {
    config = (JSON.parse(manifestText) as { config?: { stateDim?: unknown } }).config;
  } catch (error) {
    throw new Error(`${names.manifest}: invalid JSON: ${(error as Error).message}`);
  }
  const K = typesOfStateDim(config?.stateDim);
  return { label, manifestText, bytes, names, K };
}

export async function examplePolicy(): Promise<PolicySource> {
  const [manifest, values] = await Promise.all([fetch(exampleManifestUrl), fetch(exampleValuesUrl)]);
  if (!manifest.ok || !values.ok) throw new Error('example policy: could not be loaded');
  return sourceOf('example policy (examples/policy-k3)', await manifest.text(), await values.arrayBuffer(), {
    manifest: 'examples/policy-k3/policy.json',
    values: 'examples/policy-k3/policy.bin',
  });
}

/** A run's policy.json + policy.bin (or policy-compact.*), chosen together. */
export async function chosenPolicy(files: FileList | File[]): Promise<PolicySource> {
  const list = [...files];
  const manifest = list.find((f) => f.name.endsWith('.json'));
  const values = list.find((f) => f.name.endsWith('.bin'));
  if (manifest === undefined || values === undefined || list.length !== 2)
    throw new Error(
      `policy: choose two files, policy.json and policy.bin (${list.map((f) => f.name).join(', ')})`,
    );
  return sourceOf(`${manifest.name} + ${values.name}`, await manifest.text(), await values.arrayBuffer(), {
    manifest: manifest.name,
    values: values.name,
  });
}
