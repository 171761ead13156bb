/**
 * The documents library as the page sees it: the records the documents worker keeps, files being
 * added (with progress) and the refusals of files Nook cannot take, with why. Reading, cutting
 * and indexing happen in lib/documents (mostly in the worker); this store turns intents into state.
 */
import { IndexerError, type IndexerClient } from '../../lib/documents/indexer-client';
import { intakeRoad } from '../../lib/documents/intake';
import type { IndexingProgress } from '../../lib/documents/library';
import type { DocumentRecord } from '../../lib/documents/library-db';
import { extractFile } from '../../lib/summarize/extract';
import { SummarizeError } from '../../lib/summarize/errors';

export interface AddingFile {
  key: number;
  name: string;
  progress: IndexingProgress;
}

export interface Refusal {
  name: string;
  message: string;
}

export class LibraryState {
  #documents = $state.raw<DocumentRecord[]>([]);
  #ready = $state(false);
  #adding = $state.raw<AddingFile[]>([]);
  #refusals = $state.raw<Refusal[]>([]);
  #error = $state<string | undefined>(undefined);
  readonly #indexer: IndexerClient;
  /** Told of each document added (the library then gets vectors for it). */
  readonly #onAdded: () => void;
  #nextKey = 1;

  readonly totalBytes = $derived(this.#documents.reduce((sum, record) => sum + record.bytes, 0));

  constructor(indexer: IndexerClient, onAdded: () => void = () => undefined) {
    this.#indexer = indexer;
    this.#onAdded = onAdded;
  }

  get documents(): readonly DocumentRecord[] {
    return this.#documents;
  }
  get ready(): boolean {
    return this.#ready;
  }
  get adding(): readonly AddingFile[] {
    return this.#adding;
  }
  get refusals(): readonly Refusal[] {
    return this.#refusals;
  }
  get error(): string | undefined {
    return this.#error;
  }

  record(id: string): DocumentRecord | undefined {
    return this.#documents.find((record) => record.id === id);
  }

  async refresh(): Promise<void> {
    try {
      this.#documents = await this.#indexer.call('list', {});
      this.#error = undefined;
    } catch (error) {
      this.#error = `Your documents could not be read: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#ready = true;
    }
  }

  /**
   * Files picked, dropped, shared or opened with Nook: each is read, cut and indexed in turn;
   * refusals say why. Resolves with the documents now in the library for them (a file already
   * there counts as its record).
   */
  async addFiles(files: readonly File[]): Promise<DocumentRecord[]> {
    this.#refusals = [];
    const added: DocumentRecord[] = [];
    for (const file of files) {
      const record = await this.#addOne(file.name || 'Shared file', file);
      if (record) added.push(record);
    }
    return added;
  }

  async addText(text: string, name = 'Pasted text'): Promise<boolean> {
    this.#refusals = [];
    if (!/\S/.test(text)) {
      this.#refuse(name, 'There is no text to add. Paste some text first.');
      return false;
    }
    const stamp = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.now());
    const named = `${name} (${stamp})`;
    const record = await this.#index(named, (onProgress) =>
      this.#indexer.call('add-text', { document: { name: named, kind: 'text', text } }, onProgress),
    );
    return record !== undefined;
  }

  /** Removes the document with its passages and vectors; false (with the reason shown) if it failed. */
  async remove(id: string): Promise<boolean> {
    try {
      await this.#indexer.call('delete', { documentId: id });
      this.#documents = this.#documents.filter((record) => record.id !== id);
      return true;
    } catch (error) {
      this.#error = `The document could not be deleted: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    }
  }

  dismissRefusals(): void {
    this.#refusals = [];
  }

  async #addOne(name: string, file: File): Promise<DocumentRecord | undefined> {
    const road = await intakeRoad(file);
    if ('refused' in road) return void this.#refuse(name, road.refused);
    if (road.road === 'worker') {
      const { format } = road;
      return this.#index(name, (onProgress) => this.#indexer.call('add-file', { file, format }, onProgress));
    }
    return this.#index(name, async (onProgress) => {
      onProgress({ phase: 'reading' });
      const extracted = await extractFile(file);
      const document = {
        name,
        kind: extracted.kind,
        text: extracted.text,
        ...(extracted.pages ? { pages: extracted.pages } : {}),
      };
      return this.#indexer.call('add-text', { document }, onProgress);
    });
  }

  async #index(
    name: string,
    run: (onProgress: (progress: IndexingProgress) => void) => Promise<DocumentRecord>,
  ): Promise<DocumentRecord | undefined> {
    const key = this.#nextKey++;
    this.#adding = [...this.#adding, { key, name, progress: { phase: 'reading' } }];
    try {
      const record = await run((progress) => {
        this.#adding = this.#adding.map((entry) => (entry.key === key ? { ...entry, progress } : entry));
      });
      this.#documents = [record, ...this.#documents];
      this.#onAdded();
      return record;
    } catch (error) {
      this.#refuse(
        name,
        error instanceof SummarizeError || error instanceof IndexerError
          ? error.message
          : `“${name}” could not be added: ${error instanceof Error ? error.message : String(error)}`,
      );
      // Already in the library: that record stands for the file (a chat attaches it).
      if (error instanceof IndexerError && error.code === 'duplicate') {
        return this.#documents.find((record) => record.name === name);
      }
      return undefined;
    } finally {
      this.#adding = this.#adding.filter((entry) => entry.key !== key);
    }
  }

  #refuse(name: string, message: string): void {
    this.#refusals = [...this.#refusals, { name, message }];
  }
}
