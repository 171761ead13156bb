import { describe, expect, it } from 'vitest';
import { MIN_WINDOW, smallerWindow, smallerWindowMessage } from './memory-window';

describe('smallerWindow (a load that found no memory for its context window)', () => {
  it('halves the window when the KV cache or the working buffers found no memory', () => {
    expect(smallerWindow(4096, { part: 'context', bytes: 89_128_960 })).toBe(2048);
    expect(smallerWindow(2048, { part: 'working', bytes: undefined })).toBe(1024);
  });

  it(`stops at ${MIN_WINDOW} tokens`, () => {
    expect(smallerWindow(1024, { part: 'context', bytes: undefined })).toBeUndefined();
    expect(smallerWindow(1500, { part: 'context', bytes: undefined })).toBeUndefined();
  });

  it('does not try again when the weights themselves, or memory for something unsaid, were lacking', () => {
    expect(smallerWindow(4096, { part: 'weights', bytes: 144_000_000 })).toBeUndefined();
    expect(smallerWindow(4096, { part: undefined, bytes: undefined })).toBeUndefined();
  });
});

describe('smallerWindowMessage', () => {
  it('says the window the model got, the one asked for, why, and how to get it back', () => {
    expect(smallerWindowMessage('Qwen2.5 0.5B', 2048, 4096)).toBe(
      'Qwen2.5 0.5B runs with a 2,048-token window instead of 4,096: this tab had no memory for the larger one. Long chats and documents are shortened to fit. To get the full window, close other tabs and apps, then load the model again.',
    );
  });
});
