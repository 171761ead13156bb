/** What the Summarize view says while a summary is made, from the pipeline's progress. */
import type { SummarizeProgress } from './pipeline';

export function describeProgress(progress: SummarizeProgress | undefined): string {
  if (!progress) return 'Preparing…';
  switch (progress.stage) {
    case 'reading':
      return `Reading part ${progress.part} of ${progress.total}`;
    case 'combining':
      return `Combining summaries, round ${progress.level}: part ${progress.part} of ${progress.total}`;
    case 'writing':
      return 'Writing the summary…';
  }
}
