/** Saving a job's Markdown text as a file, and copying text, from the page (nothing leaves the device). */
import { downloadText } from '../shell/download';

/** Hands `markdown` to the browser as a download named `fileName`. */
export function downloadMarkdownFile(fileName: string, markdown: string): void {
  downloadText(markdown, fileName, 'text/markdown;charset=utf-8');
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
