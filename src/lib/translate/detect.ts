/**
 * The source language of a text: Chrome's LanguageDetector where the browser has it ready, else
 * the franc-min library (trigram statistics, 82 languages; loaded on first use, never in the
 * first paint). A sample from the start, middle and end of the text is enough, and keeps a 5 MB
 * document quick.
 */
import { builtInDetect } from './built-in';
import { languageOfCode, type Language } from './languages';

export interface Detection {
  language: Language;
  by: 'browser' | 'library';
}

const SAMPLE_CHARS = 2000;

/** Start, middle and end of the text, without code or URLs (they say nothing of the language). */
export function sampleOf(text: string): string {
  const prose = text.replace(/```[\s\S]*?```|`[^`]*`|\b(?:https?:\/\/|www\.)\S+|<[^>]+>/g, ' ');
  if (prose.length <= SAMPLE_CHARS * 1.5) return prose;
  const middle = Math.floor(prose.length / 2 - SAMPLE_CHARS / 4);
  return [
    prose.slice(0, SAMPLE_CHARS / 2),
    prose.slice(middle, middle + SAMPLE_CHARS / 2),
    prose.slice(-SAMPLE_CHARS / 2),
  ].join('\n');
}

let franc: Promise<typeof import('franc-min')> | undefined;

export async function detectLanguage(text: string): Promise<Detection | undefined> {
  const sample = sampleOf(text);
  if (!/\p{L}{2}/u.test(sample)) return undefined;
  const byBrowser = await builtInDetect(sample);
  const browserLanguage = byBrowser ? languageOfCode(byBrowser) : undefined;
  if (browserLanguage) return { language: browserLanguage, by: 'browser' };
  // A failed import clears the memo, so the next text tries again.
  franc ??= import('franc-min').catch((error: unknown) => {
    franc = undefined;
    throw error;
  });
  const code = (await franc).franc(sample, { minLength: 8 });
  const language = code === 'und' ? undefined : languageOfCode(code);
  return language ? { language, by: 'library' } : undefined;
}
