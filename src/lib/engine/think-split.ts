/**
 * A reply that opens with `<think>…</think>` is thinking, then its answer: web-llm never splits
 * them, and llama.cpp leaves the tags in the content for chat templates it does not recognise as
 * a reasoning format. This splits streamed text on those tags as it arrives, pieces cut anywhere
 * (a tag may come in several). Only a reply that *opens* with the tag is split: a `<think>` later
 * in an answer is the answer's own text.
 */

export type ThinkPart = 'thinking' | 'answer';

export interface ThinkSink {
  thinking(text: string): void;
  answer(text: string): void;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/** The longest end of `text` that is a start of `tag` (it may be the tag, cut by the stream). */
function partialTagAtEnd(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(-length))) return length;
  }
  return 0;
}

export class ThinkSplitter {
  readonly #sink: ThinkSink;
  /** 'opening': nothing but whitespace and a start of `<think>` so far. */
  #state: 'opening' | 'thinking' | 'closing' | 'answer' = 'opening';
  #held = '';
  /** Some thought was passed on: whitespace is text from now on, not the blank start of one. */
  #thoughtYet = false;

  constructor(sink: ThinkSink) {
    this.#sink = sink;
  }

  /** Where the stream is now: thinking until `</think>`, then the answer. */
  get part(): ThinkPart | 'undecided' {
    if (this.#state === 'opening') return 'undecided';
    return this.#state === 'thinking' ? 'thinking' : 'answer';
  }

  push(text: string): void {
    if (!text) return;
    if (this.#state === 'answer') return this.#sink.answer(text);
    this.#held += text;
    if (this.#state === 'opening') this.#open();
    if (this.#state === 'thinking') this.#think();
    if (this.#state === 'closing') this.#close();
  }

  /** The stream ended: whatever is held goes where it was heading (an open thought stays thought). */
  end(): void {
    const held = this.#held;
    this.#held = '';
    if (!held) return;
    if (this.#state === 'thinking') {
      if (held.trim()) this.#thought(this.#thoughtYet ? held : held.trimStart());
    }
    // Whitespace after `</think>` with no answer after it is nothing to show.
    else if (this.#state === 'opening' || (this.#state === 'answer' && held.trim())) this.#sink.answer(held);
  }

  #open(): void {
    const start = this.#held.trimStart();
    if (start.startsWith(OPEN)) {
      this.#held = start.slice(OPEN.length);
      this.#state = 'thinking';
    } else if (!OPEN.startsWith(start)) {
      this.#state = 'answer';
      const held = this.#held;
      this.#held = '';
      this.#sink.answer(held);
    }
  }

  #think(): void {
    if (!this.#thoughtYet) this.#held = this.#held.replace(/^\s+/, '');
    const at = this.#held.indexOf(CLOSE);
    if (at >= 0) {
      const thought = this.#held.slice(0, at).trimEnd();
      if (thought) this.#thought(thought);
      this.#held = this.#held.slice(at + CLOSE.length);
      this.#state = 'closing';
      return;
    }
    const keep = partialTagAtEnd(this.#held, CLOSE);
    // Trailing whitespace is held too: it is dropped if `</think>` follows it.
    const body = this.#held.slice(0, this.#held.length - keep);
    const trimmed = body.trimEnd();
    if (trimmed) this.#thought(trimmed);
    this.#held = body.slice(trimmed.length) + this.#held.slice(this.#held.length - keep);
  }

  #thought(text: string): void {
    this.#thoughtYet = true;
    this.#sink.thinking(text);
  }

  /** After `</think>`: the blank lines before the answer are not part of it. */
  #close(): void {
    const rest = this.#held.replace(/^\s+/, '');
    if (!rest) return;
    this.#held = '';
    this.#state = 'answer';
    this.#sink.answer(rest);
  }
}
