/** Market editor: every parameter of model.md section 2, validated as the CLI validates files. */
import type { ExactMarket } from '@diffcontract/env';
import { useEffect, useState } from 'preact/hooks';
import { fieldsOf, MAX_TYPES, type MarketFields, marketOfFields, resizeFields } from './editor-model.js';
import { randomMarket } from './market-text.js';

export interface EditorProps {
  market: ExactMarket;
  onApply: (market: ExactMarket) => void;
  onExample: () => void;
}

type Scalar = 'a' | 'beta' | 'delta' | 'qMax' | 'esCount';
const SCALARS: { key: Scalar; label: string; title: string }[] = [
  { key: 'a', label: 'a', title: 'energy-cost coefficient: producing q costs a q²' },
  { key: 'beta', label: 'β', title: "cloud's valuation coefficient: v(q) = β ln(1 + q)" },
  { key: 'delta', label: 'δ', title: 'discount of period 2 (0 to 1)' },
  { key: 'qMax', label: 'qMax', title: 'largest contribution an ES can make' },
  { key: 'esCount', label: 'N (esCount)', title: 'number of edge servers' },
];

export function MarketEditor({ market, onApply, onExample }: EditorProps) {
  const [fields, setFields] = useState<MarketFields>(() => fieldsOf(market));
  const [error, setError] = useState<string | null>(null);
  const [seed, setSeed] = useState('1');
  useEffect(() => {
    setFields(fieldsOf(market));
    setError(null);
  }, [market]);
  const K = fields.theta.length;

  const apply = (next: MarketFields) => {
    try {
      onApply(marketOfFields(next));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const setList = (key: 'theta' | 'prior', k: number, value: string) =>
    setFields({ ...fields, [key]: fields[key].map((x, i) => (i === k ? value : x)) });
  const setCell = (i: number, j: number, value: string) =>
    setFields({
      ...fields,
      transition: fields.transition.map((row, r) =>
        r === i ? row.map((x, c) => (c === j ? value : x)) : row,
      ),
    });
  const cell = (value: string, onInput: (v: string) => void, label: string) => (
    <input
      class="num"
      value={value}
      aria-label={label}
      onInput={(e) => onInput((e.target as HTMLInputElement).value)}
    />
  );

  return (
    <form
      class="editor"
      onSubmit={(e) => {
        e.preventDefault();
        apply(fields);
      }}
    >
      <div class="row">
        <label>
          K{' '}
          <select
            data-testid="market-k"
            value={String(K)}
            onChange={(e) => setFields(resizeFields(fields, Number((e.target as HTMLSelectElement).value)))}
          >
            {Array.from({ length: MAX_TYPES }, (_, k) => (
              <option value={String(k + 1)}>{k + 1}</option>
            ))}
          </select>
        </label>
        <span class="hint">numbers are exact: 0.1 is 1/10; fractions like 1/3 are welcome</span>
      </div>
      <table class="grid">
        <thead>
          <tr>
            <th />
            {fields.theta.map((_, k) => (
              <th>type {k + 1}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th title="willingness to participate, strictly increasing">θ</th>
            {fields.theta.map((v, k) => (
              <td>{cell(v, (x) => setList('theta', k, x), `theta ${k + 1}`)}</td>
            ))}
          </tr>
          <tr>
            <th title="period-1 type probabilities, sum 1">prior π</th>
            {fields.prior.map((v, k) => (
              <td>{cell(v, (x) => setList('prior', k, x), `prior ${k + 1}`)}</td>
            ))}
          </tr>
          {fields.transition.map((row, i) => (
            <tr>
              <th title="P(period-2 type j | period-1 type i), rows sum 1">P[{i + 1}][·]</th>
              {row.map((v, j) => (
                <td>{cell(v, (x) => setCell(i, j, x), `transition ${i + 1} ${j + 1}`)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="scalars">
        {SCALARS.map(({ key, label, title }) => (
          <label title={title}>
            {label}{' '}
            <input
              class="num"
              value={fields[key]}
              aria-label={key}
              onInput={(e) => setFields({ ...fields, [key]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
      </div>
      {error !== null && (
        <p class="error" data-testid="market-error" role="alert">
          {error}
        </p>
      )}
      <div class="row buttons">
        <button type="submit" class="primary" data-testid="apply-market">
          Apply
        </button>
        <span class="sep" />
        <label>
          seed{' '}
          <input
            class="num short"
            value={seed}
            onInput={(e) => setSeed((e.target as HTMLInputElement).value)}
          />
        </label>
        <button
          type="button"
          data-testid="random-market"
          onClick={() => {
            const s = Number(seed);
            if (!Number.isSafeInteger(s)) {
              setError(`seed: must be a whole number (${JSON.stringify(seed)})`);
              return;
            }
            apply(fieldsOf(randomMarket(s, K)));
          }}
        >
          Random market
        </button>
        <button type="button" onClick={onExample}>
          Example
        </button>
      </div>
    </form>
  );
}
