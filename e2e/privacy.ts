/**
 * Reading the privacy proxy's log (e2e/fixtures/privacy-proxy.mjs) and judging it: which requests
 * went to an origin the test did not allow. Used by the shared fixture in e2e/test.ts.
 */

export interface LoggedRequest {
  seq: number;
  time: number;
  method: string;
  url: string;
  /** forwarded to a loopback server; refused (not loopback, or a CONNECT tunnel); offline; failed */
  outcome: 'forwarded' | 'refused' | 'offline' | 'failed';
}

export const PROXY_URL = `http://127.0.0.1:${process.env.NOOK_PROXY_PORT ?? 4181}`;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * Chromium's own background services (component updater, Google account, autofill), which Debian's
 * build calls despite Playwright's --disable-component-update and friends, and which no flag
 * silences without replacing Playwright's own --disable-features list. They come from the browser
 * process, not from a page: the proxy refuses them like any other non-loopback host (nothing
 * leaves the machine), and the check leaves out exactly these hosts, so that a request the app
 * makes to any other host still fails the test.
 */
export const BROWSER_SERVICE_HOSTS: ReadonlySet<string> = new Set([
  'update.googleapis.com',
  'accounts.google.com',
  'content-autofill.googleapis.com',
  'optimizationguide-pa.googleapis.com',
  'safebrowsing.googleapis.com',
  'clientservices.googleapis.com',
  // Google Cloud Messaging's device check-in, which Debian's Chromium 150 makes at start-up.
  'android.clients.google.com',
]);

/** The component updater downloads from Google's `gvt1.com` download servers (redirector, edgedl, r1---…). */
const BROWSER_SERVICE_DOMAIN = '.gvt1.com';

function isBrowserService(entry: LoggedRequest): boolean {
  try {
    const host = new URL(entry.url).hostname;
    return BROWSER_SERVICE_HOSTS.has(host) || host.endsWith(BROWSER_SERVICE_DOMAIN);
  } catch {
    return false;
  }
}

/** The requests a page, worker or service worker made: all but the browser's own services. */
export const withoutBrowserServices = (entries: readonly LoggedRequest[]): LoggedRequest[] =>
  entries.filter((entry) => !isBrowserService(entry));

/** The requests whose origin is not in `allowed` (origins or URLs; only their origin counts). */
export function privacyViolations(entries: readonly LoggedRequest[], allowed: Iterable<string>): LoggedRequest[] {
  const origins = new Set([...allowed].map(originOf));
  return withoutBrowserServices(entries).filter((entry) => !origins.has(originOf(entry.url)));
}

/** The proxy's log from entry `since` on, and the number to ask from next time. */
export async function readProxyLog(since: number): Promise<{ next: number; entries: LoggedRequest[] }> {
  const response = await fetch(`${PROXY_URL}/__log?since=${since}`);
  if (!response.ok) throw new Error(`The privacy proxy answered ${response.status}`);
  return (await response.json()) as { next: number; entries: LoggedRequest[] };
}

/** Network off at the proxy: every request is still recorded, then fails as if unplugged. */
export async function setProxyOffline(offline: boolean): Promise<void> {
  const response = await fetch(`${PROXY_URL}/__offline?on=${offline ? 1 : 0}`);
  if (!response.ok) throw new Error(`The privacy proxy answered ${response.status}`);
}

/** One test's view of the proxy log: what was requested since the test began. */
export class PrivacyRecorder {
  readonly #allowed: Set<string>;
  #start: number;

  private constructor(start: number, allowed: Iterable<string>) {
    this.#start = start;
    this.#allowed = new Set([...allowed].map(originOf));
  }

  static async start(allowed: Iterable<string>): Promise<PrivacyRecorder> {
    const { next } = await readProxyLog(Number.MAX_SAFE_INTEGER);
    return new PrivacyRecorder(next, allowed);
  }

  /** Declares one more origin the test itself talks to (a server it started on a random port). */
  allow(originOrUrl: string): void {
    this.#allowed.add(originOf(originOrUrl));
  }

  get allowed(): string[] {
    return [...this.#allowed];
  }

  /** A position in the log, to read the requests made after it with {@link requestsSince}. */
  async mark(): Promise<number> {
    return (await readProxyLog(Number.MAX_SAFE_INTEGER)).next;
  }

  /** Every request since `mark` (by default since the test began). */
  async requestsSince(mark = this.#start): Promise<LoggedRequest[]> {
    return (await readProxyLog(mark)).entries;
  }

  /**
   * Turns the network off (or on) at the proxy: unlike `context.setOffline`, which fails requests
   * inside the browser before anything could record them, every attempt still reaches the proxy and
   * is logged, then fails as if unplugged. The fixture turns the network back on after each test.
   */
  async setNetworkOff(off: boolean): Promise<void> {
    await setProxyOffline(off);
  }

  /** The requests of this test so far that went anywhere not allowed. */
  async violations(): Promise<LoggedRequest[]> {
    return privacyViolations(await this.requestsSince(), this.#allowed);
  }
}
