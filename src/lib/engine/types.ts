/**
 * The engine boundary: the one shape the page uses to run a language model, whatever backend
 * (wllama on CPU/WebGPU, web-llm on WebGPU) sits behind it. This module owns only types; it must
 * not import any backend, so the page can use it without pulling engine code into its bundle.
 */

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** An assistant turn that called tools, as OpenAI's API and llama.cpp's templates carry it. */
  tool_calls?: EngineToolCall[];
  /** A `tool` turn: the call whose result it is. */
  tool_call_id?: string;
}

/** A tool the model may call: OpenAI's function-tool shape, plain JSON. */
export interface EngineTool {
  type: 'function';
  function: {
    name: string;
    description: string;
    parameters: {
      type: 'object';
      properties: Record<string, { type: string; description?: string; enum?: string[] }>;
      required?: string[];
      additionalProperties?: boolean;
    };
  };
}

/** A call the model made, `arguments` its raw JSON text (not yet trusted). */
export interface EngineToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Which library runs the model. A property of the model record, not of the UI. */
export type BackendKind = 'wllama' | 'web-llm';

/** What actually executes the maths, as observed after loading (not what was requested). */
export type ComputeDevice = 'webgpu' | 'cpu';

/** What to load. A GGUF model is read from our own storage by id; an MLC model is fetched (or
 * read from web-llm's IndexedDB cache) from the URLs its catalog entry resolved to. */
export type ModelSource =
  | {
      backend: 'wllama';
      /** Stable id of the stored model (the storage key of its bytes). */
      id: string;
    }
  | {
      backend: 'web-llm';
      /** web-llm's model_id, also the id of our record once it is cached. */
      id: string;
      name: string;
      /** Base URL of the weights and configs (`…/<repo>`; web-llm adds `resolve/main/`). */
      modelUrl: string;
      /** URL of the compiled WebGPU model library (.wasm). */
      modelLibUrl: string;
      vramRequiredMB?: number;
    };

export interface LoadOptions {
  /** Context window to allocate, in tokens; capped by the model's training context. */
  contextLength?: number;
  /** Ask for WebGPU; the engine reports in {@link LoadedModelInfo} whether it was used. */
  preferWebGpu?: boolean;
}

/** 'downloading': web-llm fetching shards it does not have yet (MLC only). */
export type LoadPhase = 'reading' | 'downloading' | 'initialising' | 'ready';

export interface LoadProgress {
  phase: LoadPhase;
  /** 0..1 where known. */
  fraction?: number;
  /** Bytes fetched so far in the 'downloading' phase, where the engine says. */
  receivedBytes?: number;
  /** The engine's own words about what it is doing. */
  text?: string;
}

export interface LoadedModelInfo {
  modelId: string;
  backend: BackendKind;
  device: ComputeDevice;
  /** Threads used on the CPU path (1 without cross-origin isolation). */
  threads: number;
  contextLength: number;
  /**
   * The window asked for, when the tab had memory only for the smaller `contextLength` (see
   * lib/engine/memory-window.ts).
   */
  wantedContextLength?: number;
  /** Model name from its own metadata, when it has one. */
  name?: string;
  /** The engine's own log of the load (what it found and chose), for the diagnostics panel. */
  loadLog: string[];
  /** wllama runs its slower compatibility build (a browser without JSPI or Memory64). */
  compatBuild?: boolean;
  /** The loaded model also gives text embeddings ({@link Engine.embed}); MLC does not. */
  canEmbed?: boolean;
  /** What the model's chat template lets it do, where the engine can tell. */
  abilities?: ModelAbilities;
}

/**
 * What a model can be asked for beyond plain chat, read from its chat template (wllama) or known
 * of its family (web-llm). Absent fields: it cannot, or no one can tell.
 */
export interface ModelAbilities {
  /** It may think before it answers ('switchable': and can be asked not to, Qwen3's `enable_thinking`). */
  thinking?: 'always' | 'switchable';
  /**
   * How thinking is switched off: the template's `enable_thinking` (the default: llama.cpp, vLLM,
   * web-llm), or `reasoning_effort: "none"` (Ollama's OpenAI API, which reads no template kwargs).
   */
  thinkingSwitch?: 'template' | 'reasoning_effort';
  /** Its engine can cap the thinking (llama.cpp's `thinking_budget_tokens`; web-llm cannot). */
  thinkingBudget?: boolean;
  /** Its template has a tool-call format: it may be given tools to call. */
  tools?: boolean;
}

export interface GenerationSettings {
  /** 0 means greedy decoding. */
  temperature: number;
  topP: number;
  maxTokens: number;
  /**
   * false: a model that can turn its thinking off is asked not to think (see
   * {@link ModelAbilities.thinking}). Absent or true: it thinks as it was made to.
   */
  think?: boolean;
  /** The most tokens a model may think for before it must answer, where the engine can bound it. */
  thinkingBudget?: number;
}

export interface ChatRequest {
  messages: ChatMessage[];
  settings: GenerationSettings;
  /** Tools the model may call (only for a model whose template has a tool format). */
  tools?: EngineTool[];
  /**
   * The reply must be JSON matching `schema`: each engine constrains its sampling to it
   * (llama.cpp's grammar from `response_format`, web-llm's JSON mode, a server's `response_format`).
   */
  format?: ReplyFormat;
}

/** A JSON schema a machine-read reply must match (a title, say), named as OpenAI's API wants. */
export interface ReplyFormat {
  name: string;
  schema: Record<string, unknown>;
}

export interface CompletionStats {
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds from the request to the first streamed token. */
  timeToFirstTokenMs: number;
  /** Decode speed, completion tokens per second after the first token. */
  tokensPerSecond: number;
  /** Prompt processing speed, prompt tokens per second, where the engine reports it. */
  prefillTokensPerSecond?: number;
  /** Prompt tokens the engine already held from an earlier call (not read again), where it says. */
  cachedPromptTokens?: number;
  /** Of `completionTokens`, those spent thinking (the rest are the answer); absent: no thinking. */
  thinkingTokens?: number;
  /** Milliseconds from the first thought to the answer's first token (or the end). */
  thinkingMs?: number;
  /** Why generation ended; 'tool_calls': the model called tools (heard by `onToolCalls`) and waits. */
  finishReason: 'stop' | 'length' | 'aborted' | 'tool_calls';
}

export interface StreamCallbacks {
  /** The answer, as it streams. */
  onToken(text: string): void;
  /**
   * The model's thinking before its answer, as it streams, kept apart from the answer; never part
   * of `onToken`'s text. Callers that only want the answer (titles, summaries) leave it out.
   */
  onThinking?(text: string): void;
  /** The model began writing a call to the tool `name` (its arguments still to come). */
  onToolCallStart?(name: string): void;
  /** The tools the model called, once their arguments are complete (before the reply resolves). */
  onToolCalls?(calls: EngineToolCall[]): void;
}

/**
 * One loaded model at a time. Every method may reject with an {@link EngineError} when it fails.
 * A Stop is no failure: a stopped generation (even one stopped before it began) resolves with
 * `finishReason: 'aborted'` and the text produced so far already delivered through `onToken`; a
 * cancelled load rejects with the standard `AbortError` (see `isAbortError`).
 */
export interface Engine {
  /** A new load replaces the loaded model; aborting `signal` abandons the load. */
  load(
    source: ModelSource,
    options: LoadOptions,
    onProgress: (progress: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<LoadedModelInfo>;
  chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats>;
  /**
   * Embeddings (documents retrieval): one text, one mean-pooled vector, from the loaded model.
   * Only where `LoadedModelInfo.canEmbed`; never makes a chat wait long (one short call).
   */
  embed?(text: string): Promise<number[]>;
  /**
   * Reads the start of the next reply's prompt (`messages` as that reply will begin) into the
   * engine's cache while the user is still writing, so the reply reads only what is new. A reply
   * that begins with those messages waits for it; any other call stops it. A later `prepare`
   * replaces it. Never rejects; engines without a prompt cache leave it out.
   */
  prepare?(messages: ChatMessage[], tools?: EngineTool[]): Promise<void>;
  unload(): Promise<void>;
  /** Frees everything, including any worker; the engine cannot be used afterwards. */
  dispose(): void;
}

/**
 * Model files an engine keeps in a cache of its own (web-llm's IndexedDB cache). GGUF files are
 * ours and the page manages them directly; this is for the engines that download for themselves.
 */
export interface EngineCache {
  deleteCached(source: ModelSource): Promise<void>;
}
