import { describe, expect, it } from 'vitest';
import { checkSetting, isValidSettings } from './settings';

describe('checkSetting', () => {
  it('accepts values in range', () => {
    expect(checkSetting('temperature', '0.2')).toEqual({ ok: true, value: 0.2 });
    expect(checkSetting('maxTokens', 256)).toEqual({ ok: true, value: 256 });
  });

  it('clamps out-of-range values and says so', () => {
    expect(checkSetting('temperature', '-1')).toMatchObject({
      ok: true,
      value: 0,
      note: expect.stringMatching(/set to 0/),
    });
    expect(checkSetting('topP', '5')).toMatchObject({ ok: true, value: 1 });
    expect(checkSetting('maxTokens', '1e9')).toMatchObject({ ok: true, value: 4096 });
    expect(checkSetting('maxTokens', '10.6')).toMatchObject({ ok: true, value: 11 });
  });

  it('refuses what is not a number', () => {
    for (const input of ['', 'abc', 'NaN', 'Infinity', Number.NaN]) {
      expect(checkSetting('temperature', input)).toMatchObject({ ok: false, message: expect.stringMatching(/number/) });
    }
  });

  it('isValidSettings wants every value exactly in range', () => {
    expect(isValidSettings({ temperature: 0.7, topP: 0.95, maxTokens: 512 })).toBe(true);
    expect(isValidSettings({ temperature: 0.7, topP: 0.95, maxTokens: 0 })).toBe(false);
  });
});
