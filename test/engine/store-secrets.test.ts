import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createProfileSecretLookup, createStoreMethods } from '../../electron/host/store-methods';
import { dataPaths } from '../../electron/store/data-dir';
import { createOsSecretStore, type SafeStorageLike } from '../../electron/store/os-secrets';
import { createProfileStore } from '../../electron/store/profiles';
import { createWebSecretStore, WEB_MODE_REASON } from '../../electron/store/secrets';
import type { ProfileFields } from '../../shared/store-model';
import { parseSaveProfileRequest } from '../../shared/validate/store-requests';
import { findCanary, scanDirForCanary } from '../support/canary';
import { value } from '../support/store-fixtures';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-secrets-');

const CANARY = 'Kx7!canary pässword/42';
const RELAY: ProfileFields = { name: 'Submission relay', host: 'smtp.example.test', port: 587, tls: 'starttls', authUser: 'alice', authMechanism: 'PLAIN' };

/** Stands in for the OS keychain: AES-256-GCM with a key that never touches the disk. */
function fakeKeychain(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(enc) {
      const d = createDecipheriv('aes-256-gcm', key, enc.subarray(0, 12));
      d.setAuthTag(enc.subarray(12, 28));
      return Buffer.concat([d.update(enc.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('the canary scan', () => {
  test('finds a secret in plain text, base64 at all three byte offsets, hex and URL encoding', () => {
    const b = Buffer.from(CANARY);
    for (const shift of [0, 1, 2]) {
      const stream = Buffer.concat([Buffer.from('\0alice\0'.slice(0, shift + 1)), b, Buffer.from('tail')]).toString('base64');
      assert.ok(findCanary(`AUTH PLAIN ${stream}`, CANARY).some((f) => f.startsWith('base64@')), `shift ${shift}`);
    }
    assert.deepEqual(findCanary(`x${CANARY}y`, CANARY), ['plain']);
    assert.deepEqual(findCanary(b.toString('hex').toUpperCase(), CANARY), ['hex']);
    assert.ok(findCanary(`p=${encodeURIComponent(CANARY)}&`, CANARY).includes('url-encoded'));
    assert.deepEqual(findCanary('nothing to see', CANARY), []);
  });
});

describe('profiles and saved passwords', () => {
  test('profiles never hold the password: on disk there is only keychain ciphertext', async () => {
    const dir = tempDir();
    const secrets = createOsSecretStore(dataPaths(dir).secrets, fakeKeychain());
    const api = createStoreMethods({ dataDir: dir, secrets });
    const saved = value(await api.saveProfile({ profile: RELAY, password: CANARY }));
    assert.equal(saved.profile.passwordSaved, true);
    assert.equal(saved.passwordNotice, undefined);
    const list = value(await api.listProfiles({}));
    assert.equal(list.secretStorage.kind, 'os');
    assert.deepEqual(list.profiles.map((p) => [p.name, p.passwordSaved]), [['Submission relay', true]]);
    // What the renderer receives, and what is on disk: no trace of the password.
    assert.deepEqual(findCanary(JSON.stringify([saved, list]), CANARY), []);
    assert.deepEqual(scanDirForCanary(dir, CANARY), []);
    assert.doesNotMatch(readFileSync(dataPaths(dir).profiles, 'utf8'), /password"\s*:/i);
    // Main side only: the engine gets it back for a send that names the profile.
    const lookup = createProfileSecretLookup({ dataDir: dir, secrets });
    assert.deepEqual(value(await lookup(saved.profile.id)), { user: 'alice', password: CANARY, host: RELAY.host, port: RELAY.port });
  });

  test('a password kept by the keychain survives a restart; forgetting or deleting the profile removes it', async () => {
    const dir = tempDir();
    const keychain = fakeKeychain();
    const first = createStoreMethods({ dataDir: dir, secrets: createOsSecretStore(dataPaths(dir).secrets, keychain) });
    const { profile } = value(await first.saveProfile({ profile: RELAY, password: CANARY }));
    const secrets = createOsSecretStore(dataPaths(dir).secrets, keychain);
    const again = createStoreMethods({ dataDir: dir, secrets });
    assert.equal(value(await again.listProfiles({})).profiles[0].passwordSaved, true);
    // Editing without a password keeps it; forgetPassword removes it.
    assert.equal(value(await again.saveProfile({ profile: { ...RELAY, id: profile.id, port: 2525 } })).profile.passwordSaved, true);
    assert.equal(value(await again.saveProfile({ profile: { ...RELAY, id: profile.id }, forgetPassword: true })).profile.passwordSaved, false);
    value(await again.saveProfile({ profile: { ...RELAY, id: profile.id }, password: CANARY }));
    value(await again.deleteProfile({ id: profile.id }));
    assert.equal(await secrets.has(profile.id), false);
    assert.deepEqual(value(await again.listProfiles({})).profiles, []);
  });

  test("on Linux's basic_text backend the password is kept for this session only, and the user is told why", async () => {
    const dir = tempDir();
    const secrets = createOsSecretStore(dataPaths(dir).secrets, fakeKeychain('basic_text'));
    assert.equal(secrets.status().kind, 'session');
    const api = createStoreMethods({ dataDir: dir, secrets });
    const saved = value(await api.saveProfile({ profile: RELAY, password: CANARY }));
    assert.equal(saved.profile.passwordSaved, true);
    assert.match(saved.passwordNotice ?? '', /basic_text.*only until MX Desk quits/);
    assert.equal(existsSync(dataPaths(dir).secrets), false);
    assert.deepEqual(scanDirForCanary(dir, CANARY), []);
    // After a restart it is gone.
    const restarted = createStoreMethods({ dataDir: dir, secrets: createOsSecretStore(dataPaths(dir).secrets, fakeKeychain('basic_text')) });
    assert.equal(value(await restarted.listProfiles({})).profiles[0].passwordSaved, false);
  });

  test('without any encryption available the password is also kept for this session only', () => {
    const status = createOsSecretStore(join(tempDir(), 'secrets.json'), fakeKeychain('gnome_libsecret', false)).status();
    assert.equal(status.kind, 'session');
    assert.match(status.reason, /only until MX Desk quits/);
  });

  test('in web mode, passwords are never stored; the profile is', async () => {
    const dir = tempDir();
    const secrets = createWebSecretStore();
    const api = createStoreMethods({ dataDir: dir, secrets });
    const saved = value(await api.saveProfile({ profile: RELAY, password: CANARY }));
    assert.equal(saved.profile.passwordSaved, false);
    assert.equal(saved.passwordNotice, WEB_MODE_REASON);
    assert.equal(value(await api.listProfiles({})).secretStorage.kind, 'none');
    const lookup = await createProfileSecretLookup({ dataDir: dir, secrets })(saved.profile.id);
    assert.equal(lookup.ok ? 'ok' : lookup.error.code, 'no_saved_password');
    assert.deepEqual(scanDirForCanary(dir, CANARY), []);
  });

  test('a password smuggled into the profile object never reaches the profiles file', async () => {
    const parsed = value(parseSaveProfileRequest({ profile: { ...RELAY, password: CANARY, passwordSaved: true } }));
    assert.deepEqual(Object.keys(parsed.profile).sort(), ['authMechanism', 'authUser', 'host', 'name', 'port', 'tls']);
    const dir = tempDir();
    const store = createProfileStore(dataPaths(dir).profiles);
    value(await store.save({ ...RELAY, password: CANARY } as ProfileFields));
    assert.deepEqual(scanDirForCanary(dir, CANARY), []);
  });

  test('a password with NUL is refused (it would split the AUTH PLAIN message, RFC 4616)', () => {
    const r = parseSaveProfileRequest({ profile: RELAY, password: 'a\0b' });
    assert.equal(r.ok ? 'ok' : r.error.field, 'password');
  });
});
