/**
 * Entry of the speech worker: Whisper through transformers.js on onnxruntime-web's wasm backend,
 * behind `speech-serve`. Model files come only from IndexedDB (read here, in the worker) and the
 * wasm only from Nook's own origin: transformers.js is told it may fetch nothing, and its fetch
 * answers 404 to anything it asks for, so no audio, text or request ever leaves the device.
 */
import { env, pipeline, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { getSpeechModel, readSpeechFile } from './storage';
import { SpeechError } from './errors';
import { serveSpeech, type SpeechRecognizer } from './speech-serve';

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

/** Opens a stored model's Whisper pipeline; the files come from IndexedDB through the cache above. */
async function openWhisper(modelId: string): Promise<SpeechRecognizer> {
  const record = await getSpeechModel(modelId);
  if (!record) throw new SpeechError('no-speech-model');
  const asr = (await pipeline('automatic-speech-recognition', modelId, {
    dtype: 'q8',
    device: 'wasm',
  })) as AutomaticSpeechRecognitionPipeline;
  return {
    async transcribe(audio, language) {
      const long = audio.length > 30 * 16_000;
      const result = await asr(audio, {
        ...(record.multilingual ? { language: language ?? 'en', task: 'transcribe' } : {}),
        ...(long ? { chunk_length_s: 30, stride_length_s: 5 } : {}),
      });
      return (Array.isArray(result) ? result.map((r) => r.text).join(' ') : result.text).trim();
    },
  };
}

serveSpeech(scope, openWhisper);
