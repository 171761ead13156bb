// Streaming and load through the app against wllama called in a page, for the 1.2 MB test model
// and the 37 MB one (bench/lib/engine.mjs): tokens/s, delivery to the screen, CPU per token,
// main-thread long tasks, and the load from storage against a load from memory.
import { measureModel } from '../lib/engine.mjs';
import { CHAT_CONTEXT } from '../lib/fixtures.mjs';
import { cpuParts, label, row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'engine';
export const needs = ['app', 'baseline', 'browser', 'models'];

export async function run({ quick, log, browser, app, baseline, fixtures, modelUrl }) {
  const { models } = fixtures;
  const rows = [];
  const results = {};
  for (const model of quick ? [models.tiny] : [models.tiny, models.large]) {
    log(`streaming and load: ${model.name}`);
    const figures = await measureModel(browser, {
      appUrl: app.url,
      rawUrl: `${baseline.url}/raw-engine.html`,
      modelUrl: modelUrl(model),
      name: model.name,
      contextLength: CHAT_CONTEXT,
      // Pairs of the 37 MB model strayed 0.62–1.3 on a shared machine: six give a steadier median.
      rounds: Number(process.env.BENCH_ROUNDS) || (quick ? 2 : model === models.tiny ? 5 : 6),
      // The large model is ~10× slower: a shorter reply keeps the full run within minutes.
      maxTokens: model === models.large ? 256 : 512,
    });
    results[model.file] = { sizeBytes: model.sizeBytes, ...figures };
    const longTasks = figures.runs.flatMap((run) => run.app.longTasks);
    const loadRatio = figures.rawLoadMs / figures.appLoadMs;
    rows.push(
      row(
        `Streaming, app ÷ raw engine tok/s — ${label(model)}`,
        `${round(figures.ratio)} (${round(figures.appRate, 0)} / ${round(figures.rawRate, 0)} tok/s)`,
        '≥ 0.97',
        figures.ratio >= 0.97,
        `median of ${figures.runs.length} interleaved pairs (single pairs ${figures.ratioRange.map((r) => round(r)).join('–')}), ${figures.runs[0].app.tokens} tokens, ${figures.threads} threads`,
      ),
      row(
        `Streaming, same reply: on screen ÷ llama.cpp's rate — ${label(model)}`,
        `${round(figures.appDelivery, 3)} (raw page ${round(figures.rawDelivery, 3)})`,
        '≥ 0.97',
        figures.appDelivery >= 0.97,
        `engine's own rate app ÷ raw ${round(figures.engineRatio)}; main thread ${round(figures.appMainThreadMsPerToken, 2)} ms/token (raw ${round(figures.rawMainThreadMsPerToken, 2)}), per token app: script ${round(figures.appMainThread.scriptMs, 2)} ms, ${round(figures.appMainThread.styles, 2)} style recalcs, ${round(figures.appMainThread.layouts, 2)} layouts`,
      ),
      row(
        `CPU per token (whole browser), app ÷ raw engine — ${label(model)}`,
        `${round(figures.cpuRatio)} (${round(figures.appCpuMsPerToken, 2)} / ${round(figures.rawCpuMsPerToken, 2)} ms)`,
        'report',
        null,
        `what the app costs beyond the engine, in CPU time, which a busy machine hardly moves; ms/token app (raw): ${cpuParts(figures)}`,
      ),
      row(
        `Main-thread long tasks while streaming — ${label(model)}`,
        `${longTasks.length} (max ${round(Math.max(0, ...longTasks.map((t) => t.duration)), 0)} ms)`,
        'none > 50 ms',
        longTasks.length === 0,
        `${figures.runs.length} replies`,
      ),
      row(
        `Load, in-memory Blob ÷ stored (app, OPFS) speed — ${label(model)}`,
        `${round(loadRatio)} (${round(figures.rawLoadMs, 0)} / ${round(figures.appLoadMs, 0)} ms)`,
        '≥ 0.8',
        loadRatio >= 0.8,
        'app: click to status, incl. worker start and reading the stored file',
      ),
    );
  }
  return { rows, results };
}
