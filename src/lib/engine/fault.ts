/**
 * What the app says when the engine stops under a model (its worker died, its GPU device was
 * lost), and how it offers to go on. Pure: EngineState keeps the fault, ShellNotices shows it.
 */
import type { EngineError } from './errors';
import type { BackendKind } from './types';

/** The engine stopped under a loaded (or loading) model. */
export interface EngineFault {
  code: 'worker-crashed' | 'device-lost';
  message: string;
  backend: BackendKind;
  /** Name of the model that was lost, for the offer to load it again. */
  modelName: string;
  /** Loads the same model again, the way it was loaded (a fresh worker starts). */
  retry: (() => Promise<unknown>) | undefined;
}

export function faultOf(
  error: EngineError,
  lost: { backend: BackendKind; name: string; retry: (() => Promise<unknown>) | undefined },
): EngineFault {
  const lostGpu = error.code === 'device-lost';
  return {
    code: lostGpu ? 'device-lost' : 'worker-crashed',
    message: lostGpu
      ? `${error.message} ${lost.name} was unloaded; what it wrote so far is kept. Load it again, or use a GGUF model on the CPU.`
      : `The engine stopped unexpectedly, and ${lost.name} was unloaded. What it wrote so far is kept; your next message loads the model again.`,
    backend: lost.backend,
    modelName: lost.name,
    retry: lost.retry,
  };
}
