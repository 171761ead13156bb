/** A translated part's flags in words, for the view's "check these parts" list. */
import type { PartFlag } from './translate';

export function describeFlag(flag: PartFlag): string {
  switch (flag.kind) {
    case 'lost':
      return `may have lost ${flag.items.map((item) => `“${item.length > 60 ? `${item.slice(0, 57)}…` : item}”`).join(', ')}`;
    case 'structure':
      return 'its headings, lists or table came back in another shape';
    case 'cut-short':
      return 'the translation was cut short';
  }
}
