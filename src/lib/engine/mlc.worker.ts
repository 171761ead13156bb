/// <reference lib="webworker" />
/** Entry of the MLC engine worker: web-llm behind the engine protocol. Only this worker imports
 * web-llm, so its megabytes load only when an MLC model is loaded or its cache is queried. */
import { EngineError } from './errors';
import { watchGpuDevices } from './gpu-watch';
import { MlcEngine } from './mlc-engine';
import { serveEngine } from './serve';

const engine = new MlcEngine();
const reportLost = serveEngine(self as unknown as DedicatedWorkerGlobalScope, engine, engine);
// Installed before any request is handled, so the device web-llm asks for on a load is watched.
const gpuWatch = watchGpuDevices((detail) =>
  reportLost(
    new EngineError(
      'device-lost',
      `The GPU stopped working (device lost: ${detail}). This often means it ran out of memory.`,
    ),
  ),
);
(self as unknown as { nookGpuWatch?: typeof gpuWatch }).nookGpuWatch = gpuWatch;
