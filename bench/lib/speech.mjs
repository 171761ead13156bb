// Speech to text, app ÷ transformers.js called directly: the same tiny Whisper, the same wasm,
// in the same browser with Chromium's fake microphone. The app is timed as a user feels it: from
// the tap that ends dictation to the transcript in the composer (recording closed and decoded,
// audio handed to the speech worker, transcribed, shown). The raw page is timed from posting the
// audio to its worker to the text coming back. Rounds alternate; each side warms up first.
import { median } from './stats.mjs';
import { waitForServiceWorker } from './app.mjs';

/**
 * @param {import('@playwright/test').Browser} browser a browser with the fake microphone
 * @param {{ appUrl: string, rawUrl: string, mirror: string, modelId: string, files: string[], rounds: number }} options
 */
export async function measureSpeech(browser, { appUrl, rawUrl, mirror, modelId, files, rounds }) {
  const context = await browser.newContext();
  const app = await context.newPage();
  await app.goto(`${appUrl}/#/models`);
  await waitForServiceWorker(app);
  await app.getByLabel('Mirror base URL').fill(mirror);
  await app.getByRole('button', { name: 'Save' }).click();
  await app.getByRole('button', { name: 'Download Whisper tiny' }).click();
  await app.getByTestId('speech-model-item').waitFor({ timeout: 120_000 });
  await app.goto(`${appUrl}/#/chat`);
  const composer = app.getByRole('textbox', { name: 'Message', exact: true });
  const dictate = app.getByRole('button', { name: 'Dictate', exact: true });

  const raw = await context.newPage();
  await raw.goto(rawUrl);
  await raw.evaluate(({ base, id, names }) => /** @type {any} */ (window).rawSpeech.load(base, id, names), {
    base: `${mirror}/${modelId}/resolve/main/`,
    id: modelId,
    names: files,
  });

  const appOnce = async () => {
    await composer.fill('');
    await app.bringToFront();
    await dictate.click();
    await app.waitForFunction(
      () => Number(document.querySelector('[data-testid="mic-level"]')?.getAttribute('aria-valuenow')) > 5,
    );
    // Times in the page: the tap's event, then the first frame showing the transcript.
    const timing = app.evaluate(
      () =>
        new Promise((resolve) => {
          const box = /** @type {HTMLTextAreaElement} */ (document.querySelector('textarea[aria-label="Message"]'));
          let tapped = 0;
          document.addEventListener('click', () => (tapped = performance.now()), { capture: true, once: true });
          const watch = () => {
            if (tapped && box.value) resolve({ ms: performance.now() - tapped, text: box.value });
            else requestAnimationFrame(watch);
          };
          requestAnimationFrame(watch);
        }),
    );
    await dictate.click();
    return /** @type {{ ms: number, text: string }} */ (await timing);
  };
  const rawOnce = async () => {
    await raw.bringToFront();
    return /** @type {{ ms: number, text: string }} */ (
      await raw.evaluate(() => /** @type {any} */ (window).rawSpeech.transcribe(2))
    );
  };

  await appOnce();
  await rawOnce();
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['app', 'raw'] : ['raw', 'app'];
    const run = {};
    for (const side of order) run[side] = side === 'app' ? await appOnce() : await rawOnce();
    runs.push(run);
  }
  await context.close();
  const ratios = runs.map((run) => run.raw.ms / run.app.ms);
  return {
    ratio: median(ratios),
    appMs: median(runs.map((run) => run.app.ms)),
    rawMs: median(runs.map((run) => run.raw.ms)),
    text: runs[0]?.app.text,
    rawText: runs[0]?.raw.text,
    runs,
  };
}
