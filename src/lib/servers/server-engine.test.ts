// The server backend against a real HTTP server on loopback (node:http), which streams what real
// servers stream: keep-alive comments, events split across network chunks, usage last, [DONE].
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkServerAddress } from './address';
import { listServerModels, type ServerEndpoint } from './client';
import { ServerError } from './errors';
import { ServerEngine } from './server-engine';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler;
let server: Server;
let endpoint: ServerEndpoint;
const requests: { path: string; body: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body, auth: req.headers.authorization });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = checkServerAddress(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  if (!address.ok) throw new Error(address.reason);
  endpoint = { ...address };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
});

const chunk = (content: string | undefined, finish: string | null = null) =>
  JSON.stringify({ choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }] });

/** Writes each event in two pieces, split inside its JSON. */
function stream(res: ServerResponse, events: string[], { end = true } = {}) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.write(': keep-alive\n\n');
  for (const data of events) {
    const text = `data: ${data}\n\n`;
    res.write(text.slice(0, 7));
    res.write(text.slice(7));
  }
  if (end) res.end();
}

const settings = { temperature: 0, topP: 0.9, maxTokens: 32 };
const ask = (engine: ServerEngine, signal?: AbortSignal) => {
  let text = '';
  const done = engine.chat(
    { messages: [{ role: 'user', content: 'Hi' }], settings },
    { onToken: (t) => (text += t) },
    signal,
  );
  return { done, text: () => text };
};

describe('ServerEngine', () => {
  it('streams the reply, passes the settings through and takes usage from the last chunk', async () => {
    handler = (_req, res) =>
      stream(res, [
        chunk('Hello'),
        chunk(','),
        chunk(' world'),
        chunk(undefined, 'stop'),
        JSON.stringify({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } }),
        '[DONE]',
      ]);
    const reply = ask(new ServerEngine({ ...endpoint, apiKey: 'secret-key' }, 'big-model'));
    const stats = await reply.done;
    expect(reply.text()).toBe('Hello, world');
    expect(stats).toMatchObject({ promptTokens: 7, completionTokens: 3, finishReason: 'stop' });
    const sent = JSON.parse(requests[0]!.body) as Record<string, unknown>;
    expect(requests[0]!.path).toBe('/v1/chat/completions');
    expect(requests[0]!.auth).toBe('Bearer secret-key');
    expect(sent).toMatchObject({
      model: 'big-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0,
      top_p: 0.9,
      max_tokens: 32,
    });
  });

  it("keeps llama-server's reasoning_content and Ollama's reasoning apart from the answer", async () => {
    const delta = (d: Record<string, string>) => JSON.stringify({ choices: [{ index: 0, delta: d }] });
    for (const field of ['reasoning_content', 'reasoning']) {
      handler = (_req, res) =>
        stream(res, [
          delta({ [field]: 'The user says hi.' }),
          delta({ [field]: ' Greet back.' }),
          chunk('Hello!'),
          chunk(undefined, 'stop'),
          JSON.stringify({
            choices: [],
            usage: { prompt_tokens: 5, completion_tokens: 9, completion_tokens_details: { reasoning_tokens: 8 } },
          }),
          '[DONE]',
        ]);
      let thinking = '';
      let answer = '';
      const stats = await new ServerEngine(endpoint, 'm').chat(
        { messages: [{ role: 'user', content: 'Hi' }], settings },
        { onToken: (t) => (answer += t), onThinking: (t) => (thinking += t) },
      );
      expect({ thinking, answer }).toEqual({ thinking: 'The user says hi. Greet back.', answer: 'Hello!' });
      expect(stats).toMatchObject({ completionTokens: 9, thinkingTokens: 8 });
    }
  });

  it('asks the server not to think only when the conversation turned thinking off', async () => {
    handler = (_req, res) => stream(res, [chunk('ok'), chunk(undefined, 'stop'), '[DONE]']);
    const engine = new ServerEngine(endpoint, 'm');
    const send = (extra: Record<string, unknown>) =>
      engine.chat(
        { messages: [{ role: 'user', content: 'Hi' }], settings: { ...settings, ...extra } },
        { onToken() {} },
      );
    await send({});
    await send({ think: false });
    const ollama = new ServerEngine(endpoint, 'qwen3', {
      abilities: { thinking: 'switchable', thinkingSwitch: 'reasoning_effort' },
    });
    await ollama.chat(
      { messages: [{ role: 'user', content: 'Hi' }], settings: { ...settings, think: false } },
      { onToken() {} },
    );
    const [plain, off, ollamaOff] = requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(plain).not.toHaveProperty('chat_template_kwargs');
    expect(plain).not.toHaveProperty('reasoning_effort');
    expect(off).toMatchObject({ chat_template_kwargs: { enable_thinking: false } });
    expect(ollamaOff).toMatchObject({ reasoning_effort: 'none' });
    expect(ollamaOff).not.toHaveProperty('chat_template_kwargs');
  });

  it('sends tools and a JSON schema the way OpenAI-compatible servers read them', async () => {
    handler = (_req, res) => stream(res, [chunk('{}'), chunk(undefined, 'stop'), '[DONE]']);
    const tool = {
      type: 'function' as const,
      function: { name: 'calculator', description: 'Sums.', parameters: { type: 'object' as const, properties: {} } },
    };
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };
    await new ServerEngine(endpoint, 'm').chat(
      { messages: [{ role: 'user', content: 'Hi' }], settings, tools: [tool], format: { name: 'title', schema } },
      { onToken() {} },
    );
    expect(JSON.parse(requests[0]!.body)).toMatchObject({
      tools: [tool],
      tool_choice: 'auto',
      response_format: { type: 'json_schema', json_schema: { name: 'title', schema, strict: true } },
    });
  });

  it('counts the pieces itself when the server sends no usage, and reports a token limit', async () => {
    handler = (_req, res) => stream(res, [chunk('a'), chunk('b'), chunk(undefined, 'length'), '[DONE]']);
    const stats = await ask(new ServerEngine(endpoint, 'm')).done;
    expect(stats).toMatchObject({ completionTokens: 2, promptTokens: 0, finishReason: 'length' });
  });

  it('keeps the partial reply and says the stream was cut off when the connection drops', async () => {
    handler = (_req, res) => {
      stream(res, [chunk('Half'), chunk(' a reply')], { end: false });
      setTimeout(() => res.destroy(), 20);
    };
    const reply = ask(new ServerEngine(endpoint, 'm'));
    await expect(reply.done).rejects.toMatchObject({ failure: 'cut-off' });
    expect(reply.text()).toBe('Half a reply');
  });

  it('says the stream was cut off when it ends without [DONE] or a finish reason', async () => {
    handler = (_req, res) => stream(res, [chunk('Half')]);
    await expect(ask(new ServerEngine(endpoint, 'm')).done).rejects.toMatchObject({ failure: 'cut-off' });
  });

  it('stops when the signal aborts, keeping what came', async () => {
    handler = (_req, res) => stream(res, [chunk('One')], { end: false });
    const controller = new AbortController();
    const engine = new ServerEngine(endpoint, 'm');
    const reply = ask(engine, controller.signal);
    await expect.poll(() => reply.text()).toBe('One');
    controller.abort();
    await expect(reply.done).resolves.toMatchObject({ finishReason: 'aborted', completionTokens: 1 });
  });

  it.each([
    [401, 'unauthorized', /API key is missing or wrong/],
    [403, 'unauthorized', /API key/],
    [404, 'not-found', /does not know the model “m”/],
    [429, 'rate-limited', /asks to wait/],
    [500, 'server-error', /server error \(500\).*“boom”/],
    [503, 'server-error', /503/],
    [400, 'bad-request', /refused the request \(400\)/],
  ])('turns %i into a sentence (%s)', async (status, failure, sentence) => {
    handler = (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'boom' } }));
    };
    const error = await ask(new ServerEngine(endpoint, 'm')).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ failure, status });
    expect((error as Error).message).toMatch(sentence);
  });

  it('refuses an answer that is not an event stream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>login page</html>');
    };
    const error = await ask(new ServerEngine(endpoint, 'm')).done.catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'not-event-stream' });
    expect((error as Error).message).toContain('text/html');
  });

  it('refuses an event that is not JSON', async () => {
    handler = (_req, res) => stream(res, ['<oops>']);
    await expect(ask(new ServerEngine(endpoint, 'm')).done).rejects.toMatchObject({ failure: 'not-event-stream' });
  });

  it('says a server that does not answer is unreachable, and offline when the browser is', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const address = checkServerAddress(`http://127.0.0.1:${port}`);
    if (!address.ok) throw new Error(address.reason);
    const down = await ask(new ServerEngine(address, 'm')).done.catch((e: unknown) => e);
    expect(down).toMatchObject({ failure: 'unreachable', code: 'host-unreachable' });
    expect((down as Error).message).toContain(`127.0.0.1:${port} does not answer`);
    // A cross-origin isolated page cannot tell down from refused: the sentence names both, with the fix.
    vi.stubGlobal('crossOriginIsolated', true);
    try {
      const isolated = await ask(new ServerEngine(address, 'm', { origin: 'https://nook.example' })).done.catch(
        (e: unknown) => e,
      );
      expect((isolated as Error).message).toMatch(
        /does not answer this page.*not running.*CORS.*OLLAMA_ORIGINS=https:\/\/nook\.example/,
      );
    } finally {
      vi.unstubAllGlobals();
    }
    const offline = await ask(new ServerEngine(address, 'm', { isOnline: () => false })).done.catch((e: unknown) => e);
    expect(offline).toMatchObject({ failure: 'offline' });
  });

  it('tells a CORS refusal from an unreachable host by whether an opaque request gets an answer', async () => {
    // In Node nothing enforces CORS: a fetch named as a stand-in for the browser's refusal.
    const corsRefusingFetch = (_url: string, init?: RequestInit) =>
      init?.mode === 'no-cors' ? Promise.resolve(new Response(null)) : Promise.reject(new TypeError('Failed to fetch'));
    const error = await ask(
      new ServerEngine(endpoint, 'm', { fetch: corsRefusingFetch, origin: 'https://nook.example' }),
    ).done.catch((e: unknown) => e);
    expect(error).toMatchObject({ failure: 'cors-refused' });
    const message = (error as Error).message;
    expect(message).toContain('--cors-origins https://nook.example');
    expect(message).toContain('OLLAMA_ORIGINS=https://nook.example');
    expect(message).toContain('Enable CORS');
    expect(message).toContain(`--allowed-origins '["https://nook.example"]'`);
  });
});

describe('listServerModels', () => {
  it('lists the models with the window llama-server reports under /props', async () => {
    handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url === '/v1/models') res.end(JSON.stringify({ data: [{ id: 'qwen', meta: { n_ctx_train: 32768 } }] }));
      else if (req.url === '/props') res.end(JSON.stringify({ default_generation_settings: { n_ctx: 8192 } }));
      else res.end('{}');
    };
    await expect(listServerModels(endpoint)).resolves.toEqual([{ id: 'qwen', contextLength: 8192 }]);
  });

  it("reads whether a model thinks from llama-server's chat template and Ollama's capabilities", async () => {
    const qwen3 = '{%- if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>{% endif %}';
    handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url === '/v1/models') res.end(JSON.stringify({ data: [{ id: 'qwen3' }] }));
      else res.end(JSON.stringify({ default_generation_settings: { n_ctx: 4096 }, chat_template: qwen3 }));
    };
    await expect(listServerModels(endpoint)).resolves.toEqual([
      { id: 'qwen3', contextLength: 4096, abilities: { thinking: 'switchable', thinkingBudget: true } },
    ]);
    handler = (req, res) => {
      if (req.url === '/api/show') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ capabilities: ['completion', 'tools', 'thinking'] }));
      } else if (req.url === '/v1/models') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ data: [{ id: 'qwen3:0.6b' }] }));
      } else res.writeHead(404).end();
    };
    await expect(listServerModels(endpoint)).resolves.toEqual([
      {
        id: 'qwen3:0.6b',
        contextLength: 4096,
        abilities: { thinking: 'switchable', thinkingSwitch: 'reasoning_effort', tools: true },
      },
    ]);
  });

  it("takes vLLM's max_model_len, and Ollama's num_ctx from /api/show", async () => {
    handler = (req, res) => {
      if (req.url === '/v1/models') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({ data: [{ id: 'vllm-model', max_model_len: 16384 }, { id: 'llama3.2' }, { id: 'plain' }] }),
        );
      } else if (req.url === '/api/show') {
        const model = (JSON.parse(requests.at(-1)!.body) as { model: string }).model;
        res.writeHead(model === 'llama3.2' ? 200 : 404, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            parameters: 'num_ctx 8192\nstop "<|eot_id|>"',
            model_info: { 'llama.context_length': 131072 },
          }),
        );
      } else {
        res.writeHead(404).end();
      }
    };
    await expect(listServerModels(endpoint)).resolves.toEqual([
      { id: 'vllm-model', contextLength: 16384 },
      { id: 'llama3.2', contextLength: 8192 },
      { id: 'plain' },
    ]);
  });

  it('says what is wrong with an address that is no OpenAI API', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html></html>');
    };
    await expect(listServerModels(endpoint)).rejects.toMatchObject({ failure: 'not-event-stream' });
    handler = (_req, res) => res.writeHead(401).end();
    await expect(listServerModels(endpoint)).rejects.toMatchObject({ failure: 'unauthorized' });
  });
});

describe('checkServerAddress', () => {
  it('accepts https anywhere and plain http on this computer, with or without /v1', () => {
    expect(checkServerAddress('https://gpu.example.com/v1/')).toEqual({
      ok: true,
      apiBase: 'https://gpu.example.com/v1',
      root: 'https://gpu.example.com',
      host: 'gpu.example.com',
    });
    expect(checkServerAddress('localhost:11434')).toMatchObject({
      ok: true,
      apiBase: 'http://localhost:11434/v1',
      host: 'localhost:11434',
    });
    expect(checkServerAddress('gpu.example.com/llm')).toMatchObject({
      ok: true,
      apiBase: 'https://gpu.example.com/llm/v1',
    });
  });

  it('refuses plain http on another host, and other schemes, with the reason', () => {
    const lan = checkServerAddress('http://192.168.1.20:8000');
    expect(lan.ok).toBe(false);
    if (!lan.ok) expect(lan.reason).toMatch(/mixed content.*localhost or 127\.0\.0\.1.*https/);
    expect(checkServerAddress('ftp://x')).toMatchObject({ ok: false });
    expect(checkServerAddress('')).toMatchObject({ ok: false });
    expect(checkServerAddress('https://user:pw@host')).toMatchObject({ ok: false });
  });
});
