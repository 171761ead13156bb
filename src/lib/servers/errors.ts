/**
 * What can go wrong talking to a model server, each with a sentence the user understands. Small
 * and free of the HTTP code, so the chat can recognise a server failure without loading it.
 */
import { EngineError } from '../engine/errors';

export type ServerFailure =
  | 'unauthorized' // 401/403: the key is missing or wrong
  | 'not-found' // 404: no such model (or not an OpenAI-compatible address)
  | 'rate-limited' // 429
  | 'server-error' // 5xx
  | 'bad-request' // another 4xx
  | 'cut-off' // the stream ended before the reply did
  | 'unreachable' // nothing answered
  | 'cors-refused' // something answered, but not to this page's origin
  | 'offline' // the browser has no network
  | 'not-event-stream'; // the answer is not a server-sent event stream (or not JSON for a list)

export class ServerError extends EngineError {
  override name = 'ServerError';
  readonly failure: ServerFailure;
  readonly status: number | undefined;

  constructor(failure: ServerFailure, message: string, status?: number) {
    super(
      failure === 'unreachable' || failure === 'offline' || failure === 'cors-refused'
        ? 'host-unreachable'
        : 'inference-failed',
      message,
    );
    this.failure = failure;
    this.status = status;
  }

  /** The server cannot be used right now: offer the local model. */
  get serverUnavailable(): boolean {
    return this.failure !== 'bad-request';
  }
}

/** The settings that let a browser page call each common server (checked against their docs). */
export function corsSettings(origin: string): string {
  return (
    `llama-server: start it with --cors-origins ${origin} (or leave the option out, which allows all); ` +
    `Ollama: set OLLAMA_ORIGINS=${origin} in the environment it runs in and restart it; ` +
    `LM Studio: turn on “Enable CORS” in the Developer tab’s server settings (or lms server start --cors); ` +
    `vLLM: start it with --allowed-origins '["${origin}"]'.`
  );
}

/** The server answered, but not to this page's origin. */
export const corsAdvice = (origin: string): string =>
  `${origin} is not among the origins the server accepts (CORS). Allow it on the server: ${corsSettings(origin)}`;

/**
 * No answer reached the page. A cross-origin isolated page (Nook's hosting, for llama.cpp's
 * threads) cannot tell a server that is down from one that refuses its origin: the browser
 * blocks the opaque request that would tell them apart. So the sentence names both, with the fix.
 */
export const noAnswer = (host: string, origin: string): string =>
  `${host} does not answer this page. Either it is not running (or the address is wrong), or it runs but does ` +
  `not accept this page's origin, ${origin} (CORS) — the browser does not say which. If it is running, allow the ` +
  `origin: ${corsSettings(origin)}`;

/** The sentence for an HTTP error status from `host`; `detail` is the server's own message, if any. */
export function describeStatus(
  status: number,
  host: string,
  modelId: string | undefined,
  detail?: string,
): ServerError {
  const said = detail ? ` The server said: “${detail.slice(0, 200)}”` : '';
  if (status === 401 || status === 403) {
    return new ServerError(
      'unauthorized',
      `${host} refused the request (${status}): the API key is missing or wrong. Check it under Models → Model servers.${said}`,
      status,
    );
  }
  if (status === 404) {
    return new ServerError(
      'not-found',
      modelId
        ? `${host} does not know the model “${modelId}” (404). It may have been removed; connect again to see its models.${said}`
        : `${host} has no OpenAI-compatible API at this address (404). Check the address (e.g. http://localhost:8080).${said}`,
      status,
    );
  }
  if (status === 429) {
    return new ServerError(
      'rate-limited',
      `${host} is busy and asks to wait (429 Too Many Requests). Try again in a moment.${said}`,
      status,
    );
  }
  if (status >= 500) {
    return new ServerError(
      'server-error',
      `${host} failed with a server error (${status}). Try again, or use the local model.${said}`,
      status,
    );
  }
  return new ServerError('bad-request', `${host} refused the request (${status}).${said}`, status);
}
