/**
 * MLC backend: @mlc-ai/web-llm's MLCEngine on WebGPU, running inside our MLC engine worker behind
 * the same {@link Engine} protocol as wllama (one page-side proxy for both backends, rather than
 * web-llm's own WebWorkerMLCEngine, which would give the UI a second engine shape). web-llm
 * downloads the shards itself into its IndexedDB cache (`cacheBackend: "indexeddb"`; never the
 * Cache API) and reports progress through initProgressCallback.
 */
import {
  deleteModelAllInfoInCache,
  MLCEngine,
  type AppConfig,
  type ChatCompletionMessageParam,
  type InitProgressReport,
} from '@mlc-ai/web-llm';
import { EngineError, isAbortError } from './errors';
import { countsFromMlcUsage, describeMlcError, type MlcSource } from './mlc-errors';
import { ReplyGate, ReplyMeter, type ReportedCounts } from './reply-meter';
import type {
  ChatRequest,
  CompletionStats,
  Engine,
  EngineCache,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  ModelAbilities,
  ModelSource,
  StreamCallbacks,
} from './types';

const DEFAULT_CONTEXT = 4096;

function appConfigFor(source: MlcSource, contextLength?: number): AppConfig {
  return {
    model_list: [
      {
        model: source.modelUrl,
        model_id: source.id,
        model_lib: source.modelLibUrl,
        ...(source.vramRequiredMB === undefined ? {} : { vram_required_MB: source.vramRequiredMB }),
        ...(contextLength === undefined ? {} : { overrides: { context_window_size: contextLength } }),
      },
    ],
    cacheBackend: 'indexeddb',
  };
}

function asMlcSource(source: ModelSource): MlcSource {
  if (source.backend !== 'web-llm') throw new EngineError('model-invalid', 'The MLC engine only runs MLC models.');
  return source;
}

/** "Fetching param cache[3/20]: 120MB fetched. 10% completed…" → bytes fetched, where said. */
function fetchedBytes(text: string): number | undefined {
  const match = /(\d+(?:\.\d+)?)\s*MB fetched/i.exec(text);
  return match ? Math.round(Number(match[1]) * 1_000_000) : undefined;
}

function toProgress(report: InitProgressReport): LoadProgress {
  const receivedBytes = fetchedBytes(report.text);
  const downloading = /fetch|download/i.test(report.text) && !/finish/i.test(report.text);
  return {
    phase: report.progress >= 1 ? 'ready' : downloading ? 'downloading' : 'initialising',
    fraction: report.progress,
    text: report.text,
    ...(receivedBytes === undefined ? {} : { receivedBytes }),
  };
}

/**
 * web-llm applies each model family's own conversation template and splits nothing: Qwen3 thinks
 * in `<think>` tags and web-llm can turn it off (`extra_body.enable_thinking`); DeepSeek-R1's
 * distills always think.
 */
function mlcAbilities(modelId: string): ModelAbilities {
  if (/qwen3/i.test(modelId)) return { thinking: 'switchable' };
  if (/deepseek-r1/i.test(modelId)) return { thinking: 'always' };
  return {};
}

export class MlcEngine implements Engine, EngineCache {
  #engine: MLCEngine | undefined;
  #info: LoadedModelInfo | undefined;
  #source: MlcSource | undefined;
  readonly #gate = new ReplyGate();

  async load(
    source: ModelSource,
    options: LoadOptions,
    onProgress: (progress: LoadProgress) => void,
  ): Promise<LoadedModelInfo> {
    const mlc = asMlcSource(source);
    await this.unload();
    if (!('gpu' in navigator)) throw describeMlcError(new Error('WebGPUNotAvailable'), mlc);
    const log: string[] = [];
    const contextLength = options.contextLength ?? DEFAULT_CONTEXT;
    const engine = new MLCEngine({
      appConfig: appConfigFor(mlc, contextLength),
      logLevel: 'WARN',
      initProgressCallback: (report) => {
        if (log.at(-1) !== report.text) log.push(report.text);
        onProgress(toProgress(report));
      },
    });
    onProgress({ phase: 'downloading', fraction: 0 });
    try {
      await engine.reload(mlc.id, { context_window_size: contextLength });
    } catch (error) {
      await engine.unload().catch(() => undefined);
      throw describeMlcError(error, mlc);
    }
    this.#engine = engine;
    this.#source = mlc;
    this.#info = {
      modelId: mlc.id,
      backend: 'web-llm',
      device: 'webgpu',
      threads: 1,
      contextLength,
      name: mlc.name,
      loadLog: log.slice(-400),
      abilities: mlcAbilities(mlc.id),
    };
    onProgress({ phase: 'ready', fraction: 1 });
    return this.#info;
  }

  async chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    const engine = this.#engine;
    const source = this.#source;
    if (!engine || !source) throw new EngineError('not-loaded', 'No model is loaded.');
    return this.#gate.run(async () => {
      const { settings } = request;
      const meter = new ReplyMeter(callbacks);
      const abilities = this.#info?.abilities;
      let reported: ReportedCounts = {};
      let finishReason: CompletionStats['finishReason'] = 'stop';
      const onAbort = () => engine.interruptGenerate();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const chunks = await engine.chat.completions.create({
          messages: request.messages as ChatCompletionMessageParam[],
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: settings.maxTokens,
          temperature: settings.temperature,
          top_p: settings.topP,
          // web-llm's JSON mode takes the schema as text.
          ...(request.format
            ? { response_format: { type: 'json_object' as const, schema: JSON.stringify(request.format.schema) } }
            : {}),
          // web-llm's own switch (Qwen3): an empty think block before the reply.
          ...(settings.think === false && abilities?.thinking === 'switchable'
            ? { extra_body: { enable_thinking: false } }
            : {}),
        });
        let streamedAny = false;
        for await (const chunk of chunks) {
          const choice = chunk.choices[0];
          streamedAny ||= Boolean(choice?.delta.content);
          // web-llm leaves `<think>` in the content: the meter splits it off.
          if (meter.take(choice)) finishReason = 'length';
          if (choice?.finish_reason === 'abort' || signal?.aborted) finishReason = 'aborted';
          if (chunk.usage) reported = countsFromMlcUsage(chunk.usage, streamedAny);
        }
      } catch (error) {
        if (isAbortError(error) || signal?.aborted) finishReason = 'aborted';
        else {
          const named = describeMlcError(error, source);
          // A lost device takes the model with it; anything else is a failed reply.
          if (named.code === 'device-lost') {
            this.#engine = undefined;
            throw named;
          }
          throw new EngineError('inference-failed', error instanceof Error ? error.message : String(error));
        }
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      return meter.finish(reported, finishReason);
    });
  }

  async unload(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    this.#info = undefined;
    await engine?.unload();
  }

  dispose(): void {
    void this.unload();
  }

  deleteCached(source: ModelSource): Promise<void> {
    const mlc = asMlcSource(source);
    return deleteModelAllInfoInCache(mlc.id, appConfigFor(mlc));
  }
}
