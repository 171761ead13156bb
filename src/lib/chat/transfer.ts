/**
 * Export and import of conversations. JSON is the lossless, versioned format (an envelope around
 * the stored records); Markdown is for reading. An import is all or nothing: any malformed part
 * refuses the whole file with the reason, and imported ids never replace existing conversations.
 */
import { migrateRecord } from '../storage/migrations';
import { CONVERSATION_MIGRATIONS } from './migrations';
import { CONVERSATION_SCHEMA_VERSION, displayTitle, type Conversation, type ReplySource } from './conversation';
import { checkConversation, type Checked } from './validate';
import { versionPlaces } from './versions';

export const EXPORT_FORMAT = 'nook-conversations';
export const EXPORT_VERSION = 1;
/** Larger files are refused before parsing (a conversation export is text, rarely megabytes). */
export const MAX_IMPORT_BYTES = 50_000_000;

export interface ConversationExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  conversations: Conversation[];
}

export function exportToJson(conversations: readonly Conversation[], now: Date): string {
  const envelope: ConversationExport = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    conversations: [...conversations],
  };
  return JSON.stringify(envelope, null, 2);
}

/** A reply's sources as a Markdown list: number, document, heading, and the passage quoted. */
export function sourcesToMarkdown(sources: readonly ReplySource[]): string[] {
  const lines = ['Sources:', ''];
  for (const source of sources) {
    const where = `${source.documentName}${source.heading ? ` — ${source.heading}` : ''}, passage ${source.passage + 1}`;
    const quote = `${source.text.trim()}${source.clipped ? '…' : ''}`.replace(/\s*\n\s*/g, ' ');
    lines.push(`${source.number}. ${where}`, `   > ${quote}`);
  }
  lines.push('');
  return lines;
}

export function conversationToMarkdown(conversation: Conversation): string {
  const lines = [`# ${displayTitle(conversation)}`, ''];
  if (conversation.systemPrompt) lines.push(`> System: ${conversation.systemPrompt.replace(/\n/g, '\n> ')}`, '');
  if (conversation.attachments?.length) {
    lines.push(`Attached documents: ${conversation.attachments.map((attached) => attached.name).join(', ')}`, '');
  }
  // The visible path; a message with other versions says which one this is (the JSON has them all).
  const versions = versionPlaces(conversation);
  for (const message of conversation.messages) {
    const place = versions.get(message.id);
    const version = place ? ` (version ${place.number} of ${place.count})` : '';
    lines.push(`## ${message.role === 'user' ? 'You' : 'Nook'}${version}`, '');
    // The facts a reply was given and the tools it used, before its answer; its thinking stays out.
    if (message.remembered?.length) {
      lines.push(`> Remembered: ${message.remembered.map((fact) => fact.text).join(' · ')}`, '');
    }
    for (const step of message.steps ?? []) {
      lines.push(
        `> Used ${step.name} (${step.arguments}): ${step.error ? `error: ${step.error}` : (step.result ?? '')}`,
        '',
      );
    }
    lines.push(message.content.trimEnd(), '');
    if (message.sources?.length) lines.push(...sourcesToMarkdown(message.sources));
  }
  return lines.join('\n');
}

export const exportToMarkdown = (conversations: readonly Conversation[]): string =>
  conversations.map(conversationToMarkdown).join('\n---\n\n');

/** Parses and checks an export file. Nothing is stored here. */
export function parseImport(text: string): Checked<Conversation[]> {
  if (text.length > MAX_IMPORT_BYTES) return { ok: false, reason: 'The file is too large to be a Nook export.' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The file is not valid JSON.' };
  }
  if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== EXPORT_FORMAT) {
    return { ok: false, reason: 'The file is not a Nook conversation export.' };
  }
  const envelope = data as { version?: unknown; conversations?: unknown };
  if (envelope.version !== EXPORT_VERSION) {
    return {
      ok: false,
      reason: `The export has version ${String(envelope.version)}; this Nook reads version ${EXPORT_VERSION}.`,
    };
  }
  if (!Array.isArray(envelope.conversations)) return { ok: false, reason: 'The export holds no conversation list.' };
  if (envelope.conversations.length === 0) return { ok: false, reason: 'The export holds no conversations.' };
  const conversations: Conversation[] = [];
  for (const [index, raw] of envelope.conversations.entries()) {
    const where = `Conversation ${index + 1}`;
    const migrated = migrateRecord(raw, CONVERSATION_SCHEMA_VERSION, CONVERSATION_MIGRATIONS);
    if (!migrated.ok) {
      return {
        ok: false,
        reason:
          migrated.reason === 'newer-version'
            ? `${where} comes from a newer version of Nook.`
            : `${where} is not a conversation record.`,
      };
    }
    const checked = checkConversation(migrated.record, where);
    if (!checked.ok) return checked;
    conversations.push(checked.value);
  }
  return { ok: true, value: conversations };
}

/**
 * Gives a fresh id to every imported conversation whose id is already taken (on the device, or
 * earlier in the same file), so an import never overwrites anything.
 */
export function withFreshIds(
  imported: readonly Conversation[],
  existingIds: ReadonlySet<string>,
  newId: () => string,
): Conversation[] {
  const taken = new Set(existingIds);
  return imported.map((conversation) => {
    let id = conversation.id;
    while (taken.has(id)) id = newId();
    taken.add(id);
    return id === conversation.id ? conversation : { ...conversation, id };
  });
}

/** Reads and checks an export file; one too large to be an export is refused before it is read. */
export async function readImportFile(file: Blob): Promise<Checked<Conversation[]>> {
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, reason: 'The file is too large to be a Nook export.' };
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `The file could not be read (${reason}).` };
  }
  return parseImport(text);
}

/** The status line after an import. */
export const importedNote = (count: number): string => `Imported ${count} conversation${count === 1 ? '' : 's'}.`;
