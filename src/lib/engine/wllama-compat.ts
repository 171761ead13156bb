/**
 * wllama's default build needs two WebAssembly features, JSPI and Memory64. Where either is
 * missing (Safari, older browsers) wllama can run its slower Asyncify "compat" build instead, which
 * it would fetch from a CDN. Nook serves that build itself (@wllama/wllama-compat, bundled by
 * Vite), so no third party is contacted, and loads it only on the browsers that need it.
 */
import type { WllamaCompat } from '@wllama/wllama/esm/index.js';

function supportsMemory64(): boolean {
  try {
    new WebAssembly.Memory({ address: 'i64', initial: 1n } as unknown as WebAssembly.MemoryDescriptor);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether wllama will run its compat build here. It mirrors wllama's own rule: compat when JSPI
 * or Memory64 is missing, except on Firefox, where wllama keeps the default build (without JSPI it
 * reads the model synchronously and goes without WebGPU, which is still faster than compat).
 */
export function needsCompatBuild(): boolean {
  const missing = !('Suspending' in WebAssembly) || !supportsMemory64();
  return missing && !/Firefox\/[\d.]+/.test(navigator.userAgent);
}

/** The address of the compat build's wasm on our own origin. */
export async function compatWasmUrl(): Promise<string> {
  return (await import('@wllama/wllama-compat/wasm/wllama.wasm?url')).default;
}

/** The address of the wasm wllama runs on this browser: it names the build of the engine's code. */
export async function wllamaWasmUrl(): Promise<string> {
  return needsCompatBuild() ? compatWasmUrl() : (await import('@wllama/wllama/esm/wasm/wllama.wasm?url')).default;
}

/** The compat build's worker code and wasm address, for `Wllama.setCompat`. */
export async function compatAssets(): Promise<WllamaCompat> {
  const [wasm, worker] = await Promise.all([compatWasmUrl(), import('@wllama/wllama-compat/wasm/wllama.js?raw')]);
  return { wasm, worker: { code: worker.default } };
}

/**
 * On a browser that needs the compat build, fetches its wasm once through the service worker,
 * which keeps it (src/sw.ts): models then load offline too. Elsewhere it does nothing.
 */
export async function warmCompatBuild(): Promise<void> {
  if (!needsCompatBuild() || !('serviceWorker' in navigator)) return;
  await navigator.serviceWorker.ready;
  const response = await fetch(await compatWasmUrl());
  await response.arrayBuffer();
}
