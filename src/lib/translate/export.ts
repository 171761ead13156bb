/** A saved translation as a Markdown file: the translated document itself, as it came back. */
import { fileNameStem } from '../shared/saved';
import type { TranslationRecord } from './history';

/** "garden-notes.fr.md": the source's name and the target language. */
export function translationFileName(record: TranslationRecord): string {
  const language = (record.to.code ?? record.to.name).toLowerCase().replace(/[^\w-]+/g, '-');
  return `${fileNameStem(record.sourceName) || 'document'}.${language}.md`;
}
