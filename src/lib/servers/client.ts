/**
 * Talking to a user's OpenAI-compatible model server over HTTP: the model list and each model's
 * context window (asked once, when the user presses Connect), and turning a failed `fetch` into a
 * {@link ServerError} that says what happened. `fetch` is injected so Node tests can use a real
 * HTTP server on loopback.
 */
import { templateAbilities } from '../engine/template-abilities';
import type { ModelAbilities } from '../engine/types';
import { corsAdvice, describeStatus, noAnswer, ServerError } from './errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ServerEndpoint {
  apiBase: string;
  root: string;
  host: string;
  /** Sent as `Authorization: Bearer …`; never logged, never exported. */
  apiKey?: string;
}

export interface ServerModelInfo {
  id: string;
  /** The window the server runs the model with, where it says (see {@link contextFromListing}). */
  contextLength?: number;
  /** What it can do beyond chat, where the server says (see {@link abilitiesFromProps}). */
  abilities?: ModelAbilities;
}

export interface ClientOptions {
  fetch?: FetchLike;
  /** What the model can do, as the server said when it was connected. */
  abilities?: ModelAbilities;
  /** False when the browser knows it has no network. */
  isOnline?: () => boolean;
  /** The page's origin, named in the CORS advice. */
  origin?: string;
}

/** Ollama runs a model with a 4096-token window unless told otherwise (its FAQ). */
const OLLAMA_DEFAULT_CONTEXT = 4096;

export function authHeaders(endpoint: ServerEndpoint): Record<string, string> {
  return endpoint.apiKey ? { Authorization: `Bearer ${endpoint.apiKey}` } : {};
}

const defaultFetch: FetchLike = (input, init) => fetch(input, init);
const defaultOnline = () => globalThis.navigator?.onLine !== false;
const defaultOrigin = () => globalThis.location?.origin ?? 'this page';

/**
 * Why a request to the server never got an answer. A browser reports an unreachable host and a
 * CORS refusal alike (a TypeError); an opaque `no-cors` request tells them apart: it succeeds when
 * something answered, just not to this origin.
 */
export async function explainFetchFailure(
  endpoint: ServerEndpoint,
  error: unknown,
  options: ClientOptions = {},
): Promise<ServerError> {
  if (error instanceof ServerError) return error;
  const online = (options.isOnline ?? defaultOnline)();
  if (!online) {
    return new ServerError(
      'offline',
      `You are offline, so ${endpoint.host} cannot be reached. The local model works without a network.`,
    );
  }
  const fetchFn = options.fetch ?? defaultFetch;
  const answered = await fetchFn(`${endpoint.apiBase}/models`, {
    mode: 'no-cors',
    signal: AbortSignal.timeout(5000),
  }).then(
    () => true,
    () => false,
  );
  const origin = options.origin ?? defaultOrigin();
  if (answered) return new ServerError('cors-refused', corsAdvice(origin));
  // Under cross-origin isolation the opaque request is blocked too: down and refused look alike.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return new ServerError(
    'unreachable',
    isolated
      ? noAnswer(endpoint.host, origin)
      : `${endpoint.host} does not answer. Is the server running, and is the address right?`,
  );
}

/** The server's own error text from a JSON error body (`{ error: { message } }` or `{ error }`). */
export async function errorDetail(response: Response): Promise<string | undefined> {
  try {
    const text = (await response.text()).trim();
    if (!text) return undefined;
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
      if (typeof body.error === 'string') return body.error;
      if (typeof body.error?.message === 'string') return body.error.message;
      if (typeof body.message === 'string') return body.message;
    } catch {
      // not JSON: the text itself
    }
    return text.slice(0, 200);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;

/**
 * A window size in a `/v1/models` entry: vLLM's `max_model_len`, LM Studio's
 * `max_context_length`/`context_length`, llama-server's `meta.n_ctx` / `meta.n_ctx_train`.
 */
export function contextFromListing(entry: Record<string, unknown>): number | undefined {
  const meta = isRecord(entry.meta) ? entry.meta : {};
  return (
    positive(entry.max_model_len) ??
    positive(entry.max_context_length) ??
    positive(entry.context_length) ??
    positive(meta.n_ctx) ??
    positive(meta.n_ctx_train)
  );
}

/** llama-server's `/props`: the window each slot really has. */
export function contextFromProps(body: unknown): number | undefined {
  if (!isRecord(body)) return undefined;
  const settings = isRecord(body.default_generation_settings) ? body.default_generation_settings : {};
  return positive(settings.n_ctx) ?? positive(body.n_ctx);
}

/** llama-server's `/props`: the chat template it applies tells whether the model thinks. */
export function abilitiesFromProps(body: unknown): ModelAbilities | undefined {
  if (!isRecord(body) || typeof body.chat_template !== 'string') return undefined;
  return templateAbilities(body.chat_template);
}

/** Ollama's `/api/show`: its `capabilities` list (`thinking`, `tools`); Ollama's `think` switches thinking. */
export function abilitiesFromOllamaShow(body: unknown): ModelAbilities | undefined {
  if (!isRecord(body) || !Array.isArray(body.capabilities)) return undefined;
  const capabilities = new Set(body.capabilities.filter((c): c is string => typeof c === 'string'));
  return {
    ...(capabilities.has('thinking')
      ? { thinking: 'switchable' as const, thinkingSwitch: 'reasoning_effort' as const }
      : {}),
    ...(capabilities.has('tools') ? { tools: true } : {}),
  };
}

/** Ollama's `/api/show`: `num_ctx` if the model sets one, else its default, never above training. */
export function contextFromOllamaShow(body: unknown): number | undefined {
  if (!isRecord(body)) return undefined;
  const parameters = typeof body.parameters === 'string' ? body.parameters : '';
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(parameters)?.[1];
  const info = isRecord(body.model_info) ? body.model_info : {};
  const trained = Object.entries(info).find(([key]) => key.endsWith('.context_length'))?.[1];
  const trainedLength = positive(trained);
  const runs = numCtx ? Number(numCtx) : OLLAMA_DEFAULT_CONTEXT;
  return trainedLength ? Math.min(runs, trainedLength) : positive(runs);
}

async function getJson(
  endpoint: ServerEndpoint,
  url: string,
  init: RequestInit,
  options: ClientOptions,
  modelId?: string,
): Promise<unknown> {
  const fetchFn = options.fetch ?? defaultFetch;
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, headers: { ...authHeaders(endpoint), ...init.headers } });
  } catch (error) {
    throw await explainFetchFailure(endpoint, error, options);
  }
  if (!response.ok) throw describeStatus(response.status, endpoint.host, modelId, await errorDetail(response));
  try {
    return await response.json();
  } catch {
    throw new ServerError(
      'not-event-stream',
      `${endpoint.host} answered with something that is not JSON: is this an OpenAI-compatible server?`,
    );
  }
}

/**
 * The models the server offers, each with the window it runs with where the server says so. Only
 * called when the user presses Connect (or Refresh): nothing reaches a server on its own.
 */
export async function listServerModels(
  endpoint: ServerEndpoint,
  options: ClientOptions = {},
): Promise<ServerModelInfo[]> {
  const body = await getJson(endpoint, `${endpoint.apiBase}/models`, {}, options);
  const data = isRecord(body) && Array.isArray(body.data) ? body.data : undefined;
  if (!data) {
    throw new ServerError(
      'not-event-stream',
      `${endpoint.host} answered /v1/models without a model list: is this an OpenAI-compatible server?`,
    );
  }
  const models: ServerModelInfo[] = [];
  for (const entry of data) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !entry.id) continue;
    const contextLength = contextFromListing(entry);
    models.push(contextLength ? { id: entry.id, contextLength } : { id: entry.id });
  }
  // llama-server serves one model and tells its real window under /props; Ollama under /api/show.
  const props = await getJson(endpoint, `${endpoint.root}/props`, {}, options).catch(() => undefined);
  const served = contextFromProps(props);
  if (served) {
    const abilities = abilitiesFromProps(props);
    return models.map((model) => ({ ...model, contextLength: served, ...(abilities ? { abilities } : {}) }));
  }
  const withContext: ServerModelInfo[] = [];
  for (const model of models) {
    if (model.contextLength) {
      withContext.push(model);
      continue;
    }
    const show = await getJson(
      endpoint,
      `${endpoint.root}/api/show`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model: model.id }) },
      options,
    ).catch(() => undefined);
    const contextLength = contextFromOllamaShow(show);
    const abilities = abilitiesFromOllamaShow(show);
    withContext.push({ ...model, ...(contextLength ? { contextLength } : {}), ...(abilities ? { abilities } : {}) });
  }
  return withContext;
}
