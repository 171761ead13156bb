/** Saves text as a file through the browser's download (nothing leaves the device). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Trip plans" → "nook-trip-plans-2026-11-22.json" */
export function exportFileName(title: string, extension: string, now = new Date()): string {
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'conversations';
  return `nook-${slug}-${now.toISOString().slice(0, 10)}.${extension}`;
}
