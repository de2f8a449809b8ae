/**
 * The environments this app provides to the plugin registry of @diffcontract/sac. The registry
 * leaves the contract environment to the app because @diffcontract/sac does not depend on the model.
 * Contract for any registered environment (what `--resume` relies on): all randomness is drawn in
 * `reset`, a fixed amount per call for a given batch size, and `step` draws none.
 */
import { ContractEnvironment } from '@diffcontract/env';
import { type EnvironmentFactory, environments } from '@diffcontract/sac';

export const CONTRACT_ENVIRONMENT = 'two-period-contract';

/** model.md section 6 on the default market sampler; options: seed, penalty, scale ('beta' or a number). */
export const contractEnvironmentFactory: EnvironmentFactory = (options) => {
  const { seed, penalty, scale, ...rest } = options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new Error(`environment.${unknown[0]}: unknown option (${JSON.stringify(rest[unknown[0]!])})`);
  return new ContractEnvironment({
    seed,
    penalty: penalty as number | undefined,
    scale: scale === 'beta' || scale === undefined ? undefined : (scale as number),
  });
};

export function registerBuiltinEnvironments(): void {
  if (!environments.has(CONTRACT_ENVIRONMENT))
    environments.register(CONTRACT_ENVIRONMENT, contractEnvironmentFactory);
}
