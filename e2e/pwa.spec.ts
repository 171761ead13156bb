import { expect, test } from './test';
import { startStaticServer } from '../test-support/static-server.mjs';
import { waitForServiceWorker } from './helpers';

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

test('the web app manifest is linked, complete, and its icons exist at their stated sizes', async ({
  page,
  request,
}) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const response = await request.get(href!);
  expect(response.ok()).toBe(true);
  const manifest = (await response.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
  expect(manifest).toMatchObject({
    name: expect.stringContaining('Nook'),
    short_name: 'Nook',
    description: expect.any(String),
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
    background_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
  });

  const find = (predicate: (icon: ManifestIcon) => boolean) => manifest.icons.find(predicate);
  const expected = [
    find((i) => i.sizes === '192x192' && i.type === 'image/png' && i.purpose !== 'maskable'),
    find((i) => i.sizes === '512x512' && i.type === 'image/png' && i.purpose !== 'maskable'),
    find((i) => i.purpose === 'maskable' && i.type === 'image/png'),
    find((i) => i.type === 'image/svg+xml'),
  ];
  for (const icon of expected) {
    expect(icon).toBeDefined();
    const file = await request.get(new URL(icon!.src, response.url()).href);
    expect(file.ok()).toBe(true);
    if (icon!.type === 'image/png') {
      // PNG: width and height are big-endian u32 at bytes 16 and 20 of the IHDR chunk.
      const bytes = await file.body();
      const [w, h] = icon!.sizes.split('x').map(Number);
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([w, h]);
    } else {
      expect(await file.text()).toContain('<svg');
    }
  }
});

test('the service worker takes control and the app starts with the network off', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('link', { name: 'Nook home' })).toBeVisible();
  await expect(page.getByLabel('Message')).toBeVisible();
  await expect(page.getByTestId('network-status')).toHaveText('Offline');
  // The engine's code and wasm came from the precache too.
  const engineAssets = await page.evaluate(async () => {
    const keys = (
      await Promise.all((await caches.keys()).map(async (name) => (await caches.open(name)).keys()))
    ).flat();
    return keys.map((request) => new URL(request.url).pathname).filter((path) => /gguf\.worker|\.wasm/.test(path));
  });
  expect(engineAssets.some((path) => path.endsWith('.wasm'))).toBe(true);
  expect(engineAssets.some((path) => path.includes('gguf.worker'))).toBe(true);
  // Still cross-origin isolated from the cache, so the multi-threaded engine stays available.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('the network indicator follows the connection', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByTestId('network-status')).toHaveText('Online');
  await context.setOffline(true);
  await expect(page.getByTestId('network-status')).toHaveText('Offline');
  await context.setOffline(false);
  await expect(page.getByTestId('network-status')).toHaveText('Online');
});

test('an Install button appears when the browser offers installation and goes once installed', async ({ page }) => {
  await page.goto('/');
  const install = page.getByRole('button', { name: 'Install' });
  await expect(install).toHaveCount(0);
  // Headless Chromium never offers installation by itself; dispatch the browser's event as it would.
  await page.evaluate(() => {
    const event = new Event('beforeinstallprompt', { cancelable: true }) as Event & Record<string, unknown>;
    event.prompt = async () => {
      (window as unknown as { prompted: boolean }).prompted = true;
    };
    event.userChoice = Promise.resolve({ outcome: 'dismissed' });
    window.dispatchEvent(event);
  });
  await expect(install).toBeVisible();
  await install.click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true);
  // Dismissed: the offer stays. Installed: the button goes.
  await expect(install).toBeVisible();
  await page.evaluate(() => window.dispatchEvent(new Event('appinstalled')));
  await expect(install).toHaveCount(0);
});

test('a new deployment shows "Update available" and Reload switches to it', async ({ browser, privacy }) => {
  let version = 1;
  // Each deployment changes the service worker's bytes, as a new precache manifest does.
  const server = await startStaticServer({
    root: 'dist',
    transform: (path, body) =>
      path === '/sw.js' ? Buffer.concat([body, Buffer.from(`\n// deployment ${version}\n`)]) : body,
  });
  privacy.allow(server.url);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await waitForServiceWorker(page);
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    await expect(page.getByText('Update available')).toHaveCount(0);

    version = 2;
    await page.getByLabel('Message').fill('a draft I am writing');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByText('Update available')).toBeVisible();
    // Nothing changes until the user agrees.
    await expect(page.getByLabel('Message')).toHaveValue('a draft I am writing');

    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload' }).click()]);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    await expect(page.getByText('Update available')).toHaveCount(0);
    const deployed = await page.evaluate(async () => (await fetch('/sw.js')).text());
    expect(deployed).toContain('deployment 2');
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
    expect(firstWorker).toBeTruthy();
  } finally {
    await context.close();
    await server.close();
  }
});
