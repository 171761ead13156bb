import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILT_IN_TIMEOUT_MS, builtInDetect, builtInTranslator } from './built-in';
import { detectLanguage } from './detect';

const never = () => new Promise<never>(() => {});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("Chrome's built-in Translator, feature-detected", () => {
  it('is missing where the browser has no Translator', async () => {
    expect(await builtInTranslator('en', 'fr')).toEqual({ kind: 'missing' });
  });

  it('is set aside when the pair is only downloadable, without calling create (which would never settle offline)', async () => {
    const create = vi.fn(never);
    vi.stubGlobal('Translator', { availability: async () => 'downloadable', create });
    expect(await builtInTranslator('en', 'fr')).toEqual({ kind: 'not-ready', availability: 'downloadable' });
    expect(create).not.toHaveBeenCalled();
  });

  it('gives up after the timeout when availability or create never answer', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('Translator', { availability: never, create: never });
    const silent = builtInTranslator('en', 'fr');
    await vi.advanceTimersByTimeAsync(BUILT_IN_TIMEOUT_MS);
    expect(await silent).toEqual({ kind: 'not-ready', availability: 'no-answer' });

    vi.stubGlobal('Translator', { availability: async () => 'available', create: never });
    const stuck = builtInTranslator('en', 'fr');
    await vi.advanceTimersByTimeAsync(BUILT_IN_TIMEOUT_MS * 2);
    expect(await stuck).toEqual({ kind: 'not-ready', availability: 'no-answer' });
  });

  it('is ready when the pair is available and create settles', async () => {
    const translator = { translate: async (text: string) => text.toUpperCase(), destroy: () => {} };
    vi.stubGlobal('Translator', { availability: async () => 'available', create: async () => translator });
    expect(await builtInTranslator('en', 'fr')).toEqual({ kind: 'ready', translator });
  });
});

describe('language detection', () => {
  it('uses the browser detector when it is available', async () => {
    vi.stubGlobal('LanguageDetector', {
      availability: async () => 'available',
      create: async () => ({ detect: async () => [{ detectedLanguage: 'de', confidence: 0.9 }] }),
    });
    expect(await builtInDetect('Guten Morgen')).toBe('de');
    expect(await detectLanguage('Guten Morgen, wie geht es dir heute?')).toEqual({
      language: { code: 'de', name: 'German' },
      by: 'browser',
    });
  });

  it('falls back to the library when the browser detector is unavailable', async () => {
    vi.stubGlobal('LanguageDetector', { availability: async () => 'unavailable', create: never });
    const french =
      'Le club de jardinage s’est réuni trois fois cette saison et a planté des arbres le long de la rivière.';
    expect(await detectLanguage(french)).toEqual({ language: { code: 'fr', name: 'French' }, by: 'library' });
    const english = 'The garden club met three times this season and planted trees along the river before winter.';
    expect(await detectLanguage(`${english}\n\n\`\`\`js\nconst x = 1;\n\`\`\``)).toMatchObject({
      language: { name: 'English' },
    });
    expect(await detectLanguage('12345 ???')).toBeUndefined();
  });
});
