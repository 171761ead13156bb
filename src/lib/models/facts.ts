/** The facts a user weighs before downloading a catalog model, as short phrases for the UI. */
import { formatBytes } from '../shared/format';
import { downloadMB, memoryMB, type CatalogEntry, type Precision } from './catalog';
import type { EngineChoice } from './fit';

/** `runsOn`: the engine the device fit chose (fit.ts); a GGUF model defaults to the CPU. */
export function catalogFacts(entry: CatalogEntry, precision?: Precision, runsOn?: EngineChoice): string[] {
  const mb = (value: number) => formatBytes(value * 1_000_000);
  const build =
    entry.kind === 'mlc'
      ? [(entry.variants[precision ?? 'f32'] ?? entry.variants.f32).modelId, 'web-llm on WebGPU']
      : [`${entry.quantisation} GGUF`, runsOn ?? 'wllama on CPU'];
  return [
    ...build,
    `${entry.parametersB}B parameters`,
    `≈ ${mb(downloadMB(entry, precision))} download`,
    `needs ≈ ${mb(memoryMB(entry, precision))} ${entry.kind === 'mlc' ? 'GPU memory' : 'memory'}`,
    `context ${entry.contextWindow.toLocaleString('en')} tokens`,
  ];
}
