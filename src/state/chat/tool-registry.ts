/**
 * The tools' module (lib/tools/registry: definitions, runTool, labels; not the calculator's
 * library, which loads on its first sum), loaded once a reply, a read-ahead or a step needs it.
 * A failed load is tried again next time.
 */
type Registry = typeof import('../../lib/tools/registry');

let registry: Promise<Registry> | undefined;

export const loadToolRegistry = (): Promise<Registry> =>
  (registry ??= import('../../lib/tools/registry').catch((error: unknown) => {
    registry = undefined;
    throw error;
  }));
