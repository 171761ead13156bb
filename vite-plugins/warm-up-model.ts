import type { Plugin } from 'vite';
import { makeTinyModel } from '../test-support/make-tiny-model.mjs';

/**
 * The model the engine's code warm-up runs (src/lib/engine/code-warm-up.ts): the generated tiny
 * llama model the tests use (test-support/make-tiny-model.mjs, 1.2 MB of mostly zero weights),
 * written at build time as an asset of its own. `import url from 'virtual:nook-warm-up-model'`
 * gives its address. It is not precached: a warm-up only runs while a model downloads.
 */
export const WARM_UP_MODULE = 'virtual:nook-warm-up-model';
const RESOLVED = `\0${WARM_UP_MODULE}`;
/** Where the dev server serves it. */
const DEV_PATH = '/@nook/warm-up.gguf';

/** The model's bytes: the same every build (the generator is deterministic). */
export const warmUpModelBytes = (): Uint8Array => makeTinyModel({ name: 'Nook warm-up' });

export function warmUpModel(): Plugin {
  let serving = false;
  return {
    name: 'nook-warm-up-model',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    configureServer(server) {
      server.middlewares.use(DEV_PATH, (_request, response) => {
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(warmUpModelBytes());
      });
    },
    resolveId(id) {
      return id === WARM_UP_MODULE ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      if (serving) return `export default ${JSON.stringify(DEV_PATH)};`;
      const ref = this.emitFile({ type: 'asset', name: 'warm-up.gguf', source: warmUpModelBytes() });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
  };
}
