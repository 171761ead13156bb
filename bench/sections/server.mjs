// The server backend's streaming cost: a reply from real llama.cpp (e2e/llama-server, installed
// on first need) through the whole app against the same server read with a plain fetch in the
// same page (bench/lib/server.mjs).
import { measureServer } from '../lib/server.mjs';
import { row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'server';
export const needs = ['app', 'browser', 'llama-server'];

export async function run({ quick, log, browser, app }) {
  log('model server: app against a direct fetch');
  const server = await measureServer(browser, {
    appUrl: app.url,
    rounds: Number(process.env.BENCH_ROUNDS) || (quick ? 2 : 5),
  });
  return {
    results: { server },
    rows: [
      row(
        'Server streaming, app ÷ direct fetch tok/s — llama.cpp server, tiny model',
        `${round(server.ratio)} (${round(server.appRate, 0)} / ${round(server.directRate, 0)} tok/s)`,
        '≥ 0.97',
        server.ratio >= 0.97,
        `median of ${server.runs.length} interleaved pairs, ${server.runs[0].app.tokens} tokens, same page; rates as tokens arrive in the page (the app's through its whole per-token path)`,
      ),
    ],
  };
}
