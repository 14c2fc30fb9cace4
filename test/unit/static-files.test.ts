import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { extractCsp, rewriteHtmlCsp, withConnectSrc } from '../../electron/web/csp';
import { contentTypeFor, resolveStaticPath } from '../../electron/web/static-files';

const root = resolve('/srv/renderer');

describe('static file paths', () => {
  test('maps / to index.html and plain names into the root', () => {
    assert.equal(resolveStaticPath(root, '/'), join(root, 'index.html'));
    assert.equal(resolveStaticPath(root, '/app.js'), join(root, 'app.js'));
    assert.equal(resolveStaticPath(root, '/mx/a%20b.css'), join(root, 'mx', 'a b.css'));
  });

  test('refuses every way out of the root', () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/a/../../x', '/..%2fx', '/%5c..%5cx', '/a\\..\\..\\x', '/x%00.js', '/%E0%A4%A', '/..']) {
      assert.equal(resolveStaticPath(root, p), null, p);
    }
  });

  test('content types for what the build emits, opaque bytes otherwise', () => {
    assert.equal(contentTypeFor('a/app.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('index.HTML'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('x.exe'), 'application/octet-stream');
  });
});

describe('CSP rewriting for web mode', () => {
  const html = '<head>\n<meta\n http-equiv="Content-Security-Policy"\n content="default-src \'none\'; script-src \'self\'; connect-src \'none\'"\n/>';

  test('widens only connect-src, leaving every other directive as written', () => {
    const policy = withConnectSrc(extractCsp(html)!, ['ws://127.0.0.1:5']);
    assert.equal(policy, "default-src 'none'; script-src 'self'; connect-src ws://127.0.0.1:5");
    assert.equal(extractCsp(rewriteHtmlCsp(html, policy)), policy);
  });

  test('refuses a page without a CSP rather than serve it unprotected', () => {
    assert.throws(() => rewriteHtmlCsp('<head></head>', "default-src 'none'"));
  });
});
