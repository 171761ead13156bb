/**
 * The page globals the state stores listen to (sessionStorage, document visibility, window
 * events), for their unit tests in Node, which has none of them. sessionStorage is a fresh map
 * per call: one tab.
 */
export function installPageGlobals(session = new Map<string, string>()): Map<string, string> {
  Object.assign(globalThis, {
    sessionStorage: {
      getItem: (k: string) => session.get(k) ?? null,
      setItem: (k: string, v: string) => session.set(k, v),
    },
    document: { visibilityState: 'visible', addEventListener() {}, removeEventListener() {} },
    addEventListener() {},
    removeEventListener() {},
  });
  return session;
}
