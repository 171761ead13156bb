/**
 * Checking generation settings typed by a user (or read from an imported file). Out-of-range
 * numbers are clamped and the clamp is reported; values that are not numbers are refused.
 */
import type { GenerationSettings } from '../engine/types';
import { MAX_CONTEXT_TOKENS } from './defaults';

interface Range {
  label: string;
  min: number;
  max: number;
  integer?: boolean;
}

/** The settings typed as numbers; `think` is a switch. */
export type NumericSetting = Exclude<keyof GenerationSettings, 'think'>;

export const SETTING_RANGES: Record<NumericSetting, Range> = {
  temperature: { label: 'Temperature', min: 0, max: 2 },
  topP: { label: 'Top-p', min: 0.01, max: 1 },
  maxTokens: { label: 'Max tokens', min: 1, max: MAX_CONTEXT_TOKENS, integer: true },
  thinkingBudget: { label: 'Thinking budget (tokens)', min: 0, max: MAX_CONTEXT_TOKENS, integer: true },
};

/** The settings every model has, in the order the panel shows them; the thinking ones show apart. */
export const GENERAL_SETTINGS: readonly NumericSetting[] = ['temperature', 'topP', 'maxTokens'];

export type SettingCheck =
  | { ok: true; value: number; /** Said when the value was changed to fit the range. */ note?: string }
  | { ok: false; message: string };

/** Checks one setting from its typed text (or number). */
export function checkSetting(key: NumericSetting, input: string | number): SettingCheck {
  const range = SETTING_RANGES[key];
  const text = String(input).trim();
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) {
    return { ok: false, message: `${range.label} must be a number from ${range.min} to ${range.max}.` };
  }
  let clamped = Math.min(range.max, Math.max(range.min, value));
  if (range.integer) clamped = Math.round(clamped);
  if (clamped !== value) {
    return {
      ok: true,
      value: clamped,
      note: `${range.label} must be from ${range.min} to ${range.max}: set to ${clamped}.`,
    };
  }
  return { ok: true, value };
}

/**
 * True when every setting is inside its range: the numbers (the optional thinking budget only
 * when set) and the Think switch a boolean when set. Used to validate imported files.
 */
export function isValidSettings(settings: GenerationSettings): boolean {
  if (settings.think !== undefined && typeof settings.think !== 'boolean') return false;
  return (Object.keys(SETTING_RANGES) as NumericSetting[]).every((key) => {
    const value = settings[key];
    if (value === undefined && key === 'thinkingBudget') return true;
    const check = checkSetting(key, value ?? '');
    return check.ok && check.note === undefined;
  });
}
