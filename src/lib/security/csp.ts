/**
 * Nook's Content Security Policy, one source for the `<meta>` tag of the built index.html and the
 * header `vite preview` sends (see vite.config.ts and docs/hosting.md). Data and string building
 * only: no DOM, no Vite. Each directive says why it is as wide as it is.
 */

/**
 * Plain-http origins a model may come from: loopback only (a model server or mirror on this
 * computer). Any other http origin would be mixed content on an https deployment, which the
 * browser refuses anyway, so the policy and the URL checks (see `isAllowedModelUrl`) refuse it too.
 */
export const LOOPBACK_SOURCES = ['http://127.0.0.1:*', 'http://localhost:*'] as const;

export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  // Anything not named below: only the app's own files.
  'default-src': ["'self'"],
  // No inline or third-party scripts. 'wasm-unsafe-eval' lets llama.cpp (wllama) and web-llm
  // compile WebAssembly; it allows no JavaScript eval.
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // wllama starts its llama.cpp worker (and that worker its pthread workers) from blob: URLs of
  // code it ships in its own bundle; the engine and pdf.js workers are our own files.
  'worker-src': ["'self'", 'blob:'],
  // Svelte and the build emit stylesheets as files; no inline style is needed (DOMPurify also
  // strips style attributes from rendered markdown).
  'style-src': ["'self'"],
  // Icons only. Markdown images become links, so no remote pixel is ever loaded.
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  // Model downloads: the default hosts (https://huggingface.co and the hosts it redirects to,
  // raw.githubusercontent.com for web-llm's model libraries) are https, and so are the custom
  // model URLs and mirrors a user may add; a model server on this computer may be plain http.
  // Narrower is not possible: the policy is fixed when the page loads, the user's URL is not.
  'connect-src': ["'self'", 'https:', ...LOOPBACK_SOURCES],
  'manifest-src': ["'self'"],
  'media-src': ["'none'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'base-uri': ["'none'"],
  // The Web Share Target POSTs to /share-target on our own origin (answered by the service worker).
  'form-action': ["'self'"],
};

/** Only valid in a header: a `<meta>` policy cannot say who may frame the page. */
export const HEADER_ONLY_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'frame-ancestors': ["'none'"],
};

function serialize(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy for `<meta http-equiv="Content-Security-Policy">`. */
export const cspForMeta = (): string => serialize(CSP_DIRECTIVES);

/** The policy for the `Content-Security-Policy` response header (adds what a meta tag cannot carry). */
export const cspForHeader = (): string => serialize({ ...CSP_DIRECTIVES, ...HEADER_ONLY_DIRECTIVES });

/**
 * True for a URL the policy lets the page fetch a model from: https anywhere, plain http only on
 * loopback. Checked where users type addresses, so they get a clear reason instead of a blocked
 * request.
 */
export function isAllowedModelUrl(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
}

/** What to tell a user whose address the policy would block. */
export const plainHttpRefusal = (url: URL): string =>
  `Plain http is allowed only for this computer (localhost or 127.0.0.1); ${url.host} must be reached over https.`;
