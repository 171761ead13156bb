import 'fake-indexeddb/auto';
import { createStore, entries, get, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { getModel, MODEL_RECORD_VERSION, readModels } from './storage';

/** The records store as another version of Nook left it (the same database storage.ts opens). */
const records = createStore('nook-models', 'records');

const ggufV1 = {
  schemaVersion: 1,
  id: 'tiny',
  name: 'Tiny model',
  sourceUrl: 'http://127.0.0.1/tiny.gguf',
  backend: 'wllama',
  sizeBytes: 1000,
  chunkCount: 3,
  architecture: 'llama',
  contextLength: 256,
  addedAt: 1,
};
const mlcV1 = {
  schemaVersion: 1,
  id: 'SmolLM2-135M-Instruct-q0f16-MLC',
  name: 'SmolLM2 135M',
  backend: 'web-llm',
  sourceUrl: 'https://huggingface.co/mlc-ai/SmolLM2-135M-Instruct-q0f16-MLC',
  modelLibUrl: 'https://example.org/lib.wasm',
  vramRequiredMB: 300,
  sizeBytes: 270_000_000,
  contextLength: 2048,
  addedAt: 2,
};
/** What this version cannot read, each for its own reason; none may be lost or changed. */
const unreadable: Record<string, unknown> = {
  'from-before-versions': { id: 'from-before-versions', name: 'Old', backend: 'wllama', sizeBytes: 1, addedAt: 3 },
  'from-a-newer-nook': { ...ggufV1, id: 'from-a-newer-nook', schemaVersion: MODEL_RECORD_VERSION + 1, shards: [1] },
  'not-a-record': 'just a string',
  'unknown-backend': { ...ggufV1, id: 'unknown-backend', schemaVersion: MODEL_RECORD_VERSION, backend: 'onnx' },
  'wrong-key': { ...ggufV1, id: 'another-id', schemaVersion: MODEL_RECORD_VERSION },
};

describe('readModels: model records from other versions', () => {
  it('migrates version-1 records to the current version, writes them back once, and counts what it cannot read without touching it', async () => {
    await set(ggufV1.id, ggufV1, records);
    await set(mlcV1.id, mlcV1, records);
    for (const [key, value] of Object.entries(unreadable)) await set(key, value, records);

    const { models, unreadable: count } = await readModels();

    expect(count).toBe(Object.keys(unreadable).length);
    // Newest first; version 2 drops the never-read `chunkCount` and keeps everything else.
    expect(models.map((model) => model.id)).toEqual([mlcV1.id, ggufV1.id]);
    const ggufV2: Record<string, unknown> = { ...ggufV1, schemaVersion: MODEL_RECORD_VERSION };
    delete ggufV2.chunkCount;
    expect(models[1]).toEqual(ggufV2);
    expect(models[1]).not.toHaveProperty('chunkCount');
    expect(models[0]).toEqual({ ...mlcV1, schemaVersion: MODEL_RECORD_VERSION });

    // The migrated records are stored as read; the unreadable ones are exactly as they were.
    expect(await get(ggufV1.id, records)).toEqual(models[1]);
    expect(await get(mlcV1.id, records)).toEqual(models[0]);
    for (const [key, value] of Object.entries(unreadable)) expect(await get(key, records)).toEqual(value);
    expect(await entries(records)).toHaveLength(2 + Object.keys(unreadable).length);

    // Reading again finds the same models (nothing left to migrate) and the same count.
    expect(await readModels()).toEqual({ models, unreadable: count });
    // One record by id goes through the same reading: an unreadable one is not offered as a model.
    expect(await getModel(ggufV1.id)).toEqual(models[1]);
    expect(await getModel('from-a-newer-nook')).toBeUndefined();
  });
});
