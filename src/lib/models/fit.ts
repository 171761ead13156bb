/**
 * Device fit: which catalog models this device can run, on which engine, in which precision, how
 * fast, and so which one to recommend. Pure:
 * it reads a plain description of the device (what the WebGPU adapter reports, the memory the
 * browser admits to), so every rule is unit-tested without a GPU. The probe that fills the
 * description lives in the page (state/engine.svelte.ts).
 */
import {
  downloadMB,
  memoryMB,
  type CatalogEntry,
  type GgufCatalogEntry,
  type MlcCatalogEntry,
  type MlcVariant,
  type Precision,
} from './catalog';
import { formatTokenRate } from '../shared/format';

export interface DeviceDescription {
  webGpu:
    | {
        shaderF16: boolean;
        /** Adapter limits, bytes. */
        maxStorageBufferBindingSize: number;
        maxBufferSize: number;
        /** e.g. "swiftshader" for a CPU-emulated adapter, from GPUAdapterInfo. */
        architecture?: string;
        vendor?: string;
      }
    | undefined;
  /** `navigator.deviceMemory` in GB (Chromium rounds down and caps at 8); undefined elsewhere. */
  deviceMemoryGB: number | undefined;
  /** `navigator.hardwareConcurrency`; undefined where the browser hides it. */
  cpuCores?: number;
}

export type FitLevel = 'good' | 'slow' | 'no';

export type EngineChoice = 'web-llm on WebGPU' | 'wllama on WebGPU' | 'wllama on CPU';

export interface ModelFit {
  level: FitLevel;
  /** One sentence for the user: why this label. */
  reason: string;
  /** For MLC: the variant this device would download; undefined when none can run. */
  variant?: MlcVariant;
  /** The engine and device that would run it. */
  runsOn: EngineChoice;
  /** One sentence: why that engine on this device. */
  engineReason: string;
  /** Decode speed expected here (a model of memory bandwidth, not a measurement); 0 when it cannot run. */
  expectedTokensPerSecond: number;
}

export const FIT_LABELS: Record<FitLevel, string> = { good: 'Runs well', slow: 'May be slow', no: "Won't fit" };

/** The largest single weight buffer MLC builds bind, in bytes (the embedding of a ~4B model). */
const MLC_LARGEST_BINDING = 128 * 1024 * 1024;
/** Chromium's default WebGPU limit; adapters below it are very old or heavily constrained. */
const MIN_BUFFER_FOR_MLC = 256 * 1024 * 1024;
/** Memory the browser, the OS and the page need besides a model, in MB. */
const SYSTEM_RESERVE_MB = 1500;
/** wasm32: llama.cpp in the browser addresses at most 4 GB (Memory64 aside). */
export const WASM_ADDRESS_SPACE_MB = 4000;
/**
 * wllama reads a model file through an emulated file whose offsets are a 32-bit `long` (its ftell),
 * so one file may hold at most 2 GiB − 1 bytes; larger models come split into parts.
 */
export const MAX_GGUF_FILE_BYTES = 2 ** 31 - 1;
/** Working memory of a GGUF model beyond its weights when the catalog does not say (KV cache, scratch). */
const GGUF_WORKING_SHARE = 0.15;
const GGUF_WORKING_MIN_MB = 256;

// Decoding reads every weight once per token, so its speed is about the bandwidth the engine
// gets from memory divided by the weights' bytes. These are the rates the catalog expects.
/** llama.cpp's wasm SIMD build, per thread (up to 8); see docs/decisions/0019-expected-speed-model.md. */
const CPU_BYTES_PER_SECOND_PER_THREAD = 0.8e9;
/** Threads assumed when the browser hides its core count. */
const DEFAULT_CPU_THREADS = 4;
/** A typical laptop GPU's memory bandwidth. */
const GPU_BYTES_PER_SECOND = 60e9;
/** Share of it web-llm's compiled kernels reach; its f32 builds move twice the activations. */
const MLC_EFFICIENCY = { f16: 0.5, f32: 0.35 } as const;
/** Share llama.cpp's WebGPU backend reaches (younger than MLC's kernels). */
const GGUF_WEBGPU_EFFICIENCY = 0.3;
/** An emulated adapter (SwiftShader) is far slower than the CPU path (docs/decisions/0019-expected-speed-model.md). */
const SOFTWARE_ADAPTER_BYTES_PER_SECOND = 20e6;
/** At or above this a reply reads comfortably as it streams; below, the label says "May be slow". */
export const GOOD_TOKENS_PER_SECOND = 4;

/** A software adapter (SwiftShader) does WebGPU on the CPU: correct, but slow. */
export function isSoftwareAdapter(webGpu: NonNullable<DeviceDescription['webGpu']>): boolean {
  return /swiftshader|llvmpipe|software/i.test(`${webGpu.architecture ?? ''} ${webGpu.vendor ?? ''}`);
}

/** f16 needs the adapter's `shader-f16`; everything else gets the f32 build. */
export function precisionFor(device: DeviceDescription): Precision {
  return device.webGpu?.shaderF16 ? 'f16' : 'f32';
}

export function variantFor(entry: MlcCatalogEntry, device: DeviceDescription): MlcVariant {
  return precisionFor(device) === 'f16' ? (entry.variants.f16 ?? entry.variants.f32) : entry.variants.f32;
}

function bufferLimitsTooSmall(gpu: NonNullable<DeviceDescription['webGpu']>): boolean {
  return gpu.maxBufferSize < MIN_BUFFER_FOR_MLC || gpu.maxStorageBufferBindingSize < MLC_LARGEST_BINDING;
}

/**
 * Whether llama.cpp (wllama) should run a GGUF model on WebGPU here: only on a real GPU with
 * `shader-f16` (its WebGPU path needs it) and sane buffer limits; an emulated adapter is slower
 * than llama.cpp's own CPU code.
 */
export function ggufOnWebGpu(device: DeviceDescription): boolean {
  const gpu = device.webGpu;
  return gpu !== undefined && gpu.shaderF16 && !isSoftwareAdapter(gpu) && !bufferLimitsTooSmall(gpu);
}

const cpuThreads = (device: DeviceDescription) => Math.max(1, Math.min(device.cpuCores ?? DEFAULT_CPU_THREADS, 8));

const gb = (mb: number) => `${(mb / 1000).toFixed(1)} GB`;
const expectedPhrase = (rate: number) => `about ${formatTokenRate(rate)} expected here`;
const levelOf = (rate: number): FitLevel => (rate >= GOOD_TOKENS_PER_SECOND ? 'good' : 'slow');

function fitMlc(entry: MlcCatalogEntry, device: DeviceDescription): ModelFit {
  const runsOn = 'web-llm on WebGPU';
  const gpu = device.webGpu;
  if (!gpu) {
    const reason = 'Needs WebGPU, which this browser does not offer.';
    return { level: 'no', reason, runsOn, engineReason: reason, expectedTokensPerSecond: 0 };
  }
  const variant = variantFor(entry, device);
  const precisionNote = gpu.shaderF16 ? '' : ' (f32 build: this GPU lacks shader-f16)';
  const engineReason = gpu.shaderF16
    ? `web-llm runs its f16 build, compiled for WebGPU, on this GPU.`
    : `This GPU lacks shader-f16, so web-llm runs its f32 build.`;
  const no = (reason: string): ModelFit => ({
    level: 'no',
    reason,
    variant,
    runsOn,
    engineReason,
    expectedTokensPerSecond: 0,
  });
  if (bufferLimitsTooSmall(gpu)) {
    return no(
      `The GPU's buffer limits (${Math.round(gpu.maxStorageBufferBindingSize / 2 ** 20)} MB per binding) are too small for MLC models.`,
    );
  }
  const deviceMB = device.deviceMemoryGB === undefined ? undefined : device.deviceMemoryGB * 1000;
  if (deviceMB !== undefined && variant.vramRequiredMB > deviceMB) {
    return no(
      `Needs about ${gb(variant.vramRequiredMB)} of GPU memory${precisionNote}; this device reports ${gb(deviceMB)}.`,
    );
  }
  const weightBytes = variant.downloadMB * 1e6;
  if (isSoftwareAdapter(gpu)) {
    const rate = SOFTWARE_ADAPTER_BYTES_PER_SECOND / weightBytes;
    return {
      level: 'slow',
      reason: `The WebGPU adapter is emulated on the CPU, so replies come slowly${precisionNote}: ${expectedPhrase(rate)}.`,
      variant,
      runsOn,
      engineReason: 'The WebGPU adapter is emulated on the CPU (no GPU): a GGUF model on the CPU answers far faster.',
      expectedTokensPerSecond: rate,
    };
  }
  const rate = (GPU_BYTES_PER_SECOND * MLC_EFFICIENCY[variant.precision]) / weightBytes;
  if (deviceMB !== undefined && variant.vramRequiredMB + SYSTEM_RESERVE_MB > deviceMB) {
    return {
      level: 'slow',
      reason: `Needs about ${gb(variant.vramRequiredMB)} of ${gb(deviceMB)} memory${precisionNote}; other apps may be squeezed.`,
      variant,
      runsOn,
      engineReason,
      expectedTokensPerSecond: rate,
    };
  }
  return {
    level: levelOf(rate),
    reason: `Needs about ${gb(variant.vramRequiredMB)} of GPU memory${precisionNote}; ${expectedPhrase(rate)}.`,
    variant,
    runsOn,
    engineReason,
    expectedTokensPerSecond: rate,
  };
}

function ggufEngine(device: DeviceDescription): { runsOn: EngineChoice; engineReason: string } {
  const gpu = device.webGpu;
  const threads = cpuThreads(device);
  const onCpu = `llama.cpp runs on the CPU (${threads} thread${threads === 1 ? '' : 's'})`;
  if (ggufOnWebGpu(device)) {
    return { runsOn: 'wllama on WebGPU', engineReason: 'This GPU has shader-f16, so llama.cpp runs on WebGPU.' };
  }
  if (!gpu) return { runsOn: 'wllama on CPU', engineReason: `This browser offers no WebGPU, so ${onCpu}.` };
  if (isSoftwareAdapter(gpu)) {
    return {
      runsOn: 'wllama on CPU',
      engineReason: `The WebGPU adapter is emulated on the CPU, so ${onCpu}, which is faster than the emulation.`,
    };
  }
  if (!gpu.shaderF16) {
    return {
      runsOn: 'wllama on CPU',
      engineReason: `llama.cpp's WebGPU path needs shader-f16, which this GPU lacks: ${onCpu}.`,
    };
  }
  return { runsOn: 'wllama on CPU', engineReason: `The GPU's buffer limits are too small, so ${onCpu}.` };
}

function fitGguf(entry: GgufCatalogEntry, device: DeviceDescription): ModelFit {
  const { runsOn, engineReason } = ggufEngine(device);
  const needMB = memoryMB(entry);
  const no = (reason: string): ModelFit => ({ level: 'no', reason, runsOn, engineReason, expectedTokensPerSecond: 0 });
  const tooBig = entry.files.find((file) => file.approxBytes > MAX_GGUF_FILE_BYTES);
  if (tooBig) return no(tooLargeFileReason(tooBig.approxBytes));
  if (needMB > WASM_ADDRESS_SPACE_MB) {
    return no(`Needs about ${gb(needMB)} of memory; the CPU engine can address ${gb(WASM_ADDRESS_SPACE_MB)}.`);
  }
  const deviceMB = device.deviceMemoryGB === undefined ? undefined : device.deviceMemoryGB * 1000;
  if (deviceMB !== undefined && needMB > deviceMB) {
    return no(`Needs about ${gb(needMB)} of memory; this device reports ${gb(deviceMB)}.`);
  }
  const weightBytes = downloadMB(entry) * 1e6;
  const rate =
    runsOn === 'wllama on WebGPU'
      ? (GPU_BYTES_PER_SECOND * GGUF_WEBGPU_EFFICIENCY) / weightBytes
      : (CPU_BYTES_PER_SECOND_PER_THREAD * cpuThreads(device)) / weightBytes;
  const where = runsOn === 'wllama on WebGPU' ? 'on WebGPU' : 'on the CPU';
  if (deviceMB !== undefined && needMB + SYSTEM_RESERVE_MB > deviceMB) {
    return {
      level: 'slow',
      reason: `Needs about ${gb(needMB)} of ${gb(deviceMB)} memory; other apps may be squeezed.`,
      runsOn,
      engineReason,
      expectedTokensPerSecond: rate,
    };
  }
  return {
    level: levelOf(rate),
    reason: `Runs ${where} in about ${gb(needMB)} of memory; ${expectedPhrase(rate)}.`,
    runsOn,
    engineReason,
    expectedTokensPerSecond: rate,
  };
}

export function fitModel(entry: CatalogEntry, device: DeviceDescription): ModelFit {
  return entry.kind === 'mlc' ? fitMlc(entry, device) : fitGguf(entry, device);
}

/** Every catalog entry with its fit, fastest expected first; those that cannot run last. */
export function rankCatalog(
  catalog: readonly CatalogEntry[],
  device: DeviceDescription,
): { entry: CatalogEntry; fit: ModelFit }[] {
  return catalog
    .map((entry) => ({ entry, fit: fitModel(entry, device) }))
    .sort((a, b) => b.fit.expectedTokensPerSecond - a.fit.expectedTokensPerSecond);
}

/** Beyond ~2B the download and first load are long; a first model should be quick to try. */
const QUICK_FIRST_MODEL_B = 2;

export interface Recommendation {
  entry: CatalogEntry;
  /** One sentence for the user: why this model rather than another. */
  why: string;
}

/**
 * The model to suggest, and why: by the ranking above, the largest quick-to-download model
 * expected to run well on this device (whichever engine that is), else the fastest quick one that
 * runs at all, else the fastest that runs. So an emulated adapter gets a GGUF model on the CPU, a
 * GPU with f16 the faster of MLC and llama.cpp on WebGPU, a GPU without f16 an MLC f32 build.
 */
export function recommend(catalog: readonly CatalogEntry[], device: DeviceDescription): Recommendation | undefined {
  const runnable = rankCatalog(catalog, device).filter((c) => c.fit.level !== 'no');
  const quick = runnable.filter((c) => c.entry.parametersB <= QUICK_FIRST_MODEL_B);
  const good = quick.filter((c) => c.fit.level === 'good');
  // The ranking is fastest first, so among models of one size the faster engine wins.
  const largestGood = good.reduce<(typeof good)[number] | undefined>(
    (best, c) => (best === undefined || c.entry.parametersB > best.entry.parametersB ? c : best),
    undefined,
  );
  if (largestGood) {
    return {
      entry: largestGood.entry,
      why: 'The largest model that downloads quickly and is expected to run well on this device.',
    };
  }
  if (quick[0]) {
    return {
      entry: quick[0].entry,
      why: 'No model is expected to run fast on this device; this is the fastest of those that download quickly.',
    };
  }
  if (runnable[0]) return { entry: runnable[0].entry, why: 'The fastest model this device can run.' };
  return undefined;
}

const gbOfBytes = (bytes: number) => gb(bytes / 1e6);

function tooLargeFileReason(fileBytes: number): string {
  return `This file is ${gbOfBytes(fileBytes)}; the CPU engine loads files of at most ${gbOfBytes(MAX_GGUF_FILE_BYTES)} each. Use the model split into parts (a name ending in -00001-of-0000N.gguf): Nook downloads every part.`;
}

/**
 * Why a GGUF file of `fileBytes`, in a model of `modelBytes` so far, cannot run here, or
 * undefined when it can: checked against the server's announced size before a byte is stored.
 */
export function ggufSizeRefusal(
  { fileBytes, modelBytes }: { fileBytes: number; modelBytes: number },
  device: DeviceDescription | undefined,
): string | undefined {
  if (fileBytes > MAX_GGUF_FILE_BYTES) return tooLargeFileReason(fileBytes);
  const weightsMB = modelBytes / 1e6;
  const needMB = weightsMB + Math.max(GGUF_WORKING_MIN_MB, weightsMB * GGUF_WORKING_SHARE);
  if (needMB > WASM_ADDRESS_SPACE_MB) {
    return `This model is ${gbOfBytes(modelBytes)}; with its working memory it needs about ${gb(needMB)}, more than the ${gb(WASM_ADDRESS_SPACE_MB)} the CPU engine can address. Pick a smaller model or quantisation.`;
  }
  const deviceMB = device?.deviceMemoryGB === undefined ? undefined : device.deviceMemoryGB * 1000;
  if (deviceMB !== undefined && needMB > deviceMB) {
    return `This model is ${gbOfBytes(modelBytes)} and needs about ${gb(needMB)} of memory to run; this device reports ${gb(deviceMB)}. Pick a smaller model or quantisation.`;
  }
  return undefined;
}
