/** Saving a summary as a Markdown file: a title, what made it, and the summary. */
import { markdownFileName, summaryToMarkdown } from '../../lib/summarize/export';
import type { SummaryRecord } from '../../lib/summarize/history';
import { downloadMarkdownFile } from '../jobs/download';

export function downloadMarkdown(record: SummaryRecord): void {
  downloadMarkdownFile(markdownFileName(record), summaryToMarkdown(record));
}
