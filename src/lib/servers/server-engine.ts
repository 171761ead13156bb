/**
 * The server backend: one model on the user's OpenAI-compatible server (llama-server, Ollama,
 * LM Studio, vLLM) behind the same `chat` the local engines offer, so jobs cannot tell them
 * apart. `POST /v1/chat/completions` with `stream: true`; the server-sent events are parsed by
 * `eventsource-parser`; Stop aborts the request; stats come from the final chunk's `usage`
 * (`stream_options.include_usage`) or from our own count. Runs on the page, loaded on first use:
 * the work is network I/O and JSON, so a worker would add a hop for every token and save nothing.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ChatRequest, CompletionStats, Engine, ModelAbilities, StreamCallbacks } from '../engine/types';
import { isAbortError } from '../engine/errors';
import { reasoningParams, responseFormat, type ReasoningParams } from '../engine/reasoning-params';
import { ReplyGate, ReplyMeter, type ReportedCounts, type StreamedChoice } from '../engine/reply-meter';
import { authHeaders, errorDetail, explainFetchFailure, type ClientOptions, type ServerEndpoint } from './client';
import { describeStatus, ServerError } from './errors';

interface StreamChunk {
  choices?: StreamedChoice[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    completion_tokens_details?: { reasoning_tokens?: number } | null;
  } | null;
  error?: { message?: string } | string;
}

function thinkingParams(
  settings: ChatRequest['settings'],
  abilities: ModelAbilities | undefined,
): ReasoningParams | { reasoning_effort: 'none' } {
  const params = reasoningParams(settings, abilities);
  if (params.chat_template_kwargs && abilities?.thinkingSwitch === 'reasoning_effort')
    return { reasoning_effort: 'none' };
  return params;
}

const isAbort = (error: unknown, signal: AbortSignal | undefined) => signal?.aborted === true || isAbortError(error);

export class ServerEngine implements Pick<Engine, 'chat'> {
  readonly #endpoint: ServerEndpoint;
  readonly #modelId: string;
  readonly #options: ClientOptions;
  readonly #gate = new ReplyGate();

  constructor(endpoint: ServerEndpoint, modelId: string, options: ClientOptions = {}) {
    this.#endpoint = endpoint;
    this.#modelId = modelId;
    this.#options = options;
  }

  chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    return this.#gate.run(() => this.#stream(request, callbacks, signal));
  }

  async #stream(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    const { host } = this.#endpoint;
    const meter = new ReplyMeter(callbacks);
    const fetchFn = this.#options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
    const { temperature, topP, maxTokens } = request.settings;
    let response: Response;
    try {
      response = await fetchFn(`${this.#endpoint.apiBase}/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...authHeaders(this.#endpoint) },
        body: JSON.stringify({
          model: this.#modelId,
          messages: request.messages,
          stream: true,
          stream_options: { include_usage: true },
          temperature,
          top_p: topP,
          max_tokens: maxTokens,
          // Sent only when the user turned thinking off (the switch shows for models that can):
          // llama-server and vLLM read `chat_template_kwargs`, Ollama `reasoning_effort`.
          ...thinkingParams(request.settings, this.#options.abilities),
          ...(request.tools?.length ? { tools: request.tools, tool_choice: 'auto' } : {}),
          ...responseFormat(request.format),
        }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isAbort(error, signal)) return meter.finish({}, 'aborted');
      throw await explainFetchFailure(this.#endpoint, error, this.#options);
    }
    if (!response.ok) throw describeStatus(response.status, host, this.#modelId, await errorDetail(response));
    const type = response.headers.get('Content-Type') ?? '';
    if (!/^text\/event-stream\b/i.test(type) || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new ServerError(
        'not-event-stream',
        `${host} did not stream its reply (it sent ${type.split(';')[0] || 'no content type'}, not text/event-stream). Is this an OpenAI-compatible address?`,
      );
    }

    const reported: ReportedCounts = {};
    let finish: CompletionStats['finishReason'] | undefined;
    let done = false;
    let failure: ServerError | undefined;
    const onEvent = (event: EventSourceMessage) => {
      if (done || failure) return;
      if (event.data === '[DONE]') {
        done = true;
        return;
      }
      let chunk: StreamChunk;
      try {
        chunk = JSON.parse(event.data) as StreamChunk;
      } catch {
        failure = new ServerError('not-event-stream', `${host} sent an event that is not JSON in its reply stream.`);
        return;
      }
      if (chunk.error) {
        const detail = typeof chunk.error === 'string' ? chunk.error : chunk.error.message;
        failure = new ServerError(
          'server-error',
          `${host} stopped with an error mid-reply${detail ? `: “${detail}”` : '.'} What it wrote so far is kept.`,
        );
        return;
      }
      const choice = chunk.choices?.[0];
      if (meter.take(choice)) finish = 'length';
      else if (choice?.finish_reason) finish = 'stop';
      if (chunk.usage) {
        if (typeof chunk.usage.prompt_tokens === 'number') reported.promptTokens = chunk.usage.prompt_tokens;
        if (typeof chunk.usage.completion_tokens === 'number')
          reported.completionTokens = chunk.usage.completion_tokens;
        const reasoning = chunk.usage.completion_tokens_details?.reasoning_tokens;
        if (typeof reasoning === 'number' && reasoning > 0) reported.thinkingTokens = reasoning;
      }
    };
    const parser = createParser({ onEvent });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      while (!done && !failure) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        parser.feed(value);
      }
    } catch (error) {
      if (isAbort(error, signal)) return meter.finish(reported, 'aborted');
      throw new ServerError(
        'cut-off',
        `The connection to ${host} broke before the reply was finished. What it wrote so far is kept.`,
      );
    } finally {
      // After [DONE] (or a failure) the rest of the body is not needed; a still-open one is closed.
      void reader.cancel().catch(() => undefined);
    }
    if (failure) throw failure;
    if (signal?.aborted) return meter.finish(reported, 'aborted');
    // A stream that ends with neither [DONE] nor a finish reason was cut off mid-reply.
    if (!done && !finish) {
      throw new ServerError(
        'cut-off',
        `${host} ended the stream before the reply was finished. What it wrote so far is kept.`,
      );
    }
    return meter.finish(reported, finish ?? 'stop');
  }
}
