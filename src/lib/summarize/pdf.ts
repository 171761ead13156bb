/**
 * The text layer of a PDF, through pdf.js. This module is only ever loaded by a dynamic import
 * (pdf.js is large), and pdf.js runs its parser in its own worker, whose file Vite emits as an
 * asset; the service worker precaches it, so PDFs open offline. No script in the PDF runs
 * (no eval, no scripting), and nothing is fetched.
 */
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { abortError } from '../engine/errors';
import { SummarizeError } from './errors';
import { tidy } from './html';

GlobalWorkerOptions.workerSrc = workerUrl;

export interface PdfText {
  text: string;
  pages: number;
  title?: string;
}

export async function extractPdfText(
  data: Uint8Array,
  name: string,
  options: { signal?: AbortSignal; onPage?: (page: number, pages: number) => void } = {},
): Promise<PdfText> {
  const task = getDocument({
    data,
    isEvalSupported: false,
    enableXfa: false,
    disableFontFace: true,
    stopAtErrors: false,
  });
  const abort = () => void task.destroy();
  options.signal?.addEventListener('abort', abort, { once: true });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (error) {
    if (options.signal?.aborted) throw abortError();
    throw describePdfFailure(error, name);
  }
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      if (options.signal?.aborted) throw abortError();
      options.onPage?.(number, pdf.numPages);
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      }
      pages.push(text);
      page.cleanup();
    }
    const text = tidy(pages.join('\n\n'));
    if (!/\S/.test(text)) {
      throw new SummarizeError(
        'pdf-no-text',
        `“${name}” has no text layer — it looks like a scan or a picture of text. Nook reads the text of PDFs, not images; run it through OCR first.`,
      );
    }
    const metadata = await pdf.getMetadata().catch(() => undefined);
    const title = (metadata?.info as { Title?: unknown } | undefined)?.Title;
    return { text, pages: pdf.numPages, ...(typeof title === 'string' && title.trim() ? { title: title.trim() } : {}) };
  } finally {
    options.signal?.removeEventListener('abort', abort);
    void task.destroy();
  }
}

function describePdfFailure(error: unknown, name: string): SummarizeError {
  const kind = error instanceof Error ? error.name : '';
  if (kind === 'PasswordException') {
    return new SummarizeError(
      'pdf-encrypted',
      `“${name}” is protected with a password, so Nook cannot read it. Open it in a PDF reader and save an unprotected copy.`,
    );
  }
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return new SummarizeError(
    'pdf-corrupt',
    `“${name}” could not be read as a PDF: the file is damaged or not a PDF${detail}.`,
  );
}
