import { expect, test, type Page } from './test';
import { cspForHeader, cspForMeta } from '../src/lib/security/csp';
import { waitForServiceWorker } from './helpers';

interface Violation {
  directive: string;
  blockedURI: string;
}

/** Collects the page's `securitypolicyviolation` events into window.__violations. */
async function watchViolations(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { directive: string; blockedURI: string }[] = [];
    (window as unknown as { __violations: typeof seen }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI }),
    );
  });
}

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations);
const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

test('the preview server sends the policy as a header, and the built page carries it as a meta tag', async ({
  page,
}) => {
  const response = await page.goto('/');
  const header = response!.headers()['content-security-policy'];
  expect(header).toBe(cspForHeader());
  expect(header).toContain("frame-ancestors 'none'");
  expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(header).toContain("object-src 'none'");
  // The meta tag comes before any script (a policy governs only what follows it), and without
  // frame-ancestors, which a meta policy cannot carry.
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveAttribute('content', cspForMeta());
  expect(cspForMeta()).not.toContain('frame-ancestors');
  expect(
    await page.evaluate(() => {
      const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')!;
      return [...document.querySelectorAll('script')].every(
        (script) => policy.compareDocumentPosition(script) & Node.DOCUMENT_POSITION_FOLLOWING,
      );
    }),
  ).toBe(true);
});

test('injected inline scripts, handlers, eval, foreign scripts, frames and plain-http fetches are blocked', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByLabel('Message')).toBeVisible();
  await watchViolations(page);

  const outcome = await page.evaluate(async () => {
    const results: Record<string, string> = {};
    // An inline <script>, as an HTML injection would add it.
    const inline = document.createElement('script');
    inline.textContent = 'window.__pwned = "inline script"';
    document.body.append(inline);
    // An inline event handler.
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.__pwned = "handler"');
    document.body.append(button);
    button.click();
    // A string timer (eval by another name). It runs later, in the page's own task: code that
    // DevTools evaluates (as page.evaluate does) is exempt from the eval check, a timer is not.
    setTimeout('window.__pwned = "string timer"' as unknown as () => void, 0);
    setTimeout(() => {
      try {
        new Function('window.__pwned = "new Function"')();
        results.eval = 'ran';
      } catch (error) {
        results.eval = (error as Error).name;
      }
    }, 0);
    // A script from another origin.
    const foreign = document.createElement('script');
    foreign.src = 'https://cdn.example.com/tracker.js';
    document.body.append(foreign);
    // A frame (of anything, even the app itself), and a plain-http request to a host that is
    // not this computer.
    const frame = document.createElement('iframe');
    frame.src = '/#/models';
    document.body.append(frame);
    try {
      await fetch('http://example.com/collect');
      results.fetch = 'sent';
    } catch (error) {
      results.fetch = (error as Error).name;
    }
    // Timers of the same delay run in the order they were set: this one runs after both above.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return results;
  });

  expect(await pwned(page)).toBeUndefined();
  expect(outcome).toEqual({ eval: 'EvalError', fetch: 'TypeError' });
  // The header and the meta tag each report (the page runs under both), so compare as sets.
  await expect
    .poll(async () => [...new Set((await violations(page)).map((v) => v.directive))].sort())
    .toEqual(['connect-src', 'frame-src', 'script-src', 'script-src-attr', 'script-src-elem']);
  const blocked = (await violations(page)).map((v) => v.blockedURI);
  expect(blocked).toContain('https://cdn.example.com/tracker.js');
  expect(blocked).toContain('http://example.com/collect');
  expect(blocked).toContain('eval');
  expect(blocked).toContain('inline');
});

test('the policy holds when the app starts offline from its service worker', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('network-status')).toHaveText('Offline');
  await watchViolations(page);
  await page.evaluate(() => {
    const inline = document.createElement('script');
    inline.textContent = 'window.__pwned = "offline inline script"';
    document.body.append(inline);
  });
  await expect
    .poll(async () => new Set((await violations(page)).map((v) => v.directive)))
    .toEqual(new Set(['script-src-elem']));
  expect(await pwned(page)).toBeUndefined();
});

test('another site cannot frame Nook (frame-ancestors), so it cannot be clickjacked', async ({ page, baseURL }) => {
  // A page of another origin (the model server's) that tries to embed the app.
  const frameErrors: string[] = [];
  page.on('console', (message) => {
    if (/frame-ancestors/.test(message.text())) frameErrors.push(message.text());
  });
  await page.goto(`http://127.0.0.1:${process.env.NOOK_MODEL_PORT ?? 4180}/__requests`);
  await page.evaluate((url) => {
    const frame = document.createElement('iframe');
    frame.src = url;
    document.body.append(frame);
  }, baseURL!);
  await expect.poll(() => frameErrors.length).toBeGreaterThan(0);
  const appFrame = page.frames().find((frame) => frame !== page.mainFrame());
  // Blocked: the frame holds Chromium's error page, not the app.
  await expect(page.frameLocator('iframe').getByLabel('Message')).toHaveCount(0);
  expect(appFrame).toBeDefined();
});
