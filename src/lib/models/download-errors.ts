/** What the download view says about a failed download: one sentence the user can act on. */
import { CHUNK_LOAD_MESSAGE, isChunkLoadError } from '../shared/chunk-error';
import { DownloadError } from './download-error';

/** `undefined` for a cancel, which is no failure. `roomLeft` is what the browser still allows. */
export function describeDownloadError(error: unknown, roomLeft: number | undefined): string | undefined {
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return describeDownloadError(new DownloadError('quota-exceeded', error.message), roomLeft);
  }
  if (isChunkLoadError(error)) return CHUNK_LOAD_MESSAGE;
  if (!(error instanceof DownloadError)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case 'aborted':
      return undefined;
    case 'quota-exceeded':
      return `Not enough storage space for this model${roomLeft === undefined ? '' : ` (the browser allows ${(roomLeft / 1_000_000).toFixed(1)} MB more)`}. The partial download was removed; your other models and chats are untouched. Delete a model to make room, then try again.`;
    default:
      return error.resumable
        ? `${error.message} What arrived is kept: press Resume to go on from there.`
        : error.message;
  }
}
