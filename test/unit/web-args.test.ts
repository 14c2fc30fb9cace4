import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebArgs } from '../../electron/web/args';

test('web mode flags: --port, --dns and --data-dir, in both spellings', () => {
  assert.deepEqual(parseWebArgs([]), { ok: true, args: { port: 0 } });
  assert.deepEqual(parseWebArgs(['--port', '8080', '--dns=127.0.0.1:5353', '--data-dir', '/tmp/x']), {
    ok: true,
    args: { port: 8080, dns: '127.0.0.1:5353', dataDir: '/tmp/x' },
  });
});

test('web mode refuses a bad port, a bad resolver and unknown flags with a sentence', () => {
  for (const argv of [['--port', '70000'], ['--port'], ['--port', '-1'], ['--dns', 'a b'], ['--dns'], ['--data-dir'], ['--host', '0.0.0.0']]) {
    const r = parseWebArgs(argv);
    assert.equal(r.ok, false, argv.join(' '));
    if (!r.ok) assert.match(r.message, /--/);
  }
});
