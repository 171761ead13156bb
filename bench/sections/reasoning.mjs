// A reasoning model's reply streamed with its thought (bench/lib/engine.mjs with `thinking`), and
// a tool round's overhead (bench/lib/tool-rounds.mjs), each through the app against wllama called
// in a page with the same requests, on the Qwen-style fixtures (test-support/tiny-chat-models.mjs).
import { measureModel } from '../lib/engine.mjs';
import { CHAT_CONTEXT } from '../lib/fixtures.mjs';
import { cpuParts, label, row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';
import { measureToolRounds } from '../lib/tool-rounds.mjs';

export const name = 'reasoning';
export const needs = ['app', 'baseline', 'browser', 'models'];

/** The thought must stream for long enough to time (the fixture thinks ~400 tokens). */
const MIN_THINKING_TOKENS = 256;

export async function run({ quick, log, browser, app, baseline, fixtures, modelUrl }) {
  const { thinker, tools } = fixtures.models;
  const rounds = Number(process.env.BENCH_ROUNDS) || (quick ? 2 : 5);

  log(`reasoning: streaming a thought, ${thinker.name}`);
  const stream = await measureModel(browser, {
    appUrl: app.url,
    rawUrl: `${baseline.url}/raw-engine.html`,
    modelUrl: modelUrl(thinker),
    name: thinker.name,
    contextLength: CHAT_CONTEXT,
    rounds,
    // The app offers its tools to a template with a tool format (Qwen3's has one): so does the raw page.
    thinking: true,
    tools: true,
  });
  const apps = stream.runs.map((run) => run.app);
  const thought = Math.min(...apps.map((run) => run.thinkingTokens));
  const shown = apps.every((run) => run.thoughtShown);
  const samePrompt = stream.runs.every((run) => run.app.promptTokens === run.raw.promptTokens);
  if (!shown || thought < MIN_THINKING_TOKENS || !stream.sameTokenCounts || !samePrompt) {
    throw new Error(
      `the thinking replies were not alike: Thinking block shown ${shown}, fewest thinking tokens ${thought}, ` +
        `same token counts ${stream.sameTokenCounts}, same prompts ${samePrompt}`,
    );
  }

  log(`reasoning: tool rounds, ${tools.name}`);
  const toolRounds = await measureToolRounds(browser, {
    appUrl: app.url,
    rawUrl: `${baseline.url}/raw-engine.html`,
    modelUrl: modelUrl(tools),
    name: tools.name,
    contextLength: CHAT_CONTEXT,
    rounds: quick ? 2 : 7,
  });
  const { cold } = toolRounds;
  const math = cold.math
    ? `mathjs chunk ${round(cold.math.bytes / 1e3, 0)} kB fetched in ${round(cold.math.ms, 0)} ms`
    : 'no mathjs fetch seen';

  return {
    results: { reasoning: { stream, toolRounds } },
    rows: [
      row(
        `Streaming with a thinking block, app ÷ raw engine tok/s — ${label(thinker)}`,
        `${round(stream.ratio)} (${round(stream.appRate, 0)} / ${round(stream.rawRate, 0)} tok/s)`,
        '≥ 0.97',
        stream.ratio >= 0.97,
        `median of ${stream.runs.length} interleaved pairs (single pairs ${stream.ratioRange.map((r) => round(r)).join('–')}), ${apps[0].tokens} tokens of which ${apps[0].thinkingTokens} thinking, tools offered on both sides (prompt ${apps[0].promptTokens} tokens); on screen ÷ llama.cpp's rate ${round(stream.appDelivery, 3)} (raw ${round(stream.rawDelivery, 3)}); CPU per token app ÷ raw ${round(stream.cpuRatio)}, ms/token app (raw): ${cpuParts(stream)}; ${stream.threads} threads`,
      ),
      row(
        `Tool round overhead, app beyond the engine — ${label(tools)}`,
        `+${round(toolRounds.overheadMs, 0)} ms (${round(toolRounds.ratio)}× : ${round(toolRounds.appMs, 0)} / ${round(toolRounds.rawMs, 0)} ms)`,
        'report',
        null,
        `Enter to stats in the app − the same two requests' time on the raw page, median of ${toolRounds.runs.length} interleaved pairs (app ÷ raw ${toolRounds.ratioRange.map((r) => round(r)).join('–')}); app: step shown ${round(toolRounds.app.stepMs, 0)} ms, result ${round(toolRounds.app.resultMs, 0)} ms (calculator ${round(toolRounds.app.toolMs, 1)} ms), answer ${round(toolRounds.app.answerMs, 0)} ms; raw: calls ${round(toolRounds.raw.firstCallMs, 0)} + ${round(toolRounds.raw.secondCallMs, 0)} ms (llama.cpp's own ${round(toolRounds.raw.llamaMs, 0)} ms); second prompt ${toolRounds.secondPromptTokens} tokens, ${toolRounds.samePrompt ? 'the same' : 'NOT the same'} in the app`,
      ),
      row(
        `Tool round overhead, first round after a load — ${label(tools)}`,
        `+${round(cold.overheadMs, 0)} ms (${round(cold.appMs, 0)} / ${round(cold.rawMs, 0)} ms)`,
        'report',
        null,
        `each side's first round, unpaired: app step shown ${round(cold.stepMs, 0)} ms, result ${round(cold.resultMs, 0)} ms, answer ${round(cold.answerMs, 0)} ms; raw calls ${cold.rawCalls.map((c) => round(c.totalMs, 0)).join(' + ')} ms; the calculator took ${round(cold.toolMs, 0)} ms from step to result (warm ${round(toolRounds.app.toolMs, 1)} ms): ${math}`,
      ),
    ],
  };
}
