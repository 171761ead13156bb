// The baseline of the streaming and load benchmarks: wllama called directly, with the settings
// the app uses, no worker of ours, no UI. The bench drives it through window.rawEngine.
import { Wllama } from '@wllama/wllama/esm/index.js';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';

interface RawRun {
  loadMs: number;
  tokens: number;
  tokensPerSecond: number;
  text: string;
}

async function run(modelUrl: string, prompt: string, maxTokens: number, contextLength: number): Promise<RawRun> {
  const blob = await (await fetch(modelUrl)).blob();
  const wllama = new Wllama({ default: wasmUrl }, { suppressNativeLog: true });
  wllama.setCompat(null);
  const threads = crossOriginIsolated ? Math.min(navigator.hardwareConcurrency || 1, 8) : 1;
  const loadStart = performance.now();
  await wllama.loadModel([blob], { n_ctx: contextLength, n_threads: threads, n_gpu_layers: 0, n_parallel: 1 });
  const loadMs = performance.now() - loadStart;

  const stamps: number[] = [];
  let text = '';
  await wllama.createChatCompletion({
    messages: [
      { role: 'system', content: 'You are Nook, a helpful assistant running privately on this device.' },
      { role: 'user', content: prompt },
    ],
    stream: true,
    max_tokens: maxTokens,
    temperature: 0,
    top_k: 1,
    onData: (chunk) => {
      const content = chunk.choices[0]?.delta.content;
      if (content) {
        stamps.push(performance.now());
        text += content;
      }
    },
  });
  await wllama.exit();
  const seconds = ((stamps.at(-1) ?? 0) - (stamps[0] ?? 0)) / 1000;
  return { loadMs, tokens: stamps.length, tokensPerSecond: seconds > 0 ? (stamps.length - 1) / seconds : 0, text };
}

(window as unknown as { rawEngine: { run: typeof run } }).rawEngine = { run };
performance.mark('app:interactive');
