import { describe, expect, it } from 'vitest';
import { appendTranscript } from './append';

describe('appendTranscript', () => {
  it('fills an empty box, or one holding only spaces, with the transcript alone', () => {
    expect(appendTranscript('', 'Hello there')).toBe('Hello there');
    expect(appendTranscript('  \n', 'Hello there')).toBe('Hello there');
  });

  it('adds the transcript after what was typed, with one space between', () => {
    expect(appendTranscript('Summarize this \n', 'and translate it')).toBe('Summarize this and translate it');
  });
});
