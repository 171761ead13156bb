/**
 * A loader called at most once while it succeeds: every caller gets the same promise. A failed
 * load (a chunk that could not be fetched offline) is forgotten, so the next call tries again.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
