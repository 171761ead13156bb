/**
 * Which road a file takes into the library: text and Markdown are decoded in the documents
 * worker (a big file never blocks the page), HTML and PDF are read on the page by the Summarize
 * extractors (they need the DOM and pdf.js). Files Nook cannot take are refused here, with why.
 */
import { kindOf, type DocumentKind } from '../summarize/extract';
import { formatBytes } from '../shared/format';

/** Bigger files are refused before being read: their index would not fit a phone's memory. */
export const MAX_DOCUMENT_BYTES = 20_000_000;

export type IntakeRoad = { road: 'worker'; format: 'text' | 'markdown' } | { road: 'page'; kind: DocumentKind };

export async function intakeRoad(file: File): Promise<IntakeRoad | { refused: string }> {
  const name = file.name || 'Shared file';
  if (file.size === 0) return { refused: `“${name}” is empty.` };
  if (file.size > MAX_DOCUMENT_BYTES) {
    return {
      refused: `“${name}” is ${formatBytes(file.size)}; Nook indexes documents up to ${formatBytes(MAX_DOCUMENT_BYTES)}. Split it into smaller files.`,
    };
  }
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const kind = kindOf(name, file.type, head);
  if (!kind) {
    return {
      refused: `Nook cannot read “${name}”${file.type ? ` (${file.type})` : ''}. Add a text, Markdown, HTML or PDF file, or paste the text.`,
    };
  }
  return kind === 'text' || kind === 'markdown' ? { road: 'worker', format: kind } : { road: 'page', kind };
}
