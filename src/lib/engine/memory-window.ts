/**
 * A smaller context window when the tab has no memory for the one asked for. The KV cache grows
 * with the window, so a model whose weights fit may still find no memory for its cache or working
 * buffers, as on a phone: it is loaded again with half the window, down to MIN_WINDOW, and the
 * user is told what they got and why. A model whose weights do not fit is not tried again. See
 * docs/decisions/0014-smaller-window-on-memory-shortfall.md.
 */
import type { MemoryShortfall } from './llama-errors';

/** Below this a chat, a summary's chunk or a passage with its question hardly fits. */
export const MIN_WINDOW = 1024;

/** The window to try next after `shortfall` at `contextLength` tokens; undefined when none is worth it. */
export function smallerWindow(contextLength: number, shortfall: MemoryShortfall): number | undefined {
  if (shortfall.part !== 'context' && shortfall.part !== 'working') return undefined;
  const half = Math.floor(contextLength / 2);
  return half >= MIN_WINDOW ? half : undefined;
}

/** What the user is told about a model loaded with a smaller window than it was asked for. */
export function smallerWindowMessage(modelName: string, contextLength: number, wanted: number): string {
  return `${modelName} runs with a ${contextLength.toLocaleString('en')}-token window instead of ${wanted.toLocaleString('en')}: this tab had no memory for the larger one. Long chats and documents are shortened to fit. To get the full window, close other tabs and apps, then load the model again.`;
}
