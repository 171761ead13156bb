/**
 * The remembered facts, for every conversation of this tab: the list (newest first), whether
 * memory is on, and the intents that change them — remember, edit, forget, turn off. Replies ask
 * `withFacts` which facts go with a message. The facts, their checks and the ranking
 * (lib/memory/use) load after start-up, never in the first paint; other tabs hear every change
 * over a BroadcastChannel and read the list again.
 */
import type { ChatMessage } from '../../lib/engine/types';
import type { Memory, RememberedFact } from '../../lib/memory/memory';

type Use = typeof import('../../lib/memory/use');
type Records = ReturnType<Use['memoryRecords']>;
type Outcome = { ok: true; id?: string } | { ok: false; reason: string };

/** Memory is on unless the user turned it off on this device. */
const OFF_KEY = 'nook-memory-off';

export class MemoryState {
  #memories = $state.raw<Memory[]>([]);
  #enabled = $state(true);
  #error = $state<string | undefined>(undefined);
  #loaded: { use: Use; records: Records } | undefined;
  #loading: Promise<{ use: Use; records: Records }> | undefined;
  #channel: BroadcastChannel | undefined;

  constructor() {
    this.#enabled = globalThis.localStorage?.getItem(OFF_KEY) !== '1';
  }

  /** Newest first. */
  get list(): readonly Memory[] {
    return this.#memories;
  }
  get enabled(): boolean {
    return this.#enabled;
  }
  /** The last change that could not be stored, said plainly. */
  get error(): string | undefined {
    return this.#error;
  }
  /** The facts are read (or memory is off): `withFacts` answers without waiting. */
  get isReady(): boolean {
    return this.#loaded !== undefined || !this.#enabled;
  }

  /** Reads the facts (once; a failed read is tried again by the next call). */
  load(): Promise<{ use: Use; records: Records }> {
    return (this.#loading ??= (async () => {
      const use = await import('../../lib/memory/use');
      const loaded = { use, records: use.memoryRecords() };
      this.#memories = await loaded.records.list();
      this.#loaded = loaded;
      if (typeof BroadcastChannel === 'function' && !this.#channel) {
        this.#channel = new BroadcastChannel(use.MEMORY_CHANNEL);
        this.#channel.onmessage = () => void this.#reread();
      }
      return loaded;
    })().catch((error: unknown) => {
      this.#loading = undefined;
      throw error;
    }));
  }

  /** Resolves once the facts are read; never rejects. */
  async ready(): Promise<void> {
    if (!this.isReady) await this.load().catch(() => undefined);
  }

  setEnabled(on: boolean): void {
    this.#enabled = on;
    if (on) localStorage.removeItem(OFF_KEY);
    else localStorage.setItem(OFF_KEY, '1');
  }

  /**
   * The turns to send with the facts for the last one (the user's message) in it, within the
   * window's memory budget; unchanged while memory is off or not read yet (`ready` first).
   */
  withFacts(turns: ChatMessage[], contextLength: number): { turns: ChatMessage[]; facts: RememberedFact[] } {
    if (!this.#enabled || !this.#loaded) return { turns, facts: [] };
    return this.#loaded.use.withFacts(this.#memories, turns, contextLength);
  }

  /** Stores a fact the user chose to keep; the reason when it is refused. */
  async remember(text: string, from?: Memory['from']): Promise<Outcome> {
    const { use, records } = await this.load();
    const made = use.newMemory(text, from);
    if (!made.ok) return made;
    if (!(await this.#write(() => records.save(made.memory)))) return this.#refused();
    this.#memories = [made.memory, ...this.#memories];
    return { ok: true, id: made.memory.id };
  }

  /** Changes a fact's text; the reason when the new text is refused (the old one stays). */
  async edit(id: string, text: string): Promise<Outcome> {
    const { use, records } = await this.load();
    const checked = use.checkMemoryText(text);
    if (!checked.ok) return checked;
    const memory = this.#memories.find((m) => m.id === id);
    if (!memory) return { ok: false, reason: 'That memory is gone.' };
    const changed = { ...memory, text: checked.text, updatedAt: Date.now() };
    if (!(await this.#write(() => records.save(changed)))) return this.#refused();
    this.#memories = this.#memories.map((m) => (m.id === id ? changed : m));
    return { ok: true };
  }

  async forget(id: string): Promise<void> {
    const { records } = await this.load();
    if (await this.#write(() => records.remove(id))) this.#memories = this.#memories.filter((m) => m.id !== id);
  }

  /** Runs a write; says so (and false) when storage refused it. Tells the other tabs. */
  async #write(write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      this.#error = undefined;
      this.#channel?.postMessage('changed');
      return true;
    } catch (error) {
      this.#error = `The memory could not be stored: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    }
  }

  #refused(): Outcome {
    return { ok: false, reason: this.#error ?? 'The memory could not be stored.' };
  }

  async #reread(): Promise<void> {
    if (this.#loaded) this.#memories = await this.#loaded.records.list();
  }
}
