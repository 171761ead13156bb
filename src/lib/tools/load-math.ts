/**
 * Loads the tools' mathjs chunk on first use. A failed import clears the memo, so the next call
 * tries again (the chunk may have failed to arrive while the app was offline before caching).
 */
let math: Promise<typeof import('./math')> | undefined;

export function loadMath(): Promise<typeof import('./math')> {
  math ??= import('./math').catch((error: unknown) => {
    math = undefined;
    throw error;
  });
  return math;
}
