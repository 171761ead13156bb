/** The translations saved on this device (lib/translate/history), newest first. */
import {
  deleteTranslation,
  listTranslations,
  saveTranslation,
  type TranslationRecord,
} from '../../lib/translate/history';

export class TranslationHistoryState {
  #list = $state.raw<TranslationRecord[]>([]);
  readonly #fail: (message: string) => void;

  constructor(fail: (message: string) => void) {
    this.#fail = fail;
  }

  get list(): readonly TranslationRecord[] {
    return this.#list;
  }

  async refresh(): Promise<void> {
    try {
      this.#list = await listTranslations();
    } catch (error) {
      this.#fail(`Saved translations could not be read: ${messageOf(error)}`);
    }
  }

  /** Shown at once; a record the browser refused to store is still shown, with a sentence. */
  async add(record: TranslationRecord): Promise<void> {
    this.#list = [record, ...this.#list];
    try {
      await saveTranslation(record);
    } catch (error) {
      this.#fail(`The translation could not be saved: ${messageOf(error)}`);
    }
  }

  async remove(id: string): Promise<void> {
    await deleteTranslation(id);
    this.#list = this.#list.filter((record) => record.id !== id);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
