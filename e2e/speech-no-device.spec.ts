/**
 * Dictation in a Chromium launched without `--use-fake-device-for-media-stream`: on a machine with
 * no sound card (this one, CI) the browser has no audio input at all. The microphone permission is
 * granted, so what fails is the device, as it would for a user with no microphone connected.
 * `launchOptions` forces a browser of its own, hence a file of its own (in the speech project).
 */
import { expect, test } from './test';
import { dictateWithSpeechModel } from './helpers';
import { chromiumArgs, chromiumExecutable, privacyProxyArgs } from './chromium.mjs';
import { PROXY_URL } from './privacy';

test.use({
  permissions: ['microphone'],
  launchOptions: {
    executablePath: chromiumExecutable(),
    args: [...chromiumArgs, ...privacyProxyArgs(Number(new URL(PROXY_URL).port))],
  },
});

test('no input device: Dictate says to connect a microphone and stops listening', async ({ page }) => {
  await page.goto('/');
  const inputs = await page.evaluate(
    async () => (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput').length,
  );
  expect(inputs, 'this test needs a machine without a microphone (CI has none)').toBe(0);
  const dictate = await dictateWithSpeechModel(page);
  await expect(page.getByTestId('dictation-error')).toContainText('No microphone was found');
  await expect(dictate).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('mic-level')).toHaveCount(0);
});
