/**
 * Languages offered by the "Translate to" picker: the most spoken ones first (by total speakers),
 * each with its BCP 47 code (what Chrome's Translator and LanguageDetector speak) and the ISO
 * 639-3 code the detection library returns. A language the user types that is not in the list is
 * kept as typed: the model is asked for it by name, and only the model can try it.
 */

export interface Language {
  /** BCP 47 tag, when known ("fr", "zh"); a typed language has none. */
  code?: string;
  /** English name, as the model is asked for it. */
  name: string;
}

interface KnownLanguage {
  code: string;
  iso3: string;
  name: string;
  /** Written mostly in Latin letters (names can then be checked letter for letter). */
  latin: boolean;
}

export const LANGUAGES: readonly KnownLanguage[] = [
  { code: 'en', iso3: 'eng', name: 'English', latin: true },
  { code: 'zh', iso3: 'cmn', name: 'Chinese', latin: false },
  { code: 'hi', iso3: 'hin', name: 'Hindi', latin: false },
  { code: 'es', iso3: 'spa', name: 'Spanish', latin: true },
  { code: 'fr', iso3: 'fra', name: 'French', latin: true },
  { code: 'ar', iso3: 'arb', name: 'Arabic', latin: false },
  { code: 'bn', iso3: 'ben', name: 'Bengali', latin: false },
  { code: 'pt', iso3: 'por', name: 'Portuguese', latin: true },
  { code: 'ru', iso3: 'rus', name: 'Russian', latin: false },
  { code: 'ur', iso3: 'urd', name: 'Urdu', latin: false },
  { code: 'id', iso3: 'ind', name: 'Indonesian', latin: true },
  { code: 'de', iso3: 'deu', name: 'German', latin: true },
  { code: 'ja', iso3: 'jpn', name: 'Japanese', latin: false },
  { code: 'mr', iso3: 'mar', name: 'Marathi', latin: false },
  { code: 'te', iso3: 'tel', name: 'Telugu', latin: false },
  { code: 'tr', iso3: 'tur', name: 'Turkish', latin: true },
  { code: 'ta', iso3: 'tam', name: 'Tamil', latin: false },
  { code: 'vi', iso3: 'vie', name: 'Vietnamese', latin: true },
  { code: 'ko', iso3: 'kor', name: 'Korean', latin: false },
  { code: 'it', iso3: 'ita', name: 'Italian', latin: true },
  { code: 'sw', iso3: 'swh', name: 'Swahili', latin: true },
  { code: 'fa', iso3: 'pes', name: 'Persian', latin: false },
  { code: 'th', iso3: 'tha', name: 'Thai', latin: false },
  { code: 'pl', iso3: 'pol', name: 'Polish', latin: true },
  { code: 'uk', iso3: 'ukr', name: 'Ukrainian', latin: false },
  { code: 'nl', iso3: 'nld', name: 'Dutch', latin: true },
  { code: 'ro', iso3: 'ron', name: 'Romanian', latin: true },
  { code: 'el', iso3: 'ell', name: 'Greek', latin: false },
  { code: 'cs', iso3: 'ces', name: 'Czech', latin: true },
  { code: 'sv', iso3: 'swe', name: 'Swedish', latin: true },
  { code: 'hu', iso3: 'hun', name: 'Hungarian', latin: true },
  { code: 'he', iso3: 'heb', name: 'Hebrew', latin: false },
];

/** The list's entry for a name or code the user typed, else the typed language by name. */
export function resolveLanguage(typed: string): Language | undefined {
  const text = typed.trim().replace(/\s+/g, ' ');
  if (!text) return undefined;
  const lower = text.toLowerCase();
  const known = LANGUAGES.find((language) => language.name.toLowerCase() === lower || language.code === lower);
  return known ? { code: known.code, name: known.name } : { name: text.slice(0, 60) };
}

/** The language a detector named, by BCP 47 tag ("fr", "zh-Hant") or ISO 639-3 code ("fra"). */
export function languageOfCode(code: string): Language | undefined {
  const lower = code.toLowerCase();
  const base = lower.split('-')[0]!;
  const known = LANGUAGES.find((language) => language.code === base || language.iso3 === lower);
  if (known) return { code: known.code, name: known.name };
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'language' }).of(base);
  } catch {
    return undefined; // not a language tag at all
  }
  return name && name !== base ? { code: base, name } : undefined;
}

/** Whether names are checked letter for letter: both sides written in Latin letters. */
export function writesLatin(language: Language): boolean {
  return LANGUAGES.find((entry) => entry.code === language.code)?.latin ?? false;
}
