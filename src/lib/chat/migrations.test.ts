import { describe, expect, it } from 'vitest';
import { checkConversation } from './validate';
import { CONVERSATION_SCHEMA_VERSION } from './conversation';
import { CONVERSATION_MIGRATIONS } from './migrations';
import { migrateRecord, type MigrationTable } from '../storage/migrations';

const chain: MigrationTable = {
  0: (record) => ({ ...record, a: 1 }),
  1: (record) => ({ ...record, b: (record.a as number) + 1 }),
};

describe('migrateRecord', () => {
  it('runs every step from the record version to the target, stamping each version', () => {
    expect(migrateRecord({ x: true }, 2, chain)).toEqual({
      ok: true,
      migrated: true,
      record: { x: true, a: 1, b: 2, schemaVersion: 2 },
    });
    expect(migrateRecord({ schemaVersion: 1, a: 5 }, 2, chain)).toMatchObject({ record: { b: 6, schemaVersion: 2 } });
  });

  it('leaves a current record as it is', () => {
    const record = { schemaVersion: 2, y: 1 };
    expect(migrateRecord(record, 2, chain)).toEqual({ ok: true, migrated: false, record });
  });

  it('refuses records from a newer version, non-records, and gaps in the chain', () => {
    expect(migrateRecord({ schemaVersion: 3 }, 2, chain)).toEqual({ ok: false, reason: 'newer-version', version: 3 });
    expect(migrateRecord('text', 2, chain)).toEqual({ ok: false, reason: 'not-a-record' });
    expect(migrateRecord([], 2, chain)).toEqual({ ok: false, reason: 'not-a-record' });
    expect(migrateRecord({ schemaVersion: 0 }, 2, { 1: chain[1]! })).toEqual({
      ok: false,
      reason: 'no-migration',
      version: 0,
    });
  });

  it('does not mutate its input', () => {
    const record = { x: 1 };
    migrateRecord(record, 2, chain);
    expect(record).toEqual({ x: 1 });
  });
});

describe('conversation migrations', () => {
  it('turn a version-0 record (messages only) into a valid current conversation', () => {
    const v0 = {
      id: 'c1',
      updatedAt: 1000,
      messages: [
        { id: 'm1', role: 'user', content: 'Hi' },
        { id: 'm2', role: 'assistant', content: 'Hello' },
      ],
    };
    const migrated = migrateRecord(v0, CONVERSATION_SCHEMA_VERSION, CONVERSATION_MIGRATIONS);
    expect(migrated.ok).toBe(true);
    if (!migrated.ok) return;
    const checked = checkConversation(migrated.record);
    expect(checked).toMatchObject({ ok: true, value: { id: 'c1', title: '', createdAt: 1000 } });
    if (checked.ok) expect(checked.value.messages.map((m) => m.createdAt)).toEqual([1000, 1000]);
  });

  it('read a version-1 record as a current conversation with nothing attached, changed in no other way', () => {
    const v1 = {
      schemaVersion: 1,
      id: 'c2',
      title: 'Old',
      createdAt: 1,
      updatedAt: 2,
      systemPrompt: 'Be kind.',
      settings: { temperature: 0.7, topP: 0.95, maxTokens: 512 },
      messages: [{ id: 'm1', role: 'user', content: 'Hi', createdAt: 1 }],
    };
    const migrated = migrateRecord(v1, CONVERSATION_SCHEMA_VERSION, CONVERSATION_MIGRATIONS);
    expect(migrated).toEqual({
      ok: true,
      migrated: true,
      record: { ...v1, schemaVersion: CONVERSATION_SCHEMA_VERSION },
    });
    const checked = checkConversation(migrated.ok ? migrated.record : undefined);
    expect(checked.ok && checked.value.attachments).toBe(undefined);
  });

  it('opens a version-2 record (before versions of messages) unchanged, with no other versions', () => {
    const v2 = {
      schemaVersion: 2,
      id: 'c3',
      title: 'Before versions',
      createdAt: 1,
      updatedAt: 2,
      systemPrompt: 'Be kind.',
      settings: { temperature: 0.7, topP: 0.95, maxTokens: 512 },
      messages: [
        { id: 'm1', role: 'user', content: 'Hi', createdAt: 1 },
        { id: 'm2', role: 'assistant', content: 'Hello', createdAt: 2 },
      ],
      attachments: [{ documentId: 'd1', name: 'Notes' }],
    };
    const migrated = migrateRecord(v2, CONVERSATION_SCHEMA_VERSION, CONVERSATION_MIGRATIONS);
    expect(migrated).toEqual({ ok: true, migrated: true, record: { ...v2, schemaVersion: 3 } });
    const checked = checkConversation(migrated.ok ? migrated.record : undefined);
    expect(checked).toEqual({ ok: true, value: { ...v2, schemaVersion: 3 } });
  });
});
