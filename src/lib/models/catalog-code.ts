/**
 * What the Models view and a catalog download load, in one lazy import: the catalog file (read
 * and checked), the rules of what fits this device, and what to fetch. Never in the first paint
 * (docs/decisions/0022-start-up-path.md); one import keeps the loader in the entry small.
 */
export { ggufUrl } from './catalog';
export { catalogProblem } from './catalog-file';
export { catalogRows } from './catalog-rows';
export { ggufSizeRefusal } from './fit';
export { catalogMlcTarget, customMlcTarget } from './mlc-target';
