/** UTF-8 byte counts without allocating: the chunker measures text many times. */

/** Bytes that `text.slice(start, end)` takes in UTF-8. */
export function utf8Length(text: string, start = 0, end = text.length): number {
  let bytes = 0;
  for (let i = start; i < end; i++) bytes += utf8Width(text, i);
  return bytes;
}

/**
 * UTF-8 bytes of the code unit at `index`: a surrogate pair counts 4 on its high half and 0 on
 * its low half, so summing over any range that does not split a pair gives the exact length.
 */
export function utf8Width(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return next >= 0xdc00 && next <= 0xdfff ? 4 : 3; // a lone surrogate encodes as U+FFFD
  }
  if (code >= 0xdc00 && code <= 0xdfff) {
    const previous = text.charCodeAt(index - 1);
    return previous >= 0xd800 && previous <= 0xdbff ? 0 : 3;
  }
  return 3;
}

/** True when a cut at `index` would separate the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
