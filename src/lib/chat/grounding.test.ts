import { describe, expect, it } from 'vitest';
import { groundingQuery, toReplySources } from './grounding';

describe('chat grounding', () => {
  it('searches for the newest user message with the one before it (a follow-up shares few words)', () => {
    expect(
      groundingQuery([
        { role: 'user', content: 'Who won the marmalade prize?' },
        { role: 'assistant', content: 'Edith.' },
        { role: 'user', content: 'And how fast did it set?' },
      ]),
    ).toBe('Who won the marmalade prize?\nAnd how fast did it set?');
    expect(groundingQuery([{ role: 'user', content: 'Tides?' }])).toBe('Tides?');
  });

  it('saves each given source with its passage text and where it is, without search internals', () => {
    expect(
      toReplySources([
        {
          passageId: 'd:3',
          documentId: 'd',
          documentName: 'show.md',
          index: 3,
          heading: 'Preserves',
          text: 'Marmalade…',
          number: 1,
          clipped: true,
        },
        {
          passageId: 'e:0',
          documentId: 'e',
          documentName: 'tides.html',
          index: 0,
          text: 'High water',
          number: 2,
          clipped: false,
        },
      ]),
    ).toEqual([
      {
        number: 1,
        documentId: 'd',
        documentName: 'show.md',
        passage: 3,
        heading: 'Preserves',
        text: 'Marmalade…',
        clipped: true,
      },
      { number: 2, documentId: 'e', documentName: 'tides.html', passage: 0, text: 'High water' },
    ]);
  });
});
