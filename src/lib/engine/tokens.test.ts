import { describe, expect, it } from 'vitest';
import { EngineError } from './errors';
import { llamaError } from './llama-errors';
import { contextOverflowOf, TokenEstimator } from './tokens';

describe('TokenEstimator', () => {
  it('starts at the UTF-8 byte count, an upper bound for byte-level BPE', () => {
    const estimator = new TokenEstimator();
    expect(estimator.tokens('héllo 東京')).toBe(new TextEncoder().encode('héllo 東京').length);
    expect(estimator.bytesFor(100)).toBe(100);
  });

  it('calibrates down from reported prompt sizes, with a margin, following the densest prompt seen', () => {
    const estimator = new TokenEstimator(16, 0.25);
    estimator.observe(4000, 1000); // 0.25 tokens per byte
    expect(estimator.tokensPerByte).toBeCloseTo(0.3125);
    estimator.observe(4000, 800); // a lighter prompt does not lower it
    expect(estimator.tokensPerByte).toBeCloseTo(0.3125);
    estimator.observe(1000, 400); // a denser one raises it
    expect(estimator.tokensPerByte).toBeCloseTo(0.5);
    estimator.observe(100, 500); // never above one token per byte…
    expect(estimator.tokensPerByte).toBe(1);
    expect(estimator.overheadTokens).toBe(402); // …the rest is a heavier chat template than assumed
  });

  it('ignores calls without counts', () => {
    const estimator = new TokenEstimator();
    estimator.observe(0, 0);
    estimator.observe(1000, 0);
    expect(estimator.tokensPerByte).toBe(1);
  });
});

describe('contextOverflowOf', () => {
  it("reads llama.cpp's refusal as a context-overflow error, with or without the counts", () => {
    const refusal = llamaError(
      'request (812 tokens) exceeds the available context size (256 tokens), try increasing it',
    );
    expect(refusal.code).toBe('context-overflow');
    expect(contextOverflowOf(refusal)).toEqual({ requested: 812, available: 256 });
    // The counts survive the worker boundary.
    expect(contextOverflowOf(EngineError.fromRecord(refusal.toRecord()))).toEqual({ requested: 812, available: 256 });
    expect(contextOverflowOf(llamaError('the request exceeds the available context size'))).toEqual({});
    expect(llamaError('out of memory').code).toBe('inference-failed');
    expect(contextOverflowOf(new EngineError('worker-crashed', 'exceeds the available context size'))).toBeUndefined();
    expect(
      contextOverflowOf(new Error('request (1 tokens) exceeds the available context size (1 tokens)')),
    ).toBeUndefined();
  });
});
