/**
 * The typed protocol between the page (IndexerClient) and the documents worker. Each call kind
 * has its own arguments and its own result type; the worker switches over `kind` exhaustively.
 * Types only, so both realms can `import type` it.
 */
import type { DocumentRecord } from './library-db';
import type { FoundPassage, IndexingProgress, NewDocument, OpenedDocument, VectorWork } from './library';

export interface IndexerCalls {
  list: { args: Record<never, never>; result: DocumentRecord[] };
  /** Text the page already extracted (HTML, PDF, pasted). */
  'add-text': { args: { document: NewDocument }; result: DocumentRecord };
  /** A text or Markdown file, decoded in the worker so a big one never blocks the page. */
  'add-file': { args: { file: File; format: 'text' | 'markdown' }; result: DocumentRecord };
  delete: { args: { documentId: string }; result: null };
  search: {
    args: { text: string; limit: number; documentIds?: string[]; vector?: number[]; model?: string };
    result: FoundPassage[];
  };
  open: { args: { documentId: string }; result: OpenedDocument };
  'vector-work': { args: { model: string }; result: VectorWork | null };
  'store-vectors': { args: { documentId: string; model: string; vectors: number[][] }; result: null };
  'vector-coverage': { args: { model: string }; result: string[] };
}

export type IndexerCallKind = keyof IndexerCalls;

/** Page → worker. */
export type IndexerRequest = {
  [K in IndexerCallKind]: { kind: K; id: number } & IndexerCalls[K]['args'];
}[IndexerCallKind];

export interface IndexerFailure {
  /** A reading or library error's code ('binary-file', 'duplicate'…), or 'failed'. */
  code: string;
  message: string;
}

/** Worker → page. */
export type IndexerEvent =
  | { kind: 'progress'; id: number; progress: IndexingProgress }
  | {
      [K in IndexerCallKind]: { kind: 'result'; id: number; call: K; result: IndexerCalls[K]['result'] };
    }[IndexerCallKind]
  | { kind: 'failed'; id: number; error: IndexerFailure };
