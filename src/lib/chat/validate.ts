/**
 * Checking that a value really is a conversation (after migration), field by field, with a reason
 * a person can read. Used on every imported file and every record read back from storage.
 */
import type { CompletionStats, GenerationSettings } from '../engine/types';
import {
  CONVERSATION_SCHEMA_VERSION,
  type AttachedDocument,
  type BranchMessage,
  type Conversation,
  type ReplySource,
  type ReplyThinking,
  type ToolStep,
  type StoredMessage,
} from './conversation';
import { isValidSettings } from './settings';
import type { MemoryProposal, RememberedFact } from '../memory/memory';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function checkStats(value: unknown): CompletionStats | undefined {
  if (!isRecord(value)) return undefined;
  const {
    promptTokens,
    completionTokens,
    timeToFirstTokenMs,
    tokensPerSecond,
    finishReason,
    prefillTokensPerSecond,
    cachedPromptTokens,
    thinkingTokens,
    thinkingMs,
  } = value;
  if (!isNumber(promptTokens) || !isNumber(completionTokens) || !isNumber(timeToFirstTokenMs)) return undefined;
  if (!isNumber(tokensPerSecond)) return undefined;
  if (finishReason !== 'stop' && finishReason !== 'length' && finishReason !== 'aborted') return undefined;
  if (prefillTokensPerSecond !== undefined && !isNumber(prefillTokensPerSecond)) return undefined;
  // Rebuilt field by field: nothing unchecked from an imported file reaches the UI.
  return {
    promptTokens,
    completionTokens,
    timeToFirstTokenMs,
    tokensPerSecond,
    finishReason,
    ...(prefillTokensPerSecond === undefined ? {} : { prefillTokensPerSecond }),
    ...(isCount(cachedPromptTokens) ? { cachedPromptTokens } : {}),
    ...(isCount(thinkingTokens) ? { thinkingTokens } : {}),
    ...(isTime(thinkingMs) ? { thinkingMs } : {}),
  };
}

/** A reply's tool steps, rebuilt field by field; undefined when any is malformed. */
function checkSteps(value: unknown): ToolStep[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const steps: ToolStep[] = [];
  for (const item of value) {
    if (!isRecord(item)) return undefined;
    const { id, name, arguments: args, result, error } = item;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof args !== 'string') return undefined;
    if ((result !== undefined && typeof result !== 'string') || (error !== undefined && typeof error !== 'string'))
      return undefined;
    steps.push({
      id,
      name,
      arguments: args,
      ...(typeof result === 'string' ? { result } : {}),
      ...(typeof error === 'string' ? { error } : {}),
    });
  }
  return steps;
}

/** A reply's thinking, rebuilt; undefined when it is not the shape Nook writes. */
function checkThinking(value: unknown): ReplyThinking | undefined {
  if (!isRecord(value) || typeof value.text !== 'string' || !isTime(value.ms)) return undefined;
  return { text: value.text, ms: value.ms, ...(value.unfinished === true ? { unfinished: true } : {}) };
}

/** A reply's saved sources, rebuilt field by field; undefined when any is malformed. */
function checkSources(value: unknown): ReplySource[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const sources: ReplySource[] = [];
  for (const item of value) {
    if (!isRecord(item)) return undefined;
    const { number, documentId, documentName, passage, heading, text, clipped } = item;
    if (!Number.isInteger(number) || (number as number) < 1) return undefined;
    if (typeof documentId !== 'string' || typeof documentName !== 'string' || typeof text !== 'string')
      return undefined;
    if (!Number.isInteger(passage) || (passage as number) < 0) return undefined;
    if (heading !== undefined && typeof heading !== 'string') return undefined;
    sources.push({
      number: number as number,
      documentId,
      documentName,
      passage: passage as number,
      ...(typeof heading === 'string' ? { heading } : {}),
      text,
      ...(clipped === true ? { clipped: true } : {}),
    });
  }
  return sources;
}

/** A list of attached documents (ids and names), or undefined when it is not one. */
export function checkAttachments(value: unknown): AttachedDocument[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const attachments: AttachedDocument[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.documentId !== 'string' || typeof item.name !== 'string') return undefined;
    attachments.push({ documentId: item.documentId, name: item.name });
  }
  return attachments;
}

function checkRemembered(value: unknown): RememberedFact[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const facts: RememberedFact[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.text !== 'string') return undefined;
    facts.push({ id: item.id, text: item.text });
  }
  return facts;
}

function checkProposals(value: unknown): MemoryProposal[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const proposals: MemoryProposal[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.text !== 'string') return undefined;
    const { answer } = item;
    if (answer === 'declined') proposals.push({ text: item.text, answer });
    else if (isRecord(answer) && typeof answer.remembered === 'string') {
      proposals.push({ text: item.text, answer: { remembered: answer.remembered } });
    } else if (answer === undefined) proposals.push({ text: item.text });
    else return undefined;
  }
  return proposals;
}

function checkMessage(value: unknown, where: string): Checked<StoredMessage> {
  if (!isRecord(value)) return { ok: false, reason: `${where} is not an object.` };
  if (typeof value.id !== 'string' || !value.id) return { ok: false, reason: `${where} has no id.` };
  if (value.role !== 'user' && value.role !== 'assistant') {
    return { ok: false, reason: `${where} has the role "${String(value.role)}"; expected "user" or "assistant".` };
  }
  if (typeof value.content !== 'string') return { ok: false, reason: `${where} has no text content.` };
  if (!isTime(value.createdAt)) return { ok: false, reason: `${where} has no valid creation time.` };
  const stats = value.stats === undefined ? undefined : checkStats(value.stats);
  if (value.stats !== undefined && !stats) {
    return { ok: false, reason: `${where} has malformed reply statistics.` };
  }
  const message: StoredMessage = { id: value.id, role: value.role, content: value.content, createdAt: value.createdAt };
  if (stats) message.stats = stats;
  if (value.thinking !== undefined) {
    const thinking = checkThinking(value.thinking);
    if (!thinking) return { ok: false, reason: `${where} has malformed thinking.` };
    message.thinking = thinking;
  }
  if (value.steps !== undefined) {
    const steps = checkSteps(value.steps);
    if (!steps) return { ok: false, reason: `${where} has malformed tool steps.` };
    message.steps = steps;
  }
  if (isRecord(value.author)) {
    const { name, backend, device } = value.author;
    if ((backend === 'wllama' || backend === 'web-llm') && (device === 'cpu' || device === 'webgpu')) {
      message.author = { name: typeof name === 'string' ? name : undefined, backend, device };
    }
  }
  if (isRecord(value.sentTo)) {
    const { host, model } = value.sentTo;
    if (typeof host === 'string' && typeof model === 'string') message.sentTo = { host, model };
  }
  if (value.remembered !== undefined) {
    const remembered = checkRemembered(value.remembered);
    if (!remembered) return { ok: false, reason: `${where} has malformed remembered facts.` };
    message.remembered = remembered;
  }
  if (value.proposals !== undefined) {
    const proposals = checkProposals(value.proposals);
    if (!proposals) return { ok: false, reason: `${where} has malformed memory proposals.` };
    message.proposals = proposals;
  }
  if (value.sources !== undefined) {
    const sources = checkSources(value.sources);
    if (!sources) return { ok: false, reason: `${where} has malformed sources.` };
    message.sources = sources;
  }
  if (Number.isInteger(value.unseenBefore) && (value.unseenBefore as number) >= 0) {
    message.unseenBefore = value.unseenBefore as number;
  }
  if (value.interrupted === true) message.interrupted = true;
  if (value.engineStopped === true) message.engineStopped = true;
  return { ok: true, value: message };
}

/** The settings fields Nook knows, as found (checked by isValidSettings). */
export function generationSettings(settings: Record<string, unknown>): GenerationSettings {
  return {
    temperature: settings.temperature as number,
    topP: settings.topP as number,
    maxTokens: settings.maxTokens as number,
    ...(settings.think === undefined ? {} : { think: settings.think as boolean }),
    ...(settings.thinkingBudget === undefined ? {} : { thinkingBudget: settings.thinkingBudget as number }),
  };
}

/**
 * Other versions of messages: each a message naming the one it follows, every id once in the
 * conversation, and each chain of parents reaching the visible path or the start (no loop).
 */
function checkBranches(value: unknown, path: StoredMessage[], where: string): Checked<BranchMessage[]> {
  if (value === undefined) return { ok: true, value: [] };
  if (!Array.isArray(value)) return { ok: false, reason: `${where} has other versions that are not a list.` };
  const branches: BranchMessage[] = [];
  const ids = new Set(path.map((m) => m.id));
  if (ids.size !== path.length) return { ok: false, reason: `${where} has two messages with one id.` };
  for (const [index, raw] of value.entries()) {
    const label = `${where}, other version ${index + 1},`;
    const checked = checkMessage(raw, label);
    if (!checked.ok) return checked;
    const { parentId, hiddenAt } = raw as Record<string, unknown>;
    if (parentId !== null && (typeof parentId !== 'string' || !parentId)) {
      return { ok: false, reason: `${label} does not say which message it follows.` };
    }
    if (ids.has(checked.value.id)) return { ok: false, reason: `${label} has the id of another message.` };
    ids.add(checked.value.id);
    branches.push({ ...checked.value, parentId, ...(isTime(hiddenAt) ? { hiddenAt } : {}) });
  }
  const parents = new Map(branches.map((m) => [m.id, m.parentId]));
  const onPath = new Set(path.map((m) => m.id));
  for (const [index, message] of branches.entries()) {
    const seen = new Set<string>();
    let at: string | null = message.parentId;
    while (at !== null && !onPath.has(at)) {
      if (seen.has(at) || !parents.has(at)) {
        return { ok: false, reason: `${where}, other version ${index + 1}, follows a message that is not there.` };
      }
      seen.add(at);
      at = parents.get(at)!;
    }
  }
  return { ok: true, value: branches };
}

/** `where` names the conversation in reasons, e.g. "Conversation 2". */
export function checkConversation(value: unknown, where = 'The conversation'): Checked<Conversation> {
  if (!isRecord(value)) return { ok: false, reason: `${where} is not an object.` };
  if (value.schemaVersion !== CONVERSATION_SCHEMA_VERSION) {
    return { ok: false, reason: `${where} has schema version ${String(value.schemaVersion)}.` };
  }
  if (typeof value.id !== 'string' || !value.id) return { ok: false, reason: `${where} has no id.` };
  if (typeof value.title !== 'string') return { ok: false, reason: `${where} has no title text.` };
  if (!isTime(value.createdAt) || !isTime(value.updatedAt)) {
    return { ok: false, reason: `${where} has no valid timestamps.` };
  }
  if (value.modelId !== undefined && typeof value.modelId !== 'string') {
    return { ok: false, reason: `${where} has a model id that is not text.` };
  }
  if (typeof value.systemPrompt !== 'string') return { ok: false, reason: `${where} has no system prompt text.` };
  const attachments = value.attachments === undefined ? undefined : checkAttachments(value.attachments);
  if (value.attachments !== undefined && !attachments) {
    return { ok: false, reason: `${where} has a malformed list of attached documents.` };
  }
  const settings = value.settings;
  if (!isRecord(settings) || !isValidSettings(generationSettings(settings))) {
    return { ok: false, reason: `${where} has generation settings that are missing or out of range.` };
  }
  if (!Array.isArray(value.messages)) return { ok: false, reason: `${where} has no message list.` };
  const messages: StoredMessage[] = [];
  for (const [index, raw] of value.messages.entries()) {
    const checked = checkMessage(raw, `${where}, message ${index + 1},`);
    if (!checked.ok) return checked;
    messages.push(checked.value);
  }
  const branches = checkBranches(value.branches, messages, where);
  if (!branches.ok) return branches;
  const conversation: Conversation = {
    schemaVersion: CONVERSATION_SCHEMA_VERSION,
    id: value.id,
    title: value.title,
    createdAt: value.createdAt,
    updatedAt: value.updatedAt,
    systemPrompt: value.systemPrompt,
    settings: generationSettings(settings),
    messages,
  };
  if (branches.value.length) conversation.branches = branches.value;
  if (typeof value.modelId === 'string') conversation.modelId = value.modelId;
  if (value.toolsOff === true) conversation.toolsOff = true;
  if (isRecord(value.assistant) && typeof value.assistant.id === 'string' && typeof value.assistant.name === 'string') {
    conversation.assistant = { id: value.assistant.id, name: value.assistant.name };
  }
  if (attachments) conversation.attachments = attachments;
  // Only the two ids: a server's address and key live in nook-servers, never in a conversation.
  if (isRecord(value.server) && typeof value.server.serverId === 'string' && typeof value.server.modelId === 'string') {
    conversation.server = { serverId: value.server.serverId, modelId: value.server.modelId };
  }
  return { ok: true, value: conversation };
}
