/**
 * The grounded-answer job: retrieve, build the prompt that fits, stream the answer. When nothing
 * relevant is found, or the window cannot hold a passage, it says so and never asks the model.
 * Retrieval and the engine are handed in, so it runs in Node tests with a fake engine.
 */
import { contextOverflowOf, type TokenEstimator } from '../engine/tokens';
import { utf8Length } from '../shared/utf8';
import type { ChatRequest, CompletionStats, GenerationSettings, StreamCallbacks } from '../engine/types';
import { buildGroundedPrompt, type GivenSource, type PromptConversation, type RankedPassage } from './prompt';

/** Passages considered for one answer; the window decides how many are given. */
export const CANDIDATE_PASSAGES = 12;
/** What an answer gets at most; a small window gets a quarter of itself (see buildGroundedPrompt). */
export const ANSWER_TOKENS = 512;

export type AnswerOutcome =
  | { kind: 'answered'; sources: GivenSource[]; stats: CompletionStats; droppedTurns: number }
  | { kind: 'no-passages' }
  | { kind: 'window-too-small' };

export interface AnswerJob {
  question: string;
  contextLength: number;
  estimator: TokenEstimator;
  /** In a chat: the conversation's system prompt and earlier turns (the newest that fit are given). */
  conversation?: PromptConversation;
  /** Sampling for the answer; greedy by default (an answer from sources should not be creative). */
  settings?: GenerationSettings;
  search: (query: string, limit: number) => Promise<RankedPassage[]>;
  chat: (request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal) => Promise<CompletionStats>;
  /** The sources, before the first token. */
  onSources: (sources: GivenSource[]) => void;
  onToken: (text: string) => void;
  /** A reasoning model's thinking, apart from the answer (a chat shows it; Documents leaves it out). */
  onThinking?: (text: string) => void;
  signal?: AbortSignal;
}

export async function answerFromDocuments(job: AnswerJob): Promise<AnswerOutcome> {
  const ranked = await job.search(job.question, CANDIDATE_PASSAGES);
  if (ranked.length === 0) return { kind: 'no-passages' };
  // The Documents view shows the answer alone: a model that can is asked not to think first.
  const sampling = job.settings ?? { temperature: 0, topP: 1, maxTokens: ANSWER_TOKENS, think: false };
  // A refusal for length teaches the estimator; the second try then fits.
  for (let attempt = 0; attempt < 2; attempt++) {
    const prompt = buildGroundedPrompt(
      job.question,
      ranked,
      { contextTokens: job.contextLength, answerTokens: sampling.maxTokens, estimator: job.estimator },
      job.conversation,
    );
    if (!prompt) return { kind: 'window-too-small' };
    const promptBytes = prompt.messages.reduce((sum, message) => sum + utf8Length(message.content), 0);
    const request: ChatRequest = {
      messages: prompt.messages,
      settings: { ...sampling, maxTokens: prompt.answerTokens },
    };
    job.onSources(prompt.sources);
    try {
      const callbacks: StreamCallbacks = {
        onToken: job.onToken,
        ...(job.onThinking ? { onThinking: job.onThinking } : {}),
      };
      const stats = await job.chat(request, callbacks, job.signal);
      job.estimator.observe(promptBytes, stats.promptTokens);
      return { kind: 'answered', sources: prompt.sources, stats, droppedTurns: prompt.droppedTurns };
    } catch (error) {
      const overflow = contextOverflowOf(error);
      if (!overflow?.requested || attempt > 0) throw error;
      job.estimator.observe(promptBytes, overflow.requested);
    }
  }
  return { kind: 'window-too-small' };
}
