import { describe, expect, it } from 'vitest';
import { BackendRouter, type BackendEngine } from './backend-router';
import type { BackendKind, ModelSource } from './types';

/** A FAKE engine (no worker, no model) that records what the router asked of it. */
class FakeEngine implements BackendEngine {
  calls: string[] = [];
  disposed = false;
  constructor(readonly backend: BackendKind) {}
  async load(source: ModelSource) {
    this.calls.push(`load ${source.id}`);
    return {
      modelId: source.id,
      backend: this.backend,
      device: 'cpu' as const,
      threads: 1,
      contextLength: 256,
      loadLog: [],
    };
  }
  async chat() {
    this.calls.push('chat');
    return {
      promptTokens: 1,
      completionTokens: 1,
      timeToFirstTokenMs: 0,
      tokensPerSecond: 0,
      finishReason: 'stop' as const,
    };
  }
  async unload() {
    this.calls.push('unload');
  }
  dispose() {
    this.disposed = true;
  }
  async deleteCached(source: ModelSource) {
    this.calls.push(`delete ${source.id}`);
  }
}

const gguf: ModelSource = { backend: 'wllama', id: 'g' };
const mlc: ModelSource = {
  backend: 'web-llm',
  id: 'm',
  name: 'M',
  modelUrl: 'https://h/m',
  modelLibUrl: 'https://h/m.wasm',
};
const request = { messages: [], settings: { temperature: 0, topP: 1, maxTokens: 1 } };

function makeRouter() {
  const made: FakeEngine[] = [];
  const router = new BackendRouter({
    wllama: () => (made.push(new FakeEngine('wllama')), made.at(-1)!),
    'web-llm': () => (made.push(new FakeEngine('web-llm')), made.at(-1)!),
  });
  return { router, made };
}

describe('BackendRouter', () => {
  it('loads on the backend the model source names, and chats with the one loaded last', async () => {
    const { router, made } = makeRouter();
    await expect(router.chat(request, { onToken() {} })).rejects.toMatchObject({ code: 'not-loaded' });
    await router.load(gguf, {}, () => {});
    await router.chat(request, { onToken() {} });
    expect(made.map((e) => [e.backend, e.calls])).toEqual([['wllama', ['load g', 'chat']]]);
  });

  it('disposes the previous backend when a model of the other backend loads', async () => {
    const { router, made } = makeRouter();
    await router.load(gguf, {}, () => {});
    await router.load(mlc, {}, () => {});
    await router.chat(request, { onToken() {} });
    expect(made[0]!.disposed).toBe(true);
    expect(made[1]!.calls).toEqual(['load m', 'chat']);
  });

  it('sends cache queries to the backend of the source without changing the loaded model', async () => {
    const { router, made } = makeRouter();
    await router.load(gguf, {}, () => {});
    await router.deleteCached(mlc);
    await router.chat(request, { onToken() {} });
    expect(made[0]!.calls).toEqual(['load g', 'chat']);
    expect(made[1]!.calls).toEqual(['delete m']);
    expect(made[0]!.disposed).toBe(false);
  });
});
