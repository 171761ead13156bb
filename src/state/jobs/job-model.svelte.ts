/**
 * Which model a job view (Translate; Summarize has the same choice) runs on: the model loaded on
 * this device by default, or a server model the user picked in the view's "Model" picker
 * (ui/models/JobModelPicker). The pick is a reference into ServersState, so a removed server
 * falls back to the local model by itself. It resolves to one engine to call and its window.
 */
import type { ServerModelRef } from '../../lib/chat/conversation';
import type { Engine } from '../../lib/engine/types';
import type { EngineState } from '../engine/engine.svelte';
import type { ServerModelChoice, ServersState } from '../servers/servers.svelte';

/** The model a run uses, resolved. */
export interface JobEngine {
  /** Per model, for keeping a token estimate's calibration. */
  modelId: string;
  name: string;
  contextLength: number;
  engine: Pick<Engine, 'chat'>;
  where: 'local' | 'server';
}

export class JobModelState {
  #server = $state.raw<ServerModelRef | undefined>(undefined);
  readonly #engine: EngineState;
  readonly #servers: ServersState | undefined;
  readonly #locked: () => boolean;

  /** `locked`: while it says true (a run is going), the pick does not change. */
  constructor(engine: EngineState, servers: ServersState | undefined, locked: () => boolean) {
    this.#engine = engine;
    this.#servers = servers;
    this.#locked = locked;
  }

  /** The server model picked, if any (and still connected). */
  get server(): ServerModelChoice | undefined {
    return this.#servers?.choice(this.#server);
  }

  /** Whether a model can run the job: a picked server model, or one loaded on this device. */
  get available(): boolean {
    return this.server !== undefined || this.#engine.loaded !== undefined;
  }

  /** From now on the job goes to this server model; undefined: back to the local model. */
  useServer(ref: ServerModelRef | undefined): void {
    if (this.#locked()) return;
    this.#server = ref && { serverId: ref.serverId, modelId: ref.modelId };
  }

  /** The picked server model's engine, else the loaded local model; undefined when neither. */
  async resolve(): Promise<JobEngine | undefined> {
    const server = this.server;
    if (server && this.#servers) {
      return {
        modelId: `server:${server.serverId}/${server.modelId}`,
        name: `${server.modelId} on ${server.host}`,
        contextLength: server.contextLength,
        engine: await this.#servers.engineFor(server),
        where: 'server',
      };
    }
    const local = this.#engine.loaded;
    if (!local) return undefined;
    return {
      modelId: local.modelId,
      name: local.name ?? local.modelId,
      contextLength: local.contextLength,
      engine: this.#engine,
      where: 'local',
    };
  }
}
