/** The shapes of one GGUF file's download: what is asked, how far it got, what it gives. */
import type { GgufSummary } from './gguf';
import type { ChunkSink } from './storage';

export interface DownloadProgress {
  /** Bytes of the file stored or arriving, including those stored by earlier attempts. */
  receivedBytes: number;
  /** From Content-Length / Content-Range; undefined when the server does not say. */
  totalBytes: number | undefined;
}

/** How far a resumable download got; persisted by the caller between attempts and reloads. */
export interface PartState {
  /** Bytes safely stored, in `chunkCount` chunks. */
  storedBytes: number;
  chunkCount: number;
  totalBytes?: number;
  /** The server's validator for the file; a resumed request asks for the rest of this version. */
  etag?: string;
}

export interface DownloadRequest {
  url: URL;
  /** Where the chunks go in the sink (the model id, or one per part of a split model). */
  modelId: string;
  sink: ChunkSink;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  fetch?: typeof globalThis.fetch;
  /** Bytes per stored chunk. */
  chunkSize?: number;
  /** Hex SHA-256 the finished file must have. */
  sha256?: string;
  resume?: { state: PartState; onCheckpoint: (state: PartState) => Promise<void> };
  /**
   * Asked with the file's full size as soon as the server announces it, before the body is read:
   * a sentence says why the engine could not run it (the download stops, nothing is kept).
   */
  refuseSize?: (fileBytes: number) => string | undefined | Promise<string | undefined>;
}

export interface DownloadedFile {
  sizeBytes: number;
  chunkCount: number;
  /** What the record needs from the header (the header itself holds the whole vocabulary). */
  summary: GgufSummary;
}
