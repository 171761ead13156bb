// Documents (bench/lib/documents.mjs): lexical query latency over ~10,000 passages, indexing a
// 5 MB and a 20 MB file through the Documents view, and a grounded answer against the same
// prompt sent to the raw engine.
import { measureDocuments } from '../lib/documents.mjs';
import { CHAT_CONTEXT } from '../lib/fixtures.mjs';
import { label, row } from '../lib/rows.mjs';
import { median, round } from '../lib/stats.mjs';

export const name = 'documents';
export const needs = ['app', 'baseline', 'browser', 'models'];

export async function run({ log, browser, app, baseline, fixtures, modelUrl }) {
  const model = fixtures.models.tiny;
  log('documents: lexical latency over 10,000 passages, indexing 5 MB and 20 MB, grounded answer ÷ raw engine');
  const docs = await measureDocuments(browser, {
    appUrl: app.url,
    baselineUrl: baseline.url,
    modelUrl: modelUrl(model),
    name: model.name,
    contextLength: CHAT_CONTEXT,
  });
  const longest = Math.max(0, ...docs.indexing.longTasks);
  const limit = docs.indexingLimit;
  const appMs = median(docs.answer.app.map((run) => run.ms));
  const rawMs = median(docs.answer.raw.runs.map((run) => run.totalMs));
  const pairs = docs.answer.app.map((run, i) => run.ms / docs.answer.raw.runs[i].totalMs);
  return {
    results: { documents: docs },
    rows: [
      row(
        `Documents: lexical query p95 over ${docs.lexical.passages.toLocaleString('en')} passages`,
        `${round(docs.lexical.p95, 1)} ms (p50 ${round(docs.lexical.p50, 1)} ms)`,
        '≤ 50 ms',
        docs.lexical.p95 <= 50,
        `the app's BM25 code in a page; index built in ${round(docs.lexical.buildMs / 1000, 1)} s, ${round(docs.lexical.jsonBytes / 1e6, 1)} MB as JSON`,
      ),
      row(
        'Documents: indexing a 5 MB text file (Documents view)',
        `${round(docs.indexing.ms / 1000, 1)} s, +${round((docs.indexing.rssPeak - docs.indexing.rssBefore) / 1e6, 0)} MB browser memory at peak`,
        'report',
        null,
        `${docs.indexing.passages} passages, in the documents worker; main-thread long tasks meanwhile: ${docs.indexing.longTasks.length} (max ${round(longest, 0)} ms)`,
      ),
      row(
        'Documents: indexing a 20 MB text file (the size limit)',
        `${round(limit.ms / 1000, 1)} s, +${round((limit.rssPeak - limit.rssBefore) / 1e6, 0)} MB browser memory at peak`,
        'report',
        null,
        `${limit.passages} passages; main-thread long tasks meanwhile: ${limit.longTasks.length} (max ${round(Math.max(0, ...limit.longTasks), 0)} ms)`,
      ),
      row(
        `Documents: grounded answer, app ÷ same prompt to raw engine — ${label(model)}`,
        `${round(median(pairs))} (${round(appMs, 0)} / ${round(rawMs, 0)} ms)`,
        'report',
        null,
        `median of 3 interleaved pairs (${pairs.map((r) => round(r)).join(', ')}), both with embeddings on; ${docs.answer.app[0].tokens} tokens, prompt ${docs.answer.app[0].promptTokens} tokens in the app (raw count ${docs.answer.raw.promptTokens}), ${docs.answer.sources} sources; app time includes embedding the question and the search`,
      ),
    ],
  };
}
