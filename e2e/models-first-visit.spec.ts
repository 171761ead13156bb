/**
 * A first visit to the Models view (no model on this device): the model recommended here comes
 * first, with its size, why it, and one button; then the catalog; then adding a model by URL.
 * On a phone and on a desktop, and offline once the app is installed (the catalog is precached).
 */
import { expect, test, type APIRequestContext, type Page } from './test';
import { MODEL_HOST, waitForServiceWorker } from './helpers';

const viewports = [
  { device: 'a phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  { device: 'a desktop', use: { viewport: { width: 1280, height: 800 } } },
];

/** The Models view's section headings, in document order. */
const sectionHeadings = (page: Page) => page.locator('.models h2').allTextContents();

async function expectRecommendedFirst(page: Page): Promise<string> {
  const card = page.getByTestId('recommended-model');
  const name = page.getByTestId('recommended-name');
  await expect(name).not.toBeEmpty();
  // Its size, and why this model: the reason and what it needs here.
  await expect(card.getByTestId('recommended-size')).toHaveText(
    /^≈ [\d.]+ [MG]B download · needs ≈ [\d.]+ [MG]B (GPU )?memory · (wllama on CPU|wllama on WebGPU|web-llm on WebGPU)$/,
  );
  // Which of the two reasons depends on the cores at hand; either is followed by what it needs here.
  await expect(card.getByTestId('recommended-why')).toHaveText(
    /^(The largest model that downloads quickly and is expected to run well on this device|No model is expected to run fast on this device; this is the fastest of those that download quickly)\. .*memory.*\.$/,
  );
  // One button, and it names the model and its size.
  const modelName = (await name.textContent())!;
  await expect(card.getByRole('button')).toHaveCount(1);
  await expect(card.getByRole('button')).toBeEnabled();
  await expect(card.getByRole('button')).toHaveAccessibleName(
    new RegExp(`^Download the recommended model, ${modelName.replaceAll('.', '\\.')}, [\\d.]+ [MG]B$`),
  );
  // The whole card, button included, is on the first screen, without scrolling.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(card).toBeInViewport({ ratio: 1 });

  // First the recommendation, then the catalog, then adding by URL (which is no longer on the first screen's top).
  const headings = await sectionHeadings(page);
  expect(headings[0]).toBe('Recommended for this device');
  expect(headings.indexOf('Catalog')).toBe(1);
  expect(headings.indexOf('Add a model by URL')).toBe(2);
  // The catalog marks the same model.
  const recommendedRow = page.getByTestId('catalog-item').filter({ hasText: 'Recommended for this device' });
  await expect(recommendedRow).toHaveCount(1);
  await expect(recommendedRow.locator('strong').first()).toHaveText(modelName);
  return modelName;
}

async function requestedPaths(request: APIRequestContext, prefix: string): Promise<string[]> {
  const log = (await (await request.get(`${MODEL_HOST}/__requests`)).json()) as { method: string; path: string }[];
  return log.filter((entry) => entry.method === 'GET' && entry.path.startsWith(prefix)).map((entry) => entry.path);
}

for (const { device, use } of viewports) {
  test.describe(`on ${device}`, () => {
    test.use(use);

    test('a first visit to Models leads with the recommended model, its size, why and one button; then the catalog; then Add by URL', async ({
      page,
      request,
    }) => {
      await page.goto('/#/models');
      const modelName = await expectRecommendedFirst(page);

      // The one button gets that model: through a mirror here, the test host's stand-in, which has
      // no such file (a 404), so the request itself shows which file the button asked for.
      const mirror = `${MODEL_HOST}/mirror/first-visit-${Date.now()}`;
      await page.getByLabel('Mirror base URL').fill(mirror);
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText(`Using ${mirror}`)).toBeVisible();
      await page.getByRole('button', { name: `Download the recommended model, ${modelName}` }).click();
      await expect(page.getByRole('alert')).toContainText('404');
      const asked = await requestedPaths(request, new URL(mirror).pathname);
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((path) => path.endsWith('.gguf') && path.includes('/resolve/main/'))).toBe(true);
      // The download's error shows above the recommendation, where the button was pressed.
      await expect(page.getByTestId('recommended-model')).toBeVisible();
      await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText('Downloads');
    });
  });
}

test('the catalog and the recommendation are there offline once the app is installed', async ({ page, context }) => {
  await page.goto('/#/models');
  await expect(page.getByTestId('recommended-name')).not.toBeEmpty();
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('network-status')).toHaveText('Offline');
  await expectRecommendedFirst(page);
  expect(await page.getByTestId('catalog-item').count()).toBeGreaterThanOrEqual(16);
});
