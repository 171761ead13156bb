import { expect, test, type Page } from './test';
import { addTinyModel, loadModel, MODEL_HOST, TINY_MODEL_NAME } from './helpers';

/** Runs in the webgpu project only: Chromium with a real (SwiftShader) adapter, no shader-f16. */

async function setMirror(page: Page, mirror: string): Promise<void> {
  await page.getByLabel('Mirror base URL').fill(mirror);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`Using ${mirror}`)).toBeVisible();
}

/** Names of every Cache API cache and the URLs in it. */
const cacheApiUrls = (page: Page) =>
  page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(`${name} ${request.url}`);
    }
    return urls;
  });

/** Collects the URLs of the MLC engine worker's script as the page requests them. */
function watchMlcWorker(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    if (/\/mlc\.worker-[^/]+\.js$/.test(request.url())) seen.push(request.url());
  });
  return seen;
}

test('only f32 MLC builds are offered on an adapter without shader-f16, a GGUF model on the CPU is recommended, and the labels say why', async ({
  page,
}) => {
  const mlcWorker = watchMlcWorker(page);
  await page.goto('/#/models');
  await expect(page.getByTestId('device-info')).toContainText('adapter without shader-f16');
  await expect(page.getByTestId('gpu-limits')).toContainText('(emulated on the CPU)');
  const mlc = page.getByTestId('catalog-item').filter({ hasText: 'web-llm on WebGPU' });
  await expect(mlc.first()).toBeVisible();
  const texts = await mlc.allTextContents();
  expect(texts.length).toBeGreaterThanOrEqual(10);
  for (const text of texts) {
    expect(text).toMatch(/q4f32_1-MLC/);
    expect(text).not.toMatch(/q4f16/);
    expect(text).toMatch(/this GPU lacks shader-f16/);
  }
  // Each entry says what a user weighs before a download: size, memory, context, licence.
  const smol = mlc.filter({ hasText: 'SmolLM2 360M Instruct' });
  await expect(smol.getByTestId('catalog-facts')).toHaveText(
    /0\.36B parameters · ≈ \d+ MB download · needs ≈ 580 MB GPU memory · context 4,096 tokens · Apache 2\.0/,
  );
  // SwiftShader does WebGPU on the CPU: usable, but the app says it will be slow.
  await expect(mlc.first()).toContainText('May be slow');
  await expect(mlc.first().getByTestId('fit-reason')).toHaveText(/emulated on the CPU/);
  // …so the recommended model is a GGUF one on the CPU, and the row says why that engine.
  const recommended = page.getByTestId('catalog-item').filter({ hasText: 'Recommended for this device' });
  await expect(recommended).toHaveCount(1);
  await expect(recommended.getByTestId('catalog-facts')).toContainText('GGUF · wllama on CPU');
  await expect(recommended.getByTestId('engine-choice')).toHaveText(
    /^Engine: wllama on CPU\. The WebGPU adapter is emulated on the CPU, so llama\.cpp runs on the CPU \(\d+ threads?\), which is faster than the emulation\.$/,
  );
  await expect(mlc.first().getByTestId('engine-choice')).toContainText('a GGUF model on the CPU answers far faster');
  // The catalog is ranked by the speed expected here: on an emulated adapter every GGUF model
  // (CPU) comes before every MLC one.
  const engines = await page.getByTestId('catalog-facts').allTextContents();
  const firstMlc = engines.findIndex((facts) => facts.includes('web-llm on WebGPU'));
  expect(engines.slice(firstMlc).some((facts) => facts.includes('wllama on CPU'))).toBe(false);
  // Showing the catalog, and running a GGUF model, never loads web-llm (megabytes of code).
  await addTinyModel(page);
  await loadModel(page);
  expect(mlcWorker).toEqual([]);
});

test('the MLC worker boots and reports a clear error when the model host is unreachable', async ({ page }) => {
  const mlcWorker = watchMlcWorker(page);
  await page.goto('/#/models');
  await setMirror(page, 'http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Download SmolLM2 360M Instruct for WebGPU' }).click();
  await expect.poll(() => mlcWorker.length).toBe(1);
  await expect(page.getByRole('alert')).toHaveText(
    /Could not reach 127\.0\.0\.1:9 to download SmolLM2 360M Instruct\. Check your connection or the model source setting\./,
    { timeout: 30_000 },
  );
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  // web-llm keeps its shards in IndexedDB only: nothing of it in the Cache API.
  expect((await cacheApiUrls(page)).filter((entry) => /webllm|127\.0\.0\.1:9|resolve\/main/.test(entry))).toEqual([]);
});

test('cancelling an MLC load leaves the app usable', async ({ page }) => {
  await page.goto('/#/models');
  // A host that never answers: the load waits until it is cancelled.
  await setMirror(page, `${MODEL_HOST}/stall`);
  await page.getByRole('button', { name: 'Download SmolLM2 360M Instruct for WebGPU' }).click();
  await expect(page.getByRole('progressbar', { name: 'Download progress' })).toBeVisible();
  await expect(page.getByTestId('download')).toContainText('MLC · web-llm');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('model-item')).toHaveCount(0);

  // A fresh MLC worker starts for the next try…
  await setMirror(page, 'http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Download SmolLM2 360M Instruct for WebGPU' }).click();
  await expect(page.getByRole('alert')).toHaveText(/Could not reach 127\.0\.0\.1:9/, { timeout: 30_000 });

  // …and the GGUF engine still downloads, loads and runs.
  await addTinyModel(page);
  await loadModel(page);
  await expect(page.getByTestId('engine-status')).toContainText(`${TINY_MODEL_NAME} · wllama · CPU`);
});

test('a custom MLC model by URL: bad addresses are explained, an unreachable host is named', async ({ page }) => {
  await page.goto('/#/models');
  await page.getByText('Custom MLC model (WebGPU)').click();
  const weights = page.getByLabel('MLC weights address');
  const library = page.getByLabel('MLC library address (.wasm)');
  const submit = page.getByRole('button', { name: 'Download and load' }).first();

  await weights.fill('my model');
  await library.fill('https://example.org/lib.wasm');
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText(/“my model” is not a web address/);

  await weights.fill('https://example.org/Model-MLC');
  await library.fill('ftp://example.org/lib.wasm');
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText(/Only http and https addresses/);

  await weights.fill('http://127.0.0.1:9/org/Custom-q4f32_1-MLC/resolve/main/');
  await library.fill('http://127.0.0.1:9/libs/Custom-q4f32_1-webgpu.wasm');
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText(/Could not reach 127\.0\.0\.1:9 to download Custom-q4f32_1-MLC/, {
    timeout: 30_000,
  });
  await expect(page.getByTestId('model-item')).toHaveCount(0);
});

test('a GPU device lost while an MLC model loads: a clear message, and the GGUF model takes over on the CPU', async ({
  page,
}) => {
  await addTinyModel(page);
  await page.goto('/#/models');
  // A host that never answers keeps web-llm loading (it cannot reach a real model here).
  await setMirror(page, `${MODEL_HOST}/stall`);
  await page.getByRole('button', { name: 'Download SmolLM2 360M Instruct for WebGPU' }).click();
  await expect(page.getByRole('progressbar', { name: 'Download progress' })).toBeVisible();

  // In the MLC engine worker, a device from the real (SwiftShader) adapter, requested the way
  // web-llm requests its own, is lost. web-llm itself never gets that far here: its compiled
  // model library cannot be fetched, and it asks for the device only after it has one.
  const isMlcWorker = (url: string) => url.includes('mlc.worker');
  await expect.poll(() => page.workers().some((w) => isMlcWorker(w.url()))).toBe(true);
  const worker = page.workers().find((w) => isMlcWorker(w.url()))!;
  const lost = await worker.evaluate(async () => {
    const adapter = await navigator.gpu.requestAdapter();
    await adapter!.requestDevice();
    const watch = (self as unknown as { nookGpuWatch: { loseDevicesForTest(): Promise<number> } }).nookGpuWatch;
    return watch.loseDevicesForTest();
  });
  expect(lost).toBe(1);

  const fault = page.getByTestId('engine-fault');
  await expect(fault).toContainText('The GPU stopped working (device lost');
  await expect(fault).toContainText('SmolLM2 360M Instruct was unloaded');
  await expect(fault.getByRole('button', { name: 'Load SmolLM2 360M Instruct again' })).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByTestId('model-item')).toHaveCount(1); // only the GGUF model; nothing half-added

  await fault.getByRole('button', { name: `Use ${TINY_MODEL_NAME} on the CPU` }).click();
  await expect(page.getByTestId('engine-status')).toContainText(`${TINY_MODEL_NAME} · wllama · CPU`, {
    timeout: 30_000,
  });
  await expect(fault).toHaveCount(0);
  await page.goto('/#/chat');
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Are you on the CPU now?');
  await page.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await expect(page.getByTestId('message-assistant').getByTestId('reply-stats')).toContainText(
    `${TINY_MODEL_NAME} on wllama (CPU)`,
    { timeout: 30_000 },
  );
});
