/**
 * A download that waits for the user's word because its data may cost them (Data Saver, mobile
 * data; the rule is lib/models/data-cost): the question while it waits, and the answer that lets
 * it go on or drops it. One per download store (models, speech models).
 */
import { dataCostQuestion, readConnection, type ConnectionFacts } from '../../lib/models/data-cost';

export interface DownloadQuestion {
  /** What would be downloaded. */
  name: string;
  text: string;
}

export class AskFirstState {
  #question = $state.raw<DownloadQuestion | undefined>(undefined);
  #answer: ((yes: boolean) => void) | undefined;
  readonly #connection: () => ConnectionFacts | undefined;

  constructor(connection: () => ConnectionFacts | undefined = readConnection) {
    this.#connection = connection;
  }

  /** The question waiting for an answer; undefined when none is. */
  get question(): DownloadQuestion | undefined {
    return this.#question;
  }

  /**
   * Whether to fetch `remainingBytes` (undefined: not known) of `name`: true at once where the
   * data costs nothing extra, else once the user has answered.
   */
  agreed(name: string, remainingBytes: number | undefined): boolean | Promise<boolean> {
    const text = dataCostQuestion(this.#connection(), name, remainingBytes);
    if (!text) return true;
    this.#answer?.(false); // never two questions: an older one counts as "not now"
    this.#question = { name, text };
    return new Promise((resolve) => (this.#answer = resolve));
  }

  /** The user's word: fetch now, or not now. */
  answer(yes: boolean): void {
    const answer = this.#answer;
    this.#answer = undefined;
    this.#question = undefined;
    answer?.(yes);
  }
}
