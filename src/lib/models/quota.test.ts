import { describe, expect, it } from 'vitest';
import { growthSince } from './quota';

describe('growthSince', () => {
  it('is what the storage grew by while a model was stored', () => {
    expect(growthSince(12_000_000, 391_000_000)).toBe(379_000_000);
  });

  it('is 0 when a reading is missing or the storage shrank meanwhile', () => {
    expect(growthSince(undefined, 5)).toBe(0);
    expect(growthSince(5, undefined)).toBe(0);
    expect(growthSince(900, 100)).toBe(0);
  });
});
