import { describe, expect, test } from 'vitest';
import { parseQueueTarget } from './queue-target.js';

describe('--queue', () => {
  test('local, and Redis URLs with port, database and credentials', () => {
    expect(parseQueueTarget('local')).toEqual({ kind: 'local' });
    expect(parseQueueTarget('redis://10.0.0.5:6379')).toEqual({
      kind: 'redis',
      display: 'redis://10.0.0.5:6379/0',
      host: '10.0.0.5',
      port: 6379,
      db: 0,
    });
    expect(parseQueueTarget('redis://:s3cret@host.lan:7000/3')).toEqual({
      kind: 'redis',
      display: 'redis://host.lan:7000/3',
      host: 'host.lan',
      port: 7000,
      db: 3,
      password: 's3cret',
    });
    expect(parseQueueTarget('redis://[::1]:6380/1')).toMatchObject({ host: '::1', port: 6380, db: 1 });
  });

  test('anything else is one line naming the value', () => {
    const cases: [string, RegExp][] = [
      ['redis', /not a URL/],
      ['http://host:6379', /unsupported scheme http/],
      ['redis://host', /no port/],
      ['redis://host:6379/x', /database must be a number \(x\)/],
      ['redis://host:6379/16', /database must be 0 to 15 \(16\)/],
      ['redis://host:6379/0?tls=1', /query/],
    ];
    for (const [value, why] of cases) {
      expect(() => parseQueueTarget(value)).toThrow(why);
      expect(() => parseQueueTarget(value)).toThrow(`(${JSON.stringify(value)})`);
    }
  });
});
