/** Entry of the MLC engine worker: web-llm behind the engine protocol. Only this worker imports
 * web-llm, so its megabytes load only when an MLC model is loaded or its cache is queried. */
import { EngineError } from './errors';
import { watchGpuDevices, type GpuWatch } from './gpu-watch';
import { MlcEngine } from './mlc-engine';
import { serveEngine } from './engine-serve';

declare const self: DedicatedWorkerGlobalScope & { nookGpuWatch?: GpuWatch };

const engine = new MlcEngine();
const reportLost = serveEngine(self, engine, engine);
// Installed before any request is handled, so the device web-llm asks for on a load is watched.
const gpuWatch = watchGpuDevices((detail) =>
  reportLost(
    new EngineError(
      'device-lost',
      `The GPU stopped working (device lost: ${detail}). This often means it ran out of memory.`,
    ),
  ),
);
self.nookGpuWatch = gpuWatch;
