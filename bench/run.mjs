// `npm run bench`: the app measured against the raw engine and a blank page in the same browser
// run. Prints a table (figure, value, target, holds) and writes JSON under bench/results/.
// Figures are ratios measured side by side, because the machines are shared and noisy.
// bench/README.md says what each section measures and how to run one.
//
//   node bench/run.mjs                   full run
//   node bench/run.mjs --quick           one short pass of each section
//   node bench/run.mjs --only=engine,server   (or --only engine,server) some sections
//   node bench/run.mjs --real            only the real-size models
//
// Each section (bench/sections/) names what it needs; the driver sets that up once, the first time
// a chosen section needs it. A section whose needs cannot be met, or that fails, gets a row saying
// why, and the others still run; the run then exits 1 after printing the table.
import { mkdir, writeFile } from 'node:fs/promises';
import { createSetup } from './lib/setup.mjs';
import { didNotRun, notRunRow } from './lib/rows.mjs';
import { printTable } from './lib/report.mjs';
import { round } from './lib/stats.mjs';
import { SECTIONS } from './sections/index.mjs';

/** The sections named by --only=a,b / --only a,b (--real: the real-size one), else every section. */
function chosenSections(argv) {
  if (argv.includes('--real')) return ['real'];
  const at = argv.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
  if (at === -1) return SECTIONS.map((section) => section.name);
  const list = argv[at] === '--only' ? (argv[at + 1] ?? '') : argv[at].slice('--only='.length);
  return list.split(',').filter(Boolean);
}

const quick = process.argv.includes('--quick');
const chosen = chosenSections(process.argv);
const unknown = chosen.filter((name) => !SECTIONS.some((section) => section.name === name));
if (chosen.length === 0 || unknown.length > 0) {
  console.error(
    `${unknown.length > 0 ? `No bench section named ${unknown.join(', ')}` : '--only names no section'}; ` +
      `sections: ${SECTIONS.map((section) => section.name).join(', ')}`,
  );
  process.exit(2);
}

const started = performance.now();
const log = (message) => console.log(`[${round((performance.now() - started) / 1000, 0)} s] ${message}`);
const rows = [];
const results = { date: new Date().toISOString(), quick, figures: {} };

/** Adds a section's raw figures to the JSON, one level deep (embeddings come from two sections). */
function keep(figures) {
  for (const [key, value] of Object.entries(figures)) {
    const plain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    results[key] = plain(results[key]) && plain(value) ? { ...results[key], ...value } : value;
  }
}

const setup = createSetup({ quick, log });
try {
  for (const section of SECTIONS.filter(({ name }) => chosen.includes(name))) {
    const missing = await setup.prepare(section.needs);
    if (missing) {
      log(`${section.name}: not run (${missing})`);
      rows.push(notRunRow(section.name, 'not run', missing));
      continue;
    }
    try {
      const done = await section.run(setup.ctx);
      rows.push(...done.rows);
      keep(done.results);
    } catch (error) {
      console.error(error);
      rows.push(notRunRow(section.name, 'failed', error instanceof Error ? error.message : String(error)));
    }
  }
} finally {
  await setup.close();
}

for (const { figure, ...rest } of rows) results.figures[figure] = rest;
printTable(rows);
await mkdir('bench/results', { recursive: true });
const file = `bench/results/bench-${results.date.replace(/[:.]/g, '-')}.json`;
await writeFile(file, JSON.stringify(results, null, 2));
console.log(`\nWrote ${file} (${round((performance.now() - started) / 60_000, 1)} min)`);
const incomplete = rows.filter(didNotRun).length;
if (incomplete > 0) {
  console.log(`${incomplete} section${incomplete === 1 ? '' : 's'} did not run or did not finish: their rows say why.`);
  process.exitCode = 1;
}
