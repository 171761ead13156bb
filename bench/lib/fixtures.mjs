// The generated models the sections run on, written once per run under the temp folder and served
// from there like a model host: the chat models (a reasoning and a tool-calling one among them),
// incompressible copies for the storage figure, the tiny Whisper laid out as a mirror of the model
// host, and the fake microphone's sound.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTEXT_LENGTH, makeTinyModel } from '../../test-support/make-tiny-model.mjs';
import { makeSpokenWav, makeTinyWhisper } from '../../test-support/make-tiny-whisper.mjs';
import { THINKER_LONG, TOOLS } from '../../test-support/tiny-chat-models.mjs';
import { MARKDOWN_REPLY } from './markdown-reply.mjs';
import { incompressible } from './storage.mjs';

export const CHAT_CONTEXT = 4096; // what the app allocates for a model that allows it

export const WHISPER_ID = 'onnx-community/whisper-tiny';

/** @typedef {{ file: string, name: string, options: object, sizeBytes: number }} BenchModel */

/** Writes every fixture into dir (served at its root) and says where each is. */
export async function writeFixtures(dir) {
  const models = {
    tiny: { file: 'tiny.gguf', name: 'Bench Tiny', options: { contextLength: CHAT_CONTEXT } },
    large: {
      file: 'large.gguf',
      name: 'Bench Large',
      options: { contextLength: CHAT_CONTEXT, embd: 512, layers: 8, ff: 1408 },
    },
    markdown: {
      file: 'markdown.gguf',
      name: 'Bench Markdown',
      options: { contextLength: CHAT_CONTEXT, reply: MARKDOWN_REPLY },
    },
    // The e2e suite's model: a 256-token window, so summaries go through map-reduce.
    summarize: { file: 'summarize.gguf', name: 'Bench Summarize', options: { contextLength: CONTEXT_LENGTH } },
    // Qwen-style fixtures (test-support/tiny-chat-models.mjs), under their presets' names: a ~400-token
    // thought before a short answer, and the calculator call then an answer after its result.
    thinker: { file: 'thinker-long.gguf', name: THINKER_LONG.name, options: THINKER_LONG.options },
    tools: { file: 'tools.gguf', name: TOOLS.name, options: TOOLS.options },
  };
  // Incompressible copies for the storage figure (bench/lib/storage.mjs says why).
  const noisy = {
    large: { file: 'large-noise.gguf', name: 'Bench Large Noise', options: models.large.options },
    tiny: { file: 'tiny-noise.gguf', name: 'Bench Tiny Noise', options: models.tiny.options },
    tinyToo: { file: 'tiny-noise-2.gguf', name: 'Bench Second Noise', options: models.tiny.options },
  };
  await mkdir(join(dir, 'models'));
  for (const model of [...Object.values(models), ...Object.values(noisy)]) {
    let bytes = makeTinyModel({ ...model.options, name: model.name });
    if (Object.values(noisy).includes(model)) bytes = incompressible(bytes);
    model.sizeBytes = bytes.length;
    await writeFile(join(dir, 'models', model.file), bytes);
  }

  const whisperFiles = makeTinyWhisper();
  for (const [name, body] of Object.entries(whisperFiles)) {
    const path = join(dir, 'mirror', WHISPER_ID, 'resolve', 'main', name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, body);
  }
  const speechWav = join(dir, 'speech.wav');
  await writeFile(speechWav, makeSpokenWav());

  return {
    models: /** @type {Record<keyof typeof models, BenchModel>} */ (models),
    noisy: /** @type {Record<keyof typeof noisy, BenchModel>} */ (noisy),
    whisper: { id: WHISPER_ID, files: Object.keys(whisperFiles) },
    speechWav,
  };
}
