/**
 * Device fit: which catalog models this device can run, in which precision, and how well. Pure:
 * it reads a plain description of the device (what the WebGPU adapter reports, the memory the
 * browser admits to), so every rule is unit-tested without a GPU. The probe that fills the
 * description lives in the page (state/engine.svelte.ts).
 */
import { memoryMB, type CatalogEntry, type MlcCatalogEntry, type MlcVariant, type Precision } from './catalog';

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
}

export type FitLevel = 'good' | 'slow' | 'no';

export interface ModelFit {
  level: FitLevel;
  /** One sentence for the user: why this label. */
  reason: string;
  /** For MLC: the variant this device would download; undefined when none can run. */
  variant?: MlcVariant;
  /** The engine and device that would run it. */
  runsOn: 'web-llm on WebGPU' | 'wllama on CPU';
}

export const FIT_LABELS: Record<FitLevel, string> = { good: 'Runs well', slow: 'May be slow', no: "Won't fit" };

/** The largest single weight buffer MLC builds bind, in bytes (the embedding of a ~4B model). */
const MLC_LARGEST_BINDING = 128 * 1024 * 1024;
/** Chromium's default WebGPU limit; adapters below it are very old or heavily constrained. */
const MIN_BUFFER_FOR_MLC = 256 * 1024 * 1024;
/** Memory the browser, the OS and the page need besides a model, in MB. */
const SYSTEM_RESERVE_MB = 1500;

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

const gb = (mb: number) => `${(mb / 1000).toFixed(1)} GB`;

function fitMlc(entry: MlcCatalogEntry, device: DeviceDescription): ModelFit {
  const runsOn = 'web-llm on WebGPU';
  const gpu = device.webGpu;
  if (!gpu) return { level: 'no', reason: 'Needs WebGPU, which this browser does not offer.', runsOn };
  const variant = variantFor(entry, device);
  if (gpu.maxBufferSize < MIN_BUFFER_FOR_MLC || gpu.maxStorageBufferBindingSize < MLC_LARGEST_BINDING) {
    return {
      level: 'no',
      reason: `The GPU's buffer limits (${Math.round(gpu.maxStorageBufferBindingSize / 2 ** 20)} MB per binding) are too small for MLC models.`,
      runsOn,
    };
  }
  const deviceMB = device.deviceMemoryGB === undefined ? undefined : device.deviceMemoryGB * 1000;
  const precisionNote = gpu.shaderF16 ? '' : ' (f32 build: this GPU lacks shader-f16)';
  if (deviceMB !== undefined && variant.vramRequiredMB > deviceMB) {
    return {
      level: 'no',
      reason: `Needs about ${gb(variant.vramRequiredMB)} of GPU memory${precisionNote}; this device reports ${gb(deviceMB)}.`,
      variant,
      runsOn,
    };
  }
  if (isSoftwareAdapter(gpu)) {
    return {
      level: 'slow',
      reason: `The WebGPU adapter is emulated on the CPU, so replies come slowly${precisionNote}.`,
      variant,
      runsOn,
    };
  }
  if (deviceMB !== undefined && variant.vramRequiredMB + SYSTEM_RESERVE_MB > deviceMB) {
    return {
      level: 'slow',
      reason: `Needs about ${gb(variant.vramRequiredMB)} of ${gb(deviceMB)} memory${precisionNote}; other apps may be squeezed.`,
      variant,
      runsOn,
    };
  }
  return {
    level: 'good',
    reason: `Needs about ${gb(variant.vramRequiredMB)} of GPU memory${precisionNote}.`,
    variant,
    runsOn,
  };
}

function fitGguf(entry: Extract<CatalogEntry, { kind: 'gguf' }>, device: DeviceDescription): ModelFit {
  const runsOn = 'wllama on CPU';
  const needMB = memoryMB(entry);
  // wasm32 memory: llama.cpp in the browser addresses at most 4 GB (Memory64 aside).
  if (needMB > 4000)
    return { level: 'no', reason: `Needs about ${gb(needMB)} of memory; the CPU engine can address 4 GB.`, runsOn };
  const deviceMB = device.deviceMemoryGB === undefined ? undefined : device.deviceMemoryGB * 1000;
  if (deviceMB !== undefined && needMB > deviceMB) {
    return { level: 'no', reason: `Needs about ${gb(needMB)} of memory; this device reports ${gb(deviceMB)}.`, runsOn };
  }
  if (entry.parametersB > 1 || (deviceMB !== undefined && needMB + SYSTEM_RESERVE_MB > deviceMB)) {
    return { level: 'slow', reason: `Runs on the CPU; a ${entry.parametersB}B model answers slowly there.`, runsOn };
  }
  return { level: 'good', reason: `Runs on the CPU in about ${gb(needMB)} of memory.`, runsOn };
}

export function fitModel(entry: CatalogEntry, device: DeviceDescription): ModelFit {
  return entry.kind === 'mlc' ? fitMlc(entry, device) : fitGguf(entry, device);
}

/**
 * The model to suggest on first run: with WebGPU, the largest MLC model that runs well (else
 * the smallest that runs at all, e.g. on an emulated adapter); without WebGPU, the largest GGUF
 * model that runs well on the CPU (else the smallest one that fits).
 */
export function recommendDefault(
  catalog: readonly CatalogEntry[],
  device: DeviceDescription,
): CatalogEntry | undefined {
  const kind = device.webGpu ? 'mlc' : 'gguf';
  const candidates = catalog
    .filter((entry) => entry.kind === kind)
    .map((entry) => ({ entry, fit: fitModel(entry, device) }))
    .sort((a, b) => a.entry.parametersB - b.entry.parametersB);
  const good = candidates.filter((c) => c.fit.level === 'good');
  // Beyond ~2B the download and first load are long; a first model should be quick to try.
  const quick = good.filter((c) => c.entry.parametersB <= 2);
  const pick = quick.at(-1) ?? good[0] ?? candidates.find((c) => c.fit.level === 'slow');
  if (pick) return pick.entry;
  // WebGPU present but nothing fits: fall back to the CPU engine.
  if (kind === 'mlc') return recommendDefault(catalog, { ...device, webGpu: undefined });
  return undefined;
}
