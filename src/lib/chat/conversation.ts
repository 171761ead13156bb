/**
 * The conversation as it is kept and exported: messages, the model that answered, the system
 * prompt and the generation settings. Plain data only (structured-clonable, JSON-safe); storage
 * (store.ts), migrations and cross-tab merge (merge.ts, sync.ts) live beside it in lib/chat;
 * orchestration in state/.
 */
import type { CompletionStats, GenerationSettings, LoadedModelInfo } from '../engine/types';
import type { MemoryProposal, RememberedFact } from '../memory/memory';
import { DEFAULT_GENERATION } from './defaults';

/**
 * 2: documents attached to a conversation, and the sources each reply was given.
 * 3: versions of messages (`branches`, lib/chat/versions.ts).
 */
export const CONVERSATION_SCHEMA_VERSION = 3;

export const DEFAULT_SYSTEM_PROMPT = 'You are Nook, a helpful assistant running privately on this device.';

/** A model on one of the user's servers (lib/servers): which server, which of its models. */
export interface ServerModelRef {
  serverId: string;
  modelId: string;
}

/** Where a message went when it left the device: the server's host and the model asked. */
export interface SentTo {
  host: string;
  model: string;
}

/** A library document attached to a conversation: each reply is grounded in the attached ones. */
export interface AttachedDocument {
  documentId: string;
  /** Its name when attached, shown even once the document is deleted. */
  name: string;
}

/**
 * A passage a reply was given, saved with the reply (its text too), so the sources stay readable
 * after a reload, in an export, and once the document is deleted from the library.
 */
export interface ReplySource {
  /** 1-based: what [n] in the reply refers to. */
  number: number;
  documentId: string;
  documentName: string;
  /** The passage's index in its document (the reader opens it there). */
  passage: number;
  heading?: string;
  text: string;
  /** Cut short to fit the window. */
  clipped?: boolean;
}

/**
 * A reply's thinking, kept apart from its answer (`content`): shown folded, never sent back to the
 * model, spoken, copied, or part of an export's answer text. Its token count is in the reply's
 * stats (`thinkingTokens`).
 */
export interface ReplyThinking {
  text: string;
  /** How long it thought, in ms (while it streams: so far). */
  ms: number;
  /** Stopped or cut off before the model finished thinking: there is no answer after it. */
  unfinished?: boolean;
}

/**
 * One tool the model called while writing a reply, as the reply shows it ("Used calculator"):
 * the arguments it wrote and what came back. Running: neither `result` nor `error` yet.
 */
export interface ToolStep {
  /** The call's id (the engine's, or made up). */
  id: string;
  name: string;
  /** The model's raw JSON arguments. */
  arguments: string;
  result?: string;
  error?: string;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  stats?: CompletionStats;
  /** Name, backend and device that wrote an assistant reply. */
  author?: Pick<LoadedModelInfo, 'name' | 'backend' | 'device'>;
  /** The reply was cut off by a reload or a closed tab before it finished. */
  interrupted?: boolean;
  /** The reply was cut off because the engine stopped (its worker died, its GPU was lost). */
  engineStopped?: boolean;
  /** This message was sent to (a reply: written by) a model server, not kept on the device. */
  sentTo?: SentTo;
  /** A grounded reply: the passages of the attached documents it was given, in rank order. */
  sources?: ReplySource[];
  /** What a reasoning model thought before this reply's answer. */
  thinking?: ReplyThinking;
  /** The tools the model called for this reply, in order. */
  steps?: ToolStep[];
  /** The remembered facts this reply was given (lib/memory), as they were then. */
  remembered?: RememberedFact[];
  /** Facts the model offered to remember in this reply, and the user's answers. */
  proposals?: MemoryProposal[];
  /**
   * A grounded reply: how many messages at the start of the conversation its prompt left out
   * (the passages took their room). Other replies' are replayed from the conversation.
   */
  unseenBefore?: number;
}

/**
 * A message off the visible path (lib/chat/versions.ts): an earlier version of one on it, or what
 * followed such a version.
 */
export interface BranchMessage extends StoredMessage {
  /** The message it follows; null: it opens the conversation. */
  parentId: string | null;
  /** When it left the visible path: of a message's followers, the one shown last is shown again. */
  hiddenAt?: number;
}

export interface Conversation {
  schemaVersion: typeof CONVERSATION_SCHEMA_VERSION;
  id: string;
  /** Empty until the first message names it (or the user does). */
  title: string;
  createdAt: number;
  updatedAt: number;
  /** The model last used in this conversation. */
  modelId?: string;
  /** The server model this conversation runs on; absent: the local model (the default). */
  server?: ServerModelRef;
  systemPrompt: string;
  settings: GenerationSettings;
  /** The visible path: each message follows the one before it. What the model and every reader get. */
  messages: StoredMessage[];
  /** Every other version of a message, and what followed it; absent: the conversation never branched. */
  branches?: BranchMessage[];
  /** Library documents the replies are grounded in; absent or empty: a plain chat. */
  attachments?: AttachedDocument[];
  /** The user turned tools off for this conversation (they are on by default, for models that can). */
  toolsOff?: true;
  /** The assistant it was started with (lib/assistants), by id and its name then. */
  assistant?: { id: string; name: string };
}

export function newConversation(id: string, now: number): Conversation {
  return {
    schemaVersion: CONVERSATION_SCHEMA_VERSION,
    id,
    title: '',
    createdAt: now,
    updatedAt: now,
    systemPrompt: DEFAULT_SYSTEM_PROMPT,
    settings: { ...DEFAULT_GENERATION },
    messages: [],
  };
}

const TITLE_LENGTH = 48;

/** A title from the first message: its first line, whitespace collapsed, cut at a word. */
export function titleFromText(text: string): string {
  const line = text.trim().split('\n', 1)[0]!.replace(/\s+/g, ' ').trim();
  if (line.length <= TITLE_LENGTH) return line;
  const cut = line.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export const displayTitle = (conversation: Pick<Conversation, 'title'>): string =>
  conversation.title || 'New conversation';

/** Case-insensitive search over the title and every message, other versions' too. */
export function matchesQuery(conversation: Conversation, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  const found = (message: StoredMessage) => message.content.toLowerCase().includes(needle);
  return (
    conversation.title.toLowerCase().includes(needle) ||
    conversation.messages.some(found) ||
    (conversation.branches?.some(found) ?? false)
  );
}

export const newestFirst = (a: Conversation, b: Conversation): number => b.updatedAt - a.updatedAt;
