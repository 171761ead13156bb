import { describe, expect, it } from 'vitest';
import { documentAddress, hrefOfPassage, viewFromHash, wantsNewChat } from './routes';

describe('routes', () => {
  it('maps hashes to views, chat by default', () => {
    expect(viewFromHash('#/summarize')).toBe('summarize');
    expect(viewFromHash('#/summarize?shared=abc')).toBe('summarize');
    expect(viewFromHash('#/models')).toBe('models');
    expect(viewFromHash('#/translate')).toBe('translate');
    expect(viewFromHash('')).toBe('chat');
    expect(viewFromHash('#/nowhere')).toBe('chat');
  });

  it('recognises the New chat shortcut only on the chat view', () => {
    expect(wantsNewChat('#/chat?new')).toBe(true);
    expect(wantsNewChat('#/chat?x=1&new')).toBe(true);
    expect(wantsNewChat('#/chat')).toBe(false);
    expect(wantsNewChat('#/chat?newer')).toBe(false);
    expect(wantsNewChat('#/summarize?new')).toBe(false);
  });

  it('opens a document at a passage from a source link', () => {
    const href = hrefOfPassage('a b:1', 7);
    expect(viewFromHash(href)).toBe('documents');
    expect(documentAddress(href)).toEqual({ documentId: 'a b:1', passage: 7 });
    expect(documentAddress('#/documents/x')).toEqual({ documentId: 'x' });
    expect(documentAddress('#/documents')).toBe(undefined);
  });
});
