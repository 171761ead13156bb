/**
 * Nook open in several tabs: one runs the model (lib/tabs/engine-lock), the others say so and
 * can take over. A tab whose engine is taken frees its model at once and hands the model's id to
 * the new owner, which loads it, so "Use here" brings the same model over.
 */
import { EngineLock, type EngineOwner, type OwnerChange } from '../../lib/tabs/engine-lock';
import type { EngineState } from '../engine/engine.svelte';
import type { ModelsState } from '../models/models.svelte';

type TabMessage = { kind: 'handover'; modelId: string | undefined };

const HANDOVER_MS = 5000;

export class TabsState {
  owner = $state<EngineOwner | undefined>(undefined);
  /** This tab ran the model until another tab took it over. */
  takenOver = $state(false);
  readonly #engine: EngineState;
  readonly #models: ModelsState;
  #lock: EngineLock | undefined;
  #channel: BroadcastChannel | undefined;
  /** The model the previous owner handed over; it may arrive just before the lock does. */
  #handedOver: { modelId: string; at: number } | undefined;

  constructor(engine: EngineState, models: ModelsState) {
    this.#engine = engine;
    this.#models = models;
  }

  /** Joins the tabs; returns a cleanup. Without Web Locks (old browsers) every tab runs its own. */
  start(): () => void {
    const locks = (navigator as Partial<Pick<Navigator, 'locks'>>).locks;
    if (!locks || typeof BroadcastChannel !== 'function') return () => undefined;
    const channel = new BroadcastChannel('nook-tabs');
    channel.addEventListener('message', (event: MessageEvent<TabMessage>) => this.#onMessage(event.data));
    this.#channel = channel;
    const lock = new EngineLock(locks, (change) => this.#onChange(change));
    this.#lock = lock;
    void lock.start();
    return () => {
      lock.stop();
      channel.close();
    };
  }

  /** "Use here": this tab takes the model over from the tab running it. */
  async useHere(): Promise<void> {
    await this.#lock?.takeOver();
  }

  #onChange({ owner, reason }: OwnerChange): void {
    this.owner = owner;
    this.#engine.setRunsElsewhere(owner === 'elsewhere');
    if (owner === 'here') {
      this.takenOver = false;
      this.#loadHandedOver();
      return;
    }
    if (reason !== 'taken-over') return;
    this.takenOver = true;
    const modelId = this.#engine.loaded?.modelId ?? this.#engine.loading?.modelId;
    this.#engine.release();
    this.#channel?.postMessage({ kind: 'handover', modelId } satisfies TabMessage);
  }

  #onMessage(message: TabMessage): void {
    if (message.kind !== 'handover' || !message.modelId) return;
    this.#handedOver = { modelId: message.modelId, at: Date.now() };
    if (this.owner === 'here') this.#loadHandedOver();
  }

  #loadHandedOver(): void {
    const handover = this.#handedOver;
    this.#handedOver = undefined;
    // Only a hand-over to this tab's "Use here": not one seen long ago, meant for another tab.
    if (!handover || Date.now() - handover.at > HANDOVER_MS || this.#engine.loaded || this.#engine.loading) return;
    const model = this.#models.models.find((m) => m.id === handover.modelId);
    if (model) void this.#engine.load(model);
  }
}
