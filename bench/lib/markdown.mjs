// A long markdown-rich reply through the app: a generated model whose reply is headings, bold,
// inline code, links, lists, fenced code and tables (bench/lib/markdown-reply.mjs), streamed for
// `tokens` tokens. Records main-thread long tasks, and the markdown renderer's own User Timing
// measures (src/ui/chat/Markdown.svelte): a renderer that re-parses only the growing tail block
// costs the same per frame at the end of the reply as at its start.
import { addModel, loadInApp, newConversation, streamInApp } from './app.mjs';
import { median } from './stats.mjs';

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, modelUrl: string, name: string, tokens: number }} options
 */
export async function measureMarkdownStream(browser, { appUrl, modelUrl, name, tokens }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/chat`);
    await loadInApp(page, name);
    await newConversation(page, { 'Max tokens': tokens });
    const run = await streamInApp(page, 'Write a long markdown answer, please.');
    const reply = page.getByTestId('message-assistant').last().getByTestId('message-text');
    const elements = await reply.evaluate((node) =>
      Object.fromEntries(
        ['h2', 'strong', 'code', 'a', 'li', 'pre', 'table', 'tr'].map((tag) => [
          tag,
          node.querySelectorAll(tag).length,
        ]),
      ),
    );

    // Renders while streaming (one per frame at most); the final one after the stream is apart.
    const live = run.renders.filter((render) => render.live);
    // Quarters of the markdown source (what the renderer measures), not of the text on screen.
    const total = Math.max(0, ...run.renders.map((render) => render.chars));
    const inQuarter = (q) => live.filter((r) => r.chars > (total * q) / 4 && r.chars <= (total * (q + 1)) / 4);
    const first = inQuarter(0);
    const last = inQuarter(3);
    const sum = (list) => list.reduce((s, r) => s + r.duration, 0);
    const tokensPerQuarter = run.tokens / 4;
    return {
      tokens: run.tokens,
      chars: run.chars,
      tokensPerSecond: run.tokensPerSecond,
      elements,
      longTasks: run.longTasks,
      renders: live.length,
      finalRenderMs: run.renders.filter((render) => !render.live).at(-1)?.duration,
      medianRenderMs: {
        firstQuarter: median(first.map((r) => r.duration)),
        lastQuarter: median(last.map((r) => r.duration)),
      },
      renderMsPerToken: {
        all: sum(live) / run.tokens,
        firstQuarter: sum(first) / tokensPerQuarter,
        lastQuarter: sum(last) / tokensPerQuarter,
      },
      // Milliseconds per render added by every 1,000 characters of reply.
      slopeMsPerKChar: slope(live.map((r) => ({ x: r.chars / 1000, y: r.duration }))),
      maxRenderMs: Math.max(0, ...live.map((r) => r.duration)),
      // Long tasks during which a markdown render ran (the rest is engine messages, GC, layout…).
      longTasksWithRender: run.longTasks.filter((task) =>
        run.renders.some((r) => r.start >= task.start && r.start < task.start + task.duration),
      ).length,
      sourceChars: total,
      renderLog: live.map((r) => [Math.round(r.start), Math.round(r.duration * 100) / 100, r.chars, r.rendered]),
    };
  } finally {
    await context.close();
  }
}
