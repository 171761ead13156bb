/**
 * The speech worker: Whisper through transformers.js on onnxruntime-web's wasm backend. Model
 * files come only from IndexedDB (read here, in the worker) and the wasm only from Nook's own
 * origin: transformers.js is told it may fetch nothing, and its fetch answers 404 to anything it
 * asks for, so no audio, text or request ever leaves the device from here.
 */
import { env, pipeline, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { assertNever } from '../shared/assert-never';
import type { SpeechReply, SpeechRequest } from './speech-protocol';
import { getSpeechModel, readSpeechFile } from './storage';
import { SpeechError } from './errors';

declare const self: DedicatedWorkerGlobalScope;
const scope = self;
/** transformers.js looks model files up in its cache under this prefix first; ours answers. */
const LOCAL_PREFIX = '/nook-speech-models/';

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = LOCAL_PREFIX;
env.useBrowserCache = false;
env.useFSCache = false;
// The wasm is fetched by onnxruntime itself from our origin (and kept by the service worker), not
// copied into the Cache API or turned into a blob: URL (which the CSP would refuse to import).
env.useWasmCache = false;
env.useCustomCache = true;
env.customCache = {
  async match(key: string) {
    if (!key.startsWith(LOCAL_PREFIX)) return undefined;
    const path = key.slice(LOCAL_PREFIX.length);
    const repoEnd = path.indexOf('/', path.indexOf('/') + 1);
    const blob = repoEnd > 0 ? await readSpeechFile(path.slice(0, repoEnd), path.slice(repoEnd + 1)) : undefined;
    return blob ? new Response(blob, { headers: { 'content-length': String(blob.size) } }) : undefined;
  },
  async put() {
    // Files are stored by the page's download, never by transformers.js.
  },
};
env.fetch = () => Promise.resolve(new Response(null, { status: 404 }));
const onnxWasm = env.backends.onnx.wasm;
if (onnxWasm) {
  onnxWasm.wasmPaths = {
    wasm: new URL(ortWasmUrl, scope.location.href).href,
    mjs: new URL(ortFactoryUrl, scope.location.href).href,
  };
}

interface LoadedSpeechModel {
  asr: AutomaticSpeechRecognitionPipeline;
  multilingual: boolean;
}

const pipelines = new Map<string, Promise<LoadedSpeechModel>>();

function loadPipeline(modelId: string): Promise<LoadedSpeechModel> {
  let pending = pipelines.get(modelId);
  if (!pending) {
    pending = (async () => {
      const record = await getSpeechModel(modelId);
      if (!record) throw new SpeechError('no-speech-model');
      const asr = (await pipeline('automatic-speech-recognition', modelId, {
        dtype: 'q8',
        device: 'wasm',
      })) as AutomaticSpeechRecognitionPipeline;
      return { asr, multilingual: record.multilingual };
    })();
    // A failed load is forgotten, so the next try starts afresh.
    pending.catch(() => pipelines.delete(modelId));
    pipelines.set(modelId, pending);
  }
  return pending;
}

const post = (reply: SpeechReply) => scope.postMessage(reply);

function failure(requestId: number | undefined, error: unknown): SpeechReply {
  if (error instanceof SpeechError) return { kind: 'error', requestId, code: error.code, message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { kind: 'error', requestId, code: 'model-failed', message: `The speech model could not run: ${detail}` };
}

async function handle(request: SpeechRequest): Promise<void> {
  switch (request.kind) {
    case 'load':
      try {
        await loadPipeline(request.modelId);
        post({ kind: 'loaded', modelId: request.modelId });
      } catch (error) {
        post(failure(undefined, error));
      }
      return;
    case 'transcribe':
      try {
        const { asr, multilingual } = await loadPipeline(request.modelId);
        const started = performance.now();
        const long = request.audio.length > 30 * 16_000;
        const result = await asr(request.audio, {
          ...(multilingual ? { language: request.language ?? 'en', task: 'transcribe' } : {}),
          ...(long ? { chunk_length_s: 30, stride_length_s: 5 } : {}),
        });
        const text = (Array.isArray(result) ? result.map((r) => r.text).join(' ') : result.text).trim();
        post({ kind: 'transcript', requestId: request.requestId, text, ms: performance.now() - started });
      } catch (error) {
        post(failure(request.requestId, error));
      }
      return;
    default:
      assertNever(request);
  }
}

scope.addEventListener('message', (event: MessageEvent<SpeechRequest>) => void handle(event.data));
