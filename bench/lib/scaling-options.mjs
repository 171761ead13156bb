// Summarize and Translate scale the same text over the summaries' model (a 256-token window, so
// even 1× is several parts), against the same raw engine (bench/lib/scaling.mjs).
import { CONTEXT_LENGTH } from '../../test-support/make-tiny-model.mjs';

export const scalingMultiples = (quick) => (quick ? [1, 10] : [1, 10, 50]);

export const scalingOptions = ({ quick, app, baseline, fixtures, modelUrl }) => ({
  appUrl: app.url,
  rawUrl: `${baseline.url}/raw-engine.html`,
  modelUrl: modelUrl(fixtures.models.summarize),
  name: fixtures.models.summarize.name,
  contextLength: CONTEXT_LENGTH,
  multiples: scalingMultiples(quick),
});
