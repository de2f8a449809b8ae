/** The studio page: market -> optimum -> learned contract -> certificates, plus checking a file. */
import { type ExactMarket, toFloatMarket } from '@diffcontract/env';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CertificatePanel, type CheckTask, type Subject } from './certificate-panel.js';
import { fixed } from './contract-view.js';
import { MarketEditor } from './editor.js';
import { FilePanel } from './file-panel.js';
import { LearnedPanel } from './learned-panel.js';
import {
  exactMarketJson,
  isMarketText,
  marketFromSearch,
  parseMarketText,
  searchForMarket,
} from './market-text.js';
import { mark } from './marks.js';
import { EXAMPLE_MARKET_NAME, EXAMPLE_MARKET_TEXT } from './opening-market.js';
import { MenuCharts, MenuTable, OPTIMUM_COLOURS, ProgressLine, type Task } from './panels.js';
import { examplePolicy, type PolicySource } from './policy-source.js';
import type { LearnedReply, OptimumReply } from './protocol.js';
import type { Workers } from './workers.js';

function initialMarket(): { market: ExactMarket; error: string | null } {
  const example = parseMarketText(EXAMPLE_MARKET_TEXT, EXAMPLE_MARKET_NAME);
  try {
    return { market: marketFromSearch(window.location.search) ?? example, error: null };
  } catch (e) {
    return { market: example, error: (e as Error).message };
  }
}

export function App({ workers }: { workers: Workers }) {
  const [start] = useState(initialMarket);
  const [market, setMarket] = useState<ExactMarket>(start.market);
  const [urlError, setUrlError] = useState<string | null>(start.error);
  const [optimum, setOptimum] = useState<Task<OptimumReply>>({ status: 'idle' });
  const [learned, setLearned] = useState<Task<LearnedReply>>({ status: 'idle' });
  const [policy, setPolicy] = useState<Task<PolicySource>>({ status: 'running' });
  const [checks, setChecks] = useState<Partial<Record<Subject, CheckTask>>>({});
  const [subject, setSubject] = useState<Subject>('optimum');
  const [candidates, setCandidates] = useState(16);
  // replies for an older market are dropped
  const generation = useRef(0);
  const marketText = useMemo(() => exactMarketJson(market), [market]);
  const float = useMemo(() => toFloatMarket(market), [market]);

  const check = useCallback(
    async (which: Subject, contractText: string, name: string, gen?: number) => {
      setChecks((c) => ({ ...c, [which]: { status: 'running', name, contractText } }));
      try {
        const reply = await workers.check(contractText, name);
        mark(`check received: ${which}`);
        if (gen !== undefined && gen !== generation.current) return;
        const checkedMarket = parseMarketText(reply.marketText, name);
        setChecks((c) => ({
          ...c,
          [which]: {
            status: 'done',
            name,
            contractText,
            value: { certificate: reply.certificate, market: checkedMarket },
          },
        }));
      } catch (e) {
        if (gen !== undefined && gen !== generation.current) return;
        setChecks((c) => ({
          ...c,
          [which]: { status: 'error', name, contractText, error: (e as Error).message },
        }));
      }
    },
    [workers],
  );

  const runLearned = useCallback(
    async (source: PolicySource, count: number) => {
      const gen = generation.current;
      if (source.K !== market.theta.length) {
        setLearned({
          status: 'error',
          error: `the policy was trained for K = ${source.K}; this market has K = ${market.theta.length}`,
        });
        return;
      }
      setLearned({ status: 'running' });
      setChecks((c) => ({ ...c, learned: undefined }));
      try {
        const reply = await workers.learned(
          {
            marketText,
            policy: { manifestText: source.manifestText, bytes: source.bytes, names: source.names },
            candidates: count,
            seed: 0,
          },
          (done, total, what) =>
            gen === generation.current && setLearned({ status: 'running', progress: { done, total, what } }),
        );
        if (gen !== generation.current) return;
        setLearned({ status: 'done', value: reply });
        void check('learned', reply.contractText, 'learned contract', gen);
      } catch (e) {
        if (gen === generation.current) setLearned({ status: 'error', error: (e as Error).message });
      }
    },
    [market, marketText, check, workers],
  );

  useEffect(() => {
    examplePolicy().then(
      (value) => setPolicy({ status: 'done', value }),
      (e: Error) => setPolicy({ status: 'error', error: e.message }),
    );
  }, []);

  useEffect(() => {
    const gen = ++generation.current;
    setOptimum({ status: 'running' });
    setLearned({ status: 'idle' });
    setChecks((c) => ({ file: c.file }));
    setSubject((s) => (s === 'file' ? s : 'optimum'));
    // the first script already asked for the opening market's optimum (src/main.tsx)
    const early = workers.takeEarlySolve((text) => isMarketText(text, marketText));
    mark('solve sent');
    (early ?? workers.solve(marketText)).then(
      (value) => {
        if (gen !== generation.current) return;
        mark('optimum received');
        setOptimum({ status: 'done', value });
        void check('optimum', value.contractText, 'optimal contract', gen);
      },
      (e: Error) => gen === generation.current && setOptimum({ status: 'error', error: e.message }),
    );
  }, [marketText, check, workers]);

  // The learned contract follows the optimum's certificate, so the page's first results are the
  // optimum and its proof: on a busy machine the candidates' inference would slow the proof down.
  const optimumChecked = checks.optimum?.status === 'done' || checks.optimum?.status === 'error';
  useEffect(() => {
    if (optimumChecked && policy.value !== undefined && learned.status === 'idle')
      void runLearned(policy.value, candidates);
  }, [optimumChecked, policy.value, learned.status, runLearned, candidates]);

  const applyMarket = (next: ExactMarket) => {
    setUrlError(null);
    window.history.replaceState(null, '', searchForMarket(next));
    setMarket(next);
  };

  const opt = optimum.value;
  return (
    <main>
      <header>
        <h1>diffcontract studio</h1>
        <p class="muted">
          Design, compare and certify two-period dynamic incentive contracts (model:{' '}
          <code>docs/model.md</code>). Everything runs in this page: HiGHS for the optimum, the diffusion
          policy for the learned contract, z3 for the proofs.
        </p>
      </header>
      <div class="column">
        <section class="card editor-card">
          <h2>Market</h2>
          {urlError !== null && (
            <p class="error" data-testid="url-error">
              {urlError} — showing the example market instead.
            </p>
          )}
          <MarketEditor
            market={market}
            onApply={applyMarket}
            onExample={() => applyMarket(parseMarketText(EXAMPLE_MARKET_TEXT, EXAMPLE_MARKET_NAME))}
          />
          <p class="muted small">
            The link of this page reproduces it: the market is in the URL (<code>?market=</code>).{' '}
            <button
              type="button"
              class="link"
              onClick={() => void navigator.clipboard?.writeText(window.location.href).catch(() => undefined)}
            >
              Copy link
            </button>
          </p>
        </section>
        <section class="card">
          <h2>Certificate</h2>
          {!globalThis.crossOriginIsolated && (
            <p class="error" data-testid="not-isolated">
              This page is not cross-origin isolated, so z3's threads cannot run: serve it with the headers
              Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (pnpm -s
              studio does).
            </p>
          )}
          <CertificatePanel subject={subject} subjects={checks} onSubject={setSubject} />
        </section>
        <section class="card">
          <h2>Check a file</h2>
          <FilePanel
            onContract={(text, name) => {
              setSubject('file');
              void check('file', text, name);
            }}
            onMarket={applyMarket}
            task={checks.file}
          />
        </section>
      </div>
      <div class="column">
        <section class="card">
          <h2>Optimal contract</h2>
          <ProgressLine task={optimum} what="HiGHS is solving the convex program" />
          {optimum.status === 'error' && <p class="error">{optimum.error}</p>}
          {opt !== undefined && (
            <>
              <dl class="figures">
                <dt>cloud utility U*</dt>
                <dd data-testid="optimum-utility">{String(opt.cloudUtility)}</dd>
                <dt>per ES</dt>
                <dd>{fixed(opt.perES, 6)}</dd>
                <dt>upper bound</dt>
                <dd>{String(opt.upperBound)}</dd>
                <dt>gap</dt>
                <dd data-testid="optimum-gap">{opt.gap.toExponential(2)}</dd>
                <dt>LP solves</dt>
                <dd>{opt.iterations}</dd>
              </dl>
              <MenuTable market={float} contract={opt.contract} />
              <MenuCharts
                market={float}
                contracts={[{ label: 'optimum', contract: opt.contract, colours: OPTIMUM_COLOURS }]}
              />
            </>
          )}
        </section>
        <section class="card">
          <h2>Learned contract</h2>
          <LearnedPanel
            market={float}
            optimum={opt}
            learned={learned}
            policy={policy}
            candidates={candidates}
            onCandidates={setCandidates}
            onPolicy={(source) => {
              setPolicy({ status: 'done', value: source });
              void runLearned(source, candidates);
            }}
            onPolicyError={(error) => setPolicy((p) => ({ ...p, status: 'error', error }))}
            onRun={() => policy.value !== undefined && void runLearned(policy.value, candidates)}
          />
        </section>
      </div>
    </main>
  );
}
