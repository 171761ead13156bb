/**
 * One grounded answer, the same for the Documents view and for a chat with attached documents:
 * the question's vector (when the loaded model embeds), the library's search, the prompt fitted
 * to the answering model's window (calibrated per model by llama.cpp's own counts) and the
 * stream. Storage and the engine are handed in, so it runs in Node tests.
 */
import type { ChatRequest, CompletionStats, GenerationSettings, StreamCallbacks } from '../engine/types';
import { TokenEstimator } from '../engine/tokens';
import { answerFromDocuments, CANDIDATE_PASSAGES, type AnswerOutcome } from './answer';
import type { FoundPassage } from './library';
import type { GivenSource, PromptConversation, RankedPassage } from './prompt';
import type { AnswerTurns } from './turns';

export interface SearchQuery {
  text: string;
  limit: number;
  documentIds?: string[];
  vector?: number[];
  model?: string;
}

export interface GrounderDeps {
  search: (query: SearchQuery) => Promise<FoundPassage[]>;
  /** The text's vector and the model that made it; undefined when no loaded model embeds. */
  embed: (text: string) => Promise<{ vector: number[]; model: string } | undefined>;
  turns: AnswerTurns;
}

export interface GroundedJob {
  question: string;
  /** Passages already found (see {@link Grounder.search}); searched for the question otherwise. */
  ranked?: readonly RankedPassage[];
  /** The model that writes the answer: its id (for calibration) and window. */
  model: { modelId: string; contextLength: number };
  /** Search these documents only; the whole library when absent. */
  documentIds?: readonly string[];
  conversation?: PromptConversation;
  settings?: GenerationSettings;
  chat: (request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal) => Promise<CompletionStats>;
  onSources: (sources: GivenSource[]) => void;
  onToken: (text: string) => void;
  onThinking?: (text: string) => void;
  signal?: AbortSignal;
}

export class Grounder {
  readonly #deps: GrounderDeps;
  /** Calibration per answering model. */
  readonly #estimators = new Map<string, TokenEstimator>();

  constructor(deps: GrounderDeps) {
    this.#deps = deps;
  }

  async answer(job: GroundedJob): Promise<AnswerOutcome> {
    const { modelId, contextLength } = job.model;
    let estimator = this.#estimators.get(modelId);
    if (!estimator) this.#estimators.set(modelId, (estimator = new TokenEstimator()));
    const documentIds = job.documentIds;
    const end = this.#deps.turns.begin();
    try {
      return await answerFromDocuments({
        question: job.question,
        contextLength,
        estimator,
        ...(job.conversation ? { conversation: job.conversation } : {}),
        ...(job.settings ? { settings: job.settings } : {}),
        search: async (text, limit) => (job.ranked ? [...job.ranked] : this.search(text, limit, documentIds)),
        chat: job.chat,
        onSources: job.onSources,
        onToken: job.onToken,
        ...(job.onThinking ? { onThinking: job.onThinking } : {}),
        ...(job.signal ? { signal: job.signal } : {}),
      });
    } finally {
      end();
    }
  }

  /** The best passages for `text` (by words, and by meaning when the loaded model embeds). */
  async search(text: string, limit = CANDIDATE_PASSAGES, documentIds?: readonly string[]): Promise<FoundPassage[]> {
    const embedded = await this.#deps.embed(text);
    return this.#deps.search({
      text,
      limit,
      ...(documentIds ? { documentIds: [...documentIds] } : {}),
      ...(embedded ? { vector: embedded.vector, model: embedded.model } : {}),
    });
  }
}
