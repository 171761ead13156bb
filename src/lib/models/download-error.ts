/** How a model download fails: a code for the app to act on, and a sentence for the user. */
export type DownloadErrorCode =
  | 'invalid-url'
  | 'already-stored'
  | 'unreachable'
  | 'http-status'
  | 'not-gguf'
  | 'truncated'
  | 'hash-mismatch'
  | 'aborted'
  | 'quota-exceeded'
  | 'storage-failed'
  /** The engine could not run a file or model of the announced size (refused before storing). */
  | 'too-large';

export class DownloadError extends Error {
  override name = 'DownloadError';
  readonly code: DownloadErrorCode;
  /** True when the bytes stored so far were kept and a later attempt can go on from them. */
  readonly resumable: boolean;
  constructor(code: DownloadErrorCode, message: string, resumable = false) {
    super(message);
    this.code = code;
    this.resumable = resumable;
  }
}
