// The server backend's streaming cost: tokens/s of a reply from a model server through the whole
// app (fetch → SSE parser → conversation → DOM) against the same server read directly with
// `fetch` in the same page. The server is real llama.cpp (e2e/llama-server), one thread.
//
// Fairness: the same request (system prompt, prompt, sampling, max tokens), the same page, the
// same server; rounds alternate app and direct, the order flipping every round; the figure is the
// median of per-round ratios. Both rates count (tokens − 1) over the time from the first piece of
// text to the last one as it arrives in the page: for the app, as its reply meter saw it at the end
// of the whole per-token path (fetch → SSE parser → meter → conversation state), which the stats
// line shows; for the direct read, in its reader. Timing the app by changes on screen instead
// would measure the 100 ms render cadence: a reply from this server lasts about 0.2 s, so its
// first and last redraws cut the window short. The on-screen rate is kept in the results.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTinyModel } from '../../test-support/make-tiny-model.mjs';
import { startLlamaServer } from '../../e2e/llama-server/server.mjs';
import { newConversation, streamInApp } from './app.mjs';
import { PROMPT, SAMPLING, SYSTEM_PROMPT } from './engine.mjs';
import { median } from './stats.mjs';

const MODEL_ID = 'bench-server-model';

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, rounds: number }} options
 */
export async function measureServer(browser, { appUrl, rounds }) {
  const dir = await mkdtemp(join(tmpdir(), 'nook-bench-server-'));
  const modelPath = join(dir, 'server.gguf');
  await writeFile(modelPath, makeTinyModel({ name: 'Bench Server', contextLength: 4096 }));
  const server = await startLlamaServer({ modelPath, contextSize: 4096, modelId: MODEL_ID });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const host = new URL(server.url).host;
    await page.goto(`${appUrl}/#/models`);
    await page.getByLabel('Server address').fill(server.url);
    await page.getByRole('button', { name: 'Connect' }).click();
    const use = page.getByRole('button', { name: `Use ${MODEL_ID} on ${host}` });
    await use.waitFor();

    const app = async () => {
      await page.goto(`${appUrl}/#/chat`);
      await newConversation(page);
      await page.goto(`${appUrl}/#/models`);
      await use.click();
      await page.getByTestId('server-banner').waitFor();
      return streamInApp(page, PROMPT);
    };
    const direct = () =>
      page.evaluate(
        async ([apiBase, model, system, prompt, sampling]) => {
          const response = await fetch(`${apiBase}/chat/completions`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
            body: JSON.stringify({
              model,
              messages: [
                { role: 'system', content: system },
                { role: 'user', content: prompt },
              ],
              stream: true,
              stream_options: { include_usage: true },
              temperature: sampling.temperature,
              top_p: sampling.topP,
              max_tokens: sampling.maxTokens,
            }),
          });
          const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body)
            .pipeThrough(new TextDecoderStream())
            .getReader();
          // The simplest correct reading: lines, `data:` payloads, content deltas.
          let buffer = '';
          let tokens = 0;
          let first = 0;
          let last = 0;
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            const lines = buffer.split('\n');
            buffer = lines.pop() ?? '';
            for (const line of lines) {
              if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
              const content = JSON.parse(line.slice(6)).choices?.[0]?.delta?.content;
              if (!content) continue;
              tokens++;
              last = performance.now();
              first ||= last;
            }
          }
          return { tokens, tokensPerSecond: (tokens - 1) / ((last - first) / 1000) };
        },
        /** @type {const} */ ([`${server.url}/v1`, MODEL_ID, SYSTEM_PROMPT, PROMPT, SAMPLING]),
      );

    await direct(); // warm-up, discarded
    await app();
    const runs = [];
    for (let round = 0; round < rounds; round++) {
      const appFirst = round % 2 === 0;
      const a = appFirst ? await app() : undefined;
      const d = await direct();
      const b = a ?? (await app());
      runs.push({
        app: { tokens: b.tokens, tokensPerSecond: b.engineTokensPerSecond, onScreenTokensPerSecond: b.tokensPerSecond },
        direct: d,
        ratio: b.engineTokensPerSecond / d.tokensPerSecond,
      });
    }
    return {
      ratio: median(runs.map((run) => run.ratio)),
      appRate: median(runs.map((run) => run.app.tokensPerSecond)),
      directRate: median(runs.map((run) => run.direct.tokensPerSecond)),
      runs,
    };
  } finally {
    await context.close();
    await server.close();
  }
}
