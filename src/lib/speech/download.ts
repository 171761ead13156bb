/**
 * Fetches a speech model's files from the host or mirror into IndexedDB, one after the other, with
 * progress. Each file is checked (JSON parses; an ONNX file starts like an ONNX protobuf) before
 * the record is written; a failed or cancelled download removes what it stored. The files are
 * small next to a chat model (tens of MB), so a broken download starts again instead of resuming.
 */
import { SPEECH_MODEL_FILES, speechFileUrl, type SpeechModelEntry } from './catalog';
import { SPEECH_RECORD_VERSION, type StoredSpeechModel } from './storage';

export interface SpeechFileSink {
  putFile(modelId: string, file: string, blob: Blob): Promise<void>;
  discard(modelId: string): Promise<void>;
  saveRecord(record: StoredSpeechModel): Promise<void>;
}

export interface SpeechDownloadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Bytes of every file so far. */
  receivedBytes: number;
}

export interface SpeechDownloadRequest {
  entry: SpeechModelEntry;
  mirror: string | undefined;
  sink: SpeechFileSink;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: SpeechDownloadProgress) => void;
  now?: () => number;
}

export class SpeechDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpeechDownloadError';
  }
}

async function readAll(response: Response, onBytes: (n: number) => void, signal?: AbortSignal): Promise<Blob> {
  if (!response.body) return response.blob();
  const parts: Uint8Array[] = [];
  const reader = response.body.getReader();
  for (;;) {
    signal?.throwIfAborted();
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    onBytes(value.byteLength);
  }
  return new Blob(parts as BlobPart[]);
}

/** Throws a sentence for a file that is not what its name says. */
export async function checkSpeechFile(file: string, blob: Blob): Promise<void> {
  if (blob.size === 0) throw new SpeechDownloadError(`${file} is empty.`);
  if (file.endsWith('.json')) {
    try {
      JSON.parse(await blob.text());
    } catch {
      throw new SpeechDownloadError(`${file} is not valid JSON: this is not a speech model.`);
    }
  } else if (file.endsWith('.onnx')) {
    // An ONNX ModelProto opens with field 1 (ir_version) as a varint: byte 0x08.
    const first = new Uint8Array(await blob.slice(0, 1).arrayBuffer())[0];
    if (first !== 0x08) throw new SpeechDownloadError(`${file} is not an ONNX model.`);
  }
}

export async function downloadSpeechModel(request: SpeechDownloadRequest): Promise<StoredSpeechModel> {
  const { entry, mirror, sink, signal, onProgress } = request;
  const doFetch = request.fetch ?? fetch;
  let received = 0;
  try {
    for (const [fileIndex, file] of SPEECH_MODEL_FILES.entries()) {
      const url = speechFileUrl(entry.id, file, mirror);
      let response: Response;
      try {
        response = await doFetch(url, { signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new SpeechDownloadError(`Could not reach ${new URL(url).host}: check the connection and try again.`);
      }
      if (!response.ok) {
        throw new SpeechDownloadError(
          `${file} could not be downloaded (${response.status} from ${new URL(url).host}).`,
        );
      }
      onProgress?.({ file, fileIndex, fileCount: SPEECH_MODEL_FILES.length, receivedBytes: received });
      const blob = await readAll(
        response,
        (n) => {
          received += n;
          onProgress?.({ file, fileIndex, fileCount: SPEECH_MODEL_FILES.length, receivedBytes: received });
        },
        signal,
      );
      await checkSpeechFile(file, blob);
      await sink.putFile(entry.id, file, blob);
    }
    const record: StoredSpeechModel = {
      schemaVersion: SPEECH_RECORD_VERSION,
      id: entry.id,
      name: entry.name,
      sourceUrl: speechFileUrl(entry.id, '', mirror),
      multilingual: entry.multilingual,
      sizeBytes: received,
      files: [...SPEECH_MODEL_FILES],
      addedAt: (request.now ?? Date.now)(),
    };
    await sink.saveRecord(record);
    return record;
  } catch (error) {
    await sink.discard(entry.id);
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new SpeechDownloadError('Not enough storage for the speech model. Free some space, then try again.');
    }
    throw error;
  }
}
