// The speech benchmark's baseline: transformers.js in a module worker without the app (see
// raw-speech.worker.ts). The bench drives it through window.rawSpeech: load the model's files
// from a URL, then time transcriptions from posting the audio to getting the text, as the app's
// own path is timed.
const worker = new Worker(new URL('./raw-speech.worker.ts', import.meta.url), { type: 'module' });

function reply<T>(): Promise<T> {
  return new Promise((resolve) => worker.addEventListener('message', (e) => resolve(e.data as T), { once: true }));
}

async function load(baseUrl: string, modelId: string, names: string[]): Promise<void> {
  const files: Record<string, Blob> = {};
  for (const name of names) files[name] = await (await fetch(`${baseUrl}${name}`)).blob();
  worker.postMessage({ kind: 'load', modelId, files });
  await reply();
}

/**
 * Transcribes the given samples (mono, 16 kHz: the very recording the app transcribed in the same
 * round), timed from posting them to the worker to the text coming back.
 */
async function transcribe(samples: number[]): Promise<{ ms: number; text: string }> {
  const audio = Float32Array.from(samples);
  const started = performance.now();
  worker.postMessage({ kind: 'transcribe', audio }, [audio.buffer]);
  const { text } = await reply<{ text: string }>();
  return { ms: performance.now() - started, text };
}

(window as unknown as { rawSpeech: unknown }).rawSpeech = { load, transcribe };
