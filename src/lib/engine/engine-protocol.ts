/**
 * The typed message protocol between the page (WorkerEngine) and an engine worker. Every message
 * kind has its own payload; both sides switch over `kind` exhaustively. Only types live here, so
 * either realm can `import type` it without pulling code across.
 */
import type { EngineErrorRecord } from './errors';
import type {
  ChatMessage,
  ChatRequest,
  EngineTool,
  EngineToolCall,
  CompletionStats,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  ModelSource,
} from './types';

/** Page → worker. `id` is a rising request id; replies carry it back. */
export type EngineRequest =
  | { kind: 'load'; id: number; source: ModelSource; options: LoadOptions }
  | { kind: 'chat'; id: number; request: ChatRequest }
  /** Stops chat `id`: it ends as `aborted` with what streamed so far. */
  | { kind: 'abort'; id: number }
  | { kind: 'unload'; id: number }
  | { kind: 'cache-delete'; id: number; source: ModelSource }
  // Embeddings for documents retrieval.
  | { kind: 'embed'; id: number; text: string }
  | { kind: 'prepare'; id: number; messages: ChatMessage[]; tools?: EngineTool[] };

/** Worker → page. */
export type EngineEvent =
  | { kind: 'load-progress'; id: number; progress: LoadProgress }
  | { kind: 'loaded'; id: number; info: LoadedModelInfo }
  | { kind: 'token'; id: number; text: string }
  /** The reply's thinking, apart from its answer (`token`); it always streams before the answer. */
  | { kind: 'thinking'; id: number; text: string }
  /** The model began a call to the tool `name`. */
  | { kind: 'tool-call-start'; id: number; name: string }
  /** The tools the reply called, complete; sent just before its `chat-done`. */
  | { kind: 'tool-calls'; id: number; calls: EngineToolCall[] }
  | { kind: 'chat-done'; id: number; stats: CompletionStats }
  | { kind: 'unloaded'; id: number }
  | { kind: 'cache-deleted'; id: number }
  | { kind: 'failed'; id: number; error: EngineErrorRecord }
  // Embeddings for documents retrieval.
  | { kind: 'embedded'; id: number; vector: number[] }
  | { kind: 'prepared'; id: number }
  /** Unasked: the engine can no longer run (its GPU device was lost); every request is over. */
  | { kind: 'lost'; error: EngineErrorRecord };
