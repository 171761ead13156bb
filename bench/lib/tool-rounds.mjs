// A tool round through the app against the same two requests sent to wllama in a page: with the
// tool-calling fixture (test-support/tiny-chat-models.mjs, TOOLS) the user's message makes the
// model call the calculator; the app runs it (lib/tools, mathjs loaded on the first call), shows
// the step, sends the result back as a `tool` turn and asks again; the model answers. What the
// app adds beyond the engine's own time is the app's Enter-to-stats minus the raw page's first
// call to the second's end.
//
// Fairness: as bench/lib/engine.mjs (the same model file, threads and sampling; each side loads
// once; pairs alternate, the order flipping). The raw page gets the app's requests: the same
// system prompt and message, the app's tool definitions, the model's own call as the assistant
// turn and the app's calculator result, read off its step, as the tool turn; both second prompts'
// sizes are recorded to show they match. Each pair asks a question of its own, both sides the same
// one, so each first call reads a new message as a user's does (llama.cpp keeps its last prompt).
// Each side's first round after its load is kept apart, unpaired: the app's calculator imports
// mathjs then, and llama.cpp meets the tools' grammar for the first time. The raw page first reads
// the prompt ahead as the app does after a load (docs/decisions/0015-read-ahead-of-the-prompt.md),
// so both first rounds start with the system prompt and the tools already read.
import { addModel, loadInApp, newConversation, replyStats, sendAndAwait } from './app.mjs';
import { quietBrowser } from './cpu.mjs';
import { SAMPLING, SYSTEM_PROMPT } from './engine.mjs';
import { median, range } from './stats.mjs';

/** The question of round `n`: the fixture calls the calculator whatever it is asked. */
const question = (n) => `What is 123456789 times 987654321? (${n})`;

/**
 * Sends `prompt` and records, in the page, when the reply's tool step shows, when its result
 * does, when the answer's first text does and when the stats line ends the reply (ms after the
 * Enter key); and the mathjs chunk's resource timing if the page fetched it meanwhile.
 * @param {import('@playwright/test').Page} page
 * @param {string} prompt
 */
async function toolRoundInApp(page, prompt) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.bench?.observers.forEach((observer) => observer.disconnect());
    const bench = { sentAt: 0, at: {}, observers: [], done: undefined };
    w.bench = bench;
    const before = document.querySelectorAll('[data-testid="message-assistant"]').length;
    let ended = () => {};
    bench.done = new Promise((resolve) => (ended = resolve));
    const list = document.querySelector('ol.messages') ?? document.body;
    const mutations = new MutationObserver(() => {
      const replies = list.querySelectorAll('[data-testid="message-assistant"]');
      const reply = replies.length > before ? replies[replies.length - 1] : undefined;
      if (!reply) return;
      const seen = (key, found) => {
        if (found && bench.at[key] === undefined) bench.at[key] = performance.now();
      };
      seen('step', reply.querySelector('[data-testid="tool-step"]'));
      seen('result', reply.querySelector('[data-testid="tool-result"]'));
      seen('answer', reply.querySelector('[data-testid="message-text"]')?.textContent);
      seen('stats', reply.querySelector('[data-testid="reply-stats"]'));
      if (bench.at.stats !== undefined) ended();
    });
    mutations.observe(list, { subtree: true, childList: true, characterData: true });
    bench.observers = [mutations];
  });
  await sendAndAwait(page, prompt);
  const probe = await page.evaluate(() => {
    const { sentAt, at } = /** @type {any} */ (window).bench;
    const reply = [...document.querySelectorAll('[data-testid="message-assistant"]')].at(-1);
    const math = performance
      .getEntriesByType('resource')
      .filter((entry) => /\/math-[^/]*\.js$/.test(entry.name) && entry.startTime >= sentAt)
      .map((entry) => ({
        ms: entry.duration,
        bytes: /** @type {PerformanceResourceTiming} */ (entry).decodedBodySize,
      }));
    const since = (t) => (t === undefined ? undefined : t - sentAt);
    return {
      totalMs: at.stats - sentAt,
      stepMs: since(at.step),
      resultMs: since(at.result),
      answerMs: since(at.answer),
      steps: reply?.querySelectorAll('[data-testid="tool-step"]').length ?? 0,
      result: reply?.querySelector('[data-testid="tool-result"]')?.textContent ?? '',
      answer: reply?.querySelector('[data-testid="message-text"]')?.textContent ?? '',
      math: math[0],
    };
  });
  return { ...probe, stats: await replyStats(page) };
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, rawUrl: string, modelUrl: string, name: string, contextLength: number, rounds: number }} options
 */
export async function measureToolRounds(browser, { appUrl, rawUrl, modelUrl, name, contextLength, rounds }) {
  const context = await browser.newContext();
  const rawContext = await browser.newContext();
  try {
    const page = await context.newPage();
    await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/chat`);
    await loadInApp(page, name);
    // The app reads the open conversation (and its tools) ahead after a load: over first.
    await quietBrowser();
    const rawPage = await rawContext.newPage();
    await rawPage.goto(rawUrl);
    await rawPage.waitForFunction(() => 'rawEngine' in window);
    await rawPage.evaluate(
      ([url, ctx]) => /** @type {any} */ (window).rawEngine.load(url, ctx),
      /** @type {const} */ ([modelUrl, contextLength]),
    );
    // The app's read-ahead (WllamaEngine.prepare): the conversation so far and an empty message,
    // with the tools, for one greedy token that is thrown away.
    await rawPage.evaluate(
      ([system, sampling]) =>
        /** @type {any} */ (window).rawEngine.chat(
          [
            { role: 'system', content: system },
            { role: 'user', content: '' },
          ],
          sampling,
          { tools: true },
        ),
      /** @type {const} */ ([SYSTEM_PROMPT, { maxTokens: 1, temperature: 0, topP: 1 }]),
    );

    const app = async (n) => {
      await page.bringToFront();
      await newConversation(page);
      return toolRoundInApp(page, question(n));
    };
    // The result the raw page's tool turn carries: the app's own, read off its first step.
    let result = '';
    const raw = async (n) => {
      await rawPage.bringToFront();
      const messages = [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: question(n) },
      ];
      const run = await rawPage.evaluate(
        ([messages, sampling, result]) => /** @type {any} */ (window).rawEngine.toolRound(messages, sampling, result),
        /** @type {const} */ ([messages, SAMPLING, result]),
      );
      const calls = run.calls[0].toolCalls.length;
      if (calls !== 1) throw new Error(`the raw page's first call made ${calls} tool calls, not 1`);
      return run;
    };

    // Each side's first round after its load, kept apart (the app's calculator imports mathjs).
    const cold = await app(0);
    result = cold.result;
    if (cold.steps !== 1 || !result) throw new Error(`the app's first tool round showed ${cold.steps} steps`);
    const rawCold = await raw(0);
    const runs = [];
    for (let round = 1; round <= rounds; round++) {
      const first = round % 2 === 1 ? 'raw' : 'app';
      const a = first === 'raw' ? await raw(round) : await app(round);
      const b = first === 'raw' ? await app(round) : await raw(round);
      const [rawRun, appRun] = first === 'raw' ? [a, b] : [b, a];
      runs.push({ first, raw: rawRun, app: appRun });
    }
    await rawPage.evaluate(() => /** @type {any} */ (window).rawEngine.unload());

    const rawMs = median(runs.map((run) => run.raw.totalMs));
    const call = (i) => (run) => run.raw.calls[i];
    const timed = (pick) => (run) => pick(run).timings.promptMs + pick(run).timings.predictedMs;
    const promptOf = (c) => c.timings.promptN + c.timings.cacheN;
    return {
      ratio: median(runs.map((run) => run.app.totalMs / run.raw.totalMs)),
      ratioRange: range(runs.map((run) => run.app.totalMs / run.raw.totalMs)),
      overheadMs: median(runs.map((run) => run.app.totalMs - run.raw.totalMs)),
      appMs: median(runs.map((run) => run.app.totalMs)),
      rawMs,
      // Where the app's time goes (ms after Enter) and the raw page's two calls, medians.
      app: {
        stepMs: median(runs.map((run) => run.app.stepMs)),
        resultMs: median(runs.map((run) => run.app.resultMs)),
        answerMs: median(runs.map((run) => run.app.answerMs)),
        // The calculator as the page shows it: the step's result after the step.
        toolMs: median(runs.map((run) => run.app.resultMs - run.app.stepMs)),
      },
      raw: {
        firstCallMs: median(runs.map((run) => call(0)(run).totalMs)),
        secondCallMs: median(runs.map((run) => call(1)(run).totalMs)),
        // llama.cpp's own time (prompt read and decode) in both calls, what wllama adds left out.
        llamaMs: median(runs.map((run) => timed(call(0))(run) + timed(call(1))(run))),
      },
      cold: {
        appMs: cold.totalMs,
        rawMs: rawCold.totalMs,
        overheadMs: cold.totalMs - rawCold.totalMs,
        toolMs: cold.resultMs - cold.stepMs,
        stepMs: cold.stepMs,
        resultMs: cold.resultMs,
        answerMs: cold.answerMs,
        math: cold.math,
        rawCalls: rawCold.calls.map((c) => ({ totalMs: c.totalMs, timings: c.timings })),
      },
      result,
      answer: cold.answer,
      // The second request's prompt as each side's llama.cpp counted it: the same requests.
      samePrompt: runs.every((run) => run.app.stats.promptTokens === promptOf(call(1)(run))),
      secondPromptTokens: promptOf(call(1)(runs[0])),
      tokens: runs[0].app.stats.tokens,
      runs: runs.map(({ first, raw: r, app: a }) => ({
        first,
        app: {
          totalMs: a.totalMs,
          stepMs: a.stepMs,
          resultMs: a.resultMs,
          answerMs: a.answerMs,
          tokens: a.stats.tokens,
          promptTokens: a.stats.promptTokens,
          math: a.math,
        },
        raw: {
          totalMs: r.totalMs,
          calls: r.calls.map((c) => ({
            totalMs: c.totalMs,
            firstTokenMs: c.firstTokenMs,
            tokens: c.tokens,
            toolCalls: c.toolCalls.length,
            timings: c.timings,
          })),
        },
      })),
    };
  } finally {
    await rawContext.close();
    await context.close();
  }
}
