// A markdown-rich reply streamed through the app (bench/lib/markdown.mjs): main-thread long tasks,
// and whether a render costs more as the reply grows.
import { measureMarkdownStream } from '../lib/markdown.mjs';
import { row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'markdown';
export const needs = ['app', 'browser', 'models'];

export async function run({ quick, log, browser, app, fixtures, modelUrl }) {
  const model = fixtures.models.markdown;
  const tokens = quick ? 1000 : 2000;
  log(`markdown-rich reply: ${tokens} tokens`);
  const md = await measureMarkdownStream(browser, {
    appUrl: app.url,
    modelUrl: modelUrl(model),
    name: model.name,
    tokens,
  });
  const structure = `${md.elements.h2} headings, ${md.elements.table} tables, ${md.elements.pre} code blocks, ${md.elements.a} links`;
  const growth = md.medianRenderMs.lastQuarter / md.medianRenderMs.firstQuarter;
  const perToken = md.renderMsPerToken.lastQuarter / md.renderMsPerToken.firstQuarter;
  return {
    results: { markdown: md },
    rows: [
      row(
        `Main-thread long tasks, ${md.tokens}-token markdown reply`,
        `${md.longTasks.length} (max ${round(Math.max(0, ...md.longTasks.map((t) => t.duration)), 0)} ms)`,
        'none > 50 ms',
        md.longTasks.length === 0,
        `${md.longTasksWithRender} of them around a markdown render; ${md.sourceChars} chars: ${structure}`,
      ),
      row(
        'Markdown render per frame, last ÷ first quarter of reply',
        `${round(growth)} (${round(md.medianRenderMs.lastQuarter, 2)} / ${round(md.medianRenderMs.firstQuarter, 2)} ms)`,
        '≤ 1.5',
        growth <= 1.5,
        `medians of ${md.renders} renders; slope ${round(md.slopeMsPerKChar, 3)} ms per 1,000 chars`,
      ),
      row(
        'Markdown render time per token, last ÷ first quarter',
        `${round(perToken)} (${round(md.renderMsPerToken.lastQuarter, 3)} / ${round(md.renderMsPerToken.firstQuarter, 3)} ms)`,
        '≤ 1.5',
        perToken <= 1.5,
        `max render ${round(md.maxRenderMs, 1)} ms`,
      ),
    ],
  };
}
