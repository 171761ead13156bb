/**
 * GGUF backend: llama.cpp compiled to WebAssembly (@wllama/wllama), running inside our engine
 * worker. It reads the model's stored bytes (an OPFS file, or IndexedDB chunks) slice by slice,
 * uses the multi-threaded build when the page is cross-origin isolated, and reports the device
 * llama.cpp really used, read from its own log (it falls back to the CPU silently when WebGPU
 * lacks shader-f16).
 */
import { Wllama, WllamaError, type ChatCompletionMessage } from '@wllama/wllama/esm/index.js';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import { EngineError, isAbortError } from './errors';
import { embedInPieces } from './embedding-pieces';
import {
  embeddingDecodeFailed,
  embeddingInputTooLong,
  embeddingsOutOfMemoryError,
  llamaError,
  memoryShortfall,
  outOfMemoryError,
  type MemoryShortfall,
} from './llama-errors';
import { formatLoadSteps, loadSteps, type StampedLine } from './load-timings';
import { ReplyGate, ReplyMeter, type ReportedCounts, type StreamedChoice } from './reply-meter';
import { reasoningParams, responseFormat } from './reasoning-params';
import { templateAbilities } from './template-abilities';
import { compatAssets, needsCompatBuild } from './wllama-compat';
import { smallerWindow } from './memory-window';
import { embeddingBatch, memorySettings, smallerEmbeddingBatch } from './wllama-memory';
import { detectComputeDevice, loadFailureReason } from './wllama-log';
import type {
  ChatMessage,
  ChatRequest,
  CompletionStats,
  Engine,
  EngineTool,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  ModelAbilities,
  ModelSource,
  StreamCallbacks,
} from './types';

/**
 * A stored GGUF model as the engine needs it. The worker entry reads it (lib/models knows the
 * record schema; the engine does not) and throws `model-not-found` when it is gone or incomplete.
 */
export interface GgufModelFiles {
  id: string;
  name: string;
  /** Training context of the model, in tokens, when its header says. */
  contextLength: number | undefined;
  /** The file, or the parts of a split GGUF in order. */
  files: Blob[];
  /**
   * The same files opened for one load through a faster reader (OPFS sync access handles: see
   * lib/models/handle-blob), closed when the load ends; absent, or undefined when it cannot open
   * them, and `files` are read.
   */
  openReaders?: () => Promise<OpenedFiles | undefined>;
}

/** Model files opened for one load, and how to let them go. */
export interface OpenedFiles {
  files: Blob[];
  close(): void;
}

export type ReadGgufModel = (id: string) => Promise<GgufModelFiles>;

/** How many of llama.cpp's lines a call keeps, to tell why it failed. */
const CALL_LOG_LINES = 40;

/** Context allocated when neither the caller nor the model says otherwise. */
const DEFAULT_CONTEXT = 4096;

/** llama.cpp found no memory for a load: what it lacked (see llama-errors), and what the user is told. */
class ShortOfMemory extends Error {
  constructor(
    modelName: string,
    readonly shortfall: MemoryShortfall,
  ) {
    super(outOfMemoryError(modelName, shortfall).message);
  }
}

function threadCount(): number {
  // Without cross-origin isolation there is no SharedArrayBuffer: single-thread build.
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8));
}

export class WllamaEngine implements Engine {
  #wllama: Wllama | undefined;
  readonly #gate = new ReplyGate();
  #embedding: Promise<unknown> | undefined;
  /** A prompt being read ahead (`prepare`): the messages it starts every later prompt with. */
  #preparing: { done: Promise<void>; start: ChatMessage[]; controller: AbortController } | undefined;
  /**
   * What the loaded model was loaded from, its window and vocabulary's size, to load it again with
   * embeddings on; and the micro-batch embeddings got (smaller where the tab was short of memory).
   */
  #loadedFrom:
    | {
        record: GgufModelFiles;
        options: LoadOptions;
        contextLength: number;
        vocabSize: number;
        embeddingBatch?: number;
      }
    | undefined;
  /** llama.cpp's last lines since the current call began, after the load (an embedding's memory). */
  #callLog: string[] = [];
  /** Whether the loaded instance computes embeddings (off for chat: it costs decode speed). */
  #embeddingsOn = false;
  readonly #readModel: ReadGgufModel;
  /** No model was loaded by this worker yet: its start-up counts in the load's timings. */
  #firstLoad = true;
  /** What the loaded model's chat template lets it do (think, be told not to). */
  #abilities: ModelAbilities = {};

  constructor(readModel: ReadGgufModel) {
    this.#readModel = readModel;
  }

  async load(
    source: ModelSource,
    options: LoadOptions,
    onProgress: (progress: LoadProgress) => void,
  ): Promise<LoadedModelInfo> {
    // Everything before this moment in the worker's life is its own start-up (see load-timings).
    const started = performance.now();
    await this.unload();
    onProgress({ phase: 'reading' });
    const record = await this.#readModel(source.id);
    onProgress({ phase: 'initialising' });
    const wanted = Math.min(options.contextLength ?? DEFAULT_CONTEXT, record.contextLength ?? DEFAULT_CONTEXT);
    // A tab without memory for the window's KV cache or working buffers gets a smaller window.
    for (let contextLength = wanted, attempt = started; ; attempt = performance.now()) {
      try {
        const { wllama, info, vocabSize } = await this.#start(
          record,
          options,
          { embeddings: false, contextLength },
          attempt,
        );
        this.#wllama = wllama;
        this.#abilities = info.abilities ?? {};
        this.#loadedFrom = { record, options, contextLength: info.contextLength, vocabSize };
        this.#embeddingsOn = false;
        onProgress({ phase: 'ready', fraction: 1 });
        return info.contextLength < wanted ? { ...info, wantedContextLength: wanted } : info;
      } catch (error) {
        if (!(error instanceof ShortOfMemory)) throw error;
        const smaller = smallerWindow(contextLength, error.shortfall);
        if (smaller === undefined) throw outOfMemoryError(record.name, error.shortfall);
        console.warn(`No memory for a ${contextLength}-token window; loading ${record.name} with ${smaller}.`);
        contextLength = smaller;
      }
    }
  }

  /**
   * One llama.cpp instance holding the model. Chat loads it with embeddings off, as they slow
   * decoding; Documents' first embedding loads it again with them on
   * (docs/decisions/0012-chat-loads-without-embeddings.md).
   */
  async #start(
    record: GgufModelFiles,
    options: LoadOptions,
    { embeddings, batch, contextLength }: { embeddings: boolean; batch?: number; contextLength: number },
    started = performance.now(),
  ): Promise<{ wllama: Wllama; info: LoadedModelInfo; vocabSize: number }> {
    const { files } = record;
    const stored = performance.now();

    // llama.cpp's log of this load, with arrival times (the load's timings are read from them).
    // Recorded until the load ends: the instance logs on for as long as it lives.
    const stamped: StampedLine[] = [];
    const logLines = () => stamped.map(([, line]) => line);
    let recording = true;
    const capture =
      (forward: (...args: unknown[]) => void) =>
      (...args: unknown[]) => {
        if (typeof args[0] === 'string') {
          if (recording) stamped.push([performance.now(), args.join(' ')]);
          else this.#callLog = [...this.#callLog.slice(-CALL_LOG_LINES + 1), args.join(' ')];
        }
        forward(...args);
      };
    const wllama = new Wllama(
      { default: wasmUrl },
      {
        logger: {
          debug: capture(() => undefined),
          log: capture(() => undefined),
          warn: capture(console.warn),
          error: capture(console.error),
        },
        allowOffline: true,
      },
    );
    // The compat build comes from our own origin, never wllama's CDN; browsers that have JSPI and
    // Memory64 never load it.
    const compat = needsCompatBuild();
    wllama.setCompat(compat ? await compatAssets() : null);

    const threads = threadCount();
    // The compat build copies each file into its heap through `stream()`; the default build reads
    // every tensor through the handles, straight into its heap (vite-plugins/wllama-heap-reads).
    const readers = compat ? undefined : await record.openReaders?.().catch(() => undefined);
    try {
      // A split model is handed over as its parts, in order; llama.cpp joins them.
      await wllama.loadModel(readers?.files ?? files, {
        n_ctx: contextLength,
        n_threads: threads,
        n_gpu_layers: options.preferWebGpu ? 99999 : 0,
        n_parallel: 1,
        // Documents retrieval embeds with the same instance, which still chats (issue 14).
        ...(embeddings ? { embeddings: true, pooling_type: 'mean' as const } : {}),
        ...memorySettings({ embeddings, webGpu: options.preferWebGpu === true, batch }),
      });
    } catch (error) {
      recording = false;
      await wllama.exit().catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      const shortfall = memoryShortfall([...logLines(), message]);
      if (shortfall) throw new ShortOfMemory(record.name, shortfall);
      throw new EngineError('model-invalid', `llama.cpp could not load ${record.name}: ${message}`);
    } finally {
      // llama.cpp has read every tensor by now (no mmap): the files are free for the page again.
      readers?.close();
    }
    const ended = performance.now();
    recording = false;
    const nativeLog = logLines();
    const firstLoad = this.#firstLoad;
    this.#firstLoad = false;
    const loaded = wllama.getLoadedContextInfo() as ReturnType<Wllama['getLoadedContextInfo']> & { success?: boolean };
    // wllama resolves even when llama.cpp refused the file; only these fields tell.
    if (loaded.success === false || loaded.n_vocab === 0) {
      await wllama.exit().catch(() => undefined);
      // A model that did not fit in memory is no bad file: say so, and what to do.
      const shortfall = memoryShortfall(nativeLog);
      if (shortfall) throw new ShortOfMemory(record.name, shortfall);
      const reason = loadFailureReason(nativeLog);
      throw new EngineError('model-invalid', `llama.cpp could not load ${record.name}${reason ? `: ${reason}` : '.'}`);
    }
    const info: LoadedModelInfo = {
      modelId: record.id,
      backend: 'wllama',
      device: detectComputeDevice(nativeLog),
      threads: wllama.getNumThreads(),
      contextLength: loaded.n_ctx,
      name: record.name,
      loadLog: [
        ...nativeLog.slice(-400),
        formatLoadSteps(loadSteps({ started, firstLoad, stored, ended, log: stamped })),
      ],
      ...(compat ? { compatBuild: true } : {}),
      // On demand: the first embedding loads the model again with embeddings on.
      canEmbed: true,
      abilities: templateAbilities(wllama.getChatTemplate()),
    };
    return { wllama, info, vocabSize: loaded.n_vocab };
  }

  /**
   * The loaded model again, with embeddings on (Documents asked for one). The old instance goes
   * first, so two copies of the model are never in memory. Where the tab is short of memory for
   * the logits of a whole micro-batch, the batch is halved down to 64 tokens (`#fewerTokens`; a
   * longer text is then embedded in more pieces). Should none fit, the model is loaded as before
   * (for chat) and the embedding fails. It keeps the chat load's window, which the page plans
   * prompts for.
   */
  async #withEmbeddings(): Promise<Wllama> {
    const from = this.#loadedFrom;
    if (this.#embeddingsOn && this.#wllama) return this.#wllama;
    if (!from) throw new EngineError('not-loaded', 'No model is loaded.');
    await this.#wllama?.exit();
    this.#wllama = undefined;
    const { record, options, contextLength } = from;
    for (let batch = from.embeddingBatch ?? embeddingBatch(from.vocabSize); ;) {
      try {
        const { wllama } = await this.#start(record, options, { embeddings: true, batch, contextLength });
        this.#wllama = wllama;
        this.#embeddingsOn = true;
        from.embeddingBatch = batch;
        return wllama;
      } catch (error) {
        const smaller = error instanceof ShortOfMemory ? this.#fewerTokens(batch, error.shortfall) : undefined;
        if (smaller !== undefined) {
          batch = smaller;
          continue;
        }
        await this.#backToChat();
        if (error instanceof ShortOfMemory) throw embeddingsOutOfMemoryError(record.name, error.shortfall);
        throw new EngineError(
          'inference-failed',
          `Embeddings could not be turned on: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  /** The micro-batch to try after `shortfall` with `batch`, if a smaller one could help. */
  #fewerTokens(batch: number, shortfall: MemoryShortfall): number | undefined {
    const smaller = shortfall.part === 'weights' ? undefined : smallerEmbeddingBatch(batch);
    if (smaller !== undefined) console.warn(`No memory for embeddings in ${batch}-token batches; trying ${smaller}.`);
    return smaller;
  }

  /** Ends the loaded instance (the next embedding or chat loads one). */
  async #dropInstance(): Promise<void> {
    const wllama = this.#wllama;
    this.#wllama = undefined;
    this.#embeddingsOn = false;
    await wllama?.exit().catch(() => undefined);
  }

  /** The model as chat loads it (embeddings off), after embeddings could not be had. */
  async #backToChat(): Promise<void> {
    const from = this.#loadedFrom;
    await this.#dropInstance();
    if (!from) return;
    const { record, options, contextLength } = from;
    this.#wllama = (await this.#start(record, options, { embeddings: false, contextLength }).catch(() => undefined))
      ?.wllama;
  }

  /**
   * Evaluates `messages` (the next reply's prompt as far as it is known) with a one-token reply
   * that is thrown away. llama.cpp's slot keeps the prompt it last read and reads again only
   * from the first token that differs, so the reply that follows reads just its new message.
   */
  prepare(messages: ChatMessage[], tools?: EngineTool[]): Promise<void> {
    const wllama = this.#wllama;
    if (!wllama) return Promise.resolve();
    const controller = new AbortController();
    // One read ahead at a time: an earlier one still holds the gate until it has stopped.
    const done = this.#stopPrepare()
      .then(() =>
        this.#gate.run(() =>
          wllama.createChatCompletion({
            messages: messages as ChatCompletionMessage[],
            // The reply's tools are part of its prompt (its template renders them first).
            ...(tools?.length && this.#abilities.tools ? { tools, tool_choice: 'auto' as const } : {}),
            max_tokens: 1,
            temperature: 0,
            top_k: 1,
            abortSignal: controller.signal,
          }),
        ),
      )
      .then(
        () => undefined,
        () => undefined, // busy (a reply already runs), stopped, or a failure the reply will meet
      );
    const preparing = { done, start: messages.slice(0, -1), controller };
    this.#preparing = preparing;
    void done.then(() => {
      if (this.#preparing === preparing) this.#preparing = undefined;
    });
    return done;
  }

  /**
   * Before a reply: a prompt read ahead that this one begins with is waited for (a Stop meanwhile
   * stops it too); any other is stopped, as reading it on would only delay this reply. wllama
   * stops between llama.cpp's batches of prompt tokens.
   */
  async #settlePrepare(messages: ChatMessage[], signal: AbortSignal | undefined): Promise<void> {
    const preparing = this.#preparing;
    if (!preparing) return;
    const same = preparing.start.every((m, i) => messages[i]?.role === m.role && messages[i]?.content === m.content);
    if (!same) return this.#stopPrepare();
    const stop = () => preparing.controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    await preparing.done;
    signal?.removeEventListener('abort', stop);
  }

  /** Stops a read ahead under way; resolves once it has let go of the engine. */
  async #stopPrepare(): Promise<void> {
    const preparing = this.#preparing;
    preparing?.controller.abort();
    await preparing?.done;
  }

  async chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    // An embedding in flight is one short call: a reply waits for it rather than failing busy,
    // and for any the Documents view started meanwhile (indexing a new document embeds on).
    let waited: Promise<unknown> | undefined;
    do {
      waited = this.#embedding;
      await waited;
      await this.#settlePrepare(request.messages, signal);
    } while (waited !== this.#embedding);
    const wllama = this.#wllama;
    if (!wllama) throw new EngineError('not-loaded', 'No model is loaded.');
    return this.#gate.run(async () => {
      const { settings } = request;
      const meter = new ReplyMeter(callbacks);
      let reported: ReportedCounts = {};
      let finishReason: CompletionStats['finishReason'] = 'stop';
      try {
        await wllama.createChatCompletion({
          // Our messages are OpenAI's shape, which wllama's union spells role by role.
          messages: request.messages as ChatCompletionMessage[],
          stream: true,
          abortSignal: signal,
          max_tokens: settings.maxTokens,
          temperature: settings.temperature,
          top_p: settings.topP,
          // temperature 0 is greedy: let llama.cpp skip sampling altogether.
          ...(settings.temperature === 0 ? { top_k: 1 } : {}),
          ...reasoningParams(settings, this.#abilities),
          ...responseFormat(request.format),
          // Tools only for a template with a tool format: llama.cpp parses the calls from it.
          ...(request.tools?.length && this.#abilities.tools
            ? { tools: request.tools, tool_choice: 'auto' as const }
            : {}),
          onData: (chunk) => {
            // llama.cpp streams thinking as `reasoning_content`, which wllama's types leave out.
            if (meter.take(chunk.choices[0] as StreamedChoice | undefined)) finishReason = 'length';
            // Streams carry no `usage`; the final chunk's llama.cpp timings have the counts.
            if (chunk.timings) {
              reported = {
                promptTokens: chunk.timings.prompt_n + chunk.timings.cache_n,
                cachedPromptTokens: chunk.timings.cache_n,
                completionTokens: chunk.timings.predicted_n,
                decodeRate: chunk.timings.predicted_per_second,
                // Zero when the whole prompt came from the KV cache: nothing was measured.
                ...(chunk.timings.prompt_n > 0 ? { prefillRate: chunk.timings.prompt_per_second } : {}),
              };
            }
          },
        });
      } catch (error) {
        if (isAbortError(error)) finishReason = 'aborted';
        // llama.cpp's words reach us as a WllamaError or a plain Error, depending on where it failed.
        else if (error instanceof WllamaError || error instanceof Error) throw llamaError(error.message);
        else throw error;
      }
      return meter.finish(reported, finishReason);
    });
  }

  /**
   * One text, one call (wllama 3.8.1 never resolves an array of inputs: issue 14); a text longer
   * than llama.cpp's micro-batch is embedded in pieces (embedding-pieces.ts).
   */
  async embed(text: string): Promise<number[]> {
    if (!this.#wllama) throw new EngineError('not-loaded', 'No model is loaded.');
    // Embeddings load the model again (embeddings on), which drops whatever was read ahead.
    await this.#stopPrepare();
    const run = this.#gate.run(async () => {
      for (;;) {
        const wllama = await this.#withEmbeddings();
        this.#callLog = [];
        try {
          return await this.#embedWith(wllama, text);
        } catch (error) {
          // llama.cpp sets aside the logits of a batch's tokens at its first decode, not at load,
          // and says only "Compute error." when it finds no memory for them.
          const message = error instanceof Error ? error.message : String(error);
          const from = this.#loadedFrom;
          if (!from?.embeddingBatch || !embeddingDecodeFailed(message)) throw error;
          // The instance goes either way; its exit also brings the lines it logged before (its
          // threads' lines can arrive after the error).
          await this.#dropInstance();
          const shortfall = memoryShortfall([...this.#callLog, message]) ?? { part: 'working', bytes: undefined };
          const smaller = this.#fewerTokens(from.embeddingBatch, shortfall);
          if (smaller === undefined) {
            await this.#backToChat();
            throw embeddingsOutOfMemoryError(from.record.name, shortfall);
          }
          from.embeddingBatch = smaller;
        }
      }
    });
    this.#embedding = run.catch(() => undefined);
    return run;
  }

  /** One text's vector from an instance with embeddings on; llama.cpp's refusals as EngineErrors. */
  async #embedWith(wllama: Wllama, text: string): Promise<number[]> {
    try {
      const embedded = await embedInPieces(text, {
        embedOne: async (input) => {
          const response = await wllama.createEmbedding({ input, encoding_format: 'float' });
          const vector = response.data[0]?.embedding;
          if (!Array.isArray(vector)) throw new EngineError('inference-failed', 'llama.cpp gave no embedding.');
          return { vector, tokens: response.usage.prompt_tokens };
        },
        tooLong: (error) => (error instanceof Error ? embeddingInputTooLong(error.message) : undefined),
      });
      return embedded.vector;
    } catch (error) {
      if (error instanceof WllamaError) throw new EngineError('inference-failed', error.message);
      throw error;
    }
  }

  async unload(): Promise<void> {
    const wllama = this.#wllama;
    this.#preparing?.controller.abort();
    this.#wllama = undefined;
    this.#loadedFrom = undefined;
    this.#embeddingsOn = false;
    await wllama?.exit();
  }

  dispose(): void {
    void this.unload();
  }
}
