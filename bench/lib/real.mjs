// Figures at the sizes users download (hundreds of MB to ~1 GB), each a ratio measured side by
// side in one browser: the app's download into IndexedDB against a raw fetch into memory, the
// browser's peak memory while downloading and while loading against the model's size, the app's
// load from IndexedDB against wllama's load from an in-memory Blob, and decode speed and time to
// first token through the app against wllama called directly.
//
// Every model gets a fresh on-disk profile: Playwright's ordinary contexts are off-the-record, and
// there IndexedDB lives in memory, which would count the stored model as browser memory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInApp, newConversation, streamInApp, waitForServiceWorker } from './app.mjs';
import { PROMPT, SAMPLING, SYSTEM_PROMPT, partsMedian, perToken } from './engine.mjs';
import { cpuSince, quietBrowser } from './cpu.mjs';
import { memoryHolders, settledPss, withPeakMemory } from './memory.mjs';
import { median, range } from './stats.mjs';
import { warmedCode } from '../../test-support/warmed-code.mjs';

/**
 * @param {{
 *   launch: (userDataDir: string) => Promise<import('@playwright/test').BrowserContext>,
 *   appUrl: string, rawUrl: string,
 *   model: { name: string, urls: string[], bytes: number },
 *   contextLength: number, tokens: number, rounds: number, loadRounds: number, downloadRounds?: number,
 *   noiseFloor?: boolean, log: (message: string) => void,
 * }} options
 */
export async function measureRealModel({
  launch,
  appUrl,
  rawUrl,
  model,
  contextLength,
  tokens,
  rounds,
  loadRounds,
  downloadRounds = 1,
  noiseFloor = false,
  log,
}) {
  const profile = await mkdtemp(join(tmpdir(), 'nook-bench-real-profile-'));
  const context = await launch(profile);
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}/#/models`);
    await waitForServiceWorker(page);
    await page.reload();
    await page.getByLabel('Model URL').waitFor();

    // Download: a raw fetch into memory in its own page (closed after, so its buffer is freed),
    // then the app's download through the Models view, with the browser's memory sampled, in
    // `downloadRounds` pairs; the app's model is deleted through the Models view between rounds.
    // One pair of each moved from 0.65 to 1.01 between runs with the same code. The raw fetch
    // runs under the same sampler: reading every process's PSS from /proc every 150 ms takes CPU
    // from the browser on 2 cores, and only one side paid for it before.
    //
    // The first download of a fresh profile also runs the engine-code warm-up alongside
    // (src/lib/engine/code-warm-up.ts): it is measured on its own, unpaired, with its memory sampled
    // and its CPU read until the warm-up is recorded, and the model is deleted again before the
    // pairs, whose downloads then are downloads only.
    const deleteModel = async () => {
      await page.getByRole('button', { name: `Delete ${model.name}` }).click();
      await page.getByTestId('model-item').filter({ hasText: model.name }).waitFor({ state: 'detached' });
    };
    if ((await warmedCode(page)) !== undefined)
      throw new Error('A fresh profile already has its engine code warmed up.');
    await quietBrowser();
    const firstCpu = await cpuSince();
    const firstDownload = await appDownloadOnce(page, model, { untilWarmedUp: true });
    firstDownload.cpu = await firstCpu();
    log(`  first download, with the code warm-up: ${Math.round(firstDownload.result)} ms`);
    await deleteModel();
    const downloads = [];
    for (let round = 0; round < downloadRounds; round++) {
      if (round > 0) await deleteModel();
      // The order flips each round, so a busy moment on the shared machine lands on both sides.
      const appFirst = round % 2 === 1;
      const app = appFirst ? await appDownloadOnce(page, model) : undefined;
      const rawFetch = await rawFetchOnce(context, rawUrl, model.urls);
      downloads.push({ rawFetch, app: app ?? (await appDownloadOnce(page, model)) });
      log(
        `  download round ${round + 1}: raw ${Math.round(rawFetch.ms)} / app ${Math.round(downloads.at(-1).app.result)} ms`,
      );
    }
    const highestDownload = downloads.map((d) => d.app).reduce((a, b) => (b.rise > a.rise ? b : a));

    // Load: wllama from in-memory Blobs (their fetch is not timed) against the app from storage,
    // `loadRounds` of each, interleaved with the order flipping, so a busy moment on the shared
    // machine lands on both sides. Both pages are reloaded before each of their loads, so each
    // load starts cold, as a user's first load does: the app's includes starting its engine
    // worker, and neither finds llama.cpp's 8.7 MB wasm compiled by an earlier load in the same
    // page. (With only the app's page reloaded, the raw engine's second and later loads took
    // 1.1–1.3 s less than the app's for the same CPU time.) Memory is the app's.
    log('  loads…');
    const rawPage = await context.newPage();
    await rawPage.goto(rawUrl);
    await rawPage.waitForFunction(() => 'rawEngine' in window);
    /** @type {any[]} */
    const appLoads = [];
    const rawLoadOnce = async () => {
      await rawPage.bringToFront();
      await rawPage.reload();
      await rawPage.waitForFunction(() => 'rawEngine' in window);
      // Its Blobs are fetched again before the timed load (and its CPU reading) starts.
      await rawPage.evaluate((urls) => /** @type {any} */ (window).rawEngine.fetchModel(urls), model.urls);
      // The app's page, loaded just before, may still be reading its conversation ahead.
      await quietBrowser();
      const cpu = await cpuSince();
      const loaded = await rawPage.evaluate(
        ([urls, ctx]) => /** @type {any} */ (window).rawEngine.load(urls, ctx, { nativeLog: true }),
        /** @type {const} */ ([model.urls, contextLength]),
      );
      return { ...loaded, cpu: await cpu() };
    };
    const appLoadOnce = async () => {
      await page.bringToFront();
      await page.goto(`${appUrl}/#/chat`);
      await page.reload();
      // The reloaded page's old engine worker gives its model's memory back only after a while:
      // wait until the browser is back near where it was before the first app load.
      if (appLoads[0]) await settledPss({ belowBytes: appLoads[0].baseline + 64e6 });
      await quietBrowser();
      const holdersBefore = await memoryHolders();
      const cpu = await cpuSince();
      const loaded = await withPeakMemory(() => loadInApp(page, model.name));
      const holdersAfter = await memoryHolders();
      return {
        ...loaded,
        cpu: await cpu(),
        holders: { before: holdersBefore, after: holdersAfter },
        steps: await appLoadSteps(page, appUrl),
      };
    };
    // The app's engine code was compiled and cached during its first download (the warm-up); the
    // raw page's wllama is a build of its own, compiled here once, untimed, so both sides' first
    // timed loads find their code cached, as every load after a user's first does.
    await rawLoadOnce();
    const rawLoads = [];
    for (let round = 0; round < loadRounds; round++) {
      if (round % 2 === 0) {
        rawLoads.push(await rawLoadOnce());
        appLoads.push(await appLoadOnce());
      } else {
        appLoads.push(await appLoadOnce());
        rawLoads.push(await rawLoadOnce());
      }
      log(
        `  load round ${round + 1}: raw ${Math.round(rawLoads.at(-1).loadMs)} / app ${Math.round(appLoads.at(-1).result)} ms`,
      );
    }
    const rawLoad = rawLoads[0];
    const highest = appLoads.reduce((a, b) => (b.rise > a.rise ? b : a));
    // The raw engine's load memory, for reference, from one more load that is not timed: the
    // sampler's /proc reads slowed the raw engine's loads by ~40 % (it faults in every tensor's
    // buffer, and reading smaps walks the same page tables), so its timed loads go unsampled.
    await rawPage.reload();
    await rawPage.waitForFunction(() => 'rawEngine' in window);
    await rawPage.evaluate((urls) => /** @type {any} */ (window).rawEngine.fetchModel(urls), model.urls);
    await settledPss({ belowBytes: appLoads[0].baseline + 64e6 });
    const rawHoldersBefore = await memoryHolders();
    const rawMemory = await withPeakMemory(() =>
      rawPage.evaluate(
        ([urls, ctx]) => /** @type {any} */ (window).rawEngine.load(urls, ctx),
        /** @type {const} */ ([model.urls, contextLength]),
      ),
    );
    rawMemory.holders = { before: rawHoldersBefore, after: await memoryHolders() };

    // Decode and first token, interleaved as in engine.mjs, after one short warm-up each. Each
    // pair asks its own question (QUESTIONS), both sides the same one: llama.cpp keeps its last
    // prompt, so a question asked again is a one-token evaluation, which no user's new question is.
    await page.goto(`${appUrl}/#/chat`);
    log('  decoding…');
    // Each side's reply with the whole browser's CPU during it (bench/lib/cpu.mjs), which a busy
    // machine hardly moves: what the app's page, saves and drawing cost beyond the engine.
    const withCpu = async (reply) => {
      const cpu = await cpuSince();
      const result = await reply();
      return { ...result, ...perToken(await cpu(), result.tokens) };
    };
    const raw = (maxTokens, question = PROMPT) => withCpu(() => rawReply(rawPage, maxTokens, question));
    const app = async (maxTokens, question = PROMPT) => {
      await page.bringToFront();
      await newConversation(page, { 'Max tokens': maxTokens });
      return withCpu(() => streamInApp(page, question));
    };
    await raw(1);
    await app(1);
    const runs = (await interleaved(raw, app, rounds, tokens)).map(({ aFirst, a: r, b: p }) => ({
      rawFirst: aFirst,
      raw: {
        tokens: r.tokens,
        rate: r.tokensPerSecond,
        engineRate: r.engineTokensPerSecond,
        firstTokenMs: r.firstTokenMs,
        promptEvaluated: r.promptEvaluated,
        cpuMsPerToken: r.cpuMsPerToken,
        cpuPartsMsPerToken: r.cpuPartsMsPerToken,
      },
      app: {
        tokens: p.tokens,
        rate: p.tokensPerSecond,
        engineRate: p.engineTokensPerSecond,
        firstTokenMs: p.firstTokenMs,
        cpuMsPerToken: p.cpuMsPerToken,
        cpuPartsMsPerToken: p.cpuPartsMsPerToken,
      },
    }));
    // The machine's own noise, when asked: the raw engine against a second copy of itself in
    // another page, in pairs the same way. Whatever this spreads, the app's pairs spread too.
    const noise = noiseFloor
      ? await rawAgainstRaw({ context, rawUrl, model, contextLength, tokens, rounds, raw })
      : undefined;
    await rawPage.evaluate(() => /** @type {any} */ (window).rawEngine.unload());
    return {
      noise,
      bytes: model.bytes,
      files: model.urls.length,
      rawFetchMs: median(downloads.map((d) => d.rawFetch.ms)),
      appDownloadMs: median(downloads.map((d) => d.app.result)),
      // The median of the rounds' ratios; memory is the highest round's peak.
      downloadRatio: median(downloads.map((d) => d.rawFetch.ms / d.app.result)),
      downloadRange: range(downloads.map((d) => d.rawFetch.ms / d.app.result)),
      downloadRounds: downloads.length,
      downloadSteps: medianSteps(downloads.map((d) => d.app.steps)),
      // The whole browser's CPU per download, which a busy machine hardly moves (median ms).
      downloadCpu: {
        app: median(downloads.map((d) => d.app.cpu?.total ?? 0)),
        raw: median(downloads.map((d) => d.rawFetch.cpu?.total ?? 0)),
        appParts: partsMedian(downloads.map((d) => ({ cpuPartsMsPerToken: d.app.cpu?.parts }))),
        rawParts: partsMedian(downloads.map((d) => ({ cpuPartsMsPerToken: d.rawFetch.cpu?.parts }))),
      },
      download: { baseline: highestDownload.baseline, peak: highestDownload.peak, rise: highestDownload.rise },
      // The first download with the code warm-up alongside; its CPU against a later download's.
      firstDownload: {
        ms: firstDownload.result,
        baseline: firstDownload.baseline,
        peak: firstDownload.peak,
        rise: firstDownload.rise,
        cpuMs: firstDownload.cpu?.total,
        laterCpuMs: median(downloads.map((d) => d.app.cpu?.total ?? 0)),
      },
      rawLoadMs: median(rawLoads.map((load) => load.loadMs)),
      rawBuffers: rawLoad.buffers,
      appLoadMs: median(appLoads.map((load) => load.result)),
      // The median of the rounds' ratios (pairs measured next to each other).
      loadRatio: median(rawLoads.map((load, i) => load.loadMs / appLoads[i].result)),
      loadRounds: rawLoads.map((load, i) => ({
        rawMs: load.loadMs,
        appMs: appLoads[i].result,
        rise: appLoads[i].rise,
        rawSteps: load.steps,
        appSteps: appLoads[i].steps,
        // CPU of the whole browser during each load, by part (bench/lib/cpu.mjs).
        rawCpu: load.cpu,
        appCpu: appLoads[i].cpu,
      })),
      // Where the load time went, median per step: the app's from its engine log's timing line,
      // the raw engine's from the same markers in llama.cpp's log.
      appLoadSteps: medianSteps(appLoads.map((load) => load.steps)),
      rawLoadSteps: medianSteps(rawLoads.map((load) => load.steps)),
      // The highest peak of the rounds: the figure is a peak, not a typical value.
      load: {
        baseline: highest.baseline,
        peak: highest.peak,
        rise: highest.rise,
        holders: highest.holders,
        byHolder: riseByHolder(highest),
      },
      // The raw engine's, for reference: wllama from in-memory Blobs, one load.
      rawLoadMemory: {
        baseline: rawMemory.baseline,
        peak: rawMemory.peak,
        rise: rawMemory.rise,
        byHolder: riseByHolder(rawMemory),
      },
      decodeRatio: median(runs.map((run) => run.app.rate / run.raw.rate)),
      decodeRange: range(runs.map((run) => run.app.rate / run.raw.rate)),
      engineRatio: median(runs.map((run) => run.app.engineRate / run.raw.engineRate)),
      firstTokenRatio: median(runs.map((run) => run.app.firstTokenMs / run.raw.firstTokenMs)),
      firstTokenRange: range(runs.map((run) => run.app.firstTokenMs / run.raw.firstTokenMs)),
      // Prompt tokens llama.cpp evaluated for the raw side's first token (the rest was cached).
      promptEvaluated: median(runs.map((run) => run.raw.promptEvaluated ?? 0)),
      // CPU of the whole browser per token of a reply (prompt, decode and drawing), app ÷ raw.
      cpuRatio:
        runs[0].app.cpuMsPerToken === undefined
          ? undefined
          : median(runs.map((run) => run.app.cpuMsPerToken / run.raw.cpuMsPerToken)),
      appCpuMsPerToken: median(runs.map((run) => run.app.cpuMsPerToken ?? 0)),
      rawCpuMsPerToken: median(runs.map((run) => run.raw.cpuMsPerToken ?? 0)),
      appCpuParts: partsMedian(runs.map((run) => run.app)),
      rawCpuParts: partsMedian(runs.map((run) => run.raw)),
      appRate: median(runs.map((run) => run.app.rate)),
      rawRate: median(runs.map((run) => run.raw.rate)),
      appFirstTokenMs: median(runs.map((run) => run.app.firstTokenMs)),
      rawFirstTokenMs: median(runs.map((run) => run.raw.firstTokenMs)),
      threads: rawLoad.threads,
      runs,
    };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * The raw side of the download figure: every file fetched into memory in a page of its own,
 * closed after so its buffers are freed, under the memory sampler as the app's download is.
 */
async function rawFetchOnce(context, rawUrl, urls) {
  const fetchPage = await context.newPage();
  try {
    await fetchPage.goto(rawUrl);
    await fetchPage.waitForFunction(() => 'rawEngine' in window);
    const cpu = await cpuSince();
    const { result } = await withPeakMemory(() =>
      fetchPage.evaluate((all) => /** @type {any} */ (window).rawEngine.fetchIntoMemory(all), urls),
    );
    return { ...result, cpu: await cpu() };
  } finally {
    await fetchPage.close();
  }
}

/**
 * The app's download through the Models view (`page` is on it), timed in the
 * page as the raw fetch is: from the click's event to the mutation that lists the model. (Timing
 * from Node counted Playwright's fill and click round trips, ~130 ms, and its locator polling,
 * which re-checks only every 500 ms after the first second.) With the memory sampled.
 */
async function appDownloadOnce(page, model, { untilWarmedUp = false } = {}) {
  await page.bringToFront();
  const cpu = await cpuSince();
  const download = await withPeakMemory(async () => {
    await page.getByLabel('Model URL').fill(model.urls[0]);
    await page.evaluate((name) => {
      const bench = /** @type {any} */ (window);
      bench.benchDownload = {};
      document.addEventListener('click', () => (bench.benchDownload.clickAt ??= performance.now()), {
        capture: true,
        once: true,
      });
      const listed = () =>
        [...document.querySelectorAll('[data-testid="model-item"]')].some((item) => item.textContent?.includes(name));
      new MutationObserver((_, observer) => {
        if (!listed()) return;
        bench.benchDownload.listedAt = performance.now();
        observer.disconnect();
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    }, model.name);
    await page.getByRole('button', { name: 'Add model' }).click();
    const { clickAt, listedAt } = await (
      await page.waitForFunction(
        () => {
          const timing = /** @type {any} */ (window).benchDownload;
          return timing.listedAt !== undefined && timing;
        },
        undefined,
        { timeout: 900_000, polling: 250 },
      )
    ).jsonValue();
    // The warm-up may outlast a fast local download: its memory counts until it is recorded.
    if (untilWarmedUp) await waitForWarmUp(page);
    // A split model's files each mark the same steps: only a single file's are told apart.
    const steps = await downloadSteps(page, clickAt, listedAt);
    return { ms: listedAt - clickAt, steps: model.urls.length === 1 ? steps : undefined };
  });
  return { ...download, result: download.result.ms, steps: download.result.steps, cpu: await cpu() };
}

/** The download's User Timing marks (`nook:download:*`) of one realm, as epoch ms; cleared after. */
const takeDownloadMarks = () => {
  const marks = performance.getEntriesByType('mark').filter((mark) => mark.name.startsWith('nook:download:'));
  for (const mark of marks) performance.clearMarks(mark.name);
  return marks.map((mark) => [mark.name.slice('nook:download:'.length), performance.timeOrigin + mark.startTime]);
};

/**
 * Where a download's time went, in ms, from the marks the app takes (src/lib/models/download.ts)
 * in the page and in its model-file worker: click → the download runs (page: address checked,
 * record written), → the worker has the request, → file opened, → the server's answer, → body
 * stored, → checked, → model record saved (page), → listed. Undefined when a mark is missing.
 * @param {import('@playwright/test').Page} page
 */
async function downloadSteps(page, clickAt, listedAt) {
  const origin = await page.evaluate(() => performance.timeOrigin);
  const pageMarks = await page.evaluate(takeDownloadMarks);
  const writer = page.workers().find((worker) => worker.url().includes('opfs-writer'));
  const workerMarks = writer ? await writer.evaluate(takeDownloadMarks) : [];
  const at = Object.fromEntries([...pageMarks, ...workerMarks]);
  const order = [
    'run',
    'request',
    'opened',
    'response',
    'body',
    'checked',
    'replied',
    'part-stored',
    'part-saved',
    'saved',
  ];
  if (order.some((step) => at[step] === undefined)) return undefined;
  const times = [origin + clickAt, ...order.map((step) => at[step]), origin + listedAt];
  const names = [
    'to run',
    'to worker',
    'open file',
    'response',
    'body',
    'checks',
    'close',
    'to page',
    'part record',
    'model record',
    'listed',
  ];
  return Object.fromEntries(names.map((name, i) => [name, Math.round(times[i + 1] - times[i])]));
}

async function waitForWarmUp(page, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while ((await warmedCode(page)) === undefined) {
    if (Date.now() > until) throw new Error(`The app's code warm-up was not recorded within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The pairs' questions: short (under the app's 48-character title limit, so no title is written
 * by the model after a reply) and all different, so each round's prompt is new to both engines.
 */
const QUESTIONS = [
  'What can you help me with today?',
  'How do you keep my notes private?',
  'Why is the sky blue?',
  'What should I cook for dinner tonight?',
  'How does a web worker help a page?',
  'Which books would you recommend?',
  'Explain what a GGUF file is.',
  'What makes a good cup of tea?',
  'How do plants turn light into food?',
  'Give me three tips for a job interview.',
  'What is the capital of Australia?',
  'How do I start learning to draw?',
];

/**
 * `rounds` pairs of replies of `tokens` from `a` and `b` to the same question, a new question
 * each round, the one going first flipping each round, so a busy moment on the shared machine
 * lands on both sides.
 * @template T
 * @param {(tokens: number, question: string) => Promise<T>} a
 * @param {(tokens: number, question: string) => Promise<T>} b
 * @param {number} rounds
 * @param {number} tokens
 */
async function interleaved(a, b, rounds, tokens) {
  const pairs = [];
  for (let round = 0; round < rounds; round++) {
    const aFirst = round % 2 === 0;
    const question = QUESTIONS[round % QUESTIONS.length];
    const first = aFirst ? await a(tokens, question) : await b(tokens, question);
    const second = aFirst ? await b(tokens, question) : await a(tokens, question);
    pairs.push(aFirst ? { aFirst, a: first, b: second } : { aFirst, a: second, b: first });
  }
  return pairs;
}

/**
 * One reply of the raw engine in `page` (brought to the front) to `question`.
 * @param {import('@playwright/test').Page} page
 * @param {number} maxTokens
 * @param {string} question
 */
async function rawReply(page, maxTokens, question) {
  await page.bringToFront();
  return page.evaluate(
    ([system, prompt, sampling]) => /** @type {any} */ (window).rawEngine.generate(system, prompt, sampling),
    /** @type {const} */ ([SYSTEM_PROMPT, question, { ...SAMPLING, maxTokens }]),
  );
}

/**
 * Decode and first token of the raw engine ÷ the raw engine loaded in a second page: `rounds`
 * pairs, the order flipping, after a one-token warm-up. What an A/A comparison gives on this
 * machine is the spread any app ÷ raw figure carries.
 */
async function rawAgainstRaw({ context, rawUrl, model, contextLength, tokens, rounds, raw }) {
  const other = await context.newPage();
  try {
    await other.goto(rawUrl);
    await other.waitForFunction(() => 'rawEngine' in window);
    await other.evaluate(
      ([urls, ctx]) => /** @type {any} */ (window).rawEngine.load(urls, ctx),
      /** @type {const} */ ([model.urls, contextLength]),
    );
    const again = (maxTokens, question = PROMPT) => rawReply(other, maxTokens, question);
    await again(1);
    const pairs = (await interleaved(raw, again, rounds, tokens)).map(({ a: r, b: o }) => ({
      decode: o.tokensPerSecond / r.tokensPerSecond,
      firstToken: o.firstTokenMs / r.firstTokenMs,
    }));
    await other.evaluate(() => /** @type {any} */ (window).rawEngine.unload());
    return {
      decodeRatio: median(pairs.map((pair) => pair.decode)),
      decodeRange: range(pairs.map((pair) => pair.decode)),
      firstTokenRatio: median(pairs.map((pair) => pair.firstToken)),
      firstTokenRange: range(pairs.map((pair) => pair.firstToken)),
      pairs,
    };
  } finally {
    await other.close();
  }
}

/**
 * The app's load steps from its engine log's timing line (src/lib/engine/load-timings.ts), read
 * from the Models view's diagnostics; undefined when the line is missing.
 * @param {import('@playwright/test').Page} page
 * @param {string} appUrl
 * @returns {Promise<Record<string, number> | undefined>}
 */
async function appLoadSteps(page, appUrl) {
  await page.goto(`${appUrl}/#/models`);
  const text = (await page.getByTestId('engine-log').textContent()) ?? '';
  const line = /^Load timings \(ms\): (.*)$/m.exec(text)?.[1];
  await page.goto(`${appUrl}/#/chat`);
  if (!line) return undefined;
  return Object.fromEntries(
    line
      .split(', ')
      .map((part) => [part.slice(0, part.lastIndexOf(' ')), Number(part.slice(part.lastIndexOf(' ') + 1))]),
  );
}

/** @param {(Record<string, number> | undefined)[]} all */
function medianSteps(all) {
  const present = all.filter((steps) => steps !== undefined);
  if (present.length === 0) return undefined;
  return Object.fromEntries(
    Object.keys(present[0]).map((step) => [step, median(present.map((steps) => steps[step] ?? 0))]),
  );
}

/**
 * A load's memory rise by holder (bench/lib/memory.mjs memoryHolders, read just before the load
 * and just after it): in the renderer that grew most (the app's, where the engine's workers are
 * threads) its largest anonymous mapping — llama.cpp's wasm heap —, compiled code, its other
 * anonymous memory (the workers' JS heaps, thread stacks, the page) and files; every other
 * process together; and the peak's excess over the reading after the load (memory freed before
 * the end). Bytes; undefined without both readings.
 */
function riseByHolder({ holders, peak, baseline }) {
  const { before, after } = holders ?? {};
  if (!before || !after) return undefined;
  const was = new Map(before.map((holder) => [holder.pid, holder]));
  const grew = (holder) => holder.pss - (was.get(holder.pid)?.pss ?? 0);
  const engine = after.filter((holder) => holder.type === 'renderer').reduce((a, b) => (grew(b) > grew(a) ? b : a));
  const kinds = Object.fromEntries(
    Object.entries(engine.kinds ?? {}).map(([kind, pss]) => [kind, pss - (was.get(engine.pid)?.kinds?.[kind] ?? 0)]),
  );
  const gone = before.filter((holder) => !after.some((other) => other.pid === holder.pid));
  const others =
    after.filter((holder) => holder !== engine).reduce((sum, holder) => sum + grew(holder), 0) -
    gone.reduce((sum, holder) => sum + holder.pss, 0);
  const afterTotal = after.reduce((sum, holder) => sum + holder.pss, 0);
  const beforeTotal = before.reduce((sum, holder) => sum + holder.pss, 0);
  return {
    heap: kinds.largest,
    heapSize: engine.largestSize,
    code: kinds.code,
    anonymous: kinds.anonymous,
    files: kinds.files,
    others,
    // What the sampler's peak held beyond the reading after the load (both over their own "before").
    transient: peak - baseline - (afterTotal - beforeTotal),
  };
}
