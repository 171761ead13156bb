import { describe, expect, it } from 'vitest';
import { isAbortError } from '../engine/errors';
import { FakeEngine } from '../engine/testing/fake-engine';
import { cutDocument } from './cut';
import { ModelPieceTranslator, tailOf, translateDocument, type TranslatedPart } from './translate';

const french = { code: 'fr', name: 'French' };

function markdown(sections: number): string {
  return Array.from(
    { length: sections },
    (_, i) =>
      `## Part ${i + 1}\n\nThe garden club met ${i + 2} times. It planted trees along the river and asked for help.\n\n` +
      '```sh\n' +
      `echo block-${i + 1}\n` +
      '```\n\n',
  ).join('');
}

describe('translateDocument with a fake engine', () => {
  it('translates piece by piece in order within the window, code copied in place, lost facts retried then flagged', async () => {
    const engine = new FakeEngine({ contextLength: 256 });
    const text = markdown(6);
    const outputs: string[] = [];
    const progress: string[] = [];
    const result = await translateDocument(
      { text, to: french, contextLength: 256 },
      {
        translator: new ModelPieceTranslator({ engine, to: french, contextLength: 256 }),
        onOutput: (chunk) => outputs.push(chunk),
        onProgress: ({ part, total }) => progress.push(`${part}/${total}`),
      },
    );
    expect(engine.calls.some((call) => call.refused)).toBe(false);
    for (const call of engine.calls) expect(call.prompt).not.toMatch(/echo block|```/);
    expect(result.parts.length).toBeGreaterThan(6);
    expect(outputs.join('')).toBe(result.text);
    // Every code block comes back verbatim, in document order.
    const blocks = [...result.text.matchAll(/```sh\necho block-(\d+)\n```/g)].map((match) => Number(match[1]));
    expect(blocks).toEqual([1, 2, 3, 4, 5, 6]);
    // The fake's fixed reply has no numbers and no headings: retried once, then flagged.
    const flagged = result.parts.filter((part) => part.flags.some((flag) => flag.kind === 'lost'));
    expect(flagged.length).toBeGreaterThan(0);
    expect(result.retries).toBeGreaterThan(0);
    expect(result.calls).toBe(engine.calls.length);
    expect(progress[0]).toMatch(/^1\/\d+$/);
    expect(progress.at(-1)).toBe(`${result.parts.length}/${result.parts.length}`);
  });

  it('gives each piece the end of the previous translation as context', async () => {
    const engine = new FakeEngine({ contextLength: 4096 });
    const text = Array.from({ length: 80 }, (_, i) => `Sentence ${i} about the harbour and its boats.`).join(' ');
    const translator = new ModelPieceTranslator({ engine, to: french, contextLength: 1024 });
    await translateDocument({ text, to: french, contextLength: 1024 }, { translator });
    expect(engine.calls.length).toBeGreaterThan(2);
    expect(engine.calls[0]!.prompt).not.toContain('Before (already translated)');
    expect(engine.calls.at(-1)!.prompt).toContain('Before (already translated): ');
  });

  it('cuts a piece the engine refuses smaller and goes on, order kept', async () => {
    // A chat template far heavier than first assumed: prompts sized by the first estimate overflow.
    const engine = new FakeEngine({ contextLength: 1024, templateTokens: 700 });
    const text = Array.from({ length: 20 }, (_, i) => `Line ${i} is plain text.`).join('\n\n');
    const parts: TranslatedPart[] = [];
    const result = await translateDocument(
      { text, to: french, contextLength: 1024 },
      {
        translator: new ModelPieceTranslator({ engine, to: french, contextLength: 1024 }),
        onOutput: (_, part) => part && parts.push(part),
      },
    );
    expect(engine.calls.some((call) => call.refused)).toBe(true);
    expect(parts.map((part) => part.part)).toEqual(parts.map((_, index) => index + 1));
    expect(parts.map((part) => part.source).join('\n\n')).toBe(text);
    expect(result.parts).toEqual(parts);
  });

  it('stops between pieces on abort and hands on only whole pieces', async () => {
    const controller = new AbortController();
    const engine = new FakeEngine({
      contextLength: 256,
      beforeReply: (call) => {
        if (call === 3) controller.abort();
      },
    });
    const text = markdown(4);
    const handed: TranslatedPart[] = [];
    const translation = translateDocument(
      { text, to: french, contextLength: 256 },
      {
        translator: new ModelPieceTranslator({ engine, to: french, contextLength: 256 }),
        signal: controller.signal,
        onOutput: (_, part) => part && handed.push(part),
      },
    );
    await expect(translation).rejects.toSatisfy(isAbortError);
    expect(engine.calls).toHaveLength(3);
    // Only pieces finished before the stop were handed on, each whole and checked.
    expect(handed.length).toBeLessThan(3);
    expect(
      cutDocument(text, { maxBytes: 64 }).filter((segment) => segment.kind === 'translate').length,
    ).toBeGreaterThan(3);
  });
});

describe('tailOf', () => {
  it('starts the context at a sentence within the budget', () => {
    expect(tailOf('One. Two three. Four five six.', 20)).toBe('Four five six.');
    expect(tailOf('short', 20)).toBe('short');
  });
});
