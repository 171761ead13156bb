// Documents: indexing cost (a 5 MB text file through the app's Documents view: time, main-thread
// long tasks, browser memory), lexical query latency over 10,000 passages (the app's own index
// code in a page), and the answer time of a grounded question ÷ the same prompt sent straight to
// the raw engine (same model, window and answer length).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addModel, loadInApp } from './app.mjs';
import { prose } from './scaling.mjs';

/** Resident memory of this process's descendants (the browser and all its processes), in bytes. */
async function browserRss() {
  const names = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const parents = new Map();
  const rss = new Map();
  await Promise.all(
    names.map(async (name) => {
      try {
        const status = await readFile(`/proc/${name}/status`, 'utf8');
        parents.set(Number(name), Number(/PPid:\s+(\d+)/.exec(status)?.[1]));
        rss.set(Number(name), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
      } catch {
        // ended meanwhile
      }
    }),
  );
  const ours = (pid) => {
    for (let p = pid; p > 1; p = parents.get(p) ?? 0) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (pid !== process.pid && ours(pid)) total += bytes;
  return total;
}

/** A small library for the answer figure; passages short enough to be shown whole as sources. */
const LIBRARY = [
  [
    'show.md',
    '# Show\n\n## Preserves\n\nThe marmalade prize went to Edith, whose batch set in four minutes.\n\nJam was scarce after the wet June.',
  ],
  ['bikes.txt', 'Puncture\n\nLever the tyre off with plastic levers.\n\nFind the hole by listening for air.'],
  ['tides.md', '# Tides\n\nHigh water on Saturday is at 06:40; the causeway floods two hours either side.'],
].map(([name, text]) => ({
  name,
  mimeType: name.endsWith('.md') ? 'text/markdown' : 'text/plain',
  buffer: Buffer.from(text),
}));
const QUESTION = 'Who won the marmalade prize?';

const QUESTION_WORDS = ['ferry', 'orchard', 'railway', 'museum', 'clinic', 'reservoir', 'park', 'contractor'];

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, baselineUrl: string, modelUrl: string, name: string, contextLength: number }} options
 */
export async function measureDocuments(browser, options) {
  const { appUrl, baselineUrl, modelUrl, name, contextLength } = options;
  const result = {};

  // Lexical latency over 10,000 passages, in a page, with the app's code.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baselineUrl}/documents.html`);
    await page.waitForFunction(() => 'benchDocuments' in window);
    const queries = Array.from(
      { length: 300 },
      (_, i) =>
        `What did the committee decide about ${QUESTION_WORDS[i % 8]} and its ${2 + (i % 7)} open questions in report ${i + 1}?`,
    );
    // About 1,000 bytes a passage with this prose: 10,000 passages. Every passage holds most of
    // the question's words (the prose repeats one template), the worst case for BM25's scoring.
    const text = prose(10_000_000);
    result.lexical = await page.evaluate(
      ([text, queries]) => /** @type {any} */ (window).benchDocuments.lexicalLatency(text, queries),
      /** @type {const} */ ([text, queries]),
    );
    result.lexical.p95 = percentile(result.lexical.times, 95);
    result.lexical.p50 = percentile(result.lexical.times, 50);
    delete result.lexical.times;
    await context.close();
  }

  // Indexing a text file through the Documents view (no model loaded: no vectors): 5 MB, and one
  // at the size limit (lib/documents/intake MAX_DOCUMENT_BYTES, 20 MB).
  const indexFile = async (bytes) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/documents`);
    await page.getByTestId('library-empty').waitFor();
    await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      w.benchLongTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.benchLongTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
      w.benchIndexed = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.querySelector('[data-testid="library-item"]')) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(document.body, { subtree: true, childList: true });
      });
      document
        .querySelector('input[type="file"]')
        ?.addEventListener('change', () => (w.benchPicked = performance.now()), {
          capture: true,
        });
    });
    const before = await browserRss();
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await browserRss());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    // From disk: a file given as a buffer would be rebuilt by Playwright in the page's main thread.
    const dir = await mkdtemp(join(tmpdir(), 'nook-docs-'));
    const path = join(dir, `${bytes}.txt`);
    await writeFile(path, prose(bytes));
    await page.getByLabel('Add files').setInputFiles(path);
    const indexed = await page.evaluate(async () => {
      const w = /** @type {any} */ (window);
      const done = await w.benchIndexed;
      return { ms: done - w.benchPicked, longTasks: w.benchLongTasks };
    });
    sampling = false;
    await sampler;
    const passages = Number(
      /([\d,]+) passages/.exec((await page.getByTestId('library-item').textContent()) ?? '')?.[1].replace(/,/g, ''),
    );
    await rm(dir, { recursive: true, force: true });
    await context.close();
    return {
      bytes,
      ms: indexed.ms,
      longTasks: indexed.longTasks,
      passages,
      rssBefore: before,
      rssPeak: peak,
    };
  };
  result.indexing = await indexFile(5_000_000);
  result.indexingLimit = await indexFile(20_000_000);

  // A grounded answer in the app ÷ the same prompt straight to the raw engine, in rounds that
  // alternate which goes first (both pages stay open), so a machine that slows down or speeds up
  // meanwhile weighs on both sides alike.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/documents`);
    await page.getByLabel('Add files').setInputFiles(LIBRARY);
    await page
      .getByTestId('library-item')
      .nth(LIBRARY.length - 1)
      .waitFor();
    await loadInApp(page, name);
    await page.getByTestId('library-vectors').waitFor({ timeout: 300_000 });
    /** @type {{ ms: number, promptTokens: number, tokens: number }[]} */
    const app = [];
    let sources = [];
    const askInApp = async () => {
      await page.bringToFront();
      await page.getByRole('textbox', { name: 'Question' }).fill(QUESTION);
      const ms = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const started = performance.now();
            const observer = new MutationObserver(() => {
              const status = document.querySelector('[data-testid="document-answer"]')?.getAttribute('data-status');
              if (status === 'done' || status === 'failed') {
                observer.disconnect();
                resolve(performance.now() - started);
              }
            });
            observer.observe(document.body, { subtree: true, attributes: true, childList: true });
            [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Ask')?.click();
          }),
      );
      const answer = page.getByTestId('document-answer');
      app.push({
        ms,
        promptTokens: Number(await answer.getAttribute('data-prompt-tokens')),
        tokens: Number(await answer.getAttribute('data-completion-tokens')),
      });
      sources = await page.getByTestId('document-source').evaluateAll((items) =>
        items.map((item, i) => ({
          label: `[${i + 1}] ${item.querySelector('[data-testid="source-link"]')?.textContent ?? ''}`,
          text: item.querySelector('[data-testid="source-text"]')?.textContent ?? '',
        })),
      );
    };
    // The first answer gives the sources the raw engine's prompt is built from.
    await askInApp();

    const rawContext = await browser.newContext();
    const probe = await rawContext.newPage();
    await probe.goto(`${baselineUrl}/documents.html`);
    await probe.waitForFunction(() => 'benchDocuments' in window);
    const prompt = await probe.evaluate(([question, sources]) => {
      const bench = /** @type {any} */ (window).benchDocuments;
      return { system: bench.instructions, user: bench.userMessage(question, sources) };
    }, /** @type {const} */ ([QUESTION, sources]));
    const rawPage = await rawContext.newPage();
    await rawPage.goto(`${baselineUrl}/raw-engine.html`);
    await rawPage.waitForFunction(() => 'rawEngine' in window);
    // Loaded as the app loads it for Documents: with embeddings on.
    await rawPage.evaluate(
      ([url, ctx]) => /** @type {any} */ (window).rawEngine.load(url, ctx, { embeddings: true }),
      /** @type {const} */ ([modelUrl, contextLength]),
    );
    const runs = [];
    const askRaw = async () => {
      await rawPage.bringToFront();
      runs.push(
        await rawPage.evaluate(
          ([prompt, maxTokens]) =>
            /** @type {any} */ (window).rawEngine.generate(prompt.system, prompt.user, {
              maxTokens,
              temperature: 0,
              topP: 1,
            }),
          /** @type {const} */ ([prompt, app[0].tokens]),
        ),
      );
    };
    await askRaw();
    for (let round = 1; round < 3; round++) {
      if (round % 2 === 0) {
        await askInApp();
        await askRaw();
      } else {
        await askRaw();
        await askInApp();
      }
    }
    const promptTokens = await rawPage.evaluate(
      (text) => /** @type {any} */ (window).rawEngine.countTokens(text),
      prompt.system + prompt.user,
    );
    await rawPage.evaluate(() => /** @type {any} */ (window).rawEngine.unload());
    await rawContext.close();
    await context.close();
    result.answer = { app, raw: { runs, promptTokens }, sources: sources.length };
  }
  return result;
}
