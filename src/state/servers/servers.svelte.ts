/**
 * The user's model servers: adding one (Connect lists its models and their windows), removing
 * one, a window the user sets, and the engine for one server model. Nothing here sends a request
 * on its own: the list is read from this device at start-up, and a server is only asked when the
 * user presses Connect or Refresh, or sends with one of its models. The HTTP code and its parser
 * are imported on first use, outside the first-paint bundle.
 */
import type { ServerModelRef } from '../../lib/chat/conversation';
import type { Engine, ModelAbilities } from '../../lib/engine/types';
import { checkServerAddress } from '../../lib/servers/address';
import {
  deleteServer,
  listServers,
  saveServer,
  SERVER_RECORD_VERSION,
  type StoredServer,
} from '../../lib/servers/storage';

/** What a server model is taken to hold when neither the server nor the user says. */
export const ASSUMED_SERVER_CONTEXT = 4096;

/** One server model as the chat and jobs use it. */
export interface ServerModelChoice extends ServerModelRef {
  host: string;
  /** The window used for fitting prompts: the user's, else the server's, else assumed. */
  contextLength: number;
  /** Neither the server nor the user said: {@link ASSUMED_SERVER_CONTEXT}. */
  contextAssumed: boolean;
  /** What the server said the model can do (its chat template, Ollama's capabilities). */
  abilities?: ModelAbilities;
}

type ServerModule = typeof import('../../lib/servers/server-engine');
type ClientModule = typeof import('../../lib/servers/client');

export class ServersState {
  #servers = $state.raw<StoredServer[]>([]);
  #busy = $state<string | undefined>(undefined);
  #error = $state<string | undefined>(undefined);
  #engineModule: Promise<ServerModule> | undefined;
  #clientModule: Promise<ClientModule> | undefined;

  get servers(): readonly StoredServer[] {
    return this.#servers;
  }
  /** 'connect' or the id of the server being refreshed. */
  get busy(): string | undefined {
    return this.#busy;
  }
  get error(): string | undefined {
    return this.#error;
  }

  async start(): Promise<void> {
    try {
      this.#servers = await listServers();
    } catch (error) {
      this.#error = `Could not read your model servers: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Checks the address, asks the server for its models, and keeps it on this device. */
  async connect(address: string, apiKey: string): Promise<boolean> {
    this.#error = undefined;
    const checked = checkServerAddress(address);
    if (!checked.ok) {
      this.#error = checked.reason;
      return false;
    }
    const endpoint = { apiBase: checked.apiBase, root: checked.root, host: checked.host };
    const key = apiKey.trim();
    if (this.#servers.some((server) => server.apiBase === endpoint.apiBase)) {
      this.#error = `${endpoint.host} is already connected. Remove it first to connect it again with another key.`;
      return false;
    }
    this.#busy = 'connect';
    try {
      const { listServerModels } = await this.#client();
      const models = await listServerModels(key ? { ...endpoint, apiKey: key } : endpoint);
      if (models.length === 0) {
        this.#error = `${endpoint.host} answered, but lists no models. Load a model on the server, then connect again.`;
        return false;
      }
      const server: StoredServer = {
        schemaVersion: SERVER_RECORD_VERSION,
        id: crypto.randomUUID(),
        ...endpoint,
        ...(key ? { apiKey: key } : {}),
        models,
        addedAt: Date.now(),
      };
      await saveServer(server);
      this.#servers = [...this.#servers, server];
      return true;
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
      return false;
    } finally {
      this.#busy = undefined;
    }
  }

  /** Asks a connected server for its models again (user-set windows are kept). */
  async refresh(serverId: string): Promise<void> {
    const server = this.#find(serverId);
    if (!server) return;
    this.#error = undefined;
    this.#busy = serverId;
    try {
      const { listServerModels } = await this.#client();
      const listed = await listServerModels(server);
      const models = listed.map((model) => {
        const user = server.models.find((m) => m.id === model.id)?.userContextLength;
        return user ? { ...model, userContextLength: user } : model;
      });
      await this.#replace({ ...server, models });
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#busy = undefined;
    }
  }

  async remove(serverId: string): Promise<void> {
    await deleteServer(serverId);
    this.#servers = this.#servers.filter((server) => server.id !== serverId);
  }

  /** The user's window for a model; undefined goes back to what the server says. */
  async setContextLength(serverId: string, modelId: string, tokens: number | undefined): Promise<void> {
    const server = this.#find(serverId);
    if (!server) return;
    const models = server.models.map((model) => {
      if (model.id !== modelId) return model;
      const rest = { ...model };
      delete rest.userContextLength;
      return tokens ? { ...rest, userContextLength: tokens } : rest;
    });
    await this.#replace({ ...server, models });
  }

  /** A conversation's or a reply's server model, as the chat uses it; undefined once removed. */
  choice(ref: ServerModelRef | undefined): ServerModelChoice | undefined {
    if (!ref) return undefined;
    const server = this.#find(ref.serverId);
    const model = server?.models.find((m) => m.id === ref.modelId);
    if (!server || !model) return undefined;
    const known = model.userContextLength ?? model.contextLength;
    return {
      ...ref,
      host: server.host,
      contextLength: known ?? ASSUMED_SERVER_CONTEXT,
      contextAssumed: known === undefined,
      ...(model.abilities ? { abilities: model.abilities } : {}),
    };
  }

  /** Every model of every server, for pickers. */
  get choices(): ServerModelChoice[] {
    return this.#servers.flatMap((server) =>
      server.models.flatMap((model) => this.choice({ serverId: server.id, modelId: model.id }) ?? []),
    );
  }

  /** The engine that streams from one server model (its code is loaded on first use). */
  async engineFor(ref: ServerModelRef): Promise<Pick<Engine, 'chat'>> {
    const server = this.#find(ref.serverId);
    if (!server) throw new Error('This model server was removed. Pick another model.');
    const module = await (this.#engineModule ??= import('../../lib/servers/server-engine').catch((error: unknown) => {
      this.#engineModule = undefined; // a failed import is tried again next time
      throw error;
    }));
    const abilities = this.choice(ref)?.abilities;
    return new module.ServerEngine(server, ref.modelId, abilities ? { abilities } : {});
  }

  #client(): Promise<ClientModule> {
    return (this.#clientModule ??= import('../../lib/servers/client').catch((error: unknown) => {
      this.#clientModule = undefined;
      throw error;
    }));
  }

  #find(serverId: string): StoredServer | undefined {
    return this.#servers.find((server) => server.id === serverId);
  }

  async #replace(server: StoredServer): Promise<void> {
    await saveServer(server);
    this.#servers = this.#servers.map((s) => (s.id === server.id ? server : s));
  }
}
