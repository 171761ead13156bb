// The e2e suite's model server: real llama.cpp (node-llama-cpp's prebuilt CPU build, one thread)
// running a GGUF, behind a small HTTP layer that speaks the OpenAI chat-completions API the way
// llama-server does: GET /v1/models, GET /props (n_ctx), POST /v1/chat/completions with
// server-sent events — a keep-alive comment first, every event written in two network chunks,
// usage in a last chunk of its own when `stream_options.include_usage` asks, then `data: [DONE]`.
// Every reply comes from llama.cpp; only the failures a test needs are switched on by hand:
// an API key (401 when it is wrong), the origins CORS allows, the next request failing with a
// status, the next stream cut off after N tokens. Every request is logged, so a test can prove a
// server got nothing.
//
//   import { startLlamaServer } from './llama-server/server.mjs';
//   const server = await startLlamaServer({ modelPath, port: 0 });   // server.url, server.log
//
// Installed by `npm test` and `npm run bench`; by hand: node scripts/install-llama-server.mjs
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Says how to install this folder when it is missing, instead of a bare module-not-found. */
async function loadNodeLlamaCpp() {
  if (!existsSync(join(here, 'node_modules', 'node-llama-cpp'))) {
    throw new Error(
      'e2e/llama-server is not installed: run `node scripts/install-llama-server.mjs` ' +
        '(`npm test` and `npm run bench` do). The hybrid tests need its llama.cpp inference server.',
    );
  }
  return import('node-llama-cpp');
}

/** One llama.cpp model per file, shared by every server started in this process. */
const models = new Map();

async function loadModel(modelPath, contextSize) {
  const key = `${modelPath}:${contextSize}`;
  let loaded = models.get(key);
  if (!loaded) {
    loaded = (async () => {
      const { getLlama } = await loadNodeLlamaCpp();
      // One thread: with two on a loaded 2-core machine llama.cpp slows down by orders of magnitude.
      const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error', maxThreads: 1 });
      const model = await llama.loadModel({ modelPath });
      const context = await model.createContext({ contextSize, threads: 1, sequences: 1 });
      return { llama, model, context, sequence: context.getSequence() };
    })();
    models.set(key, loaded);
    loaded.catch(() => models.delete(key));
  }
  return loaded;
}

/** The tiny model's chat template (test-support/make-tiny-model.mjs), as llama-server applies it. */
function formatPrompt(messages) {
  return messages.map((m) => `<|${m.role}|>${m.content}<|end|>`).join('') + '<|assistant|>';
}

/** Serializes generation: one sequence, one reply at a time, like a one-slot llama-server. */
class Queue {
  #tail = Promise.resolve();
  run(task) {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * @param {object} options
 * @param {string} options.modelPath a GGUF file
 * @param {number} [options.port] 0 (default) for a free one
 * @param {number} [options.contextSize]
 * @param {string} [options.modelId] the id /v1/models lists
 * @param {string} [options.apiKey] requests without `Authorization: Bearer <key>` get 401
 * @param {string[] | '*'} [options.allowedOrigins] CORS: '*' (default, as llama-server) or a list
 */
export async function startLlamaServer(options) {
  const contextSize = options.contextSize ?? 256;
  const engine = await loadModel(options.modelPath, contextSize);
  const queue = new Queue();
  const modelId = options.modelId ?? 'nook-tiny-server';
  const state = {
    apiKey: options.apiKey,
    allowedOrigins: options.allowedOrigins ?? '*',
    /** @type {{ status: number, count: number } | undefined} */
    fail: undefined,
    /** @type {number | undefined} */
    cutAfter: undefined,
  };
  /** @type {{ time: number, method: string, path: string, origin: string | undefined }[]} */
  const log = [];

  const corsHeaders = (req) => {
    const origin = req.headers.origin;
    if (!origin) return {};
    const allowed = state.allowedOrigins === '*' || state.allowedOrigins.includes(origin);
    if (!allowed) return {};
    return {
      'Access-Control-Allow-Origin': state.allowedOrigins === '*' ? '*' : origin,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
      Vary: 'Origin',
    };
  };

  const sendJson = (req, res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...corsHeaders(req) });
    res.end(JSON.stringify(body));
  };

  const readBody = (req) =>
    new Promise((resolve, reject) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => resolve(text));
      req.on('error', reject);
    });

  async function completions(req, res) {
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(req, res, 400, {
        error: { code: 400, message: 'Invalid JSON body', type: 'invalid_request_error' },
      });
    }
    if (body.model !== undefined && body.model !== modelId) {
      return sendJson(req, res, 404, {
        error: { code: 404, message: `model '${body.model}' not found`, type: 'not_found_error' },
      });
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const maxTokens = Number.isInteger(body.max_tokens) ? body.max_tokens : 64;
    const cutAfter = state.cutAfter;
    state.cutAfter = undefined;
    const created = Math.floor(Date.now() / 1000);
    const id = `chatcmpl-${created}-${log.length}`;
    const chunk = (delta, finish = null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: modelId,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    let closed = false;
    res.on('close', () => (closed = true));

    await queue.run(async () => {
      if (closed) return;
      const { model, sequence } = engine;
      await sequence.clearHistory();
      const prompt = model.tokenize(formatPrompt(messages), true);
      if (prompt.length >= contextSize) {
        return sendJson(req, res, 400, {
          error: {
            code: 400,
            message: `the request exceeds the available context size (${contextSize})`,
            type: 'exceed_context_size_error',
          },
        });
      }
      if (!body.stream) {
        let text = '';
        let count = 0;
        for await (const token of sequence.evaluate(prompt, { temperature: body.temperature ?? 0, topP: body.top_p })) {
          if (model.isEogToken(token) || count >= maxTokens || prompt.length + count >= contextSize) break;
          text += model.detokenize([token]);
          count++;
        }
        return sendJson(req, res, 200, {
          id,
          object: 'chat.completion',
          created,
          model: modelId,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'length' }],
          usage: { prompt_tokens: prompt.length, completion_tokens: count, total_tokens: prompt.length + count },
        });
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        ...corsHeaders(req),
      });
      res.write(': keep-alive\n\n');
      // Each event goes out in two writes, split inside its JSON, as TCP may deliver it.
      const event = (data) => {
        const text = `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
        const cut = Math.ceil(text.length / 2);
        res.write(text.slice(0, cut));
        res.write(text.slice(cut));
      };
      event(chunk({ role: 'assistant', content: null }));
      let count = 0;
      let finish = 'length';
      for await (const token of sequence.evaluate(prompt, { temperature: body.temperature ?? 0, topP: body.top_p })) {
        if (closed) return; // Stop: the client closed the request
        if (model.isEogToken(token)) {
          finish = 'stop';
          break;
        }
        if (count >= maxTokens || prompt.length + count >= contextSize) break;
        event(chunk({ content: model.detokenize([token]) }));
        count++;
        if (count % 8 === 0) res.write(': keep-alive\n\n');
        if (cutAfter !== undefined && count >= cutAfter) {
          // The connection drops mid-reply, a moment after what was written so far has gone out:
          // a drop right behind the last bytes can take them with it on the way (through the
          // privacy proxy, which relays the cut), and then the test would see no partial reply.
          await new Promise((resolve) => res.write(': \n\n', resolve));
          await new Promise((resolve) => setTimeout(resolve, 250));
          res.destroy();
          return;
        }
      }
      event(chunk({}, finish));
      if (body.stream_options?.include_usage) {
        event({
          id,
          object: 'chat.completion.chunk',
          created,
          model: modelId,
          choices: [],
          usage: { prompt_tokens: prompt.length, completion_tokens: count, total_tokens: prompt.length + count },
        });
      }
      event('[DONE]');
      res.end();
    });
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    log.push({ time: Date.now(), method: req.method ?? 'GET', path: url.pathname, origin: req.headers.origin });
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, corsHeaders(req)).end();
        return;
      }
      if (state.apiKey && req.headers.authorization !== `Bearer ${state.apiKey}`) {
        return sendJson(req, res, 401, {
          error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' },
        });
      }
      if (state.fail && state.fail.count > 0) {
        state.fail.count--;
        const { status } = state.fail;
        return sendJson(req, res, status, {
          error: { code: status, message: 'Internal server error', type: 'server_error' },
        });
      }
      if (req.method === 'GET' && url.pathname === '/v1/models') {
        return sendJson(req, res, 200, {
          object: 'list',
          data: [
            {
              id: modelId,
              object: 'model',
              created: 0,
              owned_by: 'llamacpp',
              meta: { n_ctx_train: engine.model.trainContextSize },
            },
          ],
        });
      }
      if (req.method === 'GET' && url.pathname === '/props') {
        return sendJson(req, res, 200, {
          default_generation_settings: { n_ctx: contextSize },
          total_slots: 1,
          model_alias: modelId,
        });
      }
      if (req.method === 'POST' && url.pathname === '/v1/chat/completions') return await completions(req, res);
      return sendJson(req, res, 404, { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } });
    } catch (error) {
      if (!res.headersSent)
        sendJson(req, res, 500, { error: { code: 500, message: String(error), type: 'server_error' } });
      else res.destroy();
    }
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;

  return {
    url,
    modelId,
    contextSize,
    /** Every request so far (OPTIONS preflights included). */
    log,
    setApiKey(key) {
      state.apiKey = key;
    },
    /** '*' or the origins CORS accepts; [] refuses every page. */
    setAllowedOrigins(origins) {
      state.allowedOrigins = origins;
    },
    /** The next `count` requests (preflights aside) fail with `status`. */
    failNext(status, count = 1) {
      state.fail = { status, count };
    },
    /** The next stream drops its connection after `tokens` tokens. */
    cutNextStreamAfter(tokens) {
      state.cutAfter = tokens;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

// CLI: node e2e/llama-server/server.mjs --model FILE [--port N] [--context N] [--api-key KEY]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const modelPath = arg('model');
  if (!modelPath) {
    console.error('usage: node e2e/llama-server/server.mjs --model FILE [--port N] [--context N] [--api-key KEY]');
    process.exit(2);
  }
  const server = await startLlamaServer({
    modelPath,
    port: Number(arg('port') ?? 8080),
    contextSize: Number(arg('context') ?? 256),
    ...(arg('api-key') ? { apiKey: arg('api-key') } : {}),
  });
  console.log(`llama.cpp server on ${server.url} serving ${server.modelId}`);
}
