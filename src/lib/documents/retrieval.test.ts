import { describe, expect, it } from 'vitest';
import { LexicalIndex, passageId } from './lexical';
import { cutPassages } from './passages';
import { rankPassages, type RetrievalMode } from './retrieve';
import { normalise } from '../shared/vectors';
import { CORPUS, QUESTIONS, UNANSWERABLE } from './testing/corpus';
import { embedWithTrigrams } from './testing/trigram-embedder';

/** The corpus indexed as the library does it: passages of a few sentences each. */
function indexCorpus() {
  const lexical = LexicalIndex.empty();
  const texts = new Map<string, string>();
  const vectors = new Map<string, Float32Array>();
  for (const document of CORPUS) {
    const passages = cutPassages(document.text, { maxBytes: 500, overlapBytes: 120 });
    lexical.add(
      passages.map((passage) => {
        const id = passageId(document.name, passage.index);
        const text = document.text.slice(passage.start, passage.end);
        texts.set(id, text);
        vectors.set(id, normalise(embedWithTrigrams(`${passage.heading ?? ''}\n${text}`)));
        return { id, documentId: document.name, text, heading: passage.heading ?? '', title: document.name };
      }),
    );
  }
  return { lexical, texts, vectors };
}

function recallAt5(mode: RetrievalMode, index = indexCorpus()): number {
  let found = 0;
  for (const { question, answer } of QUESTIONS) {
    const ranked = rankPassages(
      { text: question, vector: normalise(embedWithTrigrams(question)), limit: 5 },
      index.lexical,
      () => index.vectors.entries(),
      mode,
      0.2,
    );
    if (ranked.some((hit) => index.texts.get(hit.passageId)?.includes(answer))) found++;
  }
  return found / QUESTIONS.length;
}

describe('retrieval over a corpus with known answers', () => {
  it('has at least 20 questions, each answer in exactly one passage', () => {
    const { texts } = indexCorpus();
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(20);
    for (const { answer, document } of QUESTIONS) {
      const holders = [...texts].filter(([, text]) => text.includes(answer));
      expect(holders.length, answer).toBeGreaterThanOrEqual(1);
      expect(
        holders.every(([id]) => id.startsWith(`${document}:`)),
        answer,
      ).toBe(true);
    }
  });

  it('finds the answering passage in the top 5 for at least 90 % of questions with BM25 alone', () => {
    const recall = recallAt5('lexical');
    console.info(`recall@5 BM25 ${recall.toFixed(2)}`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it('reports recall@5 of vectors alone and fused with BM25 (trigram test embedder)', () => {
    const index = indexCorpus();
    const vector = recallAt5('vector', index);
    const fused = recallAt5('fused', index);
    console.info(`recall@5 vectors ${vector.toFixed(2)}, fused ${fused.toFixed(2)}`);
    // Fusion may not lose what BM25 found by much: it only adds candidates and re-ranks.
    expect(fused).toBeGreaterThanOrEqual(0.85);
    expect(vector).toBeGreaterThan(0);
  });

  it('offers nothing for a question whose words are in no document', () => {
    const { lexical } = indexCorpus();
    for (const question of UNANSWERABLE) {
      expect(rankPassages({ text: question, limit: 5 }, lexical, () => [])).toEqual([]);
    }
  });

  it('searches only the chosen documents', () => {
    const { lexical } = indexCorpus();
    const ranked = rankPassages(
      { text: 'sixty centimetres footbridge', limit: 5, documentIds: new Set(['gull-point.md']) },
      lexical,
      () => [],
    );
    expect(ranked.every((hit) => hit.passageId.startsWith('gull-point.md:'))).toBe(true);
  });

  it('survives a round trip through JSON, and discards exactly one document’s passages', () => {
    const { lexical } = indexCorpus();
    const restored = LexicalIndex.fromJSON(lexical.toJSON());
    const question = 'Which schooner was wrecked on the ledge?';
    expect(restored.search(question, 5)).toEqual(lexical.search(question, 5));
    const gull = [...Array(40).keys()].map((i) => passageId('gull-point.md', i));
    restored.discard(gull);
    expect(restored.search('schooner Abigail Pratt', 5)).toEqual([]);
    expect(restored.search('sourdough rye flour', 5)[0]?.documentId).toBe('bakers-notebook.md');
  });
});
