/** Saving a translation as a Markdown file: the translated document itself. */
import { translationFileName } from '../../lib/translate/export';
import type { TranslationRecord } from '../../lib/translate/history';
import { downloadMarkdownFile } from '../jobs/download';

export function downloadTranslation(record: TranslationRecord): void {
  downloadMarkdownFile(translationFileName(record), `${record.text}\n`);
}
