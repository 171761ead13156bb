/**
 * web-llm's failures as our named engine errors, with messages a user can act on. Kept apart from
 * mlc-engine.ts (which imports web-llm) so the rules are unit-tested without loading web-llm.
 */
import { EngineError } from './errors';
import type { ReportedCounts } from './reply-meter';
import type { ModelSource } from './types';
import { MLC_LIB_VERSION, WEB_LLM_VERSION } from './mlc-version';

export type MlcSource = Extract<ModelSource, { backend: 'web-llm' }>;

/** web-llm's errors as our named ones, with a message a user can act on. */
export function describeMlcError(error: unknown, source: MlcSource): EngineError {
  if (error instanceof EngineError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'QuotaExceededError' || /quota/i.test(message)) {
    return new EngineError(
      'quota-exceeded',
      `The browser has no room left to store ${source.name}. Free space (delete a model) and try again; the parts already stored are kept.`,
    );
  }
  if (name === 'DeviceLostError' || /device (was )?lost|device is lost/i.test(message)) {
    return new EngineError(
      'device-lost',
      `The GPU stopped while ${source.name} was loading (device lost — often out of GPU memory). Try again, or pick a smaller model.`,
    );
  }
  if (name === 'WebGPUNotAvailableError' || name === 'WebGPUNotFoundError' || /WebGPU/i.test(name)) {
    return new EngineError('unsupported-browser', `This browser offers no WebGPU, which ${source.name} needs.`);
  }
  if (name === 'ShaderF16SupportError') {
    return new EngineError('unsupported-browser', `This GPU lacks shader-f16; pick the f32 build of ${source.name}.`);
  }
  // A library compiled for another web-llm runtime imports functions this one does not provide:
  // WebAssembly refuses to instantiate it (LinkError, "… function import requires a callable").
  if (name === 'LinkError' || /function import requires a callable|Import #\d+ .*(function|callable)/i.test(message)) {
    return new EngineError(
      'model-invalid',
      `The model library of ${source.name} was built for another version of web-llm. Nook ships web-llm ${WEB_LLM_VERSION}: the library must be built for that version (the ${MLC_LIB_VERSION} libraries).`,
    );
  }
  // web-llm wraps the fetch TypeError: "Failed to store <url> with error: TypeError: Failed to fetch".
  if (/Failed to fetch|NetworkError|network error|Load failed/i.test(message)) {
    const host = new URL(source.modelUrl).host;
    return new EngineError(
      'host-unreachable',
      `Could not reach ${host} to download ${source.name}. Check your connection or the model source setting.`,
    );
  }
  return new EngineError('model-invalid', `web-llm could not load ${source.name}: ${message}`);
}

/**
 * web-llm's `usage` as the counts our meter takes. Its `completion_tokens` counts decode steps
 * only, not the token chosen at the end of the prefill, so a reply that streamed N tokens reports
 * N − 1: the one it left out is added back when any token came at all.
 */
export function countsFromMlcUsage(
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    extra: { decode_tokens_per_s?: number; prefill_tokens_per_s?: number };
  },
  streamedAnyToken: boolean,
): ReportedCounts {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens + (streamedAnyToken ? 1 : 0),
    ...(usage.extra.decode_tokens_per_s === undefined ? {} : { decodeRate: usage.extra.decode_tokens_per_s }),
    ...(usage.extra.prefill_tokens_per_s === undefined ? {} : { prefillRate: usage.extra.prefill_tokens_per_s }),
  };
}
