/** Adding a custom GGUF model by URL: download, verify, and only then record it as available. */
import { downloadGgufFile, DownloadError, parseModelUrl, type DownloadProgress } from './download';
import { summarizeGguf } from './gguf';
import { idbChunkSink, listModels, MODEL_RECORD_VERSION, saveModel, type StoredModel } from './storage';

export interface AddModelOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
}

function fileNameOf(url: URL): string {
  const last = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? url.host);
  return last.replace(/\.gguf$/i, '');
}

export async function addModelFromUrl(input: string, options: AddModelOptions = {}): Promise<StoredModel> {
  const url = parseModelUrl(input);
  const existing = (await listModels()).find((model) => model.sourceUrl === url.href);
  if (existing) {
    throw new DownloadError('already-stored', `${existing.name} from this address is already on this device.`);
  }
  const id = crypto.randomUUID();
  const file = await downloadGgufFile({ url, modelId: id, sink: idbChunkSink, ...options });
  const summary = summarizeGguf(file.header);
  const record: StoredModel = {
    schemaVersion: MODEL_RECORD_VERSION,
    id,
    name: summary.name?.trim() || fileNameOf(url),
    sourceUrl: url.href,
    backend: 'wllama',
    sizeBytes: file.sizeBytes,
    chunkCount: file.chunkCount,
    architecture: summary.architecture,
    contextLength: summary.contextLength,
    addedAt: Date.now(),
  };
  try {
    await saveModel(record);
  } catch (error) {
    await idbChunkSink.discardChunks(id);
    throw new DownloadError(
      'storage-failed',
      `Could not store the model: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return record;
}
