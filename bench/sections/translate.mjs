// The Translate view's cost per input character at 10× and 50× the model's window against 1×
// (bench/lib/translate.mjs).
import { scalingMultiples, scalingOptions } from '../lib/scaling-options.mjs';
import { measureTranslate } from '../lib/translate.mjs';
import { row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'translate';
export const needs = ['app', 'baseline', 'browser', 'models'];

export async function run(ctx) {
  ctx.log(`translations of ${scalingMultiples(ctx.quick).join('×, ')}× the window`);
  const tr = await measureTranslate(ctx.browser, scalingOptions(ctx));
  const [base, ...rest] = tr.runs;
  const rows = rest.map((run) => {
    const ratio = run.msPerKChar / base.msPerKChar;
    return row(
      `Translate time per input char, ${run.multiple}× ÷ 1× the window`,
      `${round(ratio)} (${round(run.msPerKChar, 0)} / ${round(base.msPerKChar, 0)} ms per 1,000 chars)`,
      '≤ 1.3',
      ratio <= 1.3,
      `${round(run.ms / 1000, 1)} s, ${run.parts} parts (1×: ${base.parts}), ${run.secondTries} second tries; page main-thread work per char ${round(run.mainThreadMsPerKChar / base.mainThreadMsPerKChar)}× 1×'s; last fifth of the parts ÷ first fifth ${round(run.lateParts)}; 1×: median of ${base.samples.length}`,
    );
  });
  return { rows, results: { translate: tr } };
}
