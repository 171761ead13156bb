/// <reference lib="webworker" />
/** Entry of the MLC engine worker: web-llm behind the engine protocol. Only this worker imports
 * web-llm, so its megabytes load only when an MLC model is loaded or its cache is queried. */
import { serveEngine } from './serve';
import { MlcEngine } from './mlc-engine';

const engine = new MlcEngine();
serveEngine(self as unknown as DedicatedWorkerGlobalScope, engine, engine);
