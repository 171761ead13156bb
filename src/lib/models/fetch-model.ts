/**
 * The one shape for getting a model of any kind onto the device: a {@link ModelFetch} runs with an
 * AbortSignal, reports progress, and resolves with the stored model record. A GGUF file comes
 * through our resumable downloader (add-model); an MLC model through web-llm, which fetches its
 * shards into its own cache while it loads. The page's DownloadsState runs either the same way:
 * one active download, one rate, one error. A new kind of model (a server model, say) adds a
 * factory here and nothing in the download view.
 */
import type { LoadedModelInfo, LoadProgress, ModelSource } from '../engine/types';
import { isAbortError } from '../engine/errors';
import { runDownload } from './add-model';
import { storedBytesOf, totalBytesOf, type PendingDownload } from './pending-downloads';
import { sourceOf } from './source';
import { MODEL_RECORD_VERSION, saveModel, type StoredMlcModel, type StoredModel } from './storage';
import { DownloadError } from './download-error';
import { growthSince, storedBytesNow } from './quota';

export interface ModelFetchProgress {
  receivedBytes: number;
  totalBytes: number | undefined;
  /** 0..1 where known (web-llm reports a fraction rather than bytes). */
  fraction: number | undefined;
  /** The engine's own words while it fetches and initialises. */
  text?: string;
  /** The browser is offline and the download waits for the network, to go on by itself. */
  offline?: boolean;
}

export interface ModelFetch {
  /** What is being fetched, for the user. */
  name: string;
  url: string;
  backend: StoredModel['backend'];
  /** Where it starts (bytes a resumed download already has). */
  start: ModelFetchProgress;
  run(signal: AbortSignal, onProgress: (progress: ModelFetchProgress) => void): Promise<StoredModel>;
}

/** A GGUF download (new or resumed): the record runDownload writes once every byte is verified. */
export function ggufFetch(
  pending: PendingDownload,
  /** Why the engine could not run a file or model of the announced size (see fit.ts). */
  refuseSize?: (sizes: { fileBytes: number; modelBytes: number }) => string | undefined,
): ModelFetch {
  const start = { receivedBytes: storedBytesOf(pending), totalBytes: totalBytesOf(pending), fraction: undefined };
  return {
    name: pending.name,
    url: pending.sourceUrl,
    backend: 'wllama',
    start,
    run: (signal, onProgress) => {
      let last: ModelFetchProgress = { ...start, offline: false };
      const report = (progress: ModelFetchProgress) => onProgress((last = progress));
      return runDownload(pending, {
        signal,
        ...(refuseSize ? { refuseSize } : {}),
        onProgress: ({ receivedBytes, totalBytes }) =>
          report({
            receivedBytes,
            totalBytes,
            fraction: totalBytes ? receivedBytes / totalBytes : undefined,
            offline: false,
          }),
        onOffline: (offline) => report({ ...last, offline }),
      });
    },
  };
}

/** What the catalog (or the user) says about an MLC model before web-llm has it. */
export interface MlcTarget {
  id: string;
  name: string;
  /** Shown while it downloads (the name with its precision). */
  label: string;
  modelUrl: string;
  modelLibUrl: string;
  vramRequiredMB?: number;
  contextWindow?: number;
  estimatedBytes?: number;
}

/** The engine an MLC fetch loads through (EngineState); an interface so this stays testable. */
export interface MlcLoader {
  loadSource(
    source: ModelSource,
    options: {
      contextLength?: number | undefined;
      onProgress?: (progress: LoadProgress) => void;
      name?: string;
      retry?: () => Promise<unknown>;
    },
  ): Promise<LoadedModelInfo>;
  cancelLoad(): void;
}

export function mlcRecord(target: MlcTarget, addedAt: number): StoredMlcModel {
  return {
    schemaVersion: MODEL_RECORD_VERSION,
    id: target.id,
    name: target.name,
    backend: 'web-llm',
    sourceUrl: target.modelUrl,
    modelLibUrl: target.modelLibUrl,
    vramRequiredMB: target.vramRequiredMB,
    sizeBytes: target.estimatedBytes ?? 0,
    contextLength: target.contextWindow,
    addedAt,
  };
}

/**
 * An MLC model: web-llm fetches its shards while it loads. The record that lists the model as
 * available offline is written once everything is fetched and the model runs. Shards fetched
 * before a cancel or a failure stay in web-llm's cache, so a retry fetches only the rest.
 */
export function mlcFetch(
  target: MlcTarget,
  engine: MlcLoader,
  {
    retry,
    save = saveModel,
  }: {
    /** Loads it again should the engine be lost (a fresh worker starts). */
    retry?: () => Promise<unknown>;
    save?: (record: StoredModel) => Promise<void>;
  } = {},
): ModelFetch {
  const estimated = target.estimatedBytes;
  return {
    name: target.label,
    url: target.modelUrl,
    backend: 'web-llm',
    start: { receivedBytes: 0, totalBytes: estimated, fraction: 0, text: 'Starting the WebGPU engine…' },
    async run(signal, onProgress) {
      if (signal.aborted) throw new DownloadError('aborted', 'The download was cancelled.');
      signal.addEventListener('abort', () => engine.cancelLoad(), { once: true });
      const record = mlcRecord(target, Date.now());
      const usageBefore = estimated === undefined ? await storedBytesNow() : undefined;
      try {
        await engine.loadSource(sourceOf(record), {
          contextLength: target.contextWindow,
          name: target.name,
          ...(retry ? { retry } : {}),
          onProgress: (progress) =>
            onProgress({
              receivedBytes: progress.receivedBytes ?? (progress.fraction ?? 0) * (estimated ?? 0),
              totalBytes: estimated,
              fraction: progress.fraction,
              ...(progress.text === undefined ? {} : { text: progress.text }),
            }),
        });
      } catch (error) {
        if (isAbortError(error)) throw new DownloadError('aborted', 'The download was cancelled.');
        throw error;
      }
      // web-llm does not tell what its cache holds: a custom model's size is what storage grew by.
      const sizeBytes = estimated ?? growthSince(usageBefore, await storedBytesNow());
      const stored = { ...record, sizeBytes, addedAt: Date.now() };
      await save(stored);
      return stored;
    },
  };
}
