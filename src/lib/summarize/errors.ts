/** Named failures of reading a document or summarizing it, each with a message for the user. */

export type SummarizeErrorCode =
  | 'empty' // nothing to summarize
  | 'unsupported-file' // a type Nook cannot read
  | 'binary-file' // says text, holds binary
  | 'pdf-encrypted'
  | 'pdf-corrupt'
  | 'pdf-no-text' // a scan: pages without a text layer
  | 'shared-link-only' // a share that carried only a URL (Nook fetches nothing)
  | 'context-too-small'; // the model's window cannot hold even the instructions and a sentence

export class SummarizeError extends Error {
  override name = 'SummarizeError';
  readonly code: SummarizeErrorCode;

  constructor(code: SummarizeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
