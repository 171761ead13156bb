/**
 * Assistants: named presets of how a conversation starts — system prompt, generation settings,
 * tools on or off, attached documents, and the model it runs on (this device's, or a server's).
 * Made from a conversation or from scratch, picked when a conversation starts, exported and
 * imported as a versioned, checked file. A few useful ones ship with Nook (`BUILT_IN`). This
 * folder owns the record, its checks, the file and what applying one does to a conversation; it
 * knows no store of the page.
 */
import type { AttachedDocument, Conversation, ServerModelRef } from '../chat/conversation';
import { DEFAULT_GENERATION } from '../chat/defaults';
import { isValidSettings } from '../chat/settings';
import { checkAttachments, generationSettings, type Checked } from '../chat/validate';
import type { GenerationSettings } from '../engine/types';

export const ASSISTANT_RECORD_VERSION = 1;
export const ASSISTANTS_FORMAT = 'nook-assistants';
export const ASSISTANTS_FILE_VERSION = 1;
export const NAME_LIMIT = 60;

export interface Assistant {
  schemaVersion: typeof ASSISTANT_RECORD_VERSION;
  id: string;
  name: string;
  /** One line: what it is for. */
  description: string;
  systemPrompt: string;
  settings: GenerationSettings;
  /** The local model it was made with (the conversation offers to switch to it). */
  modelId?: string;
  /** The server model it runs on, if it runs on one. */
  server?: ServerModelRef;
  toolsOff?: true;
  attachments?: AttachedDocument[];
  createdAt: number;
  updatedAt: number;
  /** Shipped with Nook: not edited or deleted, only used. */
  builtIn?: true;
}

const builtIn = (
  id: string,
  name: string,
  description: string,
  systemPrompt: string,
  settings: Partial<GenerationSettings>,
): Assistant => ({
  schemaVersion: ASSISTANT_RECORD_VERSION,
  id: `built-in:${id}`,
  name,
  description,
  systemPrompt,
  settings: { ...DEFAULT_GENERATION, ...settings },
  createdAt: 0,
  updatedAt: 0,
  builtIn: true,
});

export const BUILT_IN: readonly Assistant[] = Object.freeze([
  builtIn(
    'translator-french',
    'Translator to French',
    'Translates each message into French, nothing else.',
    'You are a translator. Translate each message the user sends into French, keeping its meaning, tone and formatting (lists, code, names). Reply with the translation only: no notes, no original text.',
    { temperature: 0.3 },
  ),
  builtIn(
    'careful-reviewer',
    'Careful reviewer',
    'Reviews writing, code or a plan: the problems that matter first, each with a fix.',
    'You are a careful reviewer. For what the user sends (writing, code or a plan), list the problems that matter most first, each with why it matters and a concrete fix. Then say in one line what is good. Never invent facts; say when you are unsure.',
    { temperature: 0.4 },
  ),
  builtIn(
    'concise',
    'Concise helper',
    'Answers in a sentence or two, or a short list.',
    'You are a concise assistant. Answer in as few words as the question allows: one or two sentences, or a short list. No preamble, no summary at the end.',
    { temperature: 0.5, maxTokens: 256 },
  ),
  builtIn(
    'explain-simply',
    'Explain simply',
    'Explains anything step by step, in plain words, with an example.',
    'You are a patient teacher. Explain what the user asks in plain words, step by step, for someone new to the subject, with one everyday example. Define any term you must use.',
    { temperature: 0.6 },
  ),
]);

/** What applying an assistant sets in a conversation (the rest is the conversation's own). */
export function applyAssistant(conversation: Conversation, assistant: Assistant): void {
  conversation.systemPrompt = assistant.systemPrompt;
  conversation.settings = { ...assistant.settings };
  conversation.assistant = { id: assistant.id, name: assistant.name };
  if (assistant.modelId) conversation.modelId = assistant.modelId;
  if (assistant.server) conversation.server = { ...assistant.server };
  else delete conversation.server;
  if (assistant.toolsOff) conversation.toolsOff = true;
  else delete conversation.toolsOff;
  if (assistant.attachments?.length) conversation.attachments = assistant.attachments.map((a) => ({ ...a }));
  else delete conversation.attachments;
}

export type CheckedName = { ok: true; name: string } | { ok: false; reason: string };

export function checkName(name: string): CheckedName {
  const kept = name.replace(/\s+/g, ' ').trim();
  if (!kept) return { ok: false, reason: 'An assistant needs a name.' };
  if (kept.length > NAME_LIMIT) return { ok: false, reason: `A name has at most ${NAME_LIMIT} characters.` };
  return { ok: true, name: kept };
}

/** An assistant made from how a conversation is set up now. */
export function fromConversation(conversation: Conversation, name: string, id: string, now: number): Assistant {
  return {
    schemaVersion: ASSISTANT_RECORD_VERSION,
    id,
    name,
    description: '',
    systemPrompt: conversation.systemPrompt,
    settings: { ...conversation.settings },
    ...(conversation.modelId ? { modelId: conversation.modelId } : {}),
    ...(conversation.server ? { server: { ...conversation.server } } : {}),
    ...(conversation.toolsOff ? { toolsOff: true as const } : {}),
    ...(conversation.attachments?.length ? { attachments: conversation.attachments.map((a) => ({ ...a })) } : {}),
    createdAt: now,
    updatedAt: now,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a value is an assistant the user made (a stored record or an imported one). */
export function checkAssistant(value: unknown, where = 'The assistant'): Checked<Assistant> {
  if (!isRecord(value)) return { ok: false, reason: `${where} is not an object.` };
  if (value.schemaVersion !== ASSISTANT_RECORD_VERSION) {
    return { ok: false, reason: `${where} has schema version ${String(value.schemaVersion)}.` };
  }
  if (typeof value.id !== 'string' || !value.id || value.id.startsWith('built-in:')) {
    return { ok: false, reason: `${where} has no id of its own.` };
  }
  const name = checkName(typeof value.name === 'string' ? value.name : '');
  if (!name.ok) return { ok: false, reason: `${where}: ${name.reason}` };
  if (typeof value.systemPrompt !== 'string') return { ok: false, reason: `${where} has no system prompt text.` };
  const settings = value.settings;
  if (!isRecord(settings) || !isValidSettings(generationSettings(settings))) {
    return { ok: false, reason: `${where} has generation settings that are missing or out of range.` };
  }
  const times = [value.createdAt, value.updatedAt];
  if (!times.every((t) => typeof t === 'number' && Number.isFinite(t) && t >= 0)) {
    return { ok: false, reason: `${where} has no valid timestamps.` };
  }
  const attachments = value.attachments === undefined ? undefined : checkAttachments(value.attachments);
  if (value.attachments !== undefined && !attachments) {
    return { ok: false, reason: `${where} has a malformed list of attached documents.` };
  }
  const assistant: Assistant = {
    schemaVersion: ASSISTANT_RECORD_VERSION,
    id: value.id,
    name: name.name,
    description: typeof value.description === 'string' ? value.description.trim() : '',
    systemPrompt: value.systemPrompt,
    settings: generationSettings(settings),
    createdAt: value.createdAt as number,
    updatedAt: value.updatedAt as number,
  };
  if (typeof value.modelId === 'string' && value.modelId) assistant.modelId = value.modelId;
  if (isRecord(value.server) && typeof value.server.serverId === 'string' && typeof value.server.modelId === 'string') {
    assistant.server = { serverId: value.server.serverId, modelId: value.server.modelId };
  }
  if (value.toolsOff === true) assistant.toolsOff = true;
  if (attachments?.length) assistant.attachments = attachments;
  return { ok: true, value: assistant };
}

/** The assistants the user made, as a file to keep or move to another device. */
export function exportAssistants(assistants: readonly Assistant[], now: number): string {
  const mine = assistants.filter((assistant) => !assistant.builtIn);
  return JSON.stringify(
    {
      format: ASSISTANTS_FORMAT,
      version: ASSISTANTS_FILE_VERSION,
      exportedAt: new Date(now).toISOString(),
      assistants: mine,
    },
    null,
    2,
  );
}

/** Larger files are refused before parsing: assistants are a few kilobytes each. */
export const MAX_ASSISTANTS_FILE_BYTES = 5_000_000;

/** Reads an assistants file: all or nothing, with the reason. */
export function parseAssistants(text: string): Checked<Assistant[]> {
  if (text.length > MAX_ASSISTANTS_FILE_BYTES)
    return { ok: false, reason: 'The file is too large to be a Nook assistants file.' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The file is not valid JSON.' };
  }
  if (!isRecord(data) || data.format !== ASSISTANTS_FORMAT) {
    return { ok: false, reason: 'The file is not a Nook assistants file.' };
  }
  if (data.version !== ASSISTANTS_FILE_VERSION) {
    return {
      ok: false,
      reason: `The file has version ${String(data.version)}; this Nook reads version ${ASSISTANTS_FILE_VERSION}.`,
    };
  }
  if (!Array.isArray(data.assistants) || data.assistants.length === 0) {
    return { ok: false, reason: 'The file holds no assistants.' };
  }
  const assistants: Assistant[] = [];
  for (const [index, raw] of data.assistants.entries()) {
    const checked = checkAssistant(raw, `Assistant ${index + 1}`);
    if (!checked.ok) return checked;
    assistants.push(checked.value);
  }
  return { ok: true, value: assistants };
}

/** A stored record read back: undefined (skipped) when it is not one. */
export function readAssistant(value: unknown): Assistant | undefined {
  const checked = checkAssistant(value);
  return checked.ok ? checked.value : undefined;
}
