/**
 * Grounded answers being written (in the Documents view or in a chat), so that background work
 * on the engine (giving the library vectors) steps aside: `idle()` resolves when the last answer
 * ends, an event rather than a poll.
 */
export class AnswerTurns {
  #open = 0;
  #idle: Promise<void> = Promise.resolve();
  #release: () => void = () => undefined;

  get busy(): boolean {
    return this.#open > 0;
  }

  /** Marks an answer as started; call the returned function once it ends (twice is harmless). */
  begin(): () => void {
    if (this.#open++ === 0) this.#idle = new Promise((resolve) => (this.#release = resolve));
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.#open === 0) this.#release();
    };
  }

  /** Resolves once no answer is being written (at once when none is). */
  idle(): Promise<void> {
    return this.#idle;
  }
}
