/**
 * What another app shared with Nook (Web Share Target). The service worker receives the POST,
 * keeps the payload here under a fresh id and redirects to `#/?received=<id>` (lib/intake); the
 * page asks what to do with it, and the view picked takes it (read once, then deleted): Summarize
 * through `#/summarize?shared=<id>`. Used from both realms, so it touches only IndexedDB.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

export interface SharedPayload {
  title: string;
  text: string;
  url: string;
  files: File[];
  receivedAt: number;
}

let store: UseStore | undefined;
const sharedStore = (): UseStore => (store ??= createStore('nook-shared', 'payloads'));

export async function keepSharedPayload(form: FormData): Promise<string> {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const payload: SharedPayload = {
    title: field('title'),
    text: field('text'),
    url: field('url'),
    files: form.getAll('files').filter((value): value is File => typeof value !== 'string'),
    receivedAt: Date.now(),
  };
  const id = crypto.randomUUID();
  await set(id, payload, sharedStore());
  return id;
}

/** The payload, left in place (the view the user picks takes it). */
export const peekSharedPayload = (id: string): Promise<SharedPayload | undefined> =>
  get<SharedPayload>(id, sharedStore());

export async function takeSharedPayload(id: string): Promise<SharedPayload | undefined> {
  const payload = await get<SharedPayload>(id, sharedStore());
  if (payload) await del(id, sharedStore());
  return payload;
}

/** The `shared` id in a hash such as `#/summarize?shared=…`. */
export function sharedIdFromHash(hash: string): string | undefined {
  const query = hash.split('?')[1];
  return query ? (new URLSearchParams(query).get('shared') ?? undefined) : undefined;
}
