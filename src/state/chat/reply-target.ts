/**
 * Who writes the next reply in a conversation: the local model, or the server model the
 * conversation (or this one reply) runs on. Resolved fresh for every reply, never stored.
 */
import type { Conversation, SentTo, ServerModelRef } from '../../lib/chat/conversation';
import type { ReplyModel } from '../../lib/chat/prompt';
import type { Engine, LoadedModelInfo } from '../../lib/engine/types';
import type { EngineState } from '../engine/engine.svelte';
import type { ServersState } from '../servers/servers.svelte';

export interface ReplyTarget {
  model: ReplyModel;
  /** Set for a server model: where the prompt goes. */
  sentTo?: SentTo;
  author?: Pick<LoadedModelInfo, 'name' | 'backend' | 'device'>;
  modelId?: string;
  /** The engine itself when it is at hand (the local one), so a reply can start without waiting. */
  engine: () => Pick<Engine, 'chat'> | Promise<Pick<Engine, 'chat'>>;
}

/** The conversation's server model if it picked one, else the loaded local model. */
export function replyTarget(
  conversation: Conversation | undefined,
  engine: EngineState,
  servers: ServersState | undefined,
): ReplyTarget | undefined {
  if (conversation?.server) return serverTarget(conversation.server, servers);
  const model = engine.loaded;
  if (!model) return undefined;
  return {
    model,
    author: { name: model.name, backend: model.backend, device: model.device },
    modelId: model.modelId,
    engine: () => engine,
  };
}

export function serverTarget(ref: ServerModelRef, servers: ServersState | undefined): ReplyTarget | undefined {
  const choice = servers?.choice(ref);
  if (!servers || !choice) return undefined;
  return {
    model: {
      name: `${choice.modelId} on ${choice.host}`,
      contextLength: choice.contextLength,
      ...(choice.abilities ? { abilities: choice.abilities } : {}),
    },
    sentTo: { host: choice.host, model: choice.modelId },
    engine: () => servers.engineFor(ref),
  };
}

/** What calibrates token estimates for the target (one estimator per model, local or server). */
export const calibrationId = (target: ReplyTarget): string =>
  target.modelId ?? `server:${target.sentTo?.host ?? ''}/${target.sentTo?.model ?? ''}`;
