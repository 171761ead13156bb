import { expectedReply } from '../test-support/make-tiny-model.mjs';
import { addTinyModel, appSettled, loadModel, TINY_MODEL_NAME, waitForServiceWorker } from './helpers';
import { expect, test } from './test';

test('where the compat build is needed, the service worker keeps it for offline use, and only there', async ({
  page,
  context,
}) => {
  const compatCache = () =>
    page.evaluate(async () => {
      const cache = await caches.open('nook-wllama-compat');
      return (await cache.keys()).map((request) => new URL(request.url).pathname);
    });
  // A browser with JSPI: nothing of the compat build is fetched or stored.
  await page.goto('/');
  await waitForServiceWorker(page);
  // The engine decides at start-up, before start-up has settled, whether it needs the compat build.
  await appSettled(page);
  expect(await compatCache()).toEqual([]);

  // The same app without JSPI in the page, as on Safari: the compat wasm is cached on start-up…
  const safari = await context.newPage();
  await safari.addInitScript(() => Reflect.deleteProperty(WebAssembly, 'Suspending'));
  await safari.goto('/');
  await expect.poll(compatCache).toEqual([expect.stringMatching(/^\/assets\/wllama-compat-[^/]+\.wasm$/)]);

  // …and served from there with the network off.
  const [path] = await compatCache();
  await context.setOffline(true);
  const size = await safari.evaluate(async (url) => (await (await fetch(url)).arrayBuffer()).byteLength, path!);
  expect(size).toBeGreaterThan(10_000_000);
});

// Chromium has JSPI and Memory64 and cannot switch them off, so the engine worker's script is
// served with JSPI removed, as on Safari. Requests answered by a service worker bypass page.route,
// hence no service worker for this one.
test.describe(() => {
  test.use({ serviceWorkers: 'block' });

  test("without JSPI (as on Safari) the CPU engine runs wllama's compat build, fetched from Nook's own origin", async ({
    page,
    baseURL,
  }) => {
    await page.route(/\/gguf\.worker-[^/]+\.js$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `delete WebAssembly.Suspending;\n${await response.text()}` });
    });
    const wasmRequests: string[] = [];
    page.on('request', (request) => {
      if (/\.wasm($|\?)/.test(request.url())) wasmRequests.push(request.url());
    });

    await addTinyModel(page);
    await page.goto('/#/chat');
    await loadModel(page);
    await expect(page.getByTestId('engine-status')).toContainText(`${TINY_MODEL_NAME} · wllama · CPU`);
    await expect(page.getByTestId('engine-status')).toContainText('compatibility build');

    const composer = page.getByLabel('Message');
    await composer.fill('Hello');
    await composer.press('Enter');
    const stats = page.getByTestId('message-assistant').first().getByTestId('reply-stats');
    await expect(stats).toBeVisible({ timeout: 30_000 });
    const tokens = Number(/(\d+) tokens?\b/.exec((await stats.textContent()) ?? '')?.[1]);
    expect(tokens).toBeGreaterThan(10);
    await expect(page.getByTestId('message-assistant').first().getByTestId('message-text')).toHaveText(
      expectedReply(tokens),
    );

    // The compat wasm came from the app itself (no CDN), and the default build was not needed.
    expect(wasmRequests.length).toBeGreaterThan(0);
    for (const url of wasmRequests) expect(url).toMatch(new RegExp(`^${baseURL}/assets/wllama-compat-[^/]+\\.wasm$`));
  });
});
