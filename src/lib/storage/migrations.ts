/**
 * Schema versions of stored records and the pure functions that bring an old record up to date.
 * A migration takes a record of version n and returns one of version n + 1; `migrateRecord` runs
 * the chain. Records from a newer Nook (a version above the current one) are left alone, never
 * rewritten, so opening an old tab after an upgrade cannot destroy data.
 */
export type Migration = (record: Record<string, unknown>) => Record<string, unknown>;

/** Migrations keyed by the version they start from. */
export type MigrationTable = Readonly<Record<number, Migration>>;

export type MigrationResult =
  | { ok: true; record: Record<string, unknown>; migrated: boolean }
  | { ok: false; reason: 'not-a-record' | 'newer-version' | 'no-migration'; version?: number };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Brings `value` to `target`. Records without a `schemaVersion` count as version 0 (written
 * before versions existed).
 */
export function migrateRecord(value: unknown, target: number, migrations: MigrationTable): MigrationResult {
  if (!isRecord(value)) return { ok: false, reason: 'not-a-record' };
  const start = typeof value.schemaVersion === 'number' ? value.schemaVersion : 0;
  if (start > target) return { ok: false, reason: 'newer-version', version: start };
  let record = value;
  for (let version = start; version < target; version++) {
    const step = migrations[version];
    if (!step) return { ok: false, reason: 'no-migration', version };
    record = { ...step(record), schemaVersion: version + 1 };
  }
  return { ok: true, record, migrated: start !== target };
}
