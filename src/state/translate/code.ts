/**
 * The translation code (pipeline, detection, Chrome's translator), loaded on first use so none
 * of it, nor the detection library it loads, weighs on the first paint. A failed load is tried
 * again next time.
 */
export type TranslateCode = typeof import('../../lib/translate/job');

let code: Promise<TranslateCode> | undefined;

export function loadTranslateCode(): Promise<TranslateCode> {
  code ??= import('../../lib/translate/job').catch((error: unknown) => {
    code = undefined;
    throw error;
  });
  return code;
}
