// The tiny fixture models for reasoning and tool calling (make-tiny-model.mjs builds them): a
// thinking model and a tool-calling one, each with a Qwen-style chat template that llama.cpp
// recognises, so wllama and llama-server parse their output with their own reasoning and
// tool-call parsers, and with texts the tests can expect. The e2e model server serves them
// (/models/thinker.gguf, /models/tools.gguf, /models/tools-loop.gguf); the bench's reasoning
// section serves THINKER_LONG, whose thought is long enough to time, and TOOLS.
//
// Which reply a model gives depends on the last token of the prompt (make-tiny-model.mjs): the
// templates end the generation prompt with "\n" after a user message and with "\n\n" when the
// answer is due — after Qwen3's empty think block (enable_thinking false) or, in the tool
// template, after a tool result.
//
// No top-level Node imports: the presets also build in a browser.
import { makeTinyModel } from './make-tiny-model.mjs';

/** Qwen's chat markers: control tokens, parsed in the prompt and never rendered. */
const QWEN_CONTROL_TOKENS = Object.freeze(['<|im_start|>', '<|im_end|>']);

/** The tool-call and reasoning markers: added tokens rendered into the output, as in Qwen3. */
const QWEN_TEXT_TOKENS = Object.freeze(['<think>', '</think>', '<tool_call>', '</tool_call>']);

/** The Qwen3 models' chat template, verbatim (Qwen/Qwen3-0.6B's tokenizer_config.json). */
export const QWEN3_CHAT_TEMPLATE = `{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\\n\\n' }}
    {%- endif %}
    {{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0].role == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {%- set content = message.content %}
        {%- set reasoning_content = '' %}
        {%- if message.reasoning_content is defined and message.reasoning_content is not none %}
            {%- set reasoning_content = message.reasoning_content %}
        {%- else %}
            {%- if '</think>' in message.content %}
                {%- set content = message.content.split('</think>')[-1].lstrip('\\n') %}
                {%- set reasoning_content = message.content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}
            {%- endif %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index %}
            {%- if loop.last or (not loop.last and reasoning_content) %}
                {{- '<|im_start|>' + message.role + '\\n<think>\\n' + reasoning_content.strip('\\n') + '\\n</think>\\n\\n' + content.lstrip('\\n') }}
            {%- else %}
                {{- '<|im_start|>' + message.role + '\\n' + content }}
            {%- endif %}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\\n' + content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and content) or (not loop.first) %}
                    {{- '\\n' }}
                {%- endif %}
                {%- if tool_call.function %}
                    {%- set tool_call = tool_call.function %}
                {%- endif %}
                {{- '<tool_call>\\n{"name": "' }}
                {{- tool_call.name }}
                {{- '", "arguments": ' }}
                {%- if tool_call.arguments is string %}
                    {{- tool_call.arguments }}
                {%- else %}
                    {{- tool_call.arguments | tojson }}
                {%- endif %}
                {{- '}\\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\\n\\n</think>\\n\\n' }}
    {%- endif %}
{%- endif %}`;

/**
 * Qwen2.5 Instruct's template (tools in the system prompt, <tool_call> in the assistant turn,
 * tool results as <tool_response> in a user turn) without its default "You are Qwen" system
 * prompt, and with one change for the fixture: after a tool result the generation prompt ends
 * with "\n\n" instead of "\n", so the model knows to answer rather than call the tool again.
 */
export const TOOLS_CHAT_TEMPLATE = `{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\\n\\n' }}
    {%- endif %}
    {{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- elif messages[0].role == 'system' %}
    {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\\n<tool_call>\\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
    {%- if messages[messages|length - 1].role == "tool" %}
        {{- '\\n' }}
    {%- endif %}
{%- endif %}`;

/** What every chat fixture shares: Qwen's tokens, a window long enough for a tools prompt, an end. */
const QWEN_FIXTURE = Object.freeze({
  chatTemplate: QWEN3_CHAT_TEMPLATE,
  controlTokens: QWEN_CONTROL_TOKENS,
  textTokens: QWEN_TEXT_TOKENS,
  eotToken: '<|im_end|>',
  endAfterReply: true,
  // The tools prompt costs about a token per character in this small vocabulary.
  contextLength: 8192,
});

// ---------------------------------------------------------------------------------------------
// The thinking model

const THOUGHT_TOKENS = Object.freeze(['\nThe', ' user', ' wants', ' a', ' short', ' answer', '.\n']);
const THINKER_ANSWER_TOKENS = Object.freeze(['Hello', '!', ' I', ' thought', ' first', '.']);

/**
 * "Nook Tiny Thinker": Qwen3's template and output. After a user message it writes
 * `rawText` (a think block, then the answer) and ends the turn; with enable_thinking false the
 * template has already written the empty think block and the model writes `answer` alone.
 */
export const THINKER = Object.freeze({
  name: 'Nook Tiny Thinker',
  /** The thought as the model writes it between <think> and </think>. */
  rawThought: THOUGHT_TOKENS.join(''),
  /**
   * The thought as llama.cpp reports it in `reasoning_content` (wllama 3.8.1, and the e2e
   * llama-server): the newline after <think> dropped, the one before </think> kept.
   */
  reasoningContent: THOUGHT_TOKENS.join('').trimStart(),
  /** The thought without the newlines around it, as a page would show it. */
  thought: THOUGHT_TOKENS.join('').trim(),
  answer: THINKER_ANSWER_TOKENS.join(''),
  /** Everything the model writes after a user message. */
  rawText: `<think>${THOUGHT_TOKENS.join('')}</think>\n\n${THINKER_ANSWER_TOKENS.join('')}`,
  options: Object.freeze({
    ...QWEN_FIXTURE,
    name: 'Nook Tiny Thinker',
    replies: Object.freeze([
      Object.freeze({ after: '\n', reply: Object.freeze(['<think>', ...THOUGHT_TOKENS, '</think>', '\n\n']) }),
      Object.freeze({ after: '\n\n', reply: THINKER_ANSWER_TOKENS }),
    ]),
  }),
});

// ---------------------------------------------------------------------------------------------
// The long thinker (the bench's reasoning section)

/** How many numbered steps the long thinker's thought counts through. */
const LONG_THOUGHT_STEPS = 400;

// Each token distinct, since the next one is a function of the last: " 1", " 2", … " 400". No
// token is "\n" alone (that is the first chain's `after`, and would start the reply again).
const LONG_THOUGHT_TOKENS = Object.freeze([
  '\nCounting',
  ...Array.from({ length: LONG_THOUGHT_STEPS }, (_, i) => ` ${i + 1}`),
  '.\n',
]);
const LONG_ANSWER_TOKENS = Object.freeze(['Done', ' counting', ':', ' here', ' is', ' the', ' answer', '.']);

/**
 * "Nook Tiny Long Thinker": THINKER's template and shape, with a thought long enough to time its
 * streaming (about 400 tokens: "Counting 1 2 … 400."), then a short answer, then the end of the
 * turn. Its whole reply, about 410 tokens, fits in the app's default 512 max tokens.
 */
export const THINKER_LONG = Object.freeze({
  name: 'Nook Tiny Long Thinker',
  /** The thought without the newlines around it, as a page would show it. */
  thought: LONG_THOUGHT_TOKENS.join('').trim(),
  answer: LONG_ANSWER_TOKENS.join(''),
  /** Tokens the model writes after a user message: <think>, the thought, </think>, "\n\n", the answer. */
  replyTokens: LONG_THOUGHT_TOKENS.length + LONG_ANSWER_TOKENS.length + 3,
  options: Object.freeze({
    ...QWEN_FIXTURE,
    name: 'Nook Tiny Long Thinker',
    replies: Object.freeze([
      Object.freeze({ after: '\n', reply: Object.freeze(['<think>', ...LONG_THOUGHT_TOKENS, '</think>', '\n\n']) }),
      Object.freeze({ after: '\n\n', reply: LONG_ANSWER_TOKENS }),
    ]),
  }),
});

// ---------------------------------------------------------------------------------------------
// The tool-calling models

/** The call the tool model makes: the calculator's one string argument. */
export const TOOL_CALL = Object.freeze({
  name: 'calculator',
  arguments: Object.freeze({ expression: '123456789 * 987654321' }),
});

/**
 * A call's text as the tool model writes it, in Hermes/Qwen form, one distinct token per piece
 * (the next token is a function of the last), so its JSON comes in pieces.
 * @param {{ name: string, arguments: Readonly<Record<string, string>> }} call one string argument
 */
function callTokens(call) {
  const [[key, value] = ['', '']] = Object.entries(call.arguments);
  return Object.freeze([
    '<tool_call>',
    '\n{"name": "',
    call.name,
    `", "arguments": {"${key}": "`,
    value,
    '"}}\n',
    '</tool_call>',
  ]);
}

/**
 * A tool model's options: TOOLS_CHAT_TEMPLATE, `call` after a user message and, unless it loops,
 * `answer` after a tool result.
 * @param {string} name
 * @param {readonly string[]} call
 * @param {readonly string[]} [answer]
 */
function toolModelOptions(name, call, answer) {
  return Object.freeze({
    ...QWEN_FIXTURE,
    chatTemplate: TOOLS_CHAT_TEMPLATE,
    name,
    replies: Object.freeze([
      Object.freeze({ after: '\n', reply: call }),
      ...(answer ? [Object.freeze({ after: '\n\n', reply: answer })] : []),
    ]),
  });
}

const TOOL_CALL_TOKENS = callTokens(TOOL_CALL);
const TOOLS_ANSWER_TOKENS = Object.freeze(['The', ' result', ' is', ' in', ' the', ' step', ' above', '.']);

/** What the tool models write after a user message (the after-tool answer is in TOOLS.answer). */
const TOOL_CALL_TEXT = TOOL_CALL_TOKENS.join('');

/**
 * "Nook Tiny Tools": Qwen2.5's tool template (TOOLS_CHAT_TEMPLATE). After a user message it
 * writes `toolCallText` and ends the turn; after a tool result it writes `answer` and ends.
 */
export const TOOLS = Object.freeze({
  name: 'Nook Tiny Tools',
  toolCall: TOOL_CALL,
  /** The model's text for the call, in Hermes/Qwen form. */
  toolCallText: TOOL_CALL_TEXT,
  answer: TOOLS_ANSWER_TOKENS.join(''),
  options: toolModelOptions('Nook Tiny Tools', TOOL_CALL_TOKENS, TOOLS_ANSWER_TOKENS),
});

/**
 * "Nook Tiny Tools Loop": the tool model without its answer. It calls the calculator after a
 * tool result too, every time, so a test can see the app stop at its round limit.
 */
export const TOOLS_LOOP = Object.freeze({
  name: 'Nook Tiny Tools Loop',
  toolCall: TOOL_CALL,
  toolCallText: TOOL_CALL_TEXT,
  options: toolModelOptions('Nook Tiny Tools Loop', TOOL_CALL_TOKENS),
});

/** The call the document-search model makes, for a passage that tries to give orders. */
export const SEARCH_CALL = Object.freeze({
  name: 'search_documents',
  arguments: Object.freeze({ query: 'instructions' }),
});

/**
 * "Nook Tiny Search": the tool model, but its call searches the user's documents (the test gives
 * it a document that carries HTML and an injected instruction); after the result it answers
 * `answer`, as TOOLS does.
 */
export const TOOLS_SEARCH = Object.freeze({
  name: 'Nook Tiny Search',
  toolCall: SEARCH_CALL,
  answer: TOOLS_ANSWER_TOKENS.join(''),
  options: toolModelOptions('Nook Tiny Search', callTokens(SEARCH_CALL), TOOLS_ANSWER_TOKENS),
});

/** The fact the memory model offers to remember, whatever the user said. */
export const REMEMBER_CALL = Object.freeze({
  name: 'remember',
  arguments: Object.freeze({ fact: 'The user’s sister is called Ana.' }),
});

const MEMORY_ANSWER_TOKENS = Object.freeze(['Ana', ' is', ' a', ' lovely', ' name', '.']);

/**
 * "Nook Tiny Memory": the tool model, but its call offers to remember a fact (the `remember`
 * tool); after the result it answers `answer`.
 */
export const TOOLS_MEMORY = Object.freeze({
  name: 'Nook Tiny Memory',
  toolCall: REMEMBER_CALL,
  answer: MEMORY_ANSWER_TOKENS.join(''),
  options: toolModelOptions('Nook Tiny Memory', callTokens(REMEMBER_CALL), MEMORY_ANSWER_TOKENS),
});

/**
 * "Nook Tiny Endless Thinker": THINKER's template, thinking that never ends ("Counting 1 2 …",
 * over and over, until the token limit): a reply to stop mid-thought, however fast the machine.
 */
export const THINKER_ENDLESS = Object.freeze({
  name: 'Nook Tiny Endless Thinker',
  /** How the thought begins, as a page shows it. */
  thoughtStart: 'Counting 1 2 3',
  options: Object.freeze({
    ...QWEN_FIXTURE,
    name: 'Nook Tiny Endless Thinker',
    endAfterReply: false,
    replies: Object.freeze([
      Object.freeze({ after: '\n', reply: Object.freeze(['<think>', ...LONG_THOUGHT_TOKENS.slice(0, -1)]) }),
    ]),
  }),
});

/**
 * "Nook Tiny Tagged Thinker": the plain tiny template, which llama.cpp does not know as a reasoning
 * format, and a reply that opens with a think block all the same, as the tags come out in the
 * text: `reply` tokens, then again. Its first `taggedText.length`-token reply is `taggedText`.
 */
export const TAGGED_THINKER = Object.freeze({
  name: 'Nook Tiny Tagged Thinker',
  reply: Object.freeze(['<think>', 'Weighing', ' it', '.', '</think>', 'Tagged', ' answer', '!']),
  thought: 'Weighing it.',
  answer: 'Tagged answer!',
});

/** @param {{ options: import('./make-tiny-model.mjs').TinyModelOptions }} preset */
export function makeChatFixture(preset) {
  return makeTinyModel(preset.options);
}
