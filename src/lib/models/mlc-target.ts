/**
 * Which MLC model to fetch, decided before any byte moves: a catalog entry in the variant this
 * device runs (or why it cannot run here), or a custom model by its two addresses (or why they
 * cannot be used). Pure: ModelsState hands the target to `mlcFetch`.
 */
import { mlcUrls, type MlcCatalogEntry } from './catalog';
import { mlcIdFromUrl } from './catalog-rows';
import type { MlcTarget } from './fetch-model';
import { fitModel, variantFor, type DeviceDescription } from './fit';

export type MlcTargetChoice = { ok: true; target: MlcTarget } | { ok: false; reason: string };

/** A catalog MLC model in the precision this device runs, through the mirror when one is set. */
export function catalogMlcTarget(entry: MlcCatalogEntry, device: DeviceDescription, mirror?: string): MlcTargetChoice {
  const fit = fitModel(entry, device);
  if (fit.level === 'no') return { ok: false, reason: `${entry.name} cannot run here: ${fit.reason}` };
  const variant = variantFor(entry, device);
  return {
    ok: true,
    target: {
      id: variant.modelId,
      name: entry.name,
      label: `${entry.name} (${variant.precision})`,
      ...mlcUrls(variant, mirror),
      vramRequiredMB: variant.vramRequiredMB,
      contextWindow: entry.contextWindow,
      estimatedBytes: variant.downloadMB * 1_000_000,
    },
  };
}

/** A custom MLC model: its weights' address and its compiled library's address. */
export function customMlcTarget(
  modelUrl: string,
  modelLibUrl: string,
  device: DeviceDescription | undefined,
): MlcTargetChoice {
  let id: string;
  try {
    id = mlcIdFromUrl(modelUrl, modelLibUrl);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!device?.webGpu) {
    return {
      ok: false,
      reason: 'MLC models need WebGPU, which this browser does not offer. Use a GGUF model instead.',
    };
  }
  return { ok: true, target: { id, name: id, label: id, modelUrl: modelUrl.trim(), modelLibUrl: modelLibUrl.trim() } };
}
