// The documents bench's in-page probe: the app's own passage cutter and BM25 index
// (src/lib/documents), timed without the worker round trip, and the grounded prompt's wording,
// so the bench can send the very prompt the app sent straight to the raw engine.
import { LexicalIndex, passageId } from '../../src/lib/documents/lexical';
import { cutPassages } from '../../src/lib/documents/passages';
import { rankPassages } from '../../src/lib/documents/retrieve';
import { GROUNDED_INSTRUCTIONS, userMessage } from '../../src/lib/documents/prompt';

/** Indexes `text` as the library does and times `queries` lexical searches over it. */
function lexicalLatency(text: string, queries: string[]) {
  const started = performance.now();
  const passages = cutPassages(text);
  const index = LexicalIndex.empty();
  index.add(
    passages.map((passage) => ({
      id: passageId('bench', passage.index),
      documentId: 'bench',
      text: text.slice(passage.start, passage.end),
      heading: passage.heading ?? '',
      title: 'bench.txt',
    })),
  );
  const buildMs = performance.now() - started;
  const times: number[] = [];
  let found = 0;
  for (const query of queries) {
    const t = performance.now();
    found += rankPassages({ text: query, limit: 12 }, index, () => []).length > 0 ? 1 : 0;
    times.push(performance.now() - t);
  }
  return { passages: passages.length, buildMs, times, found, jsonBytes: index.toJSON().length };
}

(window as unknown as { benchDocuments: unknown }).benchDocuments = {
  lexicalLatency,
  instructions: GROUNDED_INSTRUCTIONS,
  userMessage,
};
