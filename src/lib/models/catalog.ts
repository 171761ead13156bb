/**
 * The curated model catalog: small instruct models (≤ ~4B parameters) Nook offers out of the box.
 * MLC entries are taken from web-llm 0.2.86's `prebuiltAppConfig` (ids, libraries, VRAM and
 * context figures copied at dev time, so the page never imports web-llm to read them); GGUF
 * entries point at public files for the wllama engine. Data only, plus the URL rules that let a
 * user-configured mirror replace the default hosts. No device logic here (see fit.ts).
 */
import { MLC_LIB_VERSION } from '../engine/mlc-version';
import { DEFAULT_MLC_LIB_HOST, DEFAULT_MODEL_HOST, normaliseMirror } from './hosts';

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
  /** Weights to download, estimated from the quantisation (web-llm does not publish sizes). */
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

const APACHE = { name: 'Apache 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' };
const LLAMA32 = {
  name: 'Llama 3.2 Community License',
  url: 'https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/blob/main/LICENSE.txt',
};
const GEMMA = { name: 'Gemma Terms of Use', url: 'https://ai.google.dev/gemma/terms' };
const MIT_PHI = { name: 'MIT', url: 'https://huggingface.co/microsoft/Phi-3.5-mini-instruct/blob/main/LICENSE' };
const QWEN_RESEARCH = {
  name: 'Qwen Research License',
  url: 'https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE',
};

/** Weights in MB for a 4-bit MLC build (q4f16_1/q4f32_1: ~4.5 bits a parameter with scales). */
const q4MB = (parametersB: number) => Math.round(parametersB * 1000 * 0.57);

function mlc(
  family: string,
  name: string,
  parametersB: number,
  licence: MlcCatalogEntry['licence'],
  ids: { f16?: [string, string, number]; f32: [string, string, number] },
  contextWindow = 4096,
): MlcCatalogEntry {
  const variant = (precision: Precision, [modelId, lib, vram]: [string, string, number]): MlcVariant => ({
    precision,
    modelId,
    repo: `mlc-ai/${modelId}`,
    lib,
    vramRequiredMB: vram,
    downloadMB: q4MB(parametersB),
  });
  return {
    kind: 'mlc',
    family,
    name,
    parametersB,
    contextWindow,
    licence,
    variants: { ...(ids.f16 ? { f16: variant('f16', ids.f16) } : {}), f32: variant('f32', ids.f32) },
  };
}

export const MLC_CATALOG: readonly MlcCatalogEntry[] = [
  mlc('smollm2', 'SmolLM2 360M Instruct', 0.36, APACHE, {
    f16: ['SmolLM2-360M-Instruct-q4f16_1-MLC', 'SmolLM2-360M-Instruct-q4f16_1_cs1k-webgpu.wasm', 376.06],
    f32: ['SmolLM2-360M-Instruct-q4f32_1-MLC', 'SmolLM2-360M-Instruct-q4f32_1_cs1k-webgpu.wasm', 579.61],
  }),
  mlc('qwen2.5', 'Qwen2.5 0.5B Instruct', 0.5, APACHE, {
    f16: ['Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm', 944.62],
    f32: ['Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm', 1060.2],
  }),
  mlc('qwen3', 'Qwen3 0.6B', 0.6, APACHE, {
    f16: ['Qwen3-0.6B-q4f16_1-MLC', 'Qwen3-0.6B-q4f16_1_cs1k-webgpu.wasm', 1403.34],
    f32: ['Qwen3-0.6B-q4f32_1-MLC', 'Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm', 1924.98],
  }),
  mlc('llama-3.2', 'Llama 3.2 1B Instruct', 1.2, LLAMA32, {
    f16: ['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'Llama-3.2-1B-Instruct-q4f16_1_cs1k-webgpu.wasm', 879.04],
    f32: ['Llama-3.2-1B-Instruct-q4f32_1-MLC', 'Llama-3.2-1B-Instruct-q4f32_1_cs1k-webgpu.wasm', 1128.82],
  }),
  mlc('qwen2.5', 'Qwen2.5 1.5B Instruct', 1.5, APACHE, {
    f16: ['Qwen2.5-1.5B-Instruct-q4f16_1-MLC', 'Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm', 1629.75],
    f32: ['Qwen2.5-1.5B-Instruct-q4f32_1-MLC', 'Qwen2-1.5B-Instruct-q4f32_1_cs1k-webgpu.wasm', 1888.97],
  }),
  mlc('smollm2', 'SmolLM2 1.7B Instruct', 1.7, APACHE, {
    f16: ['SmolLM2-1.7B-Instruct-q4f16_1-MLC', 'SmolLM2-1.7B-Instruct-q4f16_1_cs1k-webgpu.wasm', 1774.19],
    f32: ['SmolLM2-1.7B-Instruct-q4f32_1-MLC', 'SmolLM2-1.7B-Instruct-q4f32_1_cs1k-webgpu.wasm', 2692.38],
  }),
  mlc('qwen3', 'Qwen3 1.7B', 1.7, APACHE, {
    f16: ['Qwen3-1.7B-q4f16_1-MLC', 'Qwen3-1.7B-q4f16_1_cs1k-webgpu.wasm', 2036.66],
    f32: ['Qwen3-1.7B-q4f32_1-MLC', 'Qwen3-1.7B-q4f32_1_cs1k-webgpu.wasm', 2635.44],
  }),
  mlc('gemma-2', 'Gemma 2 2B Instruct', 2.6, GEMMA, {
    f16: ['gemma-2-2b-it-q4f16_1-MLC', 'gemma-2-2b-it-q4f16_1_cs1k-webgpu.wasm', 1895.3],
    f32: ['gemma-2-2b-it-q4f32_1-MLC', 'gemma-2-2b-it-q4f32_1_cs1k-webgpu.wasm', 2508.75],
  }),
  mlc('qwen2.5', 'Qwen2.5 3B Instruct', 3.1, QWEN_RESEARCH, {
    f16: ['Qwen2.5-3B-Instruct-q4f16_1-MLC', 'Qwen2.5-3B-Instruct-q4f16_1_cs1k-webgpu.wasm', 2504.76],
    f32: ['Qwen2.5-3B-Instruct-q4f32_1-MLC', 'Qwen2.5-3B-Instruct-q4f32_1_cs1k-webgpu.wasm', 2893.64],
  }),
  mlc('llama-3.2', 'Llama 3.2 3B Instruct', 3.2, LLAMA32, {
    f16: ['Llama-3.2-3B-Instruct-q4f16_1-MLC', 'Llama-3.2-3B-Instruct-q4f16_1_cs1k-webgpu.wasm', 2263.69],
    f32: ['Llama-3.2-3B-Instruct-q4f32_1-MLC', 'Llama-3.2-3B-Instruct-q4f32_1_cs1k-webgpu.wasm', 2951.51],
  }),
  mlc('phi-3.5', 'Phi-3.5 mini Instruct', 3.8, MIT_PHI, {
    f16: ['Phi-3.5-mini-instruct-q4f16_1-MLC', 'Phi-3.5-mini-instruct-q4f16_1_cs1k-webgpu.wasm', 3672.07],
    f32: ['Phi-3.5-mini-instruct-q4f32_1-MLC', 'Phi-3.5-mini-instruct-q4f32_1_cs1k-webgpu.wasm', 5483.12],
  }),
  mlc('qwen3', 'Qwen3 4B', 4.0, APACHE, {
    f16: ['Qwen3-4B-q4f16_1-MLC', 'Qwen3-4B-q4f16_1_cs1k-webgpu.wasm', 3431.59],
    f32: ['Qwen3-4B-q4f32_1-MLC', 'Qwen3-4B-q4f32_1_cs1k-webgpu.wasm', 4327.71],
  }),
];

/**
 * GGUF files for the CPU engine (and WebGPU where `shader-f16` exists). Sizes are rounded
 * estimates; no hash is pinned because these could not be fetched to compute one here — an entry
 * with `sha256` is checked against it after download.
 */
export const GGUF_CATALOG: readonly GgufCatalogEntry[] = [
  {
    kind: 'gguf',
    family: 'smollm2',
    name: 'SmolLM2 360M Instruct',
    parametersB: 0.36,
    contextWindow: 8192,
    quantisation: 'Q8_0',
    licence: APACHE,
    files: [
      {
        path: 'HuggingFaceTB/SmolLM2-360M-Instruct-GGUF/resolve/main/smollm2-360m-instruct-q8_0.gguf',
        approxBytes: 386_000_000,
      },
    ],
    overheadMB: 200,
  },
  {
    kind: 'gguf',
    family: 'qwen2.5',
    name: 'Qwen2.5 0.5B Instruct',
    parametersB: 0.5,
    contextWindow: 32768,
    quantisation: 'Q4_K_M',
    licence: APACHE,
    files: [
      {
        path: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
        approxBytes: 491_000_000,
      },
    ],
    overheadMB: 250,
  },
  {
    kind: 'gguf',
    family: 'llama-3.2',
    name: 'Llama 3.2 1B Instruct',
    parametersB: 1.2,
    contextWindow: 131072,
    quantisation: 'Q4_K_M',
    licence: LLAMA32,
    files: [
      {
        path: 'bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
        approxBytes: 808_000_000,
      },
    ],
    overheadMB: 400,
  },
  {
    kind: 'gguf',
    family: 'qwen2.5',
    name: 'Qwen2.5 1.5B Instruct',
    parametersB: 1.5,
    contextWindow: 32768,
    quantisation: 'Q4_K_M',
    licence: APACHE,
    files: [
      {
        path: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf',
        approxBytes: 1_117_000_000,
      },
    ],
    overheadMB: 450,
  },
];

export const CATALOG: readonly CatalogEntry[] = [...MLC_CATALOG, ...GGUF_CATALOG];

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
