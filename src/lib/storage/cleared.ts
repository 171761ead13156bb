/**
 * Notices when the browser deletes this site's IndexedDB data while the app runs (the user
 * clearing site data, or eviction): the browser closes every open connection and fires `close`
 * on it. A small sentinel database is kept open only to hear that; the stores themselves
 * (idb-keyval) reopen fresh, empty databases on their next use.
 */
const SENTINEL = 'nook-sentinel';

/** Calls `onCleared` each time the data is cleared; returns a function that stops watching. */
export function watchStorageCleared(onCleared: () => void): () => void {
  let stopped = false;
  let db: IDBDatabase | undefined;
  const open = () => {
    const request = indexedDB.open(SENTINEL);
    request.onsuccess = () => {
      db = request.result;
      if (stopped) return db.close();
      // A deletion asked for by another tab of this app is answered by closing; not a clearing.
      db.onversionchange = () => db?.close();
      db.onclose = () => {
        db = undefined;
        if (stopped) return;
        onCleared();
        open();
      };
    };
    request.onerror = () => console.warn('Storage watch could not open its database', request.error);
  };
  open();
  return () => {
    stopped = true;
    db?.close();
  };
}
