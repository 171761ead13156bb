// Installs e2e/llama-server — real llama.cpp through node-llama-cpp, which the hybrid and
// translate-server e2e tests and the bench's server section talk to — in a folder of its own, and
// only when needed: a stamp in its node_modules records the package-lock.json (and npm arguments)
// it was installed from, so a second run with the same lock is skipped. `npm test` and
// `npm run bench` call it; by hand: `node scripts/install-llama-server.mjs`.
//
// `--omit=optional`: node-llama-cpp's optional packages are ~390 MB of GPU builds; the CPU build
// is listed in e2e/llama-server/package.json directly so it stays. NODE_LLAMA_CPP_SKIP_DOWNLOAD
// keeps its install step from fetching llama.cpp's sources: the prebuilt binary is all it needs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('../e2e/llama-server/', import.meta.url));
const name = relative(process.cwd(), folder) || '.';
const npmArgs = ['ci', '--omit=optional', '--no-audit', '--no-fund', '--prefix', folder];
const stampFile = join(folder, 'node_modules', '.nook-install-stamp');

/** What an install from the current lock would write into its stamp. */
function currentStamp() {
  const lock = readFileSync(join(folder, 'package-lock.json'));
  const hash = createHash('sha256')
    .update(lock)
    .update(JSON.stringify(npmArgs.slice(0, -2)))
    .digest('hex');
  return `package-lock.json sha256 ${hash}`;
}

/** True when the folder was installed from the lock it has now (npm ci removes the stamp with the rest). */
export function llamaServerInstalled() {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === currentStamp();
}

/**
 * Installs the folder unless it is already installed from its current lock.
 * @returns {boolean} whether it installed (false: it was up to date)
 * @throws {Error} saying why when npm could not install it
 */
export function installLlamaServer({ log = console.log } = {}) {
  if (llamaServerInstalled()) {
    log(`${name}: already installed from its package-lock.json, nothing to do.`);
    return false;
  }
  log(`Installing ${name} (llama.cpp's CPU build through node-llama-cpp, ~85 MB; its optional GPU builds left out)…`);
  const { status, error } = spawnSync('npm', npmArgs, {
    stdio: 'inherit',
    env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' },
  });
  if (error || status !== 0) {
    throw new Error(
      `could not install ${name}: \`NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ${npmArgs.slice(0, -2).join(' ')} ` +
        `--prefix ${name}\` ${error ? `did not start (${error.message})` : `exited with ${status} (npm's output is above)`}`,
    );
  }
  writeFileSync(stampFile, `${currentStamp()}\n`);
  log(`${name}: installed.`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    installLlamaServer();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
