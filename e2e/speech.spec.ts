/**
 * Voice, through the real stack: Chromium's fake microphone plays a generated WAV, the tiny
 * Whisper (test-support/make-tiny-whisper.mjs) runs in transformers.js in the speech worker, the
 * tiny GGUF answers in llama.cpp, and espeak-ng voices speak through speech-dispatcher into a null
 * audio output. Every test also runs through the privacy proxy: no audio or text leaves.
 */
import { expect, test, type Page } from './test';
import {
  addTinyModel,
  addTinyWhisper,
  composer,
  DICTATE,
  dictateWithSpeechModel,
  loadModel,
  MODEL_HOST,
  replies,
  waitForServiceWorker,
} from './helpers';
import { WHISPER_TRANSCRIPT } from '../test-support/make-tiny-whisper.mjs';
import { THINKER } from '../test-support/tiny-chat-models.mjs';

/**
 * Records every utterance the page hands to the real speechSynthesis — its text, whether its
 * voice is on-device, and whether it fired `end` — without changing what happens.
 */
async function recordSpeech(page: Page) {
  await page.addInitScript(() => {
    const spoken: { text: string; local: boolean; ended: boolean }[] = [];
    (window as unknown as { nookSpoken: typeof spoken }).nookSpoken = spoken;
    const speak = speechSynthesis.speak.bind(speechSynthesis);
    speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => {
      const entry = { text: utterance.text, local: utterance.voice?.localService === true, ended: false };
      spoken.push(entry);
      utterance.addEventListener('end', () => (entry.ended = true));
      speak(utterance);
    };
  });
}
const spoken = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { nookSpoken: { text: string; local: boolean; ended: boolean }[] }).nookSpoken,
  );

const localVoiceNames = (page: Page) =>
  page.evaluate(() =>
    speechSynthesis
      .getVoices()
      .filter((v) => v.localService)
      .map((v) => v.name),
  );

/** Online once: the app, a chat model and a speech model; then the network goes away. */
async function setUpOffline(page: Page, context: import('./test').BrowserContext) {
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyWhisper(page);
  await addTinyModel(page);
  await context.setOffline(true);
  await page.goto('/#/chat');
  await loadModel(page);
}

test('dictation offline: tap Dictate, speak, tap again — the transcript waits in the composer', async ({
  page,
  context,
}) => {
  await setUpOffline(page, context);
  await composer(page).fill('Question:');
  await dictateOnce(page);
  await expect(composer(page)).toHaveValue(`Question: ${WHISPER_TRANSCRIPT}`, { timeout: 30_000 });
  // For review: nothing was sent.
  await expect(page.getByTestId('message-user')).toHaveCount(0);
});

// In one page after a tapped dictation: the microphone is warm by then, so the hold can be
// shorter than the tap/hold threshold; the release must still end the recording because the user
// spoke while holding (it once kept listening as if tapped).
test('push-to-talk after a tapped dictation in the same page: hold Dictate while speaking, release to transcribe', async ({
  page,
  context,
}) => {
  await setUpOffline(page, context);
  await dictateOnce(page);
  await expect(composer(page)).toHaveValue(WHISPER_TRANSCRIPT, { timeout: 30_000 });
  await composer(page).fill('');
  const dictate = page.getByRole('button', DICTATE);
  await expect(dictate).toBeEnabled();
  await dictate.hover();
  await page.mouse.down();
  await expect(dictate).toHaveAttribute('aria-pressed', 'true');
  await expectMicHears(page);
  await page.mouse.up();
  await expect(composer(page)).toHaveValue(WHISPER_TRANSCRIPT, { timeout: 30_000 });
  await expect(dictate).toHaveAttribute('aria-pressed', 'false');
});

test('voice mode: listens, sends the transcript, reads the reply aloud, listens again until Esc', async ({
  page,
  context,
}) => {
  await recordSpeech(page);
  await setUpOffline(page, context);
  await page.getByRole('button', { name: 'Voice mode' }).click();
  await expect(page.getByTestId('voice-mode-status')).toContainText('listening');
  const asked = page.getByTestId('message-user');
  await expect(asked.first().getByTestId('message-text')).toHaveText(WHISPER_TRANSCRIPT, { timeout: 60_000 });
  const reply = replies(page).first().getByTestId('message-text');
  await expect(reply).toContainText('Nook runs entirely on your device', { timeout: 60_000 });
  // The reply is read aloud, sentence by sentence, with on-device voices, then it listens again
  // and sends what it heard again.
  await expect(asked).toHaveCount(2, { timeout: 120_000 });
  // The second reply may already be being read: let what was started finish before judging it,
  // and judge that moment's record (a next sentence can start right after, not ended yet).
  let settled: Awaited<ReturnType<typeof spoken>> = [];
  await expect
    .poll(
      async () => {
        settled = await spoken(page);
        return settled.every((u) => u.ended);
      },
      { timeout: 120_000 },
    )
    .toBe(true);
  const said = settled.filter((u) => u.text.includes('Nook runs entirely'));
  expect(said.length).toBeGreaterThan(0);
  expect(said.every((u) => u.local && u.ended)).toBe(true);
  expect(said[0]?.text).toBe('Nook runs entirely on your device, so nothing you type leaves it.');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Voice mode' })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('voice-mode-error')).toHaveCount(0);
});

test('Read aloud speaks a reply start to end with an on-device voice; Stop stops it', async ({ page, context }) => {
  await recordSpeech(page);
  await setUpOffline(page, context);
  await composer(page).fill('Hello');
  await composer(page).press('Enter');
  const reply = replies(page).first();
  await expect(reply.getByRole('button', { name: 'Regenerate' })).toBeVisible({ timeout: 60_000 });
  const read = reply.getByTestId('read-aloud');
  await read.click();
  await expect(read).toHaveText('Stop reading');
  const status = reply.getByTestId('read-aloud-status');
  const voice = (await status.textContent())?.replace('Reading aloud with ', '').trim();
  expect(await localVoiceNames(page)).toContain(voice);
  // Nobody clicks Stop: it turns back by itself once the last sentence fired `end`.
  await expect(read).toHaveText('Read aloud', { timeout: 120_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  const text = (await reply.getByTestId('message-text').textContent()) ?? '';
  const utterances = await spoken(page);
  expect(utterances.length).toBeGreaterThan(1);
  expect(utterances.every((u) => u.local && u.ended)).toBe(true);
  // Start to end: every sentence of the reply, in order.
  expect(utterances.map((u) => u.text).join(' ')).toBe(text.replace(/\s+/g, ' ').trim());

  await read.click();
  await expect(read).toHaveText('Stop reading');
  await read.click();
  await expect(read).toHaveText('Read aloud');
});

test("Read aloud speaks a reasoning model's answer and never its thinking", async ({ page, context }) => {
  await recordSpeech(page);
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page, `${MODEL_HOST}/models/thinker.gguf`, THINKER.name);
  await context.setOffline(true);
  await page.goto('/#/chat');
  await loadModel(page, THINKER.name);
  await composer(page).fill('Say hello');
  await composer(page).press('Enter');
  const reply = replies(page).first();
  await expect(reply.getByRole('button', { name: 'Regenerate' })).toBeVisible({ timeout: 60_000 });
  await expect(reply.getByTestId('reply-thinking')).toBeVisible();
  const read = reply.getByTestId('read-aloud');
  await read.click();
  await expect(read).toHaveText('Stop reading');
  await expect(read).toHaveText('Read aloud', { timeout: 120_000 });
  const said = (await spoken(page)).map((u) => u.text).join(' ');
  expect(said).toBe(THINKER.answer);
  expect(said).not.toContain('user wants');
});

/** The level meter moves while the fake microphone plays its sound, and says speech was heard. */
async function expectMicHears(page: Page) {
  const meter = page.getByTestId('mic-level');
  await expect
    .poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeGreaterThan(5);
  await expect(meter).toHaveAttribute('aria-valuetext', /speech heard/);
}

/** Taps Dictate, lets the fake microphone play, taps again. */
async function dictateOnce(page: Page) {
  const dictate = page.getByRole('button', DICTATE);
  await dictate.click();
  await expect(dictate).toHaveAttribute('aria-pressed', 'true');
  await expectMicHears(page);
  await dictate.click();
}

test('Dictate fills the Translate and Documents boxes too; a summary is read aloud start to end', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await recordSpeech(page);
  await setUpOffline(page, context);

  await page.goto('/#/translate');
  await dictateOnce(page);
  await expect(page.getByLabel('Text to translate')).toHaveValue(WHISPER_TRANSCRIPT, { timeout: 30_000 });

  await page.goto('/#/documents');
  await page.getByRole('textbox', { name: 'Question' }).fill('Tell me:');
  await dictateOnce(page);
  await expect(page.getByRole('textbox', { name: 'Question' })).toHaveValue(`Tell me: ${WHISPER_TRANSCRIPT}`, {
    timeout: 30_000,
  });

  await page.goto('/#/summarize');
  await page.getByLabel('Text to summarize').fill('Nook keeps notes private. '.repeat(40));
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  const actions = page.getByTestId('summary-output-actions');
  const read = actions.getByTestId('read-aloud');
  await expect(read).toBeVisible({ timeout: 120_000 });
  const summary = ((await page.getByTestId('summary-text').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  await read.click();
  await expect(read).toHaveText('Stop reading');
  await expect(read).toHaveText('Read aloud', { timeout: 120_000 });
  const utterances = await spoken(page);
  expect(utterances.length).toBeGreaterThan(0);
  expect(utterances.every((u) => u.local && u.ended)).toBe(true);
  expect(utterances.map((u) => u.text).join(' ')).toBe(summary);
});

test('the speech model is listed with its size; deleted, dictation says it must be downloaded', async ({ page }) => {
  await page.goto('/');
  await addTinyWhisper(page);
  const item = page.getByTestId('speech-model-item');
  await expect(item.getByTestId('speech-model-size')).toContainText('kB');
  await item.getByRole('button', { name: 'Delete Whisper tiny' }).click();
  await expect(item).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download Whisper tiny' })).toBeVisible();
  await page.goto('/#/chat');
  await page.getByRole('button', DICTATE).click();
  await expect(page.getByTestId('dictation-error')).toContainText('speech model is not downloaded yet');
});

test.describe('a context without the microphone permission', () => {
  // The browser itself refuses: this project grants the permission per context, and this one has
  // none (no prompt can be answered headless, so getUserMedia fails with NotAllowedError).
  test.use({ permissions: [] });

  test('microphone refused: Dictate says how to allow it and stops listening', async ({ page }) => {
    const dictate = await dictateWithSpeechModel(page);
    await expect(page.getByTestId('dictation-error')).toContainText('Nook may not use the microphone');
    await expect(page.getByTestId('dictation-error')).toContainText('site settings');
    await expect(dictate).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('mic-level')).toHaveCount(0);
  });
});

test('on-device SpeechRecognition is asked with processLocally and never started (no cloud path)', async ({ page }) => {
  // Records what the app asks of the browser's recognition; the real API still answers.
  await page.addInitScript(() => {
    const w = window as unknown as { nookRecognition: { available: unknown[]; started: number } };
    w.nookRecognition = { available: [], started: 0 };
    const Recognition = (
      window as unknown as {
        SpeechRecognition?: { available?: (o: unknown) => Promise<string>; prototype: { start(): void } };
      }
    ).SpeechRecognition;
    if (!Recognition) return;
    const available = Recognition.available?.bind(Recognition);
    if (available) {
      Recognition.available = (options: unknown) => {
        const answer = available(options);
        void answer.then((status) => w.nookRecognition.available.push({ options, status }));
        return answer;
      };
    }
    const start = Recognition.prototype.start;
    Recognition.prototype.start = function (this: unknown) {
      w.nookRecognition.started++;
      return start.call(this);
    };
  });
  await page.goto('/#/chat');
  const seen = () =>
    page.evaluate(
      () => (window as unknown as { nookRecognition: { available: unknown[]; started: number } }).nookRecognition,
    );
  await expect.poll(async () => (await seen()).available.length).toBeGreaterThan(0);
  const { available } = await seen();
  const first = available[0] as { options: { processLocally: boolean; langs: string[] }; status: string };
  expect(first.options.processLocally).toBe(true);
  // No language pack here: not "available", so Dictate must not fall back to the cloud service.
  expect(first.status).not.toBe('available');
  await page.getByRole('button', DICTATE).click();
  await expect(page.getByTestId('dictation-error')).toContainText('speech model is not downloaded yet');
  expect((await seen()).started).toBe(0);
});
