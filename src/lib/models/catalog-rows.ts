/**
 * The catalog as the Models view lists it on this device: ranked by the speed expected here
 * (fastest first, what cannot run last), with fit, recommendation, already stored.
 */
import { catalogKey, ggufUrl, type CatalogEntry } from './catalog';
import { shippedCatalog } from './catalog-file';
import { rankCatalog, recommend, type DeviceDescription, type ModelFit } from './fit';
import { parseModelUrl } from './model-url';
import type { StoredModel } from './storage';

export interface CatalogRow {
  key: string;
  entry: CatalogEntry;
  fit: ModelFit;
  recommended: boolean;
  /** On the recommended row: why this model rather than another (fit.ts). */
  why?: string;
  stored: boolean;
}

export function catalogRows(
  device: DeviceDescription,
  models: readonly StoredModel[],
  mirror: string | undefined,
  catalog: readonly CatalogEntry[] = shippedCatalog().entries,
): CatalogRow[] {
  const recommended = recommend(catalog, device);
  return rankCatalog(catalog, device).map(({ entry, fit }) => {
    const ids = entry.kind === 'mlc' ? [fit.variant?.modelId] : [ggufUrl(entry.files[0]!, mirror)];
    return {
      key: catalogKey(entry),
      entry,
      fit,
      recommended: entry === recommended?.entry,
      ...(entry === recommended?.entry ? { why: recommended.why } : {}),
      stored: models.some((m) => ids.includes(m.backend === 'web-llm' ? m.id : m.sourceUrl)),
    };
  });
}

/** The id of a custom MLC model: the repository name in its weights' address. */
export function mlcIdFromUrl(modelUrl: string, modelLibUrl: string): string {
  const weights = parseModelUrl(modelUrl);
  parseModelUrl(modelLibUrl);
  return (
    weights.pathname
      .replace(/\/resolve\/.*$/, '')
      .split('/')
      .filter(Boolean)
      .pop() ?? weights.host
  );
}
