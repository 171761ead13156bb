/** How an old conversation record is brought up to date (see lib/storage/migrations for the chain). */
import type { MigrationTable } from '../storage/migrations';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Conversation records. Version 0 is the in-memory shape of the first chat view (messages only,
 * system prompt and settings implicit); version 1 adds per-conversation settings and timestamps;
 * version 2 may hold attached documents and reply sources (optional fields, so a version-1 record
 * is already a valid version 2). The step exists so that a Nook that knows only version 1 leaves
 * version-2 records alone instead of saving them back without their sources. Version 3 may hold
 * other versions of messages (`branches`), optional too: a version-2 record opens unchanged.
 */
export const CONVERSATION_MIGRATIONS: MigrationTable = {
  0: (record) => {
    const now = typeof record.updatedAt === 'number' ? record.updatedAt : Date.now();
    return {
      title: '',
      createdAt: now,
      updatedAt: now,
      systemPrompt: 'You are Nook, a helpful assistant running privately on this device.',
      settings: { temperature: 0.7, topP: 0.95, maxTokens: 512 },
      ...record,
      messages: Array.isArray(record.messages)
        ? record.messages.map((message: unknown) => (isRecord(message) ? { createdAt: now, ...message } : message))
        : [],
    };
  },
  1: (record) => record,
  2: (record) => record,
};
