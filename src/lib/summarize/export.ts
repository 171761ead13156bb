/** A saved summary as a Markdown document, for copying and downloading. */
import { fileNameStem } from '../shared/saved';
import { describeOptions } from './options';
import type { SummaryRecord } from './history';

export function summaryToMarkdown(record: SummaryRecord): string {
  const date = new Date(record.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  return [
    `# Summary of ${record.sourceName}`,
    '',
    `*${describeOptions(record.options)} · ${record.model.name} · ${date} UTC · made offline by Nook*`,
    '',
    record.text.trim(),
    '',
  ].join('\n');
}

export function markdownFileName(record: SummaryRecord): string {
  return `summary-${fileNameStem(record.sourceName) || 'document'}.md`;
}
