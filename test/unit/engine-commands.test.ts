// Pure logic behind stats, events and the prune filters: /proc/net/dev parsing, docker's CPU %,
// event time values, label filters and binary sizes.
import assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { test } from 'node:test';
import { binarySize } from '../../src/cli/engine/output/binary-size.js';
import { parseEventTime } from '../../src/engine/events.js';
import { parseNetDev } from '../../src/engine/stats/net-dev.js';
import { statsRow, type StatsSample } from '../../src/engine/stats/sample.js';
import { labelFilter } from '../../src/engine/volumes.js';

test('parseNetDev sums every device but loopback', () => {
  const text = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo:    9000      10    0    0    0     0          0         0     9000      10    0    0    0     0       0          0',
    '  eth0:    1500      12    0    0    0     0          0         0      516       6    0    0    0     0       0          0',
    '  eth1:     100       1    0    0    0     0          0         0       50       1    0    0    0     0       0          0',
  ].join('\n');
  assert.deepEqual(parseNetDev(text), { rxBytes: 1600, txBytes: 566 });
});

test("statsRow: CPU % is the container's share of the host's CPU time over the interval", () => {
  const base: StatsSample = { id: 'a'.repeat(64), name: 'x', running: true, cpuNs: 0, systemNs: 0, memUsage: 50, memLimit: 200, netRx: 1, netTx: 2, blockRead: 3, blockWrite: 4, pids: 5 };
  const later = { ...base, cpuNs: 1e9, systemNs: 4e9 };
  const row = statsRow(later, base);
  assert.equal(row.CPUPerc, 25 * cpus().length);
  assert.equal(row.MemPerc, 25);
  assert.equal(row.ID, 'a'.repeat(12));
  assert.equal(statsRow(later).CPUPerc, 0, 'no previous sample, no CPU %');
});

test('parseEventTime takes unix seconds, RFC 3339 and durations ago', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseEventTime('1700000000.5', now), 1_700_000_000_500);
  assert.equal(parseEventTime('2026-01-01T00:00:00Z', now), now);
  assert.equal(parseEventTime('1h30m', now), now - 5_400_000);
  assert.equal(parseEventTime('10s', now), now - 10_000);
  assert.throws(() => parseEventTime('yesterday', now), /invalid time/);
});

test('labelFilter: key, key=value, negation, all must hold', () => {
  const f = labelFilter(['label=a', 'label!=b=2'])!;
  assert.equal(f({ a: '1' }), true);
  assert.equal(f({ a: '1', b: '2' }), false);
  assert.equal(f({ a: '1', b: '3' }), true);
  assert.equal(f({}), false);
  assert.equal(labelFilter([]), undefined);
  assert.throws(() => labelFilter(['until=1h']), /invalid filter/);
});

test('binarySize prints go-units BytesSize', () => {
  assert.equal(binarySize(0), '0B');
  assert.equal(binarySize(1536), '1.5KiB');
  assert.equal(binarySize(64 * 1024 * 1024), '64MiB');
  assert.equal(binarySize(25_275_000_000), '23.54GiB');
});
