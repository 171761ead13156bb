/// <reference lib="webworker" />
// transformers.js called directly in a module worker, set up as the app's speech worker is (same
// wasm, dtype and device), with the model files handed over in memory instead of read from
// IndexedDB. Answers { ms, text } per transcription.
import { env, pipeline, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const PREFIX = '/raw-models/';
const files = new Map<string, Blob>();
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = PREFIX;
env.useBrowserCache = false;
env.useWasmCache = false;
env.useCustomCache = true;
env.customCache = {
  match: async (key: string) => {
    const blob = files.get(key);
    return blob ? new Response(blob) : undefined;
  },
  put: async () => undefined,
};
if (env.backends.onnx.wasm) {
  env.backends.onnx.wasm.wasmPaths = {
    wasm: new URL(ortWasmUrl, scope.location.href).href,
    mjs: new URL(ortFactoryUrl, scope.location.href).href,
  };
}

let asr: AutomaticSpeechRecognitionPipeline | undefined;

scope.onmessage = async (event: MessageEvent) => {
  const message = event.data as
    { kind: 'load'; modelId: string; files: Record<string, Blob> } | { kind: 'transcribe'; audio: Float32Array };
  if (message.kind === 'load') {
    for (const [name, blob] of Object.entries(message.files)) files.set(`${PREFIX}${message.modelId}/${name}`, blob);
    asr = (await pipeline('automatic-speech-recognition', message.modelId, {
      dtype: 'q8',
      device: 'wasm',
    })) as AutomaticSpeechRecognitionPipeline;
    scope.postMessage({ kind: 'loaded' });
    return;
  }
  const result = await asr!(message.audio, { language: 'en', task: 'transcribe' });
  scope.postMessage({ kind: 'transcript', text: Array.isArray(result) ? result[0]?.text : result.text });
};
