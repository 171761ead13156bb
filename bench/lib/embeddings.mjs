// What loading wllama with `embeddings: true` (as the app does, for Documents) costs a chat, side
// by side in one browser: two raw pages hold the same model, one loaded for chat only and one
// with embeddings and mean pooling; their replies alternate, the order flipping every round, and
// the figure is the median of the per-round ratios (embeddings ÷ chat only). llama.cpp's own
// buffer sizes from each load say where memory differs.
import { PROMPT, SAMPLING, SYSTEM_PROMPT } from './engine.mjs';
import { withPeakMemory } from './memory.mjs';
import { median } from './stats.mjs';

/** A short passage: within one micro-batch for every tokenizer the bench's models have. */
const EMBEDDED_TEXT = 'High water on Saturday is at 06:40 and again at 19:05.';

/**
 * Words of about `batch` bytes less a margin: the bench's models tokenize plain prose at about a
 * token a byte (their byte-level vocabulary merges only the reply's words), so this nearly fills
 * a micro-batch of `batch` tokens without going over it.
 * @param {number} batch
 */
function nearlyFull(batch) {
  return 'the tide comes in twice a day '.repeat(Math.ceil(batch / 30)).slice(0, Math.max(16, batch - 16));
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ rawUrl: string, modelUrl: string | string[], contextLength: number, rounds: number, maxTokens: number }} options
 */
export async function measureEmbeddingsCost(browser, { rawUrl, modelUrl, contextLength, rounds, maxTokens }) {
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const pages = await Promise.all(contexts.map((context) => context.newPage()));
    const loads = [];
    for (const [index, page] of pages.entries()) {
      await page.goto(rawUrl);
      await page.waitForFunction(() => 'rawEngine' in window);
      const embeddings = index === 1;
      // As the app does: the embeddings load knows the vocabulary's size from the chat load.
      const vocabSize = loads[0]?.result.vocabSize;
      loads.push(
        await withPeakMemory(() =>
          page.evaluate(
            ([url, ctx, embeddings, vocabSize]) =>
              /** @type {any} */ (window).rawEngine.load(url, ctx, { nativeLog: true, embeddings, vocabSize }),
            /** @type {const} */ ([modelUrl, contextLength, embeddings, vocabSize]),
          ),
        ),
      );
    }
    // One embedding that fits a micro-batch, with the memory it takes beyond the load's; then one
    // that nearly fills it: llama.cpp sets aside the logits of every token of it at that decode.
    const embed = (/** @type {string} */ text) =>
      withPeakMemory(() => pages[1].evaluate((text) => /** @type {any} */ (window).rawEngine.embed(text), text));
    const embedding = await embed(EMBEDDED_TEXT);
    const fullBatch = await embed(nearlyFull(loads[1].result.batch ?? 512));
    const generate = async (page) => {
      await page.bringToFront();
      return page.evaluate(
        ([system, prompt, sampling]) => /** @type {any} */ (window).rawEngine.generate(system, prompt, sampling),
        /** @type {const} */ ([SYSTEM_PROMPT, PROMPT, { ...SAMPLING, maxTokens }]),
      );
    };
    await generate(pages[0]); // warm-up, discarded
    await generate(pages[1]);
    const runs = [];
    for (let round = 0; round < rounds; round++) {
      const chatFirst = round % 2 === 0;
      const a = await generate(pages[chatFirst ? 0 : 1]);
      const b = await generate(pages[chatFirst ? 1 : 0]);
      const [chat, embed] = chatFirst ? [a, b] : [b, a];
      runs.push({ chatFirst, chat, embed });
    }
    await Promise.all(pages.map((page) => page.evaluate(() => /** @type {any} */ (window).rawEngine.unload())));
    return {
      decodeRatio: median(runs.map((run) => run.embed.tokensPerSecond / run.chat.tokensPerSecond)),
      engineRatio: median(runs.map((run) => run.embed.engineTokensPerSecond / run.chat.engineTokensPerSecond)),
      firstTokenRatio: median(runs.map((run) => run.embed.firstTokenMs / run.chat.firstTokenMs)),
      chatRate: median(runs.map((run) => run.chat.tokensPerSecond)),
      embedRate: median(runs.map((run) => run.embed.tokensPerSecond)),
      chatFirstTokenMs: median(runs.map((run) => run.chat.firstTokenMs)),
      embedFirstTokenMs: median(runs.map((run) => run.embed.firstTokenMs)),
      chatLoad: { ms: loads[0].result.loadMs, rise: loads[0].rise, buffers: loads[0].result.buffers },
      embedLoad: { ms: loads[1].result.loadMs, rise: loads[1].rise, buffers: loads[1].result.buffers },
      embedding: { ms: embedding.result.ms, tokens: embedding.result.tokens, rise: embedding.rise },
      fullBatch: {
        ms: fullBatch.result.ms,
        tokens: fullBatch.result.tokens,
        batch: loads[1].result.batch,
        rise: fullBatch.rise,
      },
      runs: runs.map(({ chatFirst, chat, embed }) => ({
        chatFirst,
        chat: { tokens: chat.tokens, rate: chat.tokensPerSecond, engineRate: chat.engineTokensPerSecond },
        embed: { tokens: embed.tokens, rate: embed.tokensPerSecond, engineRate: embed.engineTokensPerSecond },
      })),
    };
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}
