/// <reference lib="webworker" />
/** Entry of the GGUF engine worker: wllama behind the engine protocol. */
import { serveEngine } from './serve';
import { WllamaEngine } from './wllama-engine';

serveEngine(self as unknown as DedicatedWorkerGlobalScope, new WllamaEngine());
