/**
 * Any input to plain text: a file (.txt, .md, .html, .pdf, or text of an unknown type), chosen,
 * dropped, shared from another app or opened with Nook. Type is told by the file's first bytes,
 * then its name, then its MIME type. PDF support is loaded only when a PDF comes.
 */
import { decodeText } from './decode';
import { ACCEPTED_TYPES } from './intake';
import { SummarizeError } from './errors';
import { htmlToText } from './html';
import { markdownToText } from './markdown';

export type DocumentKind = 'text' | 'markdown' | 'html' | 'pdf';

export interface ExtractedDocument {
  name: string;
  kind: DocumentKind;
  text: string;
  pages?: number;
}

export function kindOf(name: string, mime: string, firstBytes?: Uint8Array): DocumentKind | undefined {
  if (firstBytes && String.fromCharCode(...firstBytes.subarray(0, 5)) === '%PDF-') return 'pdf';
  const extension = /\.[^.]+$/.exec(name.toLowerCase())?.[0] ?? '';
  for (const [type, extensions] of Object.entries(ACCEPTED_TYPES)) {
    if (extensions.includes(extension)) return toKind(type);
  }
  const base = mime.split(';')[0]!.trim().toLowerCase();
  if (base in ACCEPTED_TYPES) return toKind(base);
  if (base === 'application/xhtml+xml') return 'html';
  if (base.startsWith('text/')) return 'text';
  // No extension and no type (a shared snippet, a file from a terminal): try it as text.
  if (!extension && !base) return 'text';
  return undefined;
}

function toKind(mime: string): DocumentKind {
  switch (mime) {
    case 'text/markdown':
      return 'markdown';
    case 'text/html':
      return 'html';
    case 'application/pdf':
      return 'pdf';
    default:
      return 'text';
  }
}

export interface ExtractOptions {
  signal?: AbortSignal;
  /** PDF pages as they are read. */
  onPage?: (page: number, pages: number) => void;
  /**
   * Markdown as written (link targets, images and all), for a job that gives the structure back
   * (translation); by default it is made lighter for a model to read.
   */
  keepMarkdown?: boolean;
}

export async function extractFile(file: File, options: ExtractOptions = {}): Promise<ExtractedDocument> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const name = file.name || 'Shared file';
  const kind = kindOf(name, file.type, bytes);
  if (!kind) {
    throw new SummarizeError(
      'unsupported-file',
      `Nook cannot read “${name}”${file.type ? ` (${file.type})` : ''}. Open a text, Markdown, HTML or PDF file, or paste the text.`,
    );
  }
  if (bytes.length === 0) throw new SummarizeError('empty', `“${name}” is empty.`);
  let document: ExtractedDocument;
  if (kind === 'pdf') {
    const { extractPdfText } = await import('./pdf');
    const pdf = await extractPdfText(bytes, name, options);
    document = { name, kind, text: pdf.text, pages: pdf.pages };
  } else {
    const raw = decodeText(bytes, name);
    const markdown = options.keepMarkdown ? raw : markdownToText(raw);
    const text = kind === 'html' ? htmlToText(raw).text : kind === 'markdown' ? markdown : raw;
    document = { name, kind, text: text.replace(/\r\n?/g, '\n') };
  }
  if (!/\S/.test(document.text)) throw new SummarizeError('empty', `“${name}” has no text to read.`);
  return document;
}
