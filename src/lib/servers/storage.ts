/**
 * The user's model servers, kept in IndexedDB (`nook-servers`) on this device only: address,
 * the API key (never exported, never logged, never sent anywhere but to that server), and the
 * models it listed at Connect with their context windows. Read at start-up without a single
 * request to any server.
 */
import { createStore, del, set, values, type UseStore } from 'idb-keyval';
import type { ServerModelInfo } from './client';

export const SERVER_RECORD_VERSION = 1;

export interface ServerModelRecord extends ServerModelInfo {
  /** A window the user typed, for a server that does not say (it wins over what it says). */
  userContextLength?: number;
}

export interface StoredServer {
  schemaVersion: typeof SERVER_RECORD_VERSION;
  id: string;
  apiBase: string;
  root: string;
  host: string;
  apiKey?: string;
  models: ServerModelRecord[];
  addedAt: number;
}

let store: UseStore | undefined;
const servers = () => (store ??= createStore('nook-servers', 'servers'));

export async function listServers(): Promise<StoredServer[]> {
  const all = (await values<unknown>(servers())).filter(
    (value): value is StoredServer =>
      typeof value === 'object' &&
      value !== null &&
      (value as StoredServer).schemaVersion === SERVER_RECORD_VERSION &&
      typeof (value as StoredServer).apiBase === 'string',
  );
  return all.sort((a, b) => a.addedAt - b.addedAt);
}

export const saveServer = (server: StoredServer): Promise<void> => set(server.id, server, servers());
export const deleteServer = (id: string): Promise<void> => del(id, servers());

/** The key as the UI may show it: never more than its last four characters. */
export function maskKey(key: string | undefined): string {
  if (!key) return 'no key';
  return key.length <= 8 ? '••••' : `••••${key.slice(-4)}`;
}
