/** Saving a summary (or any Markdown text) as a file, and copying text, from the page. */
import { markdownFileName, summaryToMarkdown } from '../../lib/summarize/export';
import type { SummaryRecord } from '../../lib/summarize/history';

export function downloadMarkdown(record: SummaryRecord): void {
  downloadMarkdownFile(markdownFileName(record), summaryToMarkdown(record));
}

/** Hands `markdown` to the browser as a download named `fileName` (nothing leaves the device). */
export function downloadMarkdownFile(fileName: string, markdown: string): void {
  const url = URL.createObjectURL(new Blob([markdown], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** True when the text reached the clipboard. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no permission or no focus: the button says so
  }
}
