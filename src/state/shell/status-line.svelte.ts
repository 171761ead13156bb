/**
 * The one line of news a view shows under its controls: an error, or a notice (e.g. "Stopped").
 * Several stores of one view report to the same line, so whichever spoke last is what is shown.
 */
export class StatusLineState {
  #error = $state<string | undefined>(undefined);
  #notice = $state<string | undefined>(undefined);

  get error(): string | undefined {
    return this.#error;
  }
  get notice(): string | undefined {
    return this.#notice;
  }

  fail(message: string | undefined): void {
    this.#error = message;
  }

  tell(notice: string): void {
    this.#notice = notice;
  }

  clear(): void {
    this.#error = undefined;
    this.#notice = undefined;
  }
}
