// The policy check reuses what a recent health check saw of each MX's certificate (no second connection):
// kept per domain, port, resolver and family, for a few minutes, for a bounded number of checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createProbeMemory, PROBE_MEMORY_MS, rememberingProbes } from '../../electron/host/policy-probe-memory';
import type { RequestApi } from '../../shared/api';
import type { ProbeReport } from '../../shared/probe/types';
import { ok } from '../../shared/result';

const presented = { chains: { 'mx.example.test': ['PEM'] }, certificates: {}, noTls: {} };

describe('policy check: certificates from the last health check', () => {
  test('recalled for the same domain (as typed or as an address), port and resolver; not for another port or resolver', () => {
    const memory = createProbeMemory(() => 1000, '127.0.0.1:53');
    memory.remember({ probeId: 'h', query: 'Example.TEST', port: 2525 }, 'example.test', 2525, presented);
    assert.equal(memory.recall({ probeId: 'p', query: 'example.test', port: 2525 })?.presented, presented);
    assert.equal(memory.recall({ probeId: 'p', query: 'someone@example.test', port: 2525 })?.port, 2525);
    assert.equal(memory.recall({ probeId: 'p', query: 'example.test', port: 25 }), undefined);
    assert.equal(memory.recall({ probeId: 'p', query: 'example.test', port: 2525, resolver: '127.0.0.2:53' }), undefined);
    assert.equal(memory.recall({ probeId: 'p', query: 'example.test', port: 2525, family: 6 }), undefined);
  });
  test('forgotten after a few minutes, and only the latest 32 checks are kept', () => {
    let now = 0;
    const memory = createProbeMemory(() => now);
    memory.remember({ probeId: 'h', query: 'a.test' }, 'a.test', 25, presented);
    now = PROBE_MEMORY_MS + 1;
    assert.equal(memory.recall({ probeId: 'p', query: 'a.test' }), undefined);
    for (let i = 0; i < 40; i++) memory.remember({ probeId: 'h', query: `d${i}.test` }, `d${i}.test`, 25, presented);
    assert.equal(memory.recall({ probeId: 'p', query: 'd0.test' }), undefined);
    assert.ok(memory.recall({ probeId: 'p', query: 'd39.test' }));
  });
  test('probeMx answers as before and remembers finished checks, not cancelled ones', async () => {
    const memory = createProbeMemory(() => 0);
    const report = (verdict: string) => ({ domain: 'x.test', port: 25, verdict, probes: [] }) as unknown as ProbeReport;
    let verdict = 'cancelled';
    const probes: Pick<RequestApi, 'probeMx'> = { probeMx: async () => ok(report(verdict)) };
    const methods = rememberingProbes(probes, memory);
    assert.equal((await methods.probeMx({ probeId: 'h', query: 'x.test' })).ok, true);
    assert.equal(memory.recall({ probeId: 'p', query: 'x.test' }), undefined);
    verdict = 'deliverable';
    await methods.probeMx({ probeId: 'h', query: 'x.test' });
    assert.ok(memory.recall({ probeId: 'p', query: 'x.test' }));
  });
});
