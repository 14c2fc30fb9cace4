// Pure view helpers of History, Run again, Settings and profiles (no DOM, no React).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionRequest } from '../../shared/model';
import type { HistoryEntry, Profile, Settings } from '../../shared/store-model';
import { DEFAULT_SETTINGS, QUICK_TIMEOUTS } from '../../shared/store-model';
import { draftStatusText } from '../../renderer/drafts/draft-status-text';
import { emptyDraft } from '../../renderer/compose/draft-state';
import { envelopeSummary, entryLabel, EXPORT_CHOICES, filterEntries, formatDuration, formatWhen, senderText, statusView } from '../../renderer/history/history-format';
import { formsFromRequest, runAgainBlocker, runAgainNote } from '../../renderer/history/run-again';
import { appliedProfile, profileAuth, profileDraftErrors, profileToTarget } from '../../renderer/profiles/profile-target';
import { buildSessionRequest, withTypedPassword } from '../../renderer/send/send-request';
import { secretWords } from '../../renderer/profiles/secret-words';
import { heloDefault, withSendDefaults } from '../../renderer/settings/send-defaults';
import { heloSettingError, resolverError } from '../../renderer/settings/settings-checks';
import { defaultTarget } from '../../renderer/target/target-state';

function entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 's1',
    startedAt: new Date(2026, 10, 28, 14, 3, 12).toISOString(),
    target: 'smtp.example.test:2525',
    mailFrom: 'ann@example.test',
    rcptTo: ['bob@example.test'],
    mode: 'auto',
    status: 'delivered',
    dotSent: true,
    durationMs: 420,
    eventCount: 30,
    truncated: false,
    sizeBytes: 4096,
    canRunAgain: true,
    ...over,
  };
}

function request(over: Partial<SessionRequest> = {}): SessionRequest {
  return {
    draft: { ...emptyDraft(), from: 'ann@example.test', to: 'bob@example.test', subject: 'Hi', text: 'Body', mailFrom: 'ann@example.test', rcptTo: ['bob@example.test'] },
    target: { kind: 'host', host: '127.0.0.1', port: 2525 },
    tls: 'starttls',
    certPolicy: 'override-once',
    heloName: 'client.example.test',
    pipelining: false,
    chunking: true,
    mode: 'auto',
    ...over,
  };
}

describe('history list wording', () => {
  test('an interrupted session says outcome unknown and whether the final dot had been sent', () => {
    const sent = statusView({ status: 'interrupted', dotSent: true });
    assert.equal(sent.label, 'Interrupted — outcome unknown');
    assert.equal(sent.tone, 'warn');
    assert.match(sent.detail ?? '', /after the final dot had been sent: the server may have accepted/);
    const notSent = statusView({ status: 'interrupted', dotSent: false });
    assert.match(notSent.detail ?? '', /before the final dot was sent: the message was not delivered/);
    assert.match(entryLabel(entry({ status: 'interrupted', dotSent: false })), /^Interrupted — outcome unknown, final dot not sent\./);
  });

  test('each outcome has its own badge tone, so colour reinforces the words', () => {
    assert.equal(statusView({ status: 'delivered', dotSent: true }).tone, 'ok');
    assert.equal(statusView({ status: 'not_delivered', dotSent: false }).tone, 'error');
    assert.equal(statusView({ status: 'unknown', dotSent: true }).tone, 'warn');
    assert.equal(statusView({ status: 'cancelled', dotSent: false }).tone, 'neutral');
    assert.match(statusView({ status: 'cancelled', dotSent: true }).detail ?? '', /may have been delivered/);
  });

  test('dates read like log lines, in local time', () => {
    assert.deepEqual(formatWhen(new Date(2026, 0, 5, 7, 8, 9).toISOString()), { date: '2026-01-05', time: '07:08:09' });
    assert.deepEqual(formatWhen('not a date'), { date: 'not a date', time: '' });
  });

  test('durations are short and exact enough to compare sessions', () => {
    assert.equal(formatDuration(420.4), '420 ms');
    assert.equal(formatDuration(3250), '3.3 s');
    assert.equal(formatDuration(14_900), '14 s');
    assert.equal(formatDuration(125_000), '2 min 05 s');
    assert.equal(formatDuration(300_000), '5 min');
    assert.equal(formatDuration(-1), '—');
  });

  test('the envelope shows the null sender as <> and caps the recipients shown', () => {
    assert.equal(senderText(''), '<>');
    assert.equal(senderText('<>'), '<>');
    assert.equal(envelopeSummary('', ['a@x.test']), '<> → a@x.test');
    assert.equal(envelopeSummary('s@x.test', ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test']), 's@x.test → a@x.test, b@x.test +2 more');
    assert.equal(envelopeSummary('s@x.test', []), 's@x.test → (no recipient)');
  });

  test('the search matches every word against target, addresses and outcome, case-insensitively', () => {
    const list = [entry({ id: 'a' }), entry({ id: 'b', target: 'MX of other.test', status: 'not_delivered', rcptTo: ['carol@other.test'] })];
    assert.deepEqual(
      filterEntries(list, 'OTHER not delivered').map((e) => e.id),
      ['b'],
    );
    assert.deepEqual(
      filterEntries(list, '  ').map((e) => e.id),
      ['a', 'b'],
    );
    assert.deepEqual(filterEntries(list, 'bob@example.test 2525').map((e) => e.id), ['a']);
  });

  test('the export menu offers the six formats of the issue, in order', () => {
    assert.deepEqual(
      EXPORT_CHOICES.map((c) => c.format),
      ['text', 'json', 'eml', 'swaks', 'curl', 'openssl'],
    );
  });
});

describe('run again', () => {
  test('a specific-server request fills the target form with host, port, TLS, HELO and toggles', () => {
    const f = formsFromRequest(request({ breakpoints: ['rcpt'] }));
    assert.equal(f.target.kind, 'host');
    assert.equal(f.target.host, '127.0.0.1');
    assert.equal(f.target.port, '2525');
    assert.equal(f.target.tls, 'starttls');
    assert.equal(f.target.heloName, 'client.example.test');
    assert.equal(f.target.heloEdited, true);
    assert.equal(f.target.pipelining, false);
    assert.deepEqual(f.target.breakpoints, ['rcpt']);
    assert.equal(f.draft.subject, 'Hi');
    assert.equal(f.needsPassword, false);
  });

  test('a certificate override never carries over: the run again verifies again', () => {
    assert.equal(formsFromRequest(request({ certPolicy: 'override-once' })).target.certPolicy, 'verify');
  });

  test('an MX request keeps its port and the host picked to try first', () => {
    const f = formsFromRequest(request({ target: { kind: 'mx', preferHost: 'mx2.example.test', preferAddress: '127.0.0.2' }, port: 2526, resolver: '127.0.0.1:5353' }));
    assert.equal(f.target.kind, 'mx');
    assert.equal(f.target.mxPort, '2526');
    assert.equal(f.target.preferHost, 'mx2.example.test');
    assert.equal(f.target.preferAddress, '127.0.0.2');
    assert.equal(f.target.resolver, '127.0.0.1:5353');
  });

  test('the Run again note warns when the earlier run may already have delivered', () => {
    const plain = runAgainNote(entry({ status: 'delivered', dotSent: true }), request());
    assert.equal(plain.warn, false);
    assert.match(plain.text, /^Loaded from History: the session of 2026-11-28 14:03:12 to smtp\.example\.test:2525\. Check it, then press Send\.$/);
    for (const status of ['unknown', 'interrupted'] as const) {
      const n = runAgainNote(entry({ status, dotSent: true }), request());
      assert.equal(n.warn, true, status);
      assert.match(n.text, /may have delivered the message already/);
    }
    assert.equal(runAgainNote(entry({ status: 'interrupted', dotSent: false }), request()).warn, false, 'no dot, no delivery');
    assert.match(runAgainNote(entry(), request({ auth: { user: 'ann', mechanism: 'PLAIN' } })).text, /Type the AUTH password again/);
    assert.doesNotMatch(runAgainNote(entry(), request({ auth: { user: 'ann', profileId: 'p1', mechanism: 'PLAIN' } })).text, /password/);
  });

  test('AUTH comes back with its user and mechanism; the password must be typed again', () => {
    const f = formsFromRequest(request({ auth: { user: 'ann', mechanism: 'LOGIN' }, allowPlaintextAuthOnLoopback: true }));
    assert.equal(f.target.authEnabled, true);
    assert.equal(f.target.authUser, 'ann');
    assert.equal(f.target.authMechanism, 'LOGIN');
    assert.equal(f.target.allowPlaintextAuthOnLoopback, true);
    assert.equal(f.needsPassword, true);
    assert.equal(JSON.stringify(f).includes('password'), false, 'no password field anywhere in the forms');
  });

  test('the HTML switch follows the stored HTML alternative; raw mode keeps it off', () => {
    assert.equal(formsFromRequest(request({ draft: { ...request().draft, html: '<p>x</p>' } })).htmlOn, true);
    assert.equal(formsFromRequest(request({ draft: { ...request().draft, html: '<p>x</p>', rawMode: true } })).htmlOn, false);
  });

  test('the forms are copies: editing them never changes the stored request', () => {
    const req = request();
    const f = formsFromRequest(req);
    f.draft.rcptTo.push('x@y.test');
    assert.deepEqual(req.draft.rcptTo, ['bob@example.test']);
  });

  test('says why a session cannot run again', () => {
    assert.equal(runAgainBlocker(true, false), undefined);
    assert.match(runAgainBlocker(false, false) ?? '', /request was not kept/);
    assert.match(runAgainBlocker(true, true) ?? '', /events only/);
  });
});

describe('settings applied to a send', () => {
  const quick: Settings = { ...DEFAULT_SETTINGS, timeoutPreset: 'quick', defaultResolver: '127.0.0.1:5353', heloName: 'me.example.test' };

  test('fills only what the form left empty', () => {
    const r = withSendDefaults(request({ heloName: undefined, resolver: undefined }), quick);
    assert.equal(r.resolver, '127.0.0.1:5353');
    assert.equal(r.heloName, 'me.example.test');
    assert.deepEqual(r.timeouts, QUICK_TIMEOUTS);
    const own = withSendDefaults(request({ resolver: '10.0.0.1' }), quick);
    assert.equal(own.resolver, '10.0.0.1');
    assert.equal(own.heloName, 'client.example.test');
  });

  test('RFC defaults send no timeouts: the engine’s defaults are RFC 5321 §4.5.3.2', () => {
    assert.equal(withSendDefaults(request(), DEFAULT_SETTINGS).timeouts, undefined);
  });

  test('the HELO prefill is the setting, else the host’s name', () => {
    assert.equal(heloDefault(DEFAULT_SETTINGS, 'host.example.test'), 'host.example.test');
    assert.equal(heloDefault(quick, 'host.example.test'), 'me.example.test');
  });

  test('the text fields are checked with the shared validators, empty meaning the default', () => {
    assert.equal(resolverError(''), undefined);
    assert.equal(resolverError('127.0.0.1:5353'), undefined);
    assert.ok(resolverError('127.0.0.1:99999'));
    assert.equal(heloSettingError(''), undefined);
    assert.equal(heloSettingError('client.example.test'), undefined);
    assert.match(heloSettingError('two words') ?? '', /space/);
  });
});

describe('profiles', () => {
  const p: Profile = { id: 'p1', name: 'Office', host: 'smtp.example.test', port: 587, tls: 'starttls', authUser: 'ann', authMechanism: 'PLAIN', updatedAt: '', passwordSaved: true };

  test('a picked profile makes the target a specific server with its TLS and AUTH user', () => {
    const t = profileToTarget(defaultTarget(), p);
    assert.equal(t.kind, 'host');
    assert.equal(t.host, 'smtp.example.test');
    assert.equal(t.port, '587');
    assert.equal(t.tls, 'starttls');
    assert.equal(t.authEnabled, true);
    assert.equal(t.authUser, 'ann');
  });

  test('a saved password is used by profile id, never sent to the page; a typed one wins', () => {
    assert.deepEqual(profileAuth(p, ''), { user: 'ann', profileId: 'p1', mechanism: 'PLAIN' });
    assert.deepEqual(profileAuth(p, 'typed'), { user: 'ann', password: 'typed', mechanism: 'PLAIN' });
    assert.equal(profileAuth({ ...p, authUser: '' }, ''), undefined);
  });

  test('a saved target applies only while the form still matches it', () => {
    const t = profileToTarget(defaultTarget(), p);
    assert.equal(t.profileId, 'p1');
    assert.equal(appliedProfile(t, [p]), p);
    for (const edit of [{ host: 'other.example.test' }, { port: '25' }, { tls: 'none' as const }, { authUser: 'bob' }, { kind: 'mx' as const }]) {
      assert.equal(appliedProfile({ ...t, ...edit }, [p]), undefined, JSON.stringify(edit));
    }
    // Edited in Settings after it was picked: the form is no longer what the password was saved for.
    assert.equal(appliedProfile(t, [{ ...p, host: 'moved.example.test' }]), undefined);
    assert.equal(appliedProfile(t, []), undefined, 'deleted');
    assert.equal(appliedProfile({ ...t, heloName: 'client.example.test' }, [p]), p, 'other fields do not matter');
    assert.equal(appliedProfile({ ...t, authEnabled: false }, [p]), p, 'AUTH off: the same server, no password sent');
  });

  test('a request from a saved target carries its profile id, never a password, unless one is typed', () => {
    const draft = { ...emptyDraft(), from: 'ann@example.test', to: 'bob@example.test', mailFrom: 'ann@example.test', rcptTo: ['bob@example.test'] };
    const t = profileToTarget(defaultTarget(), p);
    assert.deepEqual(buildSessionRequest(draft, false, t, 'auto', '', {}, p).auth, { user: 'ann', profileId: 'p1', mechanism: 'PLAIN' });
    assert.deepEqual(buildSessionRequest(draft, false, t, 'auto', 'typed', {}, p).auth, { user: 'ann', password: 'typed', mechanism: 'PLAIN' });
    assert.deepEqual(buildSessionRequest(draft, false, t, 'auto', '').auth, { user: 'ann', password: '', mechanism: 'PLAIN' }, 'no saved target in force');
    assert.deepEqual(withTypedPassword({ user: 'ann', profileId: 'p1', mechanism: 'PLAIN' }, ''), { user: 'ann', profileId: 'p1', mechanism: 'PLAIN' });
    assert.deepEqual(withTypedPassword({ user: 'ann', profileId: 'p1', mechanism: 'PLAIN' }, 'x'), { user: 'ann', password: 'x', mechanism: 'PLAIN' });
  });

  test('Run again of a send that used a saved password picks the same saved target', () => {
    const f = formsFromRequest({ draft: emptyDraft(), mode: 'auto', target: { kind: 'host', host: 'smtp.example.test', port: 587 }, tls: 'starttls', certPolicy: 'verify', pipelining: true, chunking: true, auth: { user: 'ann', profileId: 'p1', mechanism: 'PLAIN' } });
    assert.equal(appliedProfile(f.target, [p]), p);
    assert.equal(f.needsPassword, false);
  });

  test('the form refuses what the host would refuse', () => {
    const e = profileDraftErrors({ name: ' ', host: 'a b', port: '70000', tls: 'none', authUser: 'x\ny', authMechanism: 'auto' });
    assert.deepEqual(Object.keys(e).sort(), ['authUser', 'host', 'name', 'port']);
    assert.deepEqual(profileDraftErrors({ name: 'Relay', host: '127.0.0.1', port: '25', tls: 'auto', authUser: '', authMechanism: 'auto' }), {});
  });

  test('says in plain words where a password goes, and offers no field where it cannot be kept', () => {
    assert.equal(secretWords({ kind: 'os' }).canKeep, true);
    const session = secretWords({ kind: 'session' });
    assert.match(session.headline, /this session only/);
    assert.match(session.detail, /basic_text/);
    const web = secretWords({ kind: 'none' });
    assert.match(web.headline, /never stored in web mode/);
    assert.equal(web.canKeep, false);
  });
});

describe('draft indicator', () => {
  test('shows the time of the last confirmed save', () => {
    const at = new Date(2026, 10, 28, 9, 5, 7).toISOString();
    assert.equal(draftStatusText({ status: 'saved', savedAt: at }), 'Draft saved 09:05:07');
    assert.equal(draftStatusText({ status: 'unsaved', savedAt: at }), 'Draft saved 09:05:07, newer edits pending');
    assert.equal(draftStatusText({ status: 'error', message: 'ENOSPC' }), 'Draft not saved: ENOSPC');
  });
});
