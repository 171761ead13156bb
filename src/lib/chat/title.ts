/**
 * Titles the model writes for a conversation after its first reply, when the first message is too
 * long to serve as one: the prompt that asks for a title (sized to fit the model's window) and the
 * cleaning of what comes back. The first-message title (`titleFromText`) stays whenever the
 * model's answer is unusable.
 */
import type { ChatMessage, ReplyFormat } from '../engine/types';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMER_TOKENS } from './context';

/** A title is a few words: the reply is cut off here. */
export const TITLE_REPLY_TOKENS = 16;
const MAX_TITLE_WORDS = 8;
const MAX_TITLE_CHARS = 48;
/** More than this of either turn adds nothing to a title and costs time on a slow device. */
const MAX_TURN_BYTES = 600;
/** Below this much room for the turns, a title would be a guess: keep the first-message one. */
const MIN_MATERIAL_BYTES = 24;

const INSTRUCTION =
  'Write a title of at most six words for this conversation, in its language. Reply with the title only.';
const JSON_INSTRUCTION =
  'Write a title of at most six words for this conversation, in its language. Reply with JSON: {"title": "…"}.';

/**
 * Whether the first message is too long to be its conversation's title (cut, or several lines):
 * only then is the model asked. A short first message already says what the chat is about.
 */
export function needsModelTitle(firstMessage: string): boolean {
  const lines = firstMessage
    .trim()
    .split('\n')
    .filter((line) => line.trim());
  return lines.length > 1 || (lines[0] ?? '').replace(/\s+/g, ' ').trim().length > MAX_TITLE_CHARS;
}

/**
 * The request for a title, or undefined when the window is too small to ask. Token counts are
 * UTF-8 bytes, which never undercount, so the prompt and the reply always fit `contextLength`.
 */
export function titlePrompt(
  firstMessage: string,
  firstReply: string,
  contextLength: number,
  { json = false }: { json?: boolean } = {},
): ChatMessage[] | undefined {
  const instruction = json ? JSON_INSTRUCTION : INSTRUCTION;
  const replyTokens = json ? TITLE_JSON_TOKENS : TITLE_REPLY_TOKENS;
  const frame = `${instruction}\n\nUser: \nAssistant: `;
  const room = contextLength - replyTokens - MESSAGE_OVERHEAD_TOKENS - REPLY_PRIMER_TOKENS - estimateTokens(frame);
  if (room < MIN_MATERIAL_BYTES) return undefined;
  const userBytes = Math.min(MAX_TURN_BYTES, Math.ceil(room * 0.6));
  const user = cutToBytes(firstMessage.trim(), userBytes);
  const reply = cutToBytes(firstReply.trim(), Math.min(MAX_TURN_BYTES, room - estimateTokens(user)));
  return [{ role: 'user', content: `${instruction}\n\nUser: ${user}\nAssistant: ${reply}` }];
}

/** Tokens for a title written as JSON (`{"title": "…"}`): the braces and key cost a few more. */
export const TITLE_JSON_TOKENS = 28;

/** What a title reply must be where the engine can hold the model to a schema. */
export const TITLE_FORMAT: ReplyFormat = {
  name: 'conversation_title',
  schema: {
    type: 'object',
    properties: { title: { type: 'string', minLength: 1, maxLength: MAX_TITLE_CHARS } },
    required: ['title'],
    additionalProperties: false,
  },
};

/** The title in a reply held to {@link TITLE_FORMAT}, cleaned; falls back to reading it as text. */
export function titleFromReply(reply: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(reply);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { title?: unknown }).title === 'string') {
      return cleanModelTitle((parsed as { title: string }).title);
    }
  } catch {
    // Cut off at the token limit, or not JSON at all: read it as text.
  }
  return cleanModelTitle(reply.replace(/^\s*\{\s*"title"\s*:\s*"?/, '').replace(/"?\s*\}?\s*$/, ''));
}

/** The title in a model's reply: its first line without quotes, labels or markup, a few words long. */
export function cleanModelTitle(reply: string): string | undefined {
  const line = reply
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text.length > 0);
  if (!line) return undefined;
  const bare = line
    .replace(/^(#+|[-*•]|\d+[.)])\s+/, '')
    .replace(/^title\s*:\s*/i, '')
    .replace(/[*_`]/g, '')
    .replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  let title = bare.split(' ').slice(0, MAX_TITLE_WORDS).join(' ');
  if (title.length > MAX_TITLE_CHARS) {
    const cut = title.slice(0, MAX_TITLE_CHARS + 1);
    const space = cut.lastIndexOf(' ');
    title = space > 0 ? cut.slice(0, space) : cut.slice(0, MAX_TITLE_CHARS);
  }
  title = title.replace(/[\s.,;:!–—-]+$/u, '').trim();
  return /\p{L}|\p{N}/u.test(title) ? title : undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const ELLIPSIS_BYTES = 3; // '…' in UTF-8

/** The longest start of `text` within `maxBytes` UTF-8 bytes, never ending inside a character. */
function cutToBytes(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - ELLIPSIS_BYTES);
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return `${decoder.decode(bytes.subarray(0, end))}…`;
}
