/** Saving a summary as a Markdown file, and copying text, from the page. */
import { markdownFileName, summaryToMarkdown } from '../../lib/summarize/export';
import type { SummaryRecord } from '../../lib/summarize/history';

export function downloadMarkdown(record: SummaryRecord): void {
  const url = URL.createObjectURL(new Blob([summaryToMarkdown(record)], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = markdownFileName(record);
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
