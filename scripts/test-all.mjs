// `npm test`: every check the project has, in order — types, lint, unit tests, then the e2e suite
// against a fresh production build — and one closing line with the totals, "N passed, N failed".
// Every step runs even after a failure, so one run shows everything that is wrong. Beyond the root
// `npm install` it needs only Debian's chromium, speech-dispatcher and espeak-ng (.ci/run installs
// them); e2e/llama-server it installs itself, once (scripts/install-llama-server.mjs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
rmSync(`${results}/unit.json`, { force: true });
rmSync(`${results}/e2e.json`, { force: true });
mkdirSync(results, { recursive: true });

/** Runs an npm script or npx command with inherited output; true when it exits 0. */
function run(label, command, args, env = {}) {
  console.log(`\n── ${label} ──`);
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return status === 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
const failedSteps = [];

for (const [label, script] of [
  ['type check', 'check'],
  ['lint', 'lint'],
]) {
  if (!run(label, 'npm', ['run', '--silent', script])) failedSteps.push(label);
}

const unitOk = run('unit tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${results}/unit.json`,
]);
const unit = readJson(`${results}/unit.json`);
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
}
if (!unitOk && (!unit || unit.numFailedTests === 0)) failedSteps.push('unit tests');

// The hybrid and translate-server tests' real llama.cpp server; skipped when already installed.
if (!run('e2e/llama-server (llama.cpp for the hybrid tests)', 'node', ['scripts/install-llama-server.mjs'])) {
  failedSteps.push('e2e/llama-server install');
}

const buildOk = run('production build', 'npm', ['run', '--silent', 'build']);
if (!buildOk) failedSteps.push('build');
const e2eOk =
  buildOk &&
  run('e2e tests', 'npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: `${results}/e2e.json`,
  });
const e2e = readJson(`${results}/e2e.json`);
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
}
if (!e2eOk && (!e2e || e2e.stats.unexpected === 0)) failedSteps.push('e2e tests');

// A failed step that ran no countable test (type errors, lint, a broken build) counts as one failure.
failed += failedSteps.length;
if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
