import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { dataPaths } from '../../electron/store/data-dir';
import { createDraftStore } from '../../electron/store/drafts';
import { createSettingsStore } from '../../electron/store/settings';
import { DEFAULT_SETTINGS } from '../../shared/store-model';
import { draftGeneration } from '../support/store-crash-child';
import { bundleCrashChild, runAndKill } from '../support/store-crash';
import { seededRandom } from '../support/seeded-random';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('mxdesk-store-');

describe('drafts and settings on disk', () => {
  test('a saved draft loads back and the previous generation is kept as .prev', async () => {
    const paths = dataPaths(tempDir());
    const store = createDraftStore(paths.draft);
    assert.deepEqual(await store.load(), { draft: null, savedAt: null, recovery: null });
    await store.save(draftGeneration(1));
    await store.save(draftGeneration(2));
    const loaded = await store.load();
    assert.equal(loaded.draft?.subject, 'generation 2');
    assert.equal(loaded.recovery, null);
    assert.equal(JSON.parse(readFileSync(`${paths.draft}.prev`, 'utf8')).draft.subject, 'generation 1');
    assert.deepEqual(readdirSync(paths.root).sort(), ['draft.json', 'draft.json.prev']);
  });

  test('quick successive saves land in call order', async () => {
    const store = createDraftStore(dataPaths(tempDir()).draft);
    await Promise.all([1, 2, 3, 4, 5].map((g) => store.save(draftGeneration(g))));
    assert.equal((await store.load()).draft?.subject, 'generation 5');
  });

  test('a torn draft file is quarantined with a timestamp and the previous generation is restored', async () => {
    const paths = dataPaths(tempDir());
    const store = createDraftStore(paths.draft);
    await store.save(draftGeneration(1));
    await store.save(draftGeneration(2));
    writeFileSync(paths.draft, readFileSync(paths.draft, 'utf8').slice(0, 100)); // torn JSON
    const loaded = await store.load();
    assert.equal(loaded.draft?.subject, 'generation 1');
    assert.equal(loaded.recovery?.source, 'prev');
    assert.match(loaded.recovery?.quarantined[0] ?? '', /^draft\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
    assert.ok(existsSync(join(paths.root, loaded.recovery?.quarantined[0] ?? 'x')));
  });

  test('a corrupt settings file (bad JSON) is quarantined beside the store and defaults load', async () => {
    const paths = dataPaths(tempDir());
    writeFileSync(paths.settings, '{"format":"mxdesk-settings", nonsense');
    const loaded = await createSettingsStore(paths.settings).load();
    assert.deepEqual(loaded.settings, DEFAULT_SETTINGS);
    assert.equal(loaded.recovery?.source, 'defaults');
    assert.match(loaded.recovery?.message ?? '', /damaged.*defaults/);
    const names = readdirSync(paths.root);
    assert.ok(!names.includes('settings.json'));
    assert.equal(names.filter((n) => n.startsWith('settings.json.corrupt-')).length, 1);
  });

  test('a settings file that parses but fails the schema is quarantined too; the app then saves normally', async () => {
    const paths = dataPaths(tempDir());
    writeFileSync(paths.settings, JSON.stringify({ format: 'mxdesk-settings', version: 1, settings: { theme: 'neon' } }));
    const store = createSettingsStore(paths.settings);
    const loaded = await store.load();
    assert.deepEqual(loaded.settings, DEFAULT_SETTINGS);
    assert.equal(loaded.recovery?.quarantined.length, 1);
    await store.save({ ...DEFAULT_SETTINGS, theme: 'dark', timeoutPreset: 'quick' });
    assert.deepEqual((await store.load()).settings, { ...DEFAULT_SETTINGS, theme: 'dark', timeoutPreset: 'quick' });
  });

  test('an older settings file without newer fields still loads, with defaults for the rest', async () => {
    const paths = dataPaths(tempDir());
    writeFileSync(paths.settings, JSON.stringify({ format: 'mxdesk-settings', version: 1, settings: { heloName: 'client.example.test' } }));
    const loaded = await createSettingsStore(paths.settings).load();
    assert.deepEqual(loaded.settings, { ...DEFAULT_SETTINGS, heloName: 'client.example.test' });
    assert.equal(loaded.recovery, null);
  });
});

describe('kill -9 during draft autosave', () => {
  let script = '';
  before(async () => {
    script = await bundleCrashChild();
  });

  const RUNS = 50;
  const PARALLEL = 4;
  const seed = Number(process.env.MXDESK_CRASH_SEED ?? Date.now() % 1_000_000);

  test(`never leaves a torn draft (${RUNS} kills at random moments)`, async (t) => {
    const random = seededRandom(seed);
    const delays = Array.from({ length: RUNS }, () => random.int(40));
    let midWrite = 0;
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        const i = next++;
        const dir = tempDir();
        const run = await runAndKill(script, ['draft', dir], delays[i]);
        const savedGens = run.lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6)));
        const lastReported = Math.max(0, ...savedGens);
        const why = `seed ${seed}, run ${i}, kill after ${delays[i]} ms, last reported save ${lastReported}`;

        // The live file itself is always whole: never a mix of two generations, never missing.
        const paths = dataPaths(dir);
        const onDisk = JSON.parse(readFileSync(paths.draft, 'utf8'));
        const gen = Number(/^generation (\d+)$/.exec(onDisk.draft.subject)?.[1]);
        assert.deepEqual(onDisk.draft, draftGeneration(gen), why);
        // A save that reported success is never lost; at most the one in flight is added.
        assert.ok(gen >= lastReported && gen <= lastReported + 1, `${why}: found generation ${gen}`);
        if (existsSync(`${paths.draft}.prev`)) JSON.parse(readFileSync(`${paths.draft}.prev`, 'utf8'));

        const store = createDraftStore(paths.draft);
        const loaded = await store.load();
        assert.equal(loaded.recovery, null, why);
        assert.equal(loaded.draft?.subject, `generation ${gen}`, why);
        // Temp files left behind show the kill landed inside a write (after open, before the rename).
        if (readdirSync(dir).some((n) => n.includes('.tmp-'))) midWrite++;
        // The next start saves normally and clears the temp files the killed writer left.
        await store.save(draftGeneration(gen + 1));
        assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.tmp-')), [], why);
        rmSync(dir, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    t.diagnostic(`seed ${seed}: ${midWrite} of ${RUNS} kills landed inside a write`);
    // Most of a save is its fsync, so most random kills land inside one; if none did, nothing was tested.
    assert.ok(midWrite >= RUNS / 10, `only ${midWrite} of ${RUNS} kills landed inside a write (seed ${seed})`);
  });
});

describe('settings validation', () => {
  test('the default resolver is checked like any resolver; empty means the system one', async () => {
    const { parseSettings } = await import('../../shared/validate/store-requests');
    assert.equal(parseSettings({ ...DEFAULT_SETTINGS, defaultResolver: '127.0.0.1:5353' }).ok, true);
    assert.equal(parseSettings({ ...DEFAULT_SETTINGS, defaultResolver: '' }).ok, true);
    const bad = parseSettings({ ...DEFAULT_SETTINGS, defaultResolver: '1.2.3.4:99999' });
    assert.equal(bad.ok ? 'ok' : bad.error.field, 'defaultResolver');
    const helo = parseSettings({ ...DEFAULT_SETTINGS, heloName: 'a b' });
    assert.equal(helo.ok ? 'ok' : helo.error.field, 'heloName');
  });
});
