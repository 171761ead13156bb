// The baseline of the streaming and load benchmarks: wllama called directly, with the settings
// the app uses (threads, context, sampling, chat messages), no worker of ours, no UI. The model
// is loaded once and then asked as often as the bench likes, as the app does. The bench drives it
// through window.rawEngine.
import {
  Wllama,
  type ChatCompletionMessage,
  type ChatCompletionTool,
  type ChatCompletionToolCall,
} from '@wllama/wllama/esm/index.js';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import { loadSteps } from '../../src/lib/engine/load-timings';
import { memorySettings } from '../../src/lib/engine/wllama-memory';
import { toolsFor } from '../../src/lib/tools/registry';

interface Sampling {
  maxTokens: number;
  temperature: number;
  topP: number;
}

interface RawRun {
  tokens: number;
  tokensPerSecond: number;
  /** From the call to the last token. */
  totalMs: number;
  /** From the call to the first token. */
  firstTokenMs: number;
  /** llama.cpp's own decode rate (its timings in the last chunk). */
  engineTokensPerSecond: number | undefined;
  /** Prompt tokens llama.cpp evaluated (those it had cached from the last prompt not counted). */
  promptEvaluated: number | undefined;
  text: string;
}

let wllama: Wllama | undefined;
/** The fetched models, kept across loads (the bench loads the same model several times). */
const fetched = new Map<string, Promise<Blob>>();

/** The model (one file, or the parts of a split one) in in-memory Blobs, fetched once. */
function fetchModel(modelUrl: string | string[]): Promise<Blob[]> {
  const urls = typeof modelUrl === 'string' ? [modelUrl] : modelUrl;
  return Promise.all(
    urls.map(
      (url) =>
        fetched.get(url) ??
        fetched
          .set(
            url,
            fetch(url).then((r) => r.blob()),
          )
          .get(url)!,
    ),
  );
}

/**
 * Fetches the model into in-memory Blobs (unless `fetchModel` did), then times llama.cpp's load
 * of them.
 */
async function load(
  modelUrl: string | string[],
  contextLength: number,
  {
    nativeLog = false,
    embeddings = false,
    params = {},
    fromOpfs = false,
    defaults = false,
    vocabSize,
  }: {
    nativeLog?: boolean;
    embeddings?: boolean;
    /** More of wllama's load parameters (KV cache type, batch sizes…), for side-by-side probes. */
    params?: Record<string, unknown>;
    /** Load from a copy in OPFS (a disk-backed File, as the app stores models) instead. */
    fromOpfs?: boolean;
    /** llama.cpp's own defaults instead of the app's memory settings, for before/after probes. */
    defaults?: boolean;
    /** The vocabulary's size, as the app knows it from the chat load before an embeddings one. */
    vocabSize?: number;
  } = {},
): Promise<{
  loadMs: number;
  threads: number;
  vocabSize: number;
  /** The micro-batch the load asked llama.cpp for (an embedding input's limit), if it set one. */
  batch: number | undefined;
  buffers: Record<string, number>;
  timeline: [number, string][];
  /** The same steps as the app's load log line (lib/engine/load-timings), from llama.cpp's log. */
  steps: Record<string, number>;
}> {
  await wllama?.exit();
  let blobs = await fetchModel(modelUrl);
  if (fromOpfs) blobs = await Promise.all(blobs.map((blob, i) => copyToOpfs(blob, `raw-${i}.gguf`)));
  // nativeLog: keep llama.cpp's log on and collect it, as the app does to learn the device used.
  const log: string[] = [];
  const timeline: [number, string][] = [];
  const keep = (...args: unknown[]) => {
    const line = args.join(' ');
    log.push(line);
    timeline.push([performance.now(), line]);
  };
  wllama = new Wllama(
    { default: wasmUrl },
    nativeLog
      ? { allowOffline: true, logger: { debug: keep, log: keep, warn: keep, error: keep } }
      : { suppressNativeLog: true, allowOffline: true },
  );
  wllama.setCompat(null);
  // The app's rule (lib/engine/wllama-engine.ts): multi-thread only when cross-origin isolated.
  const threads = crossOriginIsolated ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8)) : 1;
  const settings = { ...(defaults ? {} : memorySettings({ embeddings, webGpu: false, vocabSize })), ...params };
  const started = performance.now();
  await wllama.loadModel(blobs, {
    n_ctx: contextLength,
    n_threads: threads,
    n_gpu_layers: 0,
    n_parallel: 1,
    // As the app loads for Documents (embeddings with mean pooling), for the side-by-side cost.
    ...(embeddings ? { embeddings: true, pooling_type: 'mean' as const } : {}),
    // The app's KV cache type and batch sizes for this kind of load (lib/engine/wllama-memory.ts).
    ...settings,
  });
  const ended = performance.now();
  return {
    loadMs: ended - started,
    steps: Object.fromEntries(loadSteps({ started, firstLoad: false, stored: started, ended, log: timeline })),
    threads: wllama.getNumThreads(),
    vocabSize: wllama.getLoadedContextInfo().n_vocab,
    batch: typeof settings.n_ubatch === 'number' ? settings.n_ubatch : undefined,
    buffers: bufferSizes(log),
    timeline: timeline.map(([at, line]) => [Math.round(at - started), line]),
  };
}

/** The blob written to an OPFS file and read back as its disk-backed File. */
async function copyToOpfs(blob: Blob, name: string): Promise<File> {
  const root = await navigator.storage.getDirectory();
  const handle = await root.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  await blob.stream().pipeTo(writable);
  return handle.getFile();
}

/**
 * llama.cpp's buffer sizes in MiB from its load log ("CPU compute buffer size = 298.5 MiB", "KV
 * self size = …", "output buffer size = …"): where loading memory goes beyond the weights.
 */
function bufferSizes(log: string[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const line of log) {
    const match = /(\S+(?: \S+)?) (?:buffer )?size\s*=\s*([\d.]+) MiB/.exec(line);
    if (match) sizes[match[1]!] = (sizes[match[1]!] ?? 0) + Number(match[2]);
  }
  return sizes;
}

/** One streamed chat completion with the request the app would send. */
async function generate(systemPrompt: string, prompt: string, sampling: Sampling): Promise<RawRun> {
  if (!wllama) throw new Error('No model is loaded.');
  const stamps: number[] = [];
  let text = '';
  let engineRate: number | undefined;
  let promptEvaluated: number | undefined;
  const started = performance.now();
  await wllama.createChatCompletion({
    messages: [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: prompt },
    ],
    stream: true,
    max_tokens: sampling.maxTokens,
    temperature: sampling.temperature,
    top_p: sampling.topP,
    ...(sampling.temperature === 0 ? { top_k: 1 } : {}),
    onData: (chunk) => {
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        stamps.push(performance.now());
        text += content;
      }
      if (chunk.timings) {
        engineRate = chunk.timings.predicted_per_second;
        promptEvaluated = chunk.timings.prompt_n;
      }
    },
  });
  const first = stamps[0] ?? 0;
  const last = stamps.at(-1) ?? 0;
  const seconds = (last - first) / 1000;
  return {
    tokens: stamps.length,
    tokensPerSecond: seconds > 0 ? (stamps.length - 1) / seconds : 0,
    totalMs: last - started,
    firstTokenMs: first - started,
    engineTokensPerSecond: engineRate,
    promptEvaluated,
    text,
  };
}

/** llama.cpp's timings of one call, from its last chunk. */
interface CallTimings {
  promptN: number;
  cacheN: number;
  promptMs: number;
  predictedN: number;
  predictedMs: number;
  predictedPerSecond: number;
}

interface RawChatRun {
  /** Tokens llama.cpp generated (its timings), thinking included, as the app's stats count them. */
  tokens: number;
  /** (tokens − 1) ÷ the time from the first streamed piece (thought or answer) to the last. */
  tokensPerSecond: number;
  /** From the call to its end. */
  totalMs: number;
  /** From the call to the first piece. */
  firstTokenMs: number;
  /** llama.cpp's own decode rate (its timings in the last chunk). */
  engineTokensPerSecond: number | undefined;
  /** Pieces that carried thinking (`reasoning_content`), and that carried answer text. */
  thinkingPieces: number;
  answerPieces: number;
  thinking: string;
  text: string;
  /** The calls the model made, assembled from their streamed parts. */
  toolCalls: ChatCompletionToolCall[];
  timings: CallTimings | undefined;
}

/**
 * One streamed chat completion as the app's wllama engine sends it (lib/engine/wllama-engine.ts):
 * any messages, and with `tools` the app's tool definitions (lib/tools/registry's `toolsFor()`,
 * `tool_choice: 'auto'`), so a template that renders tools gets the app's very prompt. Thinking
 * (llama.cpp's `reasoning_content`) and answer pieces are both timed, as the app shows both.
 */
async function chat(
  messages: ChatCompletionMessage[],
  sampling: Sampling,
  { tools = false }: { tools?: boolean } = {},
): Promise<RawChatRun> {
  if (!wllama) throw new Error('No model is loaded.');
  const stamps: number[] = [];
  const calls = new Map<number, ChatCompletionToolCall>();
  const run = { thinkingPieces: 0, answerPieces: 0, thinking: '', text: '' };
  let timings: CallTimings | undefined;
  const started = performance.now();
  await wllama.createChatCompletion({
    messages,
    stream: true,
    max_tokens: sampling.maxTokens,
    temperature: sampling.temperature,
    top_p: sampling.topP,
    ...(sampling.temperature === 0 ? { top_k: 1 } : {}),
    // The same objects the app posts to its worker (wllama's type wants an index signature).
    ...(tools ? { tools: toolsFor() as ChatCompletionTool[], tool_choice: 'auto' as const } : {}),
    onData: (chunk) => {
      const delta = chunk.choices[0]?.delta as (typeof chunk.choices)[number]['delta'] & {
        reasoning_content?: string | null;
      };
      if (delta?.reasoning_content) {
        stamps.push(performance.now());
        run.thinkingPieces++;
        run.thinking += delta.reasoning_content;
      }
      if (delta?.content) {
        stamps.push(performance.now());
        run.answerPieces++;
        run.text += delta.content;
      }
      for (const piece of delta?.tool_calls ?? []) {
        const call = calls.get(piece.index) ?? { id: '', type: 'function', function: { name: '', arguments: '' } };
        if (piece.id) call.id = piece.id;
        call.function.name += piece.function?.name ?? '';
        call.function.arguments += piece.function?.arguments ?? '';
        calls.set(piece.index, call);
      }
      if (chunk.timings) {
        timings = {
          promptN: chunk.timings.prompt_n,
          cacheN: chunk.timings.cache_n,
          promptMs: chunk.timings.prompt_ms,
          predictedN: chunk.timings.predicted_n,
          predictedMs: chunk.timings.predicted_ms,
          predictedPerSecond: chunk.timings.predicted_per_second,
        };
      }
    },
  });
  const ended = performance.now();
  const first = stamps[0] ?? ended;
  const last = stamps.at(-1) ?? ended;
  const tokens = timings?.predictedN ?? stamps.length;
  return {
    ...run,
    tokens,
    tokensPerSecond: last > first ? (tokens - 1) / ((last - first) / 1000) : 0,
    totalMs: ended - started,
    firstTokenMs: first - started,
    engineTokensPerSecond: timings?.predictedPerSecond,
    toolCalls: [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
    timings,
  };
}

/**
 * A tool round as the app's chatWithTools makes it (lib/chat/tool-rounds.ts), engine calls only:
 * the request with the tools; the model's calls and `result` (what the app's tool answered) added
 * as an assistant and a tool turn; the request again. Timed from the first call to the second's end.
 */
async function toolRound(
  messages: ChatCompletionMessage[],
  sampling: Sampling,
  result: string,
): Promise<{ totalMs: number; calls: RawChatRun[] }> {
  const started = performance.now();
  const asked = await chat(messages, sampling, { tools: true });
  const next: ChatCompletionMessage[] = [
    ...messages,
    { role: 'assistant', content: asked.text, tool_calls: asked.toolCalls },
    ...asked.toolCalls.map((call): ChatCompletionMessage => ({ role: 'tool', tool_call_id: call.id, content: result })),
  ];
  const answered = await chat(next, sampling, { tools: true });
  return { totalMs: performance.now() - started, calls: [asked, answered] };
}

/** Prompt tokens llama.cpp counts for a one-message chat (wllama 3 has no tokenize call). */
async function promptTokens(content: string): Promise<number> {
  if (!wllama) throw new Error('No model is loaded.');
  let count = 0;
  await wllama.createChatCompletion({
    messages: [{ role: 'user', content }],
    stream: true,
    max_tokens: 1,
    temperature: 0,
    top_k: 1,
    onData: (chunk) => {
      if (chunk.timings) count = chunk.timings.prompt_n + chunk.timings.cache_n;
    },
  });
  return count;
}

/** Tokens the loaded model's tokenizer makes of `text`. */
async function countTokens(text: string): Promise<number> {
  return (await promptTokens(text)) - (await promptTokens(''));
}

/** The baseline of the download figure: the whole file fetched into memory, timed, then dropped. */
async function fetchIntoMemory(urls: string[]): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  let bytes = 0;
  for (const url of urls) bytes += (await (await fetch(url, { cache: 'no-store' })).arrayBuffer()).byteLength;
  return { ms: performance.now() - started, bytes };
}

/** One text's embedding (the model loaded with embeddings on), with llama.cpp's token count. */
async function embed(text: string): Promise<{ vector: number[]; tokens: number; ms: number }> {
  if (!wllama) throw new Error('No model is loaded.');
  const started = performance.now();
  const response = await wllama.createEmbedding({ input: text, encoding_format: 'float' });
  const vector = response.data[0]?.embedding;
  return {
    vector: Array.isArray(vector) ? vector : [],
    tokens: response.usage.prompt_tokens,
    ms: performance.now() - started,
  };
}

async function unload(): Promise<void> {
  await wllama?.exit();
  wllama = undefined;
}

(window as unknown as { rawEngine: unknown }).rawEngine = {
  load,
  fetchModel: async (urls: string[]) => void (await fetchModel(urls)),
  generate,
  chat,
  toolRound,
  countTokens,
  embed,
  unload,
  fetchIntoMemory,
};
performance.mark('app:interactive');
