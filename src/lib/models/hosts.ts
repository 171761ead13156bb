/**
 * Where models come from: the default hosts and a user's mirror of them. Apart from the catalog
 * (catalog.ts), so that reading the mirror setting at start-up does not load the catalog.
 */
export const DEFAULT_MODEL_HOST = 'https://huggingface.co';
export const DEFAULT_MLC_LIB_HOST = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models';

/** A mirror's base URL without a trailing slash, or undefined for the default hosts. */
export function normaliseMirror(mirror: string | undefined): string | undefined {
  const text = mirror?.trim();
  if (!text) return undefined;
  const url = new URL(text); // throws on garbage; the settings UI validates first
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('A mirror must be an http(s) URL.');
  return url.href.replace(/\/+$/, '');
}
