// The e2e suite's model server: real llama.cpp (node-llama-cpp's prebuilt CPU build, one thread)
// running a GGUF, behind a small HTTP layer that speaks the OpenAI chat-completions API the way
// llama-server does: GET /v1/models, GET /props (n_ctx, chat_template), POST /v1/chat/completions
// with server-sent events — a keep-alive comment first, every event written in two network chunks,
// usage in a last chunk of its own when `stream_options.include_usage` asks, then `data: [DONE]`.
//
// Like llama-server it renders the model's own chat template (tokenizer.chat_template, with
// @huggingface/jinja) with the request's messages, `tools` and `chat_template_kwargs` (so
// `enable_thinking: false` gives Qwen3's empty think block), and parses the reply:
// - a leading <think>…</think> streams as `delta.reasoning_content` (llama-server's default
//   reasoning_format "deepseek"; `reasoning_format: "none"` in the request leaves it in content),
//   the rest as `delta.content`; usage then has `completion_tokens_details.reasoning_tokens`;
// - with `tools` (and tool_choice not "none"), each <tool_call>{"name", "arguments"}</tool_call>
//   streams as `delta.tool_calls` — index, id, type "function" and function.name with the first
//   piece of function.arguments, then the rest of the arguments — and the reply finishes with
//   finish_reason "tool_calls".
// The "ollama" dialect answers as Ollama's OpenAI-compatible endpoint does instead: thinking as
// `delta.reasoning` (content "" beside it), each tool call whole in one chunk, thinking switched
// off by `reasoning_effort: "none"` rather than by chat_template_kwargs.
// No grammar constrains the output (llama-server's tool-call grammar does): the fixture models
// (test-support/tiny-chat-models.mjs) write well-formed calls by themselves.
//
// Every reply comes from llama.cpp; only the failures a test needs are switched on by hand:
// an API key (401 when it is wrong), the origins CORS allows, the next request failing with a
// status, the next stream cut off after N tokens. Every request is logged, so a test can prove a
// server got nothing, and every chat completion's messages are kept (`prompts`), so a test can
// read what the model was given.
//
//   import { startLlamaServer } from './llama-server/server.mjs';
//   const server = await startLlamaServer({ modelPath, port: 0 });   // server.url, server.log
//
// Installed by `npm test` and `npm run bench`; by hand: node scripts/install-llama-server.mjs
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
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
      const { Template } = await import('@huggingface/jinja');
      const templateText = model.fileInfo.metadata.tokenizer?.chat_template;
      if (typeof templateText !== 'string') throw new Error(`${modelPath} has no chat template`);
      const template = new Template(templateText);
      const special = (/** @type {number | null} */ token) => (token === null ? '' : model.detokenize([token], true));
      const templateTokens = { bos_token: special(model.tokens.bos), eos_token: special(model.tokens.eos) };
      return { llama, model, context, sequence: context.getSequence(), template, templateText, templateTokens };
    })();
    models.set(key, loaded);
    loaded.catch(() => models.delete(key));
  }
  return loaded;
}

/**
 * The request's messages as llama-server hands them to a chat template: text parts joined, no
 * null content, tool-call arguments as objects (templates such as Qwen's write them with
 * `tojson`), and in the Ollama dialect the history's `reasoning` as `reasoning_content`.
 */
function templateMessages(messages) {
  return messages.map((message) => {
    const content = Array.isArray(message.content)
      ? message.content.map((part) => (part?.type === 'text' ? part.text : '')).join('')
      : (message.content ?? '');
    const out = { ...message, content };
    if (message.reasoning !== undefined && message.reasoning_content === undefined) {
      out.reasoning_content = message.reasoning;
    }
    if (Array.isArray(message.tool_calls)) {
      out.tool_calls = message.tool_calls.map((call) => {
        const args = call?.function?.arguments;
        if (typeof args !== 'string') return call;
        try {
          return { ...call, function: { ...call.function, arguments: JSON.parse(args) } };
        } catch {
          return call;
        }
      });
    }
    return out;
  });
}

/** The text that ends a partial marker at the end of `text` (e.g. "</thi" of "</think>"), held back. */
function heldPrefix(text, marker) {
  for (let n = Math.min(marker.length - 1, text.length); n > 0; n--) {
    if (marker.startsWith(text.slice(-n))) return n;
  }
  return 0;
}

/**
 * Splits a reply the way llama-server's parser does for Qwen-style templates, as it streams in:
 * a leading <think>…</think> is reasoning, each <tool_call>{json}</tool_call> a tool call (when
 * the request offers tools), the rest content. Whitespace after </think> and around tool calls is
 * dropped, as llama.cpp does.
 */
class ReplyParser {
  /** @type {'start' | 'reasoning' | 'content' | 'tool'} */
  #state;
  #buffer = '';
  #trim = false;
  #tools;
  /** Whether the reply opened with a think block. */
  hadReasoning = false;

  /** @param {{ reasoning: boolean, tools: boolean }} options */
  constructor({ reasoning, tools }) {
    this.#state = reasoning ? 'start' : 'content';
    this.#tools = tools;
  }

  /** True while the reply may still be thinking (the tokens that count as reasoning tokens). */
  get thinking() {
    return this.#state === 'start' || this.#state === 'reasoning';
  }

  /**
   * @param {string} text the next piece of the reply
   * @returns {({ kind: 'reasoning' | 'content', text: string } | { kind: 'tool', name: string, arguments: string })[]}
   */
  push(text) {
    this.#buffer += text;
    /** @type {ReturnType<ReplyParser['push']>} */
    const out = [];
    for (;;) {
      if (this.#trim) {
        this.#buffer = this.#buffer.trimStart();
        if (this.#buffer === '') return out;
        this.#trim = false;
      }
      const buffer = this.#buffer;
      if (this.#state === 'start') {
        const start = buffer.trimStart();
        if (start.startsWith('<think>')) {
          this.#state = 'reasoning';
          this.hadReasoning = true;
          this.#buffer = start.slice('<think>'.length);
          this.#trim = true;
          continue;
        }
        if ('<think>'.startsWith(start)) return out; // maybe the opening tag, still coming
        this.#state = 'content';
        continue;
      }
      if (this.#state === 'reasoning') {
        const end = buffer.indexOf('</think>');
        if (end >= 0) {
          if (end > 0) out.push({ kind: 'reasoning', text: buffer.slice(0, end) });
          this.#buffer = buffer.slice(end + '</think>'.length);
          this.#state = 'content';
          this.#trim = true;
          continue;
        }
        const ready = buffer.length - heldPrefix(buffer, '</think>');
        if (ready > 0) out.push({ kind: 'reasoning', text: buffer.slice(0, ready) });
        this.#buffer = buffer.slice(ready);
        return out;
      }
      if (this.#state === 'content') {
        const call = this.#tools ? buffer.indexOf('<tool_call>') : -1;
        if (call >= 0) {
          if (buffer.slice(0, call).trim() !== '') out.push({ kind: 'content', text: buffer.slice(0, call) });
          this.#buffer = buffer.slice(call + '<tool_call>'.length);
          this.#state = 'tool';
          continue;
        }
        const ready = buffer.length - (this.#tools ? heldPrefix(buffer, '<tool_call>') : 0);
        if (ready > 0) out.push({ kind: 'content', text: buffer.slice(0, ready) });
        this.#buffer = buffer.slice(ready);
        return out;
      }
      const end = buffer.indexOf('</tool_call>');
      if (end < 0) return out;
      out.push(parseToolCall(buffer.slice(0, end)));
      this.#buffer = buffer.slice(end + '</tool_call>'.length);
      this.#state = 'content';
      this.#trim = true;
    }
  }

  /** What is left when the reply ends (an unclosed think block, a call cut off by max_tokens). */
  end() {
    const rest = this.#buffer;
    this.#buffer = '';
    if (rest === '') return [];
    if (this.#state === 'reasoning') return [{ kind: /** @type {const} */ ('reasoning'), text: rest }];
    if (this.#state === 'tool') return [parseToolCall(rest)];
    return [{ kind: /** @type {const} */ ('content'), text: rest }];
  }
}

/**
 * A Hermes-style call, `{"name": …, "arguments": {…}}`; its arguments keep the model's own text
 * (as llama.cpp's do). Text that is no such call stays content, tags and all.
 * @param {string} body
 */
function parseToolCall(body) {
  try {
    const call = JSON.parse(body);
    if (typeof call?.name === 'string' && call.arguments !== undefined) {
      const at = /"arguments"\s*:\s*/.exec(body);
      const raw = at ? body.slice(at.index + at[0].length, body.trimEnd().length - 1).trim() : '';
      let args = JSON.stringify(call.arguments);
      try {
        if (raw && JSON.stringify(JSON.parse(raw)) === args) args = raw;
      } catch {
        // not the arguments' own text after all: keep the serialized ones
      }
      return { kind: /** @type {const} */ ('tool'), name: call.name, arguments: args };
    }
  } catch {
    // not JSON: the text goes out as content below
  }
  return { kind: /** @type {const} */ ('content'), text: `<tool_call>${body}</tool_call>` };
}

/** llama-server's tool-call ids: 32 random letters and digits. */
function toolCallId() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
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
 * @param {'llama-server' | 'ollama'} [options.dialect] how reasoning and tool calls stream (see
 *   the header comment). Default 'llama-server'.
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
    dialect: options.dialect ?? 'llama-server',
  };
  /** @type {{ time: number, method: string, path: string, origin: string | undefined }[]} */
  const log = [];
  /** The messages of every chat completion asked for, in order: what the model was given. */
  const prompts = [];

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
    prompts.push(messages);
    const maxTokens = Number.isInteger(body.max_tokens) ? body.max_tokens : 64;
    const cutAfter = state.cutAfter;
    state.cutAfter = undefined;
    const ollama = state.dialect === 'ollama';
    const tools = Array.isArray(body.tools) && body.tools.length > 0 ? body.tools : undefined;
    const effort = body.reasoning?.effort ?? body.reasoning_effort;
    // Ollama takes no template kwargs; it switches thinking off with a reasoning effort of "none".
    const kwargs = ollama
      ? effort === 'none'
        ? { enable_thinking: false }
        : {}
      : typeof body.chat_template_kwargs === 'object'
        ? body.chat_template_kwargs
        : {};
    let promptText;
    try {
      promptText = engine.template.render({
        ...engine.templateTokens,
        ...kwargs,
        messages: templateMessages(messages),
        ...(tools ? { tools } : {}),
        add_generation_prompt: true,
      });
    } catch (error) {
      return sendJson(req, res, 400, {
        error: { code: 400, message: `the chat template failed: ${error.message}`, type: 'invalid_request_error' },
      });
    }
    const parser = new ReplyParser({
      reasoning: ollama || body.reasoning_format !== 'none',
      tools: tools !== undefined && body.tool_choice !== 'none',
    });
    const created = Math.floor(Date.now() / 1000);
    const id = `chatcmpl-${created}-${log.length}`;
    const chunk = (delta, finish = null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: modelId,
      choices: [
        { index: 0, delta: ollama ? { role: 'assistant', content: '', ...delta } : delta, finish_reason: finish },
      ],
    });
    const usage = (promptTokens, count, reasoningTokens) => ({
      prompt_tokens: promptTokens,
      completion_tokens: count,
      total_tokens: promptTokens + count,
      ...(reasoningTokens > 0 && !ollama ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}),
    });
    let closed = false;
    res.on('close', () => (closed = true));

    await queue.run(async () => {
      if (closed) return;
      const { model, sequence } = engine;
      await sequence.clearHistory();
      const prompt = model.tokenize(promptText, true);
      if (prompt.length >= contextSize) {
        return sendJson(req, res, 400, {
          error: {
            code: 400,
            message: `the request exceeds the available context size (${contextSize})`,
            type: 'exceed_context_size_error',
          },
        });
      }
      // The end-of-turn token comes through, so a reply that ends says "stop" (not "length").
      const sampling = { temperature: body.temperature ?? 0, topP: body.top_p, yieldEogToken: true };
      let count = 0;
      let reasoningTokens = 0;
      let finish = 'length';
      let toolCalls = 0;

      if (!body.stream) {
        let content = '';
        let reasoning = '';
        /** @type {{ id: string, type: 'function', function: { name: string, arguments: string } }[]} */
        const calls = [];
        const take = (parts) => {
          for (const part of parts) {
            if (part.kind === 'reasoning') reasoning += part.text;
            else if (part.kind === 'content') content += part.text;
            else
              calls.push({
                id: toolCallId(),
                type: 'function',
                function: { name: part.name, arguments: part.arguments },
              });
          }
        };
        for await (const token of sequence.evaluate(prompt, sampling)) {
          if (model.isEogToken(token)) {
            finish = 'stop';
            count++; // llama-server counts the end-of-turn token as generated
            break;
          }
          if (count >= maxTokens || prompt.length + count >= contextSize) break;
          if (parser.thinking) reasoningTokens++;
          take(parser.push(model.detokenize([token])));
          count++;
        }
        take(parser.end());
        if (calls.length > 0) finish = 'tool_calls';
        if (!parser.hadReasoning) reasoningTokens = 0;
        const message = {
          role: 'assistant',
          content,
          ...(reasoning ? { [ollama ? 'reasoning' : 'reasoning_content']: reasoning } : {}),
          ...(calls.length > 0 ? { tool_calls: ollama ? calls.map((c, index) => ({ ...c, index })) : calls } : {}),
        };
        return sendJson(req, res, 200, {
          id,
          object: 'chat.completion',
          created,
          model: modelId,
          choices: [{ index: 0, message, finish_reason: finish }],
          usage: usage(prompt.length, count, reasoningTokens),
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
      const send = (parts) => {
        for (const part of parts) {
          if (part.kind === 'content') event(chunk({ content: part.text }));
          else if (part.kind === 'reasoning') event(chunk({ [ollama ? 'reasoning' : 'reasoning_content']: part.text }));
          else {
            const call = { index: toolCalls++, id: toolCallId(), type: 'function' };
            if (ollama) {
              event(chunk({ tool_calls: [{ ...call, function: { name: part.name, arguments: part.arguments } }] }));
              continue;
            }
            // As llama-server: the name with the first piece of the arguments, then the rest.
            const cut = Math.ceil(part.arguments.length / 2);
            event(
              chunk({
                tool_calls: [{ ...call, function: { name: part.name, arguments: part.arguments.slice(0, cut) } }],
              }),
            );
            event(chunk({ tool_calls: [{ index: call.index, function: { arguments: part.arguments.slice(cut) } }] }));
          }
        }
      };
      event(chunk(ollama ? {} : { role: 'assistant', content: null }));
      for await (const token of sequence.evaluate(prompt, sampling)) {
        if (closed) return; // Stop: the client closed the request
        if (model.isEogToken(token)) {
          finish = 'stop';
          count++;
          break;
        }
        if (count >= maxTokens || prompt.length + count >= contextSize) break;
        if (parser.thinking) reasoningTokens++;
        send(parser.push(model.detokenize([token])));
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
      send(parser.end());
      if (toolCalls > 0) finish = 'tool_calls';
      if (!parser.hadReasoning) reasoningTokens = 0;
      event(chunk({}, finish));
      if (body.stream_options?.include_usage) {
        event({
          id,
          object: 'chat.completion.chunk',
          created,
          model: modelId,
          choices: [],
          usage: usage(prompt.length, count, reasoningTokens),
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
          chat_template: engine.templateText,
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
    prompts,
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
    /** 'llama-server' or 'ollama': how reasoning and tool calls stream from now on. */
    setDialect(dialect) {
      state.dialect = dialect;
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
//                                        [--dialect llama-server|ollama]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const modelPath = arg('model');
  if (!modelPath) {
    console.error(
      'usage: node e2e/llama-server/server.mjs --model FILE [--port N] [--context N] [--api-key KEY] ' +
        '[--dialect llama-server|ollama]',
    );
    process.exit(2);
  }
  const server = await startLlamaServer({
    modelPath,
    port: Number(arg('port') ?? 8080),
    contextSize: Number(arg('context') ?? 256),
    ...(arg('api-key') ? { apiKey: arg('api-key') } : {}),
    ...(arg('dialect') ? { dialect: arg('dialect') } : {}),
  });
  console.log(`llama.cpp server on ${server.url} serving ${server.modelId}`);
}
