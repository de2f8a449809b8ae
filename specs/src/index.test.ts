import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { formatPath, getSchema, registerSchema, SCHEMA_DIR, schemaNames, validateAgainst } from './index.js';

const market = () => ({
  theta: [0.4, 0.7, 1],
  prior: ['0.3', '2/5', 0.3],
  transition: [
    [0.6, 0.3, 0.1],
    [0.2, 0.6, 0.2],
    [0.1, 0.3, 0.6],
  ],
  a: 1,
  beta: 10,
  delta: 0.9,
  qMax: 10,
  esCount: 10,
});

const contract = () => ({
  period1: [
    { q: 1, reward: 2 },
    { q: '1/3', reward: '1.5e-1' },
  ],
  period2: [[{ q: 0, reward: 0 }], [{ q: 0, reward: 0 }]],
});

const messages = (schema: string, data: unknown) => validateAgainst(schema, data).map((p) => p.message);

describe('schema registry', () => {
  it('loads every schema file of the package', () => {
    expect(schemaNames()).toEqual(
      expect.arrayContaining(['market', 'market-file', 'contract', 'contract-file']),
    );
    expect(getSchema('market.schema.json').title).toBe('Market');
  });

  it('accepts the example of model.md section 8 (numbers and exact strings)', () => {
    expect(validateAgainst('market', market())).toEqual([]);
    expect(validateAgainst('contract-file', { version: 1, market: market(), contract: contract() })).toEqual(
      [],
    );
    expect(validateAgainst('market-file', { version: 1, market: market() })).toEqual([]);
  });

  it('rejects unknown schemas by name', () => {
    expect(() => validateAgainst('nope', {})).toThrow(/unknown schema "nope"/);
  });

  it('registers further schemas that can reference the shipped ones', () => {
    const name = registerSchema({
      $id: 'https://diffcontract.example/specs/test-pair.schema.json',
      type: 'object',
      additionalProperties: false,
      required: ['left'],
      properties: { left: { $ref: 'market.schema.json' }, weight: { $ref: 'exact-number.schema.json' } },
    });
    expect(name).toBe('test-pair');
    expect(validateAgainst('test-pair', { left: market(), weight: '1/2' })).toEqual([]);
    expect(messages('test-pair', { left: { ...market(), a: 'x' } })).toEqual([
      'left.a: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") ("x")',
    ]);
  });
});

describe('exact-number grammar', () => {
  const accepted = ['0', '-0', '0.1', '10', '-2.5e-3', '1E5', '1/3', '-7/2', '1/007', '00012'];
  const rejected = [
    '',
    ' 1',
    '1 ',
    '+1',
    '.5',
    '5.',
    '0x10',
    'Infinity',
    '-Infinity',
    'NaN',
    '1/-0',
    '1/0',
    '1/00',
    '1e',
    '1/2/3',
    '½',
  ];
  it.each(accepted)('accepts %j', (text) => {
    expect(validateAgainst('exact-number', text)).toEqual([]);
  });
  it.each(rejected)('rejects %j', (text) => {
    expect(validateAgainst('exact-number', text)).toHaveLength(1);
  });
  it('rejects other JSON types', () => {
    for (const value of [null, true, [], {}]) expect(validateAgainst('exact-number', value)).toHaveLength(1);
  });
});

describe('problems are rendered as `path: problem (value)`', () => {
  it('names unknown and missing fields by their full path', () => {
    const { beta: _, ...noBeta } = market();
    expect(
      messages('contract-file', { version: 1, market: { ...noBeta, gamma: 2 }, contract: contract() }),
    ).toEqual(['market.beta: missing required field', 'market.gamma: unknown field (2)']);
    const file = { version: 1, market: market(), contract: contract(), extra: { x: 1 } };
    expect(messages('contract-file', file)).toEqual(['extra: unknown field ({"x":1})']);
  });

  it('reports one problem per bad number, with index paths', () => {
    const bad = market();
    bad.transition[1]![2] = 'Infinity' as unknown as number;
    (bad.theta as unknown[])[0] = '1/0';
    (bad.prior as unknown[])[1] = '0x10';
    expect(messages('market', bad)).toEqual([
      'theta[0]: fraction with a zero denominator ("1/0")',
      'prior[1]: must be a number, or a string holding an exact decimal ("0.1") or fraction ("1/3") ("0x10")',
      'transition[1][2]: not a finite number ("Infinity")',
    ]);
  });

  it('reports K = 0 and empty contract rows', () => {
    const empty = { ...market(), theta: [] };
    expect(messages('market', empty)).toEqual(['theta: must have at least 1 item ([])']);
    const file = {
      version: 1,
      market: market(),
      contract: { period1: [{ q: 1, reward: 1 }], period2: [[]] },
    };
    expect(messages('contract-file', file)).toEqual(['contract.period2[0]: must have at least 1 item ([])']);
  });

  it('checks version, esCount and item fields', () => {
    const file = {
      version: '1',
      market: { ...market(), esCount: 2.5 },
      contract: { period1: [{ q: 1, reward: 1, bonus: 0 }], period2: [[{ q: 1 }]] },
    };
    expect(messages('contract-file', file)).toEqual([
      'version: must be 1 ("1")',
      'market.esCount: must be an integer >= 1 (a JSON integer or a string of decimal digits) (2.5)',
      'contract.period1[0].bonus: unknown field (0)',
      'contract.period2[0][0].reward: missing required field',
    ]);
  });

  it('rejects a contract or meta in a market file and unknown meta keys', () => {
    const [problem, ...rest] = validateAgainst('market-file', {
      version: 1,
      market: market(),
      contract: contract(),
    });
    expect(rest).toEqual([]);
    expect(problem!.path).toBe('contract');
    // Long values are cut to 60 characters so the message stays on one readable line.
    const shown = JSON.stringify(contract()).slice(0, 59);
    expect(problem!.message).toBe(`contract: unknown field (${shown}…)`);
    const file = { version: 1, market: market(), contract: contract(), meta: { cloudUtility: 1, score: 2 } };
    expect(messages('contract-file', file)).toEqual(['meta.score: unknown field (2)']);
  });

  it('quotes keys that are not identifiers', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['market', 'theta', 2])).toBe('market.theta[2]');
    expect(formatPath(['a b', 0, 'c'])).toBe('["a b"][0].c');
    expect(messages('market-file', { version: 1, market: market(), 'odd key': 1 })).toEqual([
      '["odd key"]: unknown field (1)',
    ]);
    expect(messages('market-file', [])).toEqual(['(root): must be an object ([])']);
  });
});

describe('schema files', () => {
  it('are valid draft 2020-12 schemas (checked here, not at every start)', () => {
    const metaChecker = new Ajv2020.default({ strict: false });
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const schema = JSON.parse(readFileSync(`${SCHEMA_DIR}${file}`, 'utf8'));
      expect(
        metaChecker.validateSchema(schema),
        `${file}: ${metaChecker.errorsText(metaChecker.errors)}`,
      ).toBe(true);
    }
  });

  it('registerSchema refuses a schema that breaks the meta-schema', () => {
    const broken = { $id: 'https://diffcontract.example/specs/test-broken.schema.json', type: 'objekt' };
    expect(() => registerSchema(broken)).toThrow(/test-broken is not a valid draft 2020-12 schema/);
  });

  it('forbid additional properties on every object schema', () => {
    const unclosed: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node))
        node.forEach((child, i) => {
          visit(child, `${where}/${i}`);
        });
      else if (node !== null && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        // The certificate is left open here on purpose; the checker's schema closes it.
        const open = where.endsWith('/properties/certificate');
        if (record.type === 'object' && record.additionalProperties !== false && !open) unclosed.push(where);
        for (const [key, child] of Object.entries(record)) visit(child, `${where}/${key}`);
      }
    };
    for (const name of ['market', 'market-file', 'contract', 'contract-file', 'exact-number']) {
      const url = new URL(`../${name}.schema.json`, import.meta.url);
      visit(JSON.parse(readFileSync(url, 'utf8')), name);
    }
    expect(unclosed).toEqual([]);
  });
});
