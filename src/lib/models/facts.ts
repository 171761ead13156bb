/** The facts a user weighs before downloading a catalog model, as short phrases for the UI. */
import { formatBytes } from '../shared/format';
import { downloadMB, memoryMB, type CatalogEntry, type Precision } from './catalog';
import type { EngineChoice } from './fit';

const mb = (value: number) => formatBytes(value * 1_000_000);

/** What the model costs this device: its download and the memory it runs in. */
export function sizeFacts(entry: CatalogEntry, precision?: Precision): [download: string, memory: string] {
  return [
    `≈ ${mb(downloadMB(entry, precision))} download`,
    `needs ≈ ${mb(memoryMB(entry, precision))} ${entry.kind === 'mlc' ? 'GPU memory' : 'memory'}`,
  ];
}

/** `runsOn`: the engine the device fit chose (fit.ts); a GGUF model defaults to the CPU. */
export function catalogFacts(entry: CatalogEntry, precision?: Precision, runsOn?: EngineChoice): string[] {
  const build =
    entry.kind === 'mlc'
      ? [(entry.variants[precision ?? 'f32'] ?? entry.variants.f32).modelId, 'web-llm on WebGPU']
      : [`${entry.quantisation} GGUF`, runsOn ?? 'wllama on CPU'];
  return [
    ...build,
    `${entry.parametersB}B parameters`,
    ...sizeFacts(entry, precision),
    `context ${entry.contextWindow.toLocaleString('en')} tokens`,
  ];
}
