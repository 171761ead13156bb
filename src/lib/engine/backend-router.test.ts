import { describe, expect, it } from 'vitest';
import { BackendRouter } from './backend-router';
import { FakeEngine } from './testing/fake-engine';
import type { ModelSource } from './types';

const gguf: ModelSource = { backend: 'wllama', id: 'g' };
const mlc: ModelSource = {
  backend: 'web-llm',
  id: 'm',
  name: 'M',
  modelUrl: 'https://h/m',
  modelLibUrl: 'https://h/m.wasm',
};
const request = {
  messages: [{ role: 'user' as const, content: 'hi' }],
  settings: { temperature: 0, topP: 1, maxTokens: 1 },
};

function makeRouter() {
  const made: { backend: string; engine: FakeEngine }[] = [];
  const make = (backend: string) => {
    const engine = new FakeEngine();
    made.push({ backend, engine });
    return engine;
  };
  const router = new BackendRouter({ wllama: () => make('wllama'), 'web-llm': () => make('web-llm') });
  return { router, made };
}

describe('BackendRouter', () => {
  it('loads on the backend the model source names, and chats with the one loaded last', async () => {
    const { router, made } = makeRouter();
    await expect(router.chat(request, { onToken() {} })).rejects.toMatchObject({ code: 'not-loaded' });
    await router.load(gguf, {}, () => {});
    await router.chat(request, { onToken() {} });
    expect(made.map((e) => [e.backend, e.engine.log])).toEqual([['wllama', ['load g', 'chat']]]);
  });

  it('disposes the previous backend when a model of the other backend loads', async () => {
    const { router, made } = makeRouter();
    await router.load(gguf, {}, () => {});
    await router.load(mlc, {}, () => {});
    await router.chat(request, { onToken() {} });
    expect(made[0]!.engine.disposed).toBe(true);
    expect(made[1]!.engine.log).toEqual(['load m', 'chat']);
  });

  it('sends cache queries to the backend of the source without changing the loaded model', async () => {
    const { router, made } = makeRouter();
    await router.load(gguf, {}, () => {});
    await router.deleteCached(mlc);
    await router.chat(request, { onToken() {} });
    expect(made[0]!.engine.log).toEqual(['load g', 'chat']);
    expect(made[1]!.engine.log).toEqual(['delete m']);
    expect(made[0]!.engine.disposed).toBe(false);
  });
});
