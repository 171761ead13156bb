/**
 * Model settings, kept in IndexedDB: the mirror that replaces the default model hosts, and which
 * build of the engine's code was last warmed up (lib/engine/code-warm-up).
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { normaliseMirror } from './hosts';
import { isAllowedModelUrl, plainHttpRefusal } from '../security/csp';

let store: UseStore | undefined;
const settings = () => (store ??= createStore('nook-model-settings', 'settings'));

export async function loadMirror(): Promise<string | undefined> {
  return (await get<string>('mirror', settings())) || undefined;
}

/** Saves (or with a blank value clears) the mirror; throws a TypeError for an unusable URL. */
export async function saveMirror(input: string): Promise<string | undefined> {
  let mirror: string | undefined;
  try {
    mirror = normaliseMirror(input);
  } catch {
    throw new TypeError(`“${input.trim()}” is not an http(s) address a mirror can have.`);
  }
  if (mirror && !isAllowedModelUrl(new URL(mirror))) throw new TypeError(plainHttpRefusal(new URL(mirror)));
  await set('mirror', mirror ?? '', settings());
  return mirror;
}

/** The engine code build the code warm-up last ran for. */
export async function loadWarmedCode(): Promise<string | undefined> {
  return get<string>('warmedCode', settings());
}

export async function saveWarmedCode(key: string): Promise<void> {
  await set('warmedCode', key, settings());
}
