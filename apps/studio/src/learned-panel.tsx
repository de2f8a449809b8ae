/** The learned contract next to the optimum: U/U*, the policy's raw figures, allocations overlaid. */
import type { Market } from '@diffcontract/env';
import { fixed } from './contract-view.js';
import {
  LEARNED_COLOURS,
  MenuCharts,
  MenuTable,
  OPTIMUM_COLOURS,
  ProgressLine,
  type Task,
} from './panels.js';
import { chosenPolicy, type PolicySource } from './policy-source.js';
import type { LearnedReply, OptimumReply } from './protocol.js';

export interface LearnedPanelProps {
  market: Market<number>;
  optimum: OptimumReply | undefined;
  learned: Task<LearnedReply>;
  policy: Task<PolicySource>;
  candidates: number;
  onCandidates: (n: number) => void;
  onPolicy: (source: PolicySource) => void;
  onPolicyError: (message: string) => void;
  onRun: () => void;
}

export const MAX_CANDIDATES = 256;

export function LearnedPanel(props: LearnedPanelProps) {
  const { market, optimum, learned, policy, candidates } = props;
  const value = learned.value;
  return (
    <div>
      <div class="row">
        <span>
          policy: <strong data-testid="policy-label">{policy.value?.label ?? '—'}</strong>
          {policy.value !== undefined && <span class="muted"> (K = {policy.value.K})</span>}
        </span>
        <label class="file-button">
          choose policy.json + policy.bin
          <input
            type="file"
            multiple
            accept=".json,.bin"
            data-testid="policy-files"
            onChange={(e) => {
              const files = (e.target as HTMLInputElement).files;
              if (files !== null)
                chosenPolicy(files).then(props.onPolicy, (err: Error) => props.onPolicyError(err.message));
            }}
          />
        </label>
      </div>
      <div class="row">
        <label>
          best of{' '}
          <input
            class="num short"
            type="number"
            min={1}
            max={MAX_CANDIDATES}
            value={candidates}
            onChange={(e) => {
              const n = Number((e.target as HTMLInputElement).value);
              if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_CANDIDATES) props.onCandidates(n);
            }}
          />{' '}
          candidates
        </label>
        <button
          type="button"
          onClick={props.onRun}
          disabled={policy.value === undefined || learned.status === 'running'}
        >
          Run policy
        </button>
      </div>
      {policy.status === 'error' && <p class="error">{policy.error}</p>}
      <ProgressLine task={learned} what="Sampling and repairing candidates" />
      {learned.status === 'error' && (
        <p class="error" data-testid="learned-error">
          {learned.error}
        </p>
      )}
      {value !== undefined && (
        <>
          <dl class="figures">
            <dt>U (after repair)</dt>
            <dd data-testid="learned-utility">{String(value.cloudUtility)}</dd>
            <dt>U / U*</dt>
            <dd data-testid="learned-ratio">
              {optimum ? fixed(value.cloudUtility / optimum.cloudUtility, 4) : '—'}
            </dd>
            <dt>policy's raw U</dt>
            <dd>{fixed(value.rawUtility)}</dd>
            <dt>best candidate</dt>
            <dd>
              {value.bestIndex === 0 ? 'noise-free action' : `sample ${value.bestIndex}`} of{' '}
              {value.candidates}
            </dd>
            <dt>repair moved q</dt>
            <dd>{value.changedAllocation ? 'yes' : 'no'}</dd>
          </dl>
          <MenuTable market={market} contract={value.contract} />
          <MenuCharts
            market={market}
            contracts={[
              ...(optimum
                ? [{ label: 'optimum', contract: optimum.contract, colours: OPTIMUM_COLOURS }]
                : []),
              { label: 'learned', contract: value.contract, colours: LEARNED_COLOURS },
            ]}
          />
        </>
      )}
    </div>
  );
}
