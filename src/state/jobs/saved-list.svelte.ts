/**
 * What a job saved on this device (summaries, translations), newest first: listed at start and
 * after the browser cleared storage, added when one is made, deleted by the user. A record the
 * browser refused to store is still shown, with a sentence saying it was not kept.
 */
import type { SavedRecord, SavedRecords } from '../../lib/storage/saved-records';

/** How the list names its records in a sentence ("summary" / "summaries"). */
export interface RecordNames {
  one: string;
  many: string;
}

export class SavedListState<T extends SavedRecord> {
  #list = $state.raw<T[]>([]);
  readonly #records: SavedRecords<T>;
  readonly #names: RecordNames;
  readonly #fail: (message: string) => void;

  constructor(records: SavedRecords<T>, names: RecordNames, fail: (message: string) => void) {
    this.#records = records;
    this.#names = names;
    this.#fail = fail;
  }

  get list(): readonly T[] {
    return this.#list;
  }

  async refresh(): Promise<void> {
    try {
      this.#list = await this.#records.list();
    } catch (error) {
      this.#fail(`Saved ${this.#names.many} could not be read: ${messageOf(error)}`);
    }
  }

  async add(record: T): Promise<void> {
    this.#list = [record, ...this.#list];
    try {
      await this.#records.save(record);
    } catch (error) {
      this.#fail(`The ${this.#names.one} could not be saved: ${messageOf(error)}`);
    }
  }

  async remove(id: string): Promise<void> {
    await this.#records.remove(id);
    this.#list = this.#list.filter((record) => record.id !== id);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
