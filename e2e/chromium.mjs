// Finds the Chromium the tests drive: $CHROMIUM_PATH, then `chromium` on PATH (Debian's package),
// then undefined, which lets Playwright use its own download (`npx playwright install chromium`).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** @returns {string | undefined} */
export function chromiumExecutable() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not on PATH; try the next name
    }
  }
  return undefined;
}

/**
 * Why no Chromium can be started, or undefined when one can: the e2e suite and the bench say so
 * up front instead of Playwright's advice to download a browser, which this project never does.
 * @returns {string | undefined}
 */
export function chromiumMissing() {
  const path = chromiumExecutable();
  if (path) return existsSync(path) ? undefined : `CHROMIUM_PATH=${path} does not exist`;
  let own;
  try {
    own = chromium.executablePath();
  } catch {
    // no download of Playwright's own for this platform either
  }
  if (own && existsSync(own)) return undefined;
  return (
    "no Chromium found: the e2e tests and the bench drive Debian's (`apt-get install chromium`, " +
    'which .ci/run does), or the one CHROMIUM_PATH names'
  );
}

/** Flags that keep Chromium quiet on a machine with no network but loopback. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Routes every request of the browser — loopback too, which Chromium otherwise never proxies —
 * through the e2e privacy proxy (e2e/fixtures/privacy-proxy.mjs). Only the e2e suite uses it.
 * @param {number} port
 */
export function privacyProxyArgs(port) {
  return [`--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>'];
}
