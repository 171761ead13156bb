/**
 * Splitting streamed markdown into blocks, incrementally. A block ends at a blank line outside a
 * code fence; once a later block has started, the earlier ones never change, so they are rendered
 * once and cached by key. Each update scans only the growing tail, never the whole message.
 * This folder owns markdown → safe HTML; it must not touch the DOM of the page or any state.
 */

export interface MarkdownBlock {
  /** Stable for the life of the message: the block's index. */
  key: number;
  source: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export class IncrementalBlocks {
  #text = '';
  #finished: MarkdownBlock[] = [];
  /** Offset in `#text` where the unfinished tail starts. */
  #tailStart = 0;

  /** Feeds the whole text so far; returns finished blocks plus the tail (if not empty). */
  update(text: string): MarkdownBlock[] {
    const prefix = this.#text.slice(0, this.#tailStart);
    if (!text.startsWith(prefix)) {
      // Not a continuation (edited or replaced): start over.
      this.#finished = [];
      this.#tailStart = 0;
    }
    this.#text = text;
    this.#scanTail();
    const tail = text.slice(this.#tailStart);
    return tail.trim() ? [...this.#finished, { key: this.#finished.length, source: tail }] : [...this.#finished];
  }

  /** Moves complete blocks at the start of the tail into the finished list. */
  #scanTail(): void {
    const text = this.#text;
    let lineStart = this.#tailStart;
    let blockHasContent = false;
    let fence: string | undefined;
    for (;;) {
      const newline = text.indexOf('\n', lineStart);
      if (newline === -1) return; // the last line is still being written
      const line = text.slice(lineStart, newline);
      const next = newline + 1;
      const marker = FENCE.exec(line)?.[1];
      if (fence) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && !line.trim().slice(marker.length)) {
          fence = undefined;
        }
      } else if (marker) {
        fence = marker;
        blockHasContent = true;
      } else if (line.trim() === '') {
        if (blockHasContent) {
          this.#finished.push({ key: this.#finished.length, source: text.slice(this.#tailStart, lineStart - 1) });
          blockHasContent = false;
        }
        this.#tailStart = next;
      } else {
        blockHasContent = true;
      }
      lineStart = next;
    }
  }
}

/** All blocks of a complete text (for tests and one-off rendering). */
export const splitBlocks = (text: string): string[] => new IncrementalBlocks().update(text).map((b) => b.source);
