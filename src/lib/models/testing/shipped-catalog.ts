/** The catalog this build ships, by kind, for unit tests that need real entries. */
import type { CatalogEntry, GgufCatalogEntry, MlcCatalogEntry } from '../catalog';
import { shippedCatalog } from '../catalog-file';

export const CATALOG: readonly CatalogEntry[] = shippedCatalog().entries;
export const MLC_CATALOG: readonly MlcCatalogEntry[] = CATALOG.filter((e): e is MlcCatalogEntry => e.kind === 'mlc');
export const GGUF_CATALOG: readonly GgufCatalogEntry[] = CATALOG.filter(
  (e): e is GgufCatalogEntry => e.kind === 'gguf',
);
