// The one test command (`npm test`): system packages, build, typecheck, lint, then every tier in one
// node:test run so that its closing summary counts them all.
//   npm test                 all tiers
//   npm test -- unit engine  only these tiers (unit, engine, interop, ui, electron)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemDeps } from './system-deps.mjs';

const TIERS = ['unit', 'engine', 'interop', 'ui', 'electron'];
const wanted = process.argv.slice(2).filter((a) => TIERS.includes(a));
const tiers = wanted.length ? wanted : TIERS;

function run(cmd, args, what = `${cmd} ${args.join(' ')}`) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function testFiles(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(testFiles(p));
    else if (/\.test\.tsx?$/.test(e)) out.push(p);
  }
  return out;
}

ensureSystemDeps();
run('npm', ['run', '-s', 'build']);
run('npm', ['run', '-s', 'typecheck']);
run('npm', ['run', '-s', 'lint']);
const files = tiers.flatMap((t) => testFiles(join('test', t)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The spec reporter (also when stdout is not a terminal, as in CI) ends with the ℹ tests/pass/fail totals.
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=300000', '--test-reporter=spec', ...files], `node --test (${files.length} files in ${tiers.join(', ')})`);
