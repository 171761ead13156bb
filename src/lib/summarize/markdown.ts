/**
 * Markdown made lighter for a model's window: front matter, comments, image addresses, link
 * targets and reference definitions go; headings, lists, emphasis and code stay (models read
 * markdown well, and structure helps a summary).
 */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .replace(/^---\n[\s\S]*?\n---\n/, '') // YAML front matter
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, (_, alt: string) => (alt ? `[image: ${alt}]` : ''))
    .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/^ {0,3}\[[^\]]+\]:\s+\S+.*$/gm, '') // reference definitions
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
