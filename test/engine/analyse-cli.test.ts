// `mxdesk analyze` as a command: text and JSON output, exit codes 0 (nothing failing), 1 (a bounce, or a
// DKIM signature that does not verify now) and 2 (bad input), stdin, and the dispatch from the mxdesk entry.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAnalyzeCommand } from '../../electron/cli/analyze-command';
import type { CliIo } from '../../electron/cli/io';
import type { MessageAnalysis } from '../../shared/analyse/types';
import { startDnsmasq, type Dnsmasq } from '../support/dnsmasq';
import { stopAll } from '../support/stop-all';
import { tempDirs } from '../support/temp-dirs';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'bounces');

function captureIo(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    onInterrupt: () => undefined,
    offInterrupt: () => undefined,
    readStdin: async () => Buffer.from(stdin),
    promptSecret: async () => undefined,
    env: {},
  };
  return { io, out, err };
}

function analysisOf(out: string[]): MessageAnalysis {
  assert.equal(out.length, 1, 'one JSON line');
  const parsed = JSON.parse(out[0]) as { kind: string; analysis: MessageAnalysis };
  assert.equal(parsed.kind, 'message_analysis');
  return parsed.analysis;
}

describe('mxdesk analyze', () => {
  const dir = tempDirs('mxdesk-analyze-');
  // The fixtures' domains end in .example: answered NXDOMAIN here, so key lookups fail fast and for certain.
  let dns: Dnsmasq | undefined;
  before(async () => {
    dns = await startDnsmasq(['local=/example/']);
  });
  after(() => stopAll(dns));

  test('a multi-hop message: the JSON has every hop with delays and TLS; its forged ARC seal fails now, so exit 1', async () => {
    const c = captureIo();
    const code = await runAnalyzeCommand([join(FIXTURES, 'not-a-bounce-multi-hop.txt'), '--json', '--dns', dns!.server], c.io);
    assert.equal(code, 1);
    const a = analysisOf(c.out);
    assert.equal(a.kind, 'message');
    assert.deepEqual(a.timeline.hops.map((h) => [h.index, h.tls.state, h.delayMs]), [[1, 'tls', 10_000], [2, 'plain', -2000], [3, 'tls', 4000], [4, 'plain', 1000]]);
    assert.equal(a.timeline.transitMs, 13_000);
    assert.deepEqual(a.authResults[0].results.map((r) => `${r.method}=${r.result}`), ['dkim=pass', 'spf=pass', 'dmarc=pass']);
    assert.equal(a.arc.claimed, 'pass', 'complete as written');
    assert.equal(a.arc.verified?.result, 'fail', 'but the seal does not verify: there is no key for it');
    assert.equal(a.arc.verified?.reason, 'no key at arc-20240605._domainkey.google.example (ENOTFOUND)');
  });

  test('a plain message with nothing signed exits 0', async () => {
    const c = captureIo('From: a@example.org\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nHello.\r\n');
    assert.equal(await runAnalyzeCommand(['-'], c.io), 0);
    assert.ok(c.out.some((l) => l.startsWith('=== message: From a@example.org')));
  });

  test('a bounce: exit 1, and the text names who refused, the stage, the code and what to do', async () => {
    const c = captureIo();
    const code = await runAnalyzeCommand([join(FIXTURES, 'postfix-user-unknown.eml')], c.io);
    assert.equal(code, 1);
    const text = c.out.join('\n');
    assert.match(text, /<\*\* Bounce \(postfix, reported by mx\.sender\.example\): mx1\.receiver\.example refused mail to bob@receiver\.example at RCPT TO/);
    assert.match(text, /5\.1\.1: the mailbox does not exist/);
    assert.match(text, /what to do: Check the address for typos/);
  });

  test('reads stdin with -', async () => {
    const c = captureIo('From: a@example.org\nSubject: hello\n');
    assert.equal(await runAnalyzeCommand(['-', '--json'], c.io), 0);
    assert.equal(analysisOf(c.out).kind, 'headers');
  });

  test('bad input exits 2 with a sentence: no file, a missing file, an empty file, an unknown flag, a bad --dns', async () => {
    const empty = join(dir(), 'empty.eml');
    writeFileSync(empty, '\n\n');
    const cases: [string[], RegExp][] = [
      [[], /give the FILE to analyse/],
      [[join(dir(), 'nope.eml')], /cannot read .*nope\.eml/],
      [[empty], /the input is empty/],
      [[empty, '--color'], /unknown flag --color/],
      [[empty, '--dns', 'not a resolver'], /--dns: /],
    ];
    for (const [argv, message] of cases) {
      const c = captureIo();
      assert.equal(await runAnalyzeCommand(argv, c.io), 2, argv.join(' '));
      assert.match(c.err[0], message);
    }
  });

  test('the mxdesk entry dispatches `analyze` and exits with its code', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'mxdesk.ts'), 'analyze', join(FIXTURES, 'qmail-no-mailbox.eml'), '--json'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 1);
    assert.equal(analysisOf(out.trim().split('\n')).bounce?.format, 'qmail');
  });
});
