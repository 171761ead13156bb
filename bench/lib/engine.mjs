// Engine figures for one model, side by side in one browser: tokens/s through the whole app
// (worker → page → DOM) against wllama called directly in a page, main-thread long tasks during
// the app's streams, model load from its stored file (app, OPFS) against load from an in-memory Blob (raw),
// and the storage the stored model costs.
//
// Fairness: the same model file, the same request (system prompt, user prompt, max tokens,
// temperature, top-p), the same threads (both pages are cross-origin isolated, so both get the
// multi-thread build with hardwareConcurrency threads), and each side loads the model once and is
// warmed up by one discarded reply. Then app and raw replies alternate, the order flipping every
// round, so that drift in a shared machine's speed hits both alike; the figure is the median of
// the per-round ratios. Every app reply is in a new conversation, so its prompt is the raw one.
//
// A reasoning model (`thinking`, the reasoning section): its thought, streamed apart from the
// answer, counts as text on both sides (the app's folded Thinking block; llama.cpp's
// `reasoning_content` on the raw page), and tokens are llama.cpp's count on both. `tools`: the raw
// page sends the app's tool definitions too, as the app does to a model whose template has a tool
// format, so that both prompts are the same (each run records its prompt's size to show it).
import { addModel, loadInApp, newConversation, streamInApp } from './app.mjs';
import { CPU_PARTS, cpuSince, quietBrowser } from './cpu.mjs';
import { median, range } from './stats.mjs';

export const PROMPT = 'Tell me about yourself.';
/** The app's defaults (src/lib/chat/defaults.ts, conversation.ts); the raw engine gets the same. */
export const SYSTEM_PROMPT = 'You are Nook, a helpful assistant running privately on this device.';
export const SAMPLING = { maxTokens: 512, temperature: 0.7, topP: 0.95 };
const APP_DEFAULT_MAX_TOKENS = 512;

/**
 * A reader of the page's main-thread figures so far (Chromium's Performance metrics over CDP):
 * busy time (TaskDuration), script, style and layout time in ms, and how many style recalcs and
 * layouts ran. Includes the bench's own probes, which are small next to a reply.
 * @param {import('@playwright/test').Page} page
 */
async function mainThreadMetrics(page) {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  return async () => {
    const { metrics } = await session.send('Performance.getMetrics');
    const value = (name) => metrics.find((metric) => metric.name === name)?.value ?? 0;
    return {
      busyMs: value('TaskDuration') * 1000,
      scriptMs: value('ScriptDuration') * 1000,
      styleMs: value('RecalcStyleDuration') * 1000,
      layoutMs: value('LayoutDuration') * 1000,
      styles: value('RecalcStyleCount'),
      layouts: value('LayoutCount'),
    };
  };
}

/** The main thread's figures per token between two readings. */
function mainThreadPerToken(before, after, tokens) {
  return {
    mainThreadMsPerToken: (after.busyMs - before.busyMs) / tokens,
    mainThread: Object.fromEntries(Object.keys(before).map((key) => [key, (after[key] - before[key]) / tokens])),
  };
}

/** CPU per token, in total and per part (bench/lib/cpu.mjs), from one reply's CPU use. */
export function perToken(cpu, tokens) {
  if (!cpu) return { cpuMsPerToken: undefined, cpuPartsMsPerToken: undefined };
  const parts = Object.fromEntries(Object.entries(cpu.parts).map(([part, ms]) => [part, ms / tokens]));
  return { cpuMsPerToken: cpu.total / tokens, cpuPartsMsPerToken: parts };
}

/** The median of each key over a list of records with the same keys. */
function keyMedians(records) {
  return Object.fromEntries(Object.keys(records[0]).map((key) => [key, median(records.map((record) => record[key]))]));
}

/** Median of each CPU part over the runs of one side. */
export function partsMedian(runs) {
  if (runs.some((run) => !run.cpuPartsMsPerToken)) return undefined;
  return Object.fromEntries(CPU_PARTS.map((part) => [part, median(runs.map((run) => run.cpuPartsMsPerToken[part]))]));
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, rawUrl: string, modelUrl: string, name: string, contextLength: number, rounds: number, maxTokens?: number, thinking?: boolean, tools?: boolean }} options
 */
export async function measureModel(browser, options) {
  const { appUrl, rawUrl, modelUrl, name, contextLength, rounds, maxTokens = SAMPLING.maxTokens } = options;
  const { thinking = false, tools = false } = options;
  const sampling = { ...SAMPLING, maxTokens };
  const context = await browser.newContext();
  const rawContext = await browser.newContext();
  try {
    const page = await context.newPage();
    const stored = await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/chat`);
    const appLoadMs = await loadInApp(page, name);
    // The app reads its open conversation ahead after a load: over before the raw load is timed.
    await quietBrowser();

    const rawPage = await rawContext.newPage();
    await rawPage.goto(rawUrl);
    await rawPage.waitForFunction(() => 'rawEngine' in window);
    const rawLoad = await rawPage.evaluate(
      ([url, ctx]) => /** @type {any} */ (window).rawEngine.load(url, ctx),
      /** @type {const} */ ([modelUrl, contextLength]),
    );
    const appBusy = await mainThreadMetrics(page);
    const rawBusy = await mainThreadMetrics(rawPage);
    // The page under test is brought to the front: Chromium deprioritizes background pages.
    const raw = async () => {
      await rawPage.bringToFront();
      const busy = await rawBusy();
      const cpu = await cpuSince();
      const run = await rawPage.evaluate(
        ([system, prompt, sampling, chat]) => {
          const { rawEngine } = /** @type {any} */ (window);
          if (!chat) return rawEngine.generate(system, prompt, sampling);
          const messages = [
            { role: 'system', content: system },
            { role: 'user', content: prompt },
          ];
          return rawEngine.chat(messages, sampling, chat);
        },
        /** @type {const} */ ([SYSTEM_PROMPT, PROMPT, sampling, thinking || tools ? { tools } : undefined]),
      );
      return { ...run, ...perToken(await cpu(), run.tokens), ...mainThreadPerToken(busy, await rawBusy(), run.tokens) };
    };
    const app = async () => {
      await page.bringToFront();
      // Max tokens is set through the conversation's Settings when it is not the default.
      await newConversation(page, maxTokens === APP_DEFAULT_MAX_TOKENS ? {} : { 'Max tokens': maxTokens });
      const busy = await appBusy();
      const cpu = await cpuSince();
      const run = await streamInApp(page, PROMPT, { thinking });
      return { ...run, ...perToken(await cpu(), run.tokens), ...mainThreadPerToken(busy, await appBusy(), run.tokens) };
    };

    await raw(); // warm-up, discarded
    await app();
    const runs = [];
    for (let round = 0; round < rounds; round++) {
      const first = round % 2 === 0 ? 'raw' : 'app';
      const a = first === 'raw' ? await raw() : await app();
      const b = first === 'raw' ? await app() : await raw();
      const [rawRun, appRun] = first === 'raw' ? [a, b] : [b, a];
      runs.push({ first, raw: rawRun, app: appRun, ratio: appRun.tokensPerSecond / rawRun.tokensPerSecond });
    }
    const sameText = runs.every((run) => run.raw.tokens === run.app.tokens);
    await rawPage.evaluate(() => /** @type {any} */ (window).rawEngine.unload());
    return {
      stored,
      appLoadMs,
      rawLoadMs: rawLoad.loadMs,
      threads: rawLoad.threads,
      ratio: median(runs.map((run) => run.ratio)),
      ratioRange: range(runs.map((run) => run.ratio)),
      // Drift-free: in the same reply, tokens on screen ÷ llama.cpp's own decode rate.
      appDelivery: median(runs.map((run) => run.app.tokensPerSecond / run.app.engineTokensPerSecond)),
      rawDelivery: median(runs.map((run) => run.raw.tokensPerSecond / run.raw.engineTokensPerSecond)),
      engineRatio: median(runs.map((run) => run.app.engineTokensPerSecond / run.raw.engineTokensPerSecond)),
      // Noise-proof: CPU time of the whole browser per token, app ÷ raw.
      cpuRatio: median(runs.map((run) => run.app.cpuMsPerToken / run.raw.cpuMsPerToken)),
      appCpuMsPerToken: median(runs.map((run) => run.app.cpuMsPerToken)),
      rawCpuMsPerToken: median(runs.map((run) => run.raw.cpuMsPerToken)),
      appCpuParts: partsMedian(runs.map((run) => run.app)),
      rawCpuParts: partsMedian(runs.map((run) => run.raw)),
      appMainThreadMsPerToken: median(runs.map((run) => run.app.mainThreadMsPerToken)),
      appMainThread: keyMedians(runs.map((run) => run.app.mainThread)),
      rawMainThread: keyMedians(runs.map((run) => run.raw.mainThread)),
      rawMainThreadMsPerToken: median(runs.map((run) => run.raw.mainThreadMsPerToken)),
      appRate: median(runs.map((run) => run.app.tokensPerSecond)),
      rawRate: median(runs.map((run) => run.raw.tokensPerSecond)),
      sameTokenCounts: sameText,
      runs: runs.map(({ first, ratio, raw: r, app: a }) => ({
        first,
        ratio,
        raw: {
          tokens: r.tokens,
          tokensPerSecond: r.tokensPerSecond,
          engineTokensPerSecond: r.engineTokensPerSecond,
          mainThreadMsPerToken: r.mainThreadMsPerToken,
          mainThread: r.mainThread,
          cpuMsPerToken: r.cpuMsPerToken,
          cpuPartsMsPerToken: r.cpuPartsMsPerToken,
          totalMs: r.totalMs,
          // From rawEngine.chat (thinking or tools): the thought's pieces and the prompt's size.
          thinkingPieces: r.thinkingPieces,
          promptTokens: r.timings && r.timings.promptN + r.timings.cacheN,
        },
        app: {
          tokens: a.tokens,
          tokensPerSecond: a.tokensPerSecond,
          engineTokensPerSecond: a.engineTokensPerSecond,
          mainThreadMsPerToken: a.mainThreadMsPerToken,
          mainThread: a.mainThread,
          cpuMsPerToken: a.cpuMsPerToken,
          cpuPartsMsPerToken: a.cpuPartsMsPerToken,
          totalMs: a.totalMs,
          domUpdates: a.domUpdates,
          longTasks: a.longTasks,
          thinkingTokens: a.thinkingTokens,
          thoughtShown: a.thoughtShown,
          promptTokens: a.promptTokens,
        },
      })),
    };
  } finally {
    await rawContext.close();
    await context.close();
  }
}
