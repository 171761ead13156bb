// What a bench section can need, each set up once per run when the first chosen section needs it
// and torn down at the end. A need that cannot be met throws an Error whose message says why and
// what to do; the driver puts it in the row of every section that needed it.
//
// Every server listens on a free port of 127.0.0.1 (port 0), so the bench never clashes with a
// test run or another bench.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumExecutable, chromiumMissing } from '../../e2e/chromium.mjs';
import { startStaticServer } from '../../test-support/static-server.mjs';
import { installLlamaServer } from '../../scripts/install-llama-server.mjs';
import { writeFixtures } from './fixtures.mjs';

/**
 * The needs a section can name, and what each adds to the context the sections get:
 * - chromium: `launch(extraArgs)` and `launchPersistent(userDataDir)` for a browser of its own
 * - browser: the shared `browser` (Debian's Chromium, no GPU)
 * - app: `app.url`, the production build served (dist/, or a copy in BENCH_APP_DIR so the tree can
 *   be rebuilt while a long run goes on); `appDir`
 * - baseline: `baseline.url`, the baseline pages (bench/dist: blank, raw engine, raw speech, documents)
 * - models: `fixtures` (bench/lib/fixtures.mjs) and `modelUrl(model)` on a local host
 * - llama-server: e2e/llama-server installed (scripts/install-llama-server.mjs), for the server section
 */
export const NEEDS = ['chromium', 'browser', 'app', 'baseline', 'models', 'llama-server'];

/** @param {{ quick: boolean, log: (message: string) => void }} options */
export function createSetup({ quick, log }) {
  /** @type {Record<string, any>} */
  const ctx = { quick, log };
  /** Tear-down steps, run in reverse order of set-up. */
  const closers = [];

  const served = async (root, missing) => {
    if (!existsSync(join(root, missing.file))) throw new Error(missing.reason);
    const server = await startStaticServer({ root });
    closers.push(() => server.close());
    return server;
  };

  /** @type {Record<string, { after?: string[], up: () => Promise<void> }>} */
  const steps = {
    chromium: {
      up: async () => {
        const missing = chromiumMissing();
        if (missing) throw new Error(missing);
        const executablePath = chromiumExecutable();
        ctx.launch = (extraArgs = []) => chromium.launch({ executablePath, args: [...chromiumArgs, ...extraArgs] });
        ctx.launchPersistent = (userDataDir) =>
          chromium.launchPersistentContext(userDataDir, { executablePath, args: chromiumArgs });
      },
    },
    browser: {
      after: ['chromium'],
      up: async () => {
        const browser = await ctx.launch();
        closers.push(() => browser.close());
        ctx.browser = browser;
      },
    },
    app: {
      up: async () => {
        ctx.appDir = process.env.BENCH_APP_DIR ?? 'dist';
        ctx.app = await served(ctx.appDir, {
          file: 'index.html',
          reason: `no production build in ${ctx.appDir}/: \`npm run bench\` builds it (or \`npm run build\`)`,
        });
      },
    },
    baseline: {
      up: async () => {
        ctx.baseline = await served('bench/dist', {
          file: 'raw-engine.html',
          reason:
            'no baseline pages in bench/dist/: `npm run bench` builds them (or `npx vite build --config bench/vite.config.ts`)',
        });
      },
    },
    models: {
      up: async () => {
        const dir = await mkdtemp(join(tmpdir(), 'nook-bench-'));
        closers.push(() => rm(dir, { recursive: true, force: true }));
        log('generating the models');
        ctx.fixtures = await writeFixtures(dir);
        const host = await startStaticServer({ root: dir });
        closers.push(() => host.close());
        ctx.host = host;
        ctx.modelUrl = (model) => `${host.url}/models/${model.file}`;
      },
    },
    'llama-server': {
      up: async () => {
        installLlamaServer({ log });
      },
    },
  };

  /** @type {Map<string, Promise<void>>} */
  const started = new Map();
  /** Sets a need up (once; a failed one fails again with the same reason). */
  const provide = (need) => {
    let done = started.get(need);
    if (!done) {
      const step = steps[need];
      if (!step) throw new Error(`unknown need "${need}" (known: ${NEEDS.join(', ')})`);
      done = (async () => {
        for (const before of step.after ?? []) await provide(before);
        await step.up();
      })();
      started.set(need, done);
    }
    return done;
  };

  return {
    ctx,
    /**
     * Sets up every need of a section; undefined when all are met, else why not.
     * @param {string[]} needs
     */
    async prepare(needs) {
      for (const need of needs) {
        try {
          await provide(need);
        } catch (error) {
          return `needs ${need}: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      return undefined;
    },
    /** Tears everything down; one step failing does not keep the others from running. */
    async close() {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          log(`tear-down: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  };
}
