/**
 * What a catalog entry is: small instruct models (≤ ~4B parameters) Nook offers out of the box,
 * MLC builds for web-llm (WebGPU) and GGUF files for wllama. The entries themselves are data, in
 * catalog.json (read and checked by catalog-schema.ts, shipped by catalog-file.ts); this module
 * holds their types and the rules that turn an entry into URLs (a user's mirror replacing the
 * default hosts), sizes and memory. No device logic here (see fit.ts). MLC entries are copied
 * from web-llm's `prebuiltAppConfig` (ids, libraries, VRAM and context figures), so the page never
 * imports web-llm to read them; catalog-webllm.test.ts keeps the copy honest. The build's catalog
 * check imports this module through catalog-schema.ts, hence the `.ts` in its imports.
 */
import { MLC_LIB_VERSION } from '../engine/mlc-version.ts';
import { DEFAULT_MLC_LIB_HOST, DEFAULT_MODEL_HOST, normaliseMirror } from './hosts.ts';

export type Precision = 'f16' | 'f32';

export interface MlcVariant {
  precision: Precision;
  /** web-llm's model_id (also the key of its IndexedDB cache). */
  modelId: string;
  /** Repository path on the model host, e.g. `mlc-ai/Qwen3-0.6B-q4f32_1-MLC`. */
  repo: string;
  /** File name of the compiled model library, under {@link MLC_LIB_VERSION}/base/. */
  lib: string;
  vramRequiredMB: number;
  /**
   * Weights to download, estimated from the quantisation (web-llm does not publish sizes): a 4-bit
   * build (q4f16_1, q4f32_1) is ~4.5 bits a parameter with its scales, 0.57 × parameters in MB.
   */
  downloadMB: number;
}

export interface MlcCatalogEntry {
  kind: 'mlc';
  family: string;
  name: string;
  parametersB: number;
  contextWindow: number;
  licence: { name: string; url: string };
  /** f16 where web-llm ships one; f32 always (it runs without `shader-f16`). */
  variants: { f16?: MlcVariant; f32: MlcVariant };
}

export interface GgufFile {
  /** Path on the model host, e.g. `Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/x.gguf`. */
  path: string;
  /** Published size, rounded; an estimate for the UI. The download checks the server's length. */
  approxBytes: number;
  /** Hex SHA-256 of the file when known; the download is checked against it. */
  sha256?: string;
}

export interface GgufCatalogEntry {
  kind: 'gguf';
  family: string;
  name: string;
  parametersB: number;
  contextWindow: number;
  quantisation: string;
  licence: { name: string; url: string };
  /** One file, or the parts of a split model (`-00001-of-0000N.gguf`) in order. */
  files: GgufFile[];
  /** RAM the CPU engine needs besides the weights (KV cache, scratch), in MB. */
  overheadMB: number;
}

export type CatalogEntry = MlcCatalogEntry | GgufCatalogEntry;

/** Stable key of a catalog entry (an MLC family has one key for both precisions). */
export function catalogKey(entry: CatalogEntry): string {
  return entry.kind === 'mlc' ? `mlc:${entry.variants.f32.modelId}` : `gguf:${entry.files[0]!.path}`;
}

/**
 * Where an MLC variant's files come from. With a mirror, the layout is the model host's own
 * (`<mirror>/<repo>/resolve/main/…`) plus `<mirror>/web-llm-libs/<version>/<lib>`.
 */
export function mlcUrls(variant: MlcVariant, mirror?: string): { modelUrl: string; modelLibUrl: string } {
  const base = normaliseMirror(mirror);
  return {
    modelUrl: `${base ?? DEFAULT_MODEL_HOST}/${variant.repo}`,
    modelLibUrl: base
      ? `${base}/web-llm-libs/${MLC_LIB_VERSION}/${variant.lib}`
      : `${DEFAULT_MLC_LIB_HOST}/${MLC_LIB_VERSION}/base/${variant.lib}`,
  };
}

/** Where a GGUF file comes from: `<host or mirror>/<path>`. */
export function ggufUrl(file: GgufFile, mirror?: string): string {
  return `${normaliseMirror(mirror) ?? DEFAULT_MODEL_HOST}/${file.path}`;
}

/** Total download of an entry in MB (the variant's, for MLC). */
export function downloadMB(entry: CatalogEntry, precision: Precision = 'f32'): number {
  if (entry.kind === 'gguf') return Math.round(entry.files.reduce((sum, f) => sum + f.approxBytes, 0) / 1_000_000);
  return (entry.variants[precision] ?? entry.variants.f32).downloadMB;
}

/**
 * Memory a model needs to run, in MB: web-llm's `vram_required_MB` for an MLC variant; the weights
 * plus the KV cache and scratch space for a GGUF model on the CPU.
 */
export function memoryMB(entry: CatalogEntry, precision: Precision = 'f32'): number {
  if (entry.kind === 'mlc') return (entry.variants[precision] ?? entry.variants.f32).vramRequiredMB;
  return downloadMB(entry) + entry.overheadMB;
}

const SPLIT = /-(\d{5})-of-(\d{5})\.gguf$/i;

/**
 * The URLs of every part of a GGUF model from the address of any one part: a split model named
 * `…-00001-of-00003.gguf` has three files; anything else is one file.
 */
export function ggufPartUrls(url: URL): URL[] {
  const match = SPLIT.exec(url.pathname);
  if (!match) return [url];
  const count = Number(match[2]);
  if (count < 1 || count > 999) return [url];
  return Array.from({ length: count }, (_, i) => {
    const part = new URL(url.href);
    part.pathname = url.pathname.replace(SPLIT, `-${String(i + 1).padStart(5, '0')}-of-${match[2]}.gguf`);
    return part;
  });
}
