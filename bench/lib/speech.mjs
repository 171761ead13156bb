// Speech to text, app ÷ transformers.js called directly: the same tiny Whisper, the same wasm,
// the same audio, in the same browser with Chromium's fake microphone.
//
// - The app is timed as a user feels it: from the tap that ends dictation to the transcript in the
//   composer (recording closed, audio handed to the speech worker, transcribed, written into the
//   box). The end is the moment the app writes the box's value, caught by a setter on that one
//   textarea: waiting for the next animation frame instead would add up to a frame the raw side
//   does not pay (painting is left out on both sides).
// - The raw page is timed from posting the audio to its worker to the text coming back, and it
//   transcribes the very samples the app transcribed in the same round (kept by a wrapper of
//   Worker.postMessage in the app page, which only adds to the app's time).
// - Both sides are warmed up once (worker started, model loaded, one transcription); rounds
//   alternate which side goes first; the figure is the median of the per-round ratios.
// - The app's hops are reported too: tap → audio posted, posted → transcript back (and the part
//   spent in the model, as the worker reports it), transcript back → in the box.
import { median } from './stats.mjs';
import { CPU_PARTS, cpuSince } from './cpu.mjs';
import { waitForServiceWorker } from './app.mjs';

/** Runs in the app page before its scripts: notes each transcription's hops and keeps its audio. */
function watchSpeechWorker() {
  const hops = /** @type {any} */ (window.nookSpeechHops = { audio: undefined, posted: 0, replied: 0, modelMs: 0 });
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, transfer) {
    if (message?.kind === 'transcribe') {
      hops.posted = performance.now();
      hops.audio = message.audio.slice();
    }
    return post.call(this, message, /** @type {any} */ (transfer));
  };
  const listen = Worker.prototype.addEventListener;
  Worker.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message' || typeof listener !== 'function') return listen.call(this, type, listener, options);
    return listen.call(
      this,
      type,
      (event) => {
        const data = /** @type {MessageEvent} */ (event).data;
        if (data?.kind === 'transcript') {
          hops.replied = performance.now();
          hops.modelMs = data.ms;
        }
        listener.call(this, event);
      },
      options,
    );
  };
}

/**
 * @param {import('@playwright/test').Browser} browser a browser with the fake microphone
 * @param {{ appUrl: string, rawUrl: string, mirror: string, modelId: string, files: string[], rounds: number }} options
 */
export async function measureSpeech(browser, { appUrl, rawUrl, mirror, modelId, files, rounds }) {
  const context = await browser.newContext();
  const app = await context.newPage();
  await app.addInitScript(watchSpeechWorker);
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

  /** One dictation: tap, speak (the fake microphone's sound), tap; timed in the page. */
  const appOnce = async () => {
    await composer.fill('');
    await app.bringToFront();
    await dictate.click();
    await app.waitForFunction(() =>
      document.querySelector('[data-testid="mic-level"]')?.getAttribute('aria-valuetext')?.includes('speech heard'),
    );
    const timing = app.evaluate(
      () =>
        new Promise((resolve) => {
          const box = /** @type {HTMLTextAreaElement} */ (document.querySelector('textarea[aria-label="Message"]'));
          const value = /** @type {PropertyDescriptor} */ (
            Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')
          );
          const hops = /** @type {any} */ (window).nookSpeechHops;
          let tapped = 0;
          document.addEventListener('click', () => (tapped = performance.now()), { capture: true, once: true });
          Object.defineProperty(box, 'value', {
            configurable: true,
            get: () => value.get?.call(box),
            set: (text) => {
              value.set?.call(box, text);
              if (!tapped || !text) return;
              const shown = performance.now();
              delete (/** @type {any} */ (box).value);
              resolve({
                ms: shown - tapped,
                text,
                audio: Array.from(hops.audio ?? []),
                hops: {
                  tapToPost: hops.posted - tapped,
                  postToReply: hops.replied - hops.posted,
                  model: hops.modelMs,
                  replyToBox: shown - hops.replied,
                },
              });
            },
          });
        }),
    );
    const cpu = await cpuSince();
    await dictate.click();
    const result = /** @type {{ ms: number, text: string, audio: number[], hops: Record<string, number> }} */ (
      await timing
    );
    return { ...result, cpu: await cpu() };
  };
  /** @param {number[]} audio the samples the app transcribed */
  const rawOnce = async (audio) => {
    await raw.bringToFront();
    const cpu = await cpuSince();
    const result = /** @type {{ ms: number, text: string }} */ (
      await raw.evaluate((samples) => /** @type {any} */ (window).rawSpeech.transcribe(samples), audio)
    );
    return { ...result, cpu: await cpu() };
  };

  // Warm-up of both sides, then rounds. The raw side always transcribes the app's latest
  // recording: the one of the same round when the app goes first, the previous round's when the
  // raw side goes first (a few blocks longer or shorter; the model pads every input to 30 s).
  let latest = (await appOnce()).audio;
  await rawOnce(latest);
  const runs = [];
  for (let round = 0; round < rounds; round++) {
    const appFirst = round % 2 === 0;
    const rawBefore = appFirst ? undefined : await rawOnce(latest);
    const appRun = await appOnce();
    latest = appRun.audio;
    const rawRun = rawBefore ?? (await rawOnce(latest));
    runs.push({ app: appRun, raw: rawRun, first: appFirst ? 'app' : 'raw' });
  }
  await context.close();
  const ratios = runs.map((run) => run.raw.ms / run.app.ms);
  const hop = (/** @type {string} */ name) => median(runs.map((run) => run.app.hops[name]));
  return {
    ratio: median(ratios),
    appMs: median(runs.map((run) => run.app.ms)),
    rawMs: median(runs.map((run) => run.raw.ms)),
    hops: {
      tapToPost: hop('tapToPost'),
      postToReply: hop('postToReply'),
      model: hop('model'),
      replyToBox: hop('replyToBox'),
    },
    samples: median(runs.map((run) => run.app.audio.length)),
    // The whole browser's CPU from the tap (app) or the post (raw) to the text, by part (median ms):
    // what else the app runs while it transcribes.
    cpu: {
      app: cpuMedian(runs.map((run) => run.app.cpu)),
      raw: cpuMedian(runs.map((run) => run.raw.cpu)),
    },
    text: runs[0]?.app.text,
    rawText: runs[0]?.raw.text,
    runs: runs.map((run) => ({
      first: run.first,
      app: { ms: run.app.ms, samples: run.app.audio.length, hops: run.app.hops },
      raw: { ms: run.raw.ms, text: run.raw.text, cpu: run.raw.cpu },
      appCpu: run.app.cpu,
      ratio: run.raw.ms / run.app.ms,
    })),
  };
}

/** Median CPU ms in total and per part of some readings (undefined without /proc). */
function cpuMedian(readings) {
  if (readings.some((reading) => !reading)) return undefined;
  return {
    total: median(readings.map((reading) => reading.total)),
    ...Object.fromEntries(CPU_PARTS.map((part) => [part, median(readings.map((reading) => reading.parts[part]))])),
  };
}
