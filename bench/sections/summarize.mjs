// The Summarize view's cost per input character at 10× and 50× the model's window against 1×
// (bench/lib/summarize.mjs).
import { scalingMultiples, scalingOptions } from '../lib/scaling-options.mjs';
import { measureSummarize } from '../lib/summarize.mjs';
import { row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'summarize';
export const needs = ['app', 'baseline', 'browser', 'models'];

export async function run(ctx) {
  ctx.log(`summaries of ${scalingMultiples(ctx.quick).join('×, ')}× the window`);
  const sum = await measureSummarize(ctx.browser, scalingOptions(ctx));
  const [base, ...rest] = sum.runs;
  const rows = rest.map((run) => {
    const ratio = run.msPerKChar / base.msPerKChar;
    const perCall = run.ms / (run.mapCalls + run.reduceCalls + 1) / (base.ms / (base.mapCalls + base.reduceCalls + 1));
    return row(
      `Summarize time per input char, ${run.multiple}× ÷ 1× the window`,
      `${round(ratio)} (${round(run.msPerKChar, 0)} / ${round(base.msPerKChar, 0)} ms per 1,000 chars)`,
      '≤ 1.3',
      ratio <= 1.3,
      `${round(run.ms / 1000, 1)} s, ${run.mapCalls} map + ${run.reduceCalls} reduce calls; per call ${round(perCall)}× 1×'s (1×: median of ${base.samples.length})`,
    );
  });
  return { rows, results: { summarize: sum } };
}
