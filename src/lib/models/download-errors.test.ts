import { describe, expect, it } from 'vitest';
import { CHUNK_LOAD_MESSAGE } from '../shared/chunk-error';
import { DownloadError } from './download-error';
import { describeDownloadError } from './download-errors';

describe('what a failed download says', () => {
  it('says what to do when Nook itself could not load its download code (offline before it was saved)', () => {
    for (const message of [
      'Failed to fetch dynamically imported module: http://127.0.0.1:4173/assets/add-model-Csaedt6c.js',
      'error loading dynamically imported module: http://127.0.0.1/assets/x.js',
      'Importing a module script failed.',
    ]) {
      expect(describeDownloadError(new TypeError(message), undefined)).toBe(CHUNK_LOAD_MESSAGE);
    }
    expect(describeDownloadError(new TypeError('Failed to fetch'), undefined)).toBe('Failed to fetch');
  });

  it('keeps what arrived of a resumable failure, and is silent on a cancel', () => {
    expect(describeDownloadError(new DownloadError('unreachable', 'It broke.', true), undefined)).toBe(
      'It broke. What arrived is kept: press Resume to go on from there.',
    );
    expect(describeDownloadError(new DownloadError('aborted', 'cancelled'), undefined)).toBeUndefined();
  });
});
