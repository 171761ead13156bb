import { describe, expect, it } from 'vitest';
import { describeIncoming, incomingActions, receivedAddress, receivedIdFromHash } from './route';

const item = (files: string[], text = '', title = '') => ({ files: files.map((name) => ({ name })), text, title });

describe('incoming items', () => {
  it('offers Summarize, Add to documents and Translate for a file or a text, the library first for several files', () => {
    expect(incomingActions(item(['notes.md']))).toEqual(['summarize', 'documents', 'translate']);
    expect(incomingActions(item([], 'We leave on Friday.', 'Trip'))).toEqual(['summarize', 'documents', 'translate']);
    expect(incomingActions(item(['a.md', 'b.pdf']))).toEqual(['documents', 'summarize', 'translate']);
  });

  it('offers no choice for a link alone (there is nothing to read; Summarize says so)', () => {
    expect(incomingActions(item([], 'https://example.org/a'))).toEqual(['summarize']);
    expect(incomingActions(item([], '  '))).toEqual(['summarize']);
  });

  it('names what arrived', () => {
    expect(describeIncoming(item(['notes.md']))).toBe('“notes.md”');
    expect(describeIncoming(item(['a', 'b', 'c']))).toBe('3 files');
    expect(describeIncoming(item([], 'x', ' Trip plan '))).toBe('“Trip plan”');
    expect(describeIncoming(item([], 'x'))).toBe('the shared text');
  });

  it('reads back the shared payload’s id from the address the service worker redirects to', () => {
    expect(receivedIdFromHash(receivedAddress('abc-1'))).toBe('abc-1');
    expect(receivedIdFromHash('#/summarize?shared=abc')).toBeUndefined();
    expect(receivedIdFromHash('#/chat')).toBeUndefined();
  });
});
