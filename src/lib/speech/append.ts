/** Where a transcript lands: after what the box already holds, for the user to review. */
export function appendTranscript(before: string, transcript: string): string {
  return before.trim() ? `${before.trimEnd()} ${transcript}` : transcript;
}
