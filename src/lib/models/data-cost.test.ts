import { describe, expect, it } from 'vitest';
import { dataCostQuestion, meteredReason } from './data-cost';

describe('asking before a model download that may cost data', () => {
  it('asks when Data Saver is on or the device is on mobile data', () => {
    expect(meteredReason({ saveData: true, type: 'wifi' })).toBe('Data Saver is on');
    expect(meteredReason({ saveData: false, type: 'cellular' })).toBe('This device is on mobile data');
    expect(dataCostQuestion({ saveData: true }, 'Qwen2.5 0.5B', 386_000_000)).toBe(
      'Data Saver is on. Qwen2.5 0.5B is a 386 MB download. Download it now, or wait for Wi-Fi?',
    );
    expect(dataCostQuestion({ type: 'cellular' }, 'Custom', undefined)).toBe(
      'This device is on mobile data. Custom is a download of unknown size. Download it now, or wait for Wi-Fi?',
    );
  });

  it('starts at once on other connections, where the browser does not say, and when nothing is left to fetch', () => {
    expect(dataCostQuestion({ saveData: false, type: 'wifi' }, 'M', 1e9)).toBeUndefined();
    expect(dataCostQuestion({ saveData: false }, 'M', 1e9)).toBeUndefined();
    expect(dataCostQuestion(undefined, 'M', 1e9)).toBeUndefined();
    expect(dataCostQuestion({ saveData: true }, 'M', 0)).toBeUndefined();
  });
});
