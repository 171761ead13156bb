/** What the user can choose about a summary, with labels for the UI and the history. */

export type SummaryLength = 'short' | 'medium' | 'long';
export type SummaryForm = 'paragraph' | 'bullets' | 'key-points';

export interface SummaryOptions {
  length: SummaryLength;
  form: SummaryForm;
}

export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = { length: 'medium', form: 'paragraph' };

export const LENGTH_LABELS: Record<SummaryLength, string> = { short: 'Short', medium: 'Medium', long: 'Long' };

export const FORM_LABELS: Record<SummaryForm, string> = {
  paragraph: 'Paragraph',
  bullets: 'Bullet points',
  'key-points': 'Key points and action items',
};

export function describeOptions(options: SummaryOptions): string {
  return `${LENGTH_LABELS[options.length]} · ${FORM_LABELS[options.form]}`;
}
