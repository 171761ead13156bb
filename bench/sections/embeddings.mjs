// What loading wllama with embeddings on (as the app does, for Documents) costs a chat: the raw
// engine with and without, side by side (bench/lib/embeddings.mjs), on the 37 MB model (the tiny
// one with --quick). The real-size section runs the same on its first model.
import { measureEmbeddingsCost } from '../lib/embeddings.mjs';
import { CHAT_CONTEXT } from '../lib/fixtures.mjs';
import { label, mbOf, row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'embeddings';
export const needs = ['baseline', 'browser', 'models'];

export async function run(ctx) {
  const { models } = ctx.fixtures;
  const model = ctx.quick ? models.tiny : models.large;
  ctx.log(`embeddings on vs off: ${model.name}`);
  return embeddingsCost(ctx, label(model), ctx.modelUrl(model), model === models.large ? 256 : 512);
}

/**
 * The embeddings figures of one model, named `name` in the rows.
 * @param {{ quick: boolean, browser: import('@playwright/test').Browser, baseline: { url: string } }} ctx
 * @param {string} name
 * @param {string | string[]} url the model's address, or every part's in order
 * @param {number} maxTokens
 */
export async function embeddingsCost(
  { quick, browser, baseline },
  name,
  url,
  maxTokens,
  rounds = Number(process.env.BENCH_ROUNDS) || (quick ? 2 : 4),
) {
  const cost = await measureEmbeddingsCost(browser, {
    rawUrl: `${baseline.url}/raw-engine.html`,
    modelUrl: url,
    contextLength: CHAT_CONTEXT,
    rounds,
    maxTokens,
  });
  const mib = (buffers) =>
    Object.entries(buffers)
      .map(([buffer, size]) => `${buffer} ${round(size, 1)}`)
      .join(', ');
  return {
    results: { embeddings: { [name]: cost } },
    rows: [
      row(
        `Decode with embeddings on ÷ off (raw engine) — ${name}`,
        `${round(cost.decodeRatio)} (${round(cost.embedRate, 1)} / ${round(cost.chatRate, 1)} tok/s)`,
        'report (≥ 0.97: free)',
        null,
        `median of ${cost.runs.length} interleaved pairs of ${cost.runs[0].chat.tokens} tokens; llama.cpp's own rate ${round(cost.engineRatio)}`,
      ),
      row(
        `First token with embeddings on ÷ off (raw engine) — ${name}`,
        `${round(cost.firstTokenRatio)} (${round(cost.embedFirstTokenMs, 0)} / ${round(cost.chatFirstTokenMs, 0)} ms)`,
        'report (≤ 1.05: free)',
        null,
        `load memory rise on ${mbOf(cost.embedLoad.rise)} / off ${mbOf(cost.chatLoad.rise)}`,
      ),
      row(
        `One embedding (${cost.embedding.tokens} tokens) with embeddings on, raw engine — ${name}`,
        `${round(cost.embedding.ms, 0)} ms, +${mbOf(cost.embedding.rise)}`,
        'report',
        null,
        'time of the call; peak browser memory over the loaded model',
      ),
      row(
        `One embedding nearly filling a micro-batch (${cost.fullBatch.tokens} of ${cost.fullBatch.batch ?? 'default'} tokens), raw engine — ${name}`,
        `${round(cost.fullBatch.ms, 0)} ms, +${mbOf(cost.fullBatch.rise)}`,
        'report',
        null,
        'time of the call; peak browser memory over the loaded model (llama.cpp sets aside the logits of all its tokens at that decode: vocabulary × tokens floats)',
      ),
      row(
        `llama.cpp buffers (MiB), embeddings on | off — ${name}`,
        `${mib(cost.embedLoad.buffers)} | ${mib(cost.chatLoad.buffers)}`,
        'report',
        null,
        'from its load log',
      ),
    ],
  };
}
