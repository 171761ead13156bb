/**
 * The address of a user's model server, as typed: checked against what the browser and Nook's
 * Content Security Policy allow (https anywhere, plain http only on this computer), and turned
 * into the base of its OpenAI-compatible API (`…/v1`).
 */
import { isAllowedModelUrl } from '../security/csp';

export type ServerAddress =
  | {
      ok: true;
      /** Base of the OpenAI API, ending in `/v1` (`/v1/models`, `/v1/chat/completions` under it). */
      apiBase: string;
      /** The server's root: llama-server's `/props` and Ollama's `/api/show` live there. */
      root: string;
      /** `host:port`, what the UI calls the server. */
      host: string;
    }
  | { ok: false; reason: string };

const LOOPBACK = /^(localhost|127\.0\.0\.1)(:|\/|$)/i;

export function checkServerAddress(input: string): ServerAddress {
  const typed = input.trim();
  if (!typed) return { ok: false, reason: 'Type the address of your model server, e.g. http://localhost:8080.' };
  // "localhost:8080" alone: plain http on this computer, https anywhere else.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed)
    ? typed
    : `${LOOPBACK.test(typed) ? 'http' : 'https'}://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: `“${typed}” is not a web address.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `A model server is reached over http or https, not ${url.protocol.replace(':', '')}.` };
  }
  if (url.username || url.password) {
    return { ok: false, reason: 'Put the key in “API key (optional)”, not in the address.' };
  }
  if (!isAllowedModelUrl(url)) {
    return {
      ok: false,
      reason:
        `The browser will not let an https page talk to ${url.host} over plain http (mixed content), and Nook ` +
        'allows plain http only for this computer (localhost or 127.0.0.1). Serve the model server over ' +
        'https, e.g. behind a reverse proxy with a certificate, and type its https address.',
    };
  }
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  const rootPath = path.replace(/\/v1$/, '');
  const root = `${url.origin}${rootPath}`;
  return { ok: true, apiBase: `${root}/v1`, root, host: url.host };
}
