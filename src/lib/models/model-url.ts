/** What the user typed as a model address, checked before a byte is fetched. */
import { isAllowedModelUrl, plainHttpRefusal } from '../security/csp';
import { DownloadError } from './download-error';

/** Parses what the user typed as a model address; only http(s) URLs are accepted. */
export function parseModelUrl(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DownloadError(
      'invalid-url',
      `“${text || '(empty)'}” is not a web address. Paste a full URL such as https://example.org/model.gguf.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DownloadError('invalid-url', `Only http and https addresses can be downloaded, not ${url.protocol}.`);
  }
  if (!isAllowedModelUrl(url)) throw new DownloadError('invalid-url', plainHttpRefusal(url));
  return url;
}
