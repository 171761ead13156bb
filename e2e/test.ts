/**
 * The `test` and `expect` every spec imports. Fixtures shared by the whole suite are added here,
 * so that each one applies to every test.
 *
 * Privacy, for every test: Chromium sends every request through the recording proxy
 * (e2e/fixtures/privacy-proxy.mjs, see playwright.config.ts), and after the test — once its
 * browser context has closed — the `privacy` fixture fails it if anything was requested from an
 * origin other than the app's and the model host's, or one the test declared (`allowedOrigins`
 * option, or `privacy.allow(url)` for a server started on a random port).
 *
 * Why a proxy and not Playwright's `request` events: those are reported per context through
 * DevTools, for the page, its workers and (in Chromium) its service worker, so they depend on
 * Playwright attaching to every realm — including the workers wllama starts from blob: URLs inside
 * our engine worker — and they only observe. The proxy sits below every realm and every context
 * (a test's own `browser.newContext()` too), so nothing can go around it; it refuses whatever is
 * not loopback, so a leak fails the test without leaving the machine; and it can play "network
 * off" while still recording each attempt, which `context.setOffline` cannot (it fails requests
 * inside the browser). The cost: it cannot tell which realm asked, and it also sees Chromium's own
 * background services, which e2e/privacy.ts names and leaves out.
 */
import { test as base, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { PrivacyRecorder } from './privacy';

export { expect } from '@playwright/test';
export type { APIRequestContext, BrowserContext, Locator, Page } from '@playwright/test';

const MODEL_HOST = `http://127.0.0.1:${process.env.NOOK_MODEL_PORT ?? 4180}`;

export interface SharedFixtures {
  /** Origins this test may contact besides the app and the model server. */
  allowedOrigins: string[];
  privacy: PrivacyRecorder;
}

/**
 * `context.setOffline(true)` that holds across a new document. Debian's Chromium 150 starts a
 * document loaded while offline (a reload the service worker answers) with the network emulation
 * gone: `navigator.onLine` is true and its requests would go out. A page whose main frame
 * navigates while offline gets a DevTools session of its own that says offline again; going
 * online clears that session's override before Playwright's, so the page's `online` event comes
 * when both are gone. Pages that never navigate offline are left to Playwright alone.
 */
function keepOfflineAcrossDocuments(context: BrowserContext): void {
  let offline = false;
  const sessions = new Map<Page, Promise<CDPSession>>();
  const conditions = (off: boolean) => ({ offline: off, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const apply = async (page: Page, off: boolean) => {
    if (page.isClosed()) return;
    let session = sessions.get(page);
    if (!session) sessions.set(page, (session = context.newCDPSession(page)));
    await (await session).send('Network.emulateNetworkConditions', conditions(off)).catch(() => undefined);
  };
  const watch = (page: Page) =>
    page.on('framenavigated', (frame) => {
      if (offline && frame === page.mainFrame()) void apply(page, true);
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  const setOffline = context.setOffline.bind(context);
  context.setOffline = async (off: boolean) => {
    offline = off;
    if (!off) await Promise.all([...sessions.keys()].map((page) => apply(page, false)));
    await setOffline(off);
  };
}

export const test = base.extend<SharedFixtures>({
  context: async ({ context }, use) => {
    keepOfflineAcrossDocuments(context);
    await use(context);
  },
  allowedOrigins: [[], { option: true }],
  privacy: [
    async ({ allowedOrigins, baseURL }, use) => {
      const recorder = await PrivacyRecorder.start([baseURL ?? '', MODEL_HOST, ...allowedOrigins]);
      try {
        await use(recorder);
      } finally {
        await recorder.setNetworkOff(false);
      }
      const violations = await recorder.violations();
      if (violations.length > 0) {
        const list = violations.map((r) => `  ${r.method} ${r.url} (${r.outcome})`).join('\n');
        throw new Error(
          `Privacy: requests to origins that are neither the app nor a model host:\n${list}\n` +
            `Allowed: ${recorder.allowed.join(', ')}. A server the test starts itself must be declared ` +
            `(test.use({ allowedOrigins }) or privacy.allow(url)).`,
        );
      }
    },
    { auto: true },
  ],
});
