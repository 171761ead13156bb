/**
 * The catalog this build ships (catalog.json), read once. The file is bundled into the Models
 * view's lazily loaded catalog code, so it is precached with the rest of the build and an app
 * update brings a new catalog; it is never fetched apart and never part of the first paint.
 */
import catalogFile from './catalog.json';
import { readCatalog, type CatalogRead } from './catalog-schema';

let shipped: CatalogRead | undefined;

/**
 * Reads `data` as a catalog and says in the console why each entry left out was left out, so a
 * malformed entry costs that entry, never the Models view.
 */
export function readLogged(data: unknown, warn: (message: string) => void = console.warn): CatalogRead {
  const read = readCatalog(data);
  for (const problem of read.problems) warn(`Nook's model catalog: ${problem}.`);
  return read;
}

/** The shipped catalog, checked (and any problem logged) on first use. */
export function shippedCatalog(): CatalogRead {
  return (shipped ??= readLogged(catalogFile as unknown));
}

/** Why the shipped catalog lists no model at all, or undefined when it lists some. */
export function catalogProblem(): string | undefined {
  const { entries, problems } = shippedCatalog();
  return entries.length === 0 ? `The model catalog could not be read: ${problems.join('; ')}.` : undefined;
}
