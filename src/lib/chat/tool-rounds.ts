/**
 * A reply written in rounds: the model may call tools instead of answering; each call is run on
 * the device, its result given back as a `tool` turn, and the model asked again, until it answers
 * or {@link TOOL_ROUND_LIMIT} rounds have passed. Pure orchestration: the engine's chat and the
 * tools are passed in (lib/tools runs them; state/chat shows the steps).
 */
import type { ChatMessage, ChatRequest, CompletionStats, EngineToolCall, StreamCallbacks } from '../engine/types';
import type { ToolOutcome } from '../tools/types';
import type { ToolStep } from './conversation';

/** Rounds of tool calls one reply may make before Nook stops asking. */
export const TOOL_ROUND_LIMIT = 4;

/** Said at the end of a reply whose model still called tools after the last round. */
export const ROUND_LIMIT_NOTE = `Nook stopped here: the model kept calling tools after ${TOOL_ROUND_LIMIT} rounds without answering.`;

export interface ToolRoundsJob {
  chat: (request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal) => Promise<CompletionStats>;
  /** The first round's request, its tools included. */
  request: ChatRequest;
  callbacks: Pick<StreamCallbacks, 'onToken' | 'onThinking'>;
  run: (call: { id: string; name: string; arguments: string }) => Promise<ToolOutcome>;
  /** Every step so far, after each change (a call started, a call answered). */
  onSteps: (steps: ToolStep[]) => void;
  /** The model is writing a call to `name` (undefined: no call is being written any more). */
  onCalling?: (name: string | undefined) => void;
  signal?: AbortSignal;
  limit?: number;
}

export interface ToolRoundsOutcome {
  stats: CompletionStats;
  /** The model still called tools when the rounds ran out: the reply should say so. */
  limited: boolean;
}

/** The text the model reads back for a call: the result, or the error said as one. */
export const toolTurnText = (outcome: ToolOutcome): string => (outcome.ok ? outcome.result : `Error: ${outcome.error}`);

/** The stats of a reply written in several calls: counts summed, speed and prompt of the last. */
export function mergeRoundStats(earlier: CompletionStats | undefined, next: CompletionStats): CompletionStats {
  if (!earlier) return next;
  const thinkingTokens = (earlier.thinkingTokens ?? 0) + (next.thinkingTokens ?? 0);
  const thinkingMs = (earlier.thinkingMs ?? 0) + (next.thinkingMs ?? 0);
  return {
    ...next,
    completionTokens: earlier.completionTokens + next.completionTokens,
    timeToFirstTokenMs: earlier.timeToFirstTokenMs,
    ...(earlier.thinkingTokens !== undefined || next.thinkingTokens !== undefined
      ? { thinkingTokens, thinkingMs }
      : {}),
  };
}

export async function chatWithTools(job: ToolRoundsJob): Promise<ToolRoundsOutcome> {
  const limit = job.limit ?? TOOL_ROUND_LIMIT;
  const messages: ChatMessage[] = [...job.request.messages];
  const steps: ToolStep[] = [];
  let stats: CompletionStats | undefined;
  for (let round = 0; ; round++) {
    let calls: EngineToolCall[] = [];
    let text = '';
    const lastRound = round >= limit;
    const roundStats = await job.chat(
      // Past the last round the model is still offered the tools (its prompt stays the same, and
      // cached), but what it calls then is not run.
      { ...job.request, messages },
      {
        onToken: (token) => ((text += token), job.callbacks.onToken(token)),
        ...(job.callbacks.onThinking ? { onThinking: job.callbacks.onThinking } : {}),
        onToolCallStart: (name) => job.onCalling?.(name),
        onToolCalls: (made) => (calls = made),
      },
      job.signal,
    );
    job.onCalling?.(undefined);
    stats = mergeRoundStats(stats, roundStats);
    if (roundStats.finishReason !== 'tool_calls' || calls.length === 0 || job.signal?.aborted) {
      return { stats: { ...stats, finishReason: finalReason(roundStats, job.signal) }, limited: false };
    }
    if (lastRound) return { stats: { ...stats, finishReason: 'stop' }, limited: true };
    messages.push({ role: 'assistant', content: text, tool_calls: calls });
    for (const call of calls) {
      const step: ToolStep = { id: call.id, name: call.function.name, arguments: call.function.arguments };
      steps.push(step);
      job.onSteps([...steps]);
      const outcome = await job
        .run({ id: call.id, name: call.function.name, arguments: call.function.arguments })
        .catch((error: unknown): ToolOutcome => ({
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        }));
      Object.assign(step, outcome.ok ? { result: outcome.result } : { error: outcome.error });
      job.onSteps([...steps]);
      messages.push({ role: 'tool', tool_call_id: call.id, content: toolTurnText(outcome) });
    }
  }
}

/** A round that ended on calls the signal stopped is a stopped reply; calls none could read, an ended one. */
function finalReason(stats: CompletionStats, signal: AbortSignal | undefined): CompletionStats['finishReason'] {
  if (stats.finishReason !== 'tool_calls') return stats.finishReason;
  return signal?.aborted ? 'aborted' : 'stop';
}
