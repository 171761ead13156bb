/**
 * Bytes of a "text" file to a string, refusing files that are really binary. UTF-16 is
 * recognised by its byte-order mark; UTF-8 is tried strictly first, then Windows-1252 (the usual
 * encoding of older Western text files).
 */
import { SummarizeError } from './errors';

/** Bytes looked at to decide whether a file is text. */
const SNIFF_BYTES = 64 * 1024;

export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (sample.length === 0) return false;
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) control++;
  }
  return control / sample.length > 0.02;
}

export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (looksBinary(bytes)) {
    throw new SummarizeError(
      'binary-file',
      `“${name}” is not a text file (it holds binary data), so Nook cannot read it.`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
