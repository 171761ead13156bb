/**
 * The summaries saved on this device (lib/summarize/history), newest first: listed at start and
 * after the browser cleared storage, added when a summary is made, deleted by the user.
 */
import { deleteSummary, listSummaries, saveSummary, type SummaryRecord } from '../../lib/summarize/history';
import type { StatusLineState } from '../shell/status-line.svelte';

export class SummaryHistoryState {
  #list = $state.raw<SummaryRecord[]>([]);
  readonly #status: StatusLineState;

  constructor(status: StatusLineState) {
    this.#status = status;
  }

  get list(): SummaryRecord[] {
    return this.#list;
  }

  async refresh(): Promise<void> {
    try {
      this.#list = await listSummaries();
    } catch (error) {
      this.#status.fail(`Saved summaries could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Lists the summary at once and stores it. */
  async add(record: SummaryRecord): Promise<void> {
    this.#list = [record, ...this.#list];
    await saveSummary(record);
  }

  async remove(id: string): Promise<void> {
    await deleteSummary(id);
    this.#list = this.#list.filter((record) => record.id !== id);
  }
}
