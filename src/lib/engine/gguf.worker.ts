/** Entry of the GGUF engine worker: wllama behind the engine protocol, reading our stored models. */
import { EngineError } from './errors';
import { serveEngine } from './engine-serve';
import { WllamaEngine, type GgufModelFiles } from './wllama-engine';
import { openOpfsReaders } from '../models/opfs-readers';
import { getModel, partStoreIds, readModelFiles } from '../models/storage';
import { WARM_UP_CONTEXT, WARM_UP_MODEL_ID, WARM_UP_MODEL_NAME } from './warm-up-source';
import warmUpModelUrl from 'virtual:nook-warm-up-model';

declare const self: DedicatedWorkerGlobalScope;

/** The stored model's record and bytes, as the engine needs them (it never sees the schema). */
async function readStoredGguf(id: string): Promise<GgufModelFiles> {
  if (id === WARM_UP_MODEL_ID) return readWarmUpModel();
  const record = await getModel(id);
  if (!record || record.backend !== 'wllama') {
    throw new EngineError('model-not-found', 'This model is no longer stored on this device.');
  }
  try {
    return {
      id: record.id,
      name: record.name,
      contextLength: record.contextLength,
      files: await readModelFiles(record),
      ...(record.storage === 'opfs'
        ? {
            openReaders: () => openOpfsReaders(partStoreIds(record)),
          }
        : {}),
    };
  } catch (error) {
    throw new EngineError('model-not-found', error instanceof Error ? error.message : String(error));
  }
}

/** The code warm-up's generated model (code-warm-up.ts), from the app's own origin. */
async function readWarmUpModel(): Promise<GgufModelFiles> {
  const response = await fetch(warmUpModelUrl);
  if (!response.ok)
    throw new EngineError('model-not-found', `The warm-up model could not be read (${response.status}).`);
  return {
    id: WARM_UP_MODEL_ID,
    name: WARM_UP_MODEL_NAME,
    contextLength: WARM_UP_CONTEXT,
    files: [await response.blob()],
  };
}

serveEngine(self, new WllamaEngine(readStoredGguf));
