/**
 * The one model download in progress, whatever its kind (see lib/models/fetch-model): what it is,
 * how far it got, its rate, and why the last one failed. Starting a second while one runs is
 * refused. Where the data may cost the user (Data Saver, mobile data) it asks first. ModelsState decides what to fetch; this store only runs it.
 */
import type { ConnectionFacts } from '../../lib/models/data-cost';
import { describeDownloadError } from '../../lib/models/download-errors';
import { DownloadTitle, type DownloadEnd } from '../../lib/models/download-title';
import type { ModelFetch, ModelFetchProgress } from '../../lib/models/fetch-model';
import { readStorageInfo } from '../../lib/models/quota';
import { RateMeter } from '../../lib/models/rate';
import { whileScreenAwake } from '../../lib/models/screen-awake';
import type { StoredModel } from '../../lib/models/storage';
import { AskFirstState } from './ask-first.svelte';

export interface ActiveDownload extends ModelFetchProgress {
  /** What is being downloaded, for the user. */
  name: string;
  url: string;
  backend: StoredModel['backend'];
  bytesPerSecond: number | undefined;
  secondsLeft: number | undefined;
}

export interface DownloadOutcome {
  /** The failure, told elsewhere already (a lost engine says so app-wide): not shown here. */
  toldElsewhere?: (error: unknown) => boolean;
  /** The user chose not to download now, when asked about the data it costs (awaited). */
  declined?: () => void | Promise<void>;
  /** The size the catalog gives, for the question, where the fetch does not know it yet. */
  estimatedBytes?: number | undefined;
  /** The download's size, once known (at its start or from the server's answer): told once, and only once the user agreed, where asked. */
  sized?: (totalBytes: number) => void;
}

/** What the browser still allows us to store, for the "not enough space" sentence. */
async function roomLeft(): Promise<number | undefined> {
  const info = await readStorageInfo().catch(() => undefined);
  return info?.quotaBytes !== undefined && info.usageBytes !== undefined
    ? Math.max(0, info.quotaBytes - info.usageBytes)
    : undefined;
}

export class DownloadsState {
  #active = $state<ActiveDownload | undefined>(undefined);
  #error = $state<string | undefined>(undefined);
  #controller: AbortController | undefined;
  /** Asks before a download on Data Saver or mobile data; nothing is fetched until answered. */
  readonly askFirst: AskFirstState;
  /** The tab's title tells the download's progress, and how it ended while the page was hidden. */
  readonly #title: DownloadTitle;

  /** `connection`: what the browser says of the network; `title`: the tab's (a test gives its own of each). */
  constructor(connection?: () => ConnectionFacts | undefined, title = new DownloadTitle()) {
    this.askFirst = new AskFirstState(connection);
    this.#title = title;
  }

  get active(): ActiveDownload | undefined {
    return this.#active;
  }
  get error(): string | undefined {
    return this.#error;
  }
  /** Downloading, or waiting for the user's word on one. */
  get busy(): boolean {
    return this.#active !== undefined || this.askFirst.question !== undefined;
  }

  /** Shows why a download could not even start (a bad address, a model already stored). */
  async refuse(error: unknown): Promise<void> {
    this.#error = describeDownloadError(error, await roomLeft());
  }

  clearError(): void {
    this.#error = undefined;
  }

  /** Runs one fetch to its end; undefined when refused (one is running), cancelled or failed. */
  async run(fetch: ModelFetch, outcome: DownloadOutcome = {}): Promise<StoredModel | undefined> {
    if (this.busy) return undefined;
    this.#error = undefined;
    const { receivedBytes, totalBytes = outcome.estimatedBytes } = fetch.start;
    const agreed = this.askFirst.agreed(
      fetch.name,
      totalBytes === undefined ? undefined : Math.max(0, totalBytes - receivedBytes),
    );
    if (agreed !== true && !(await agreed)) {
      await outcome.declined?.();
      return undefined;
    }
    const controller = new AbortController();
    this.#controller = controller;
    let sizeTold = false;
    const tellSize = (bytes: number | undefined) => {
      if (sizeTold || bytes === undefined) return;
      sizeTold = true;
      outcome.sized?.(bytes);
    };
    tellSize(totalBytes);
    const meter = new RateMeter();
    this.#active = {
      ...fetch.start,
      name: fetch.name,
      url: fetch.url,
      backend: fetch.backend,
      bytesPerSecond: undefined,
      secondsLeft: undefined,
    };
    this.#title.progress(receivedBytes, totalBytes);
    let end: DownloadEnd = 'cancelled';
    try {
      // The screen stays on meanwhile: a phone that sleeps freezes the page and the download.
      const stored = await whileScreenAwake(() =>
        fetch.run(controller.signal, (progress) => {
          meter.add(progress.receivedBytes, performance.now());
          tellSize(progress.totalBytes);
          this.#title.progress(progress.receivedBytes, progress.totalBytes);
          if (!this.#active) return;
          Object.assign(this.#active, {
            ...progress,
            text: progress.text ?? this.#active.text,
            bytesPerSecond: meter.bytesPerSecond,
            secondsLeft: meter.secondsLeft(progress.totalBytes),
          });
        }),
      );
      end = 'stored';
      return stored;
    } catch (error) {
      if (!controller.signal.aborted) end = 'failed';
      if (!outcome.toldElsewhere?.(error)) this.#error = describeDownloadError(error, await roomLeft());
      return undefined;
    } finally {
      this.#active = undefined;
      this.#controller = undefined;
      this.#title.ended(end);
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }
}
