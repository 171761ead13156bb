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
import { test as base } from '@playwright/test';
import { PrivacyRecorder } from './privacy';

export { expect } from '@playwright/test';
export type { APIRequestContext, BrowserContext, Locator, Page } from '@playwright/test';

const MODEL_HOST = `http://127.0.0.1:${process.env.NOOK_MODEL_PORT ?? 4180}`;

export interface SharedFixtures {
  /** Origins this test may contact besides the app and the model server. */
  allowedOrigins: string[];
  privacy: PrivacyRecorder;
}

export const test = base.extend<SharedFixtures>({
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
