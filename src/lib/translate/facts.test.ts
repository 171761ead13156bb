import { describe, expect, it } from 'vitest';
import { checkPiece, factsOf, shapeOf } from './facts';

describe('checkPiece', () => {
  it('finds numbers in another format or script, and reports the ones that are gone', () => {
    expect(checkPiece('It cost 1,000.50 euros in 2024.', 'Es kostete 1.000,50 Euro im Jahr 2024.', false).lost).toEqual(
      [],
    );
    expect(checkPiece('Room 42 on floor 3.', 'غرفة ٤٢ في الطابق ٣.', false).lost).toEqual([]);
    expect(checkPiece('Room 42 on floor 3.', 'Chambre au troisième étage.', false).lost).toEqual(['42', '3']);
  });

  it('reports a URL or a name that was dropped', () => {
    const check = checkPiece('Ask Maria at https://example.org/help today.', 'Demandez aujourd’hui.', true);
    expect(check.lost).toEqual(['https://example.org/help', 'Maria']);
    expect(factsOf('The start. Then Oslo, then Bergen.', true)).toEqual(['Oslo', 'Bergen']);
    expect(factsOf('The start. Then more.', true)).toEqual([]);
  });

  it('sees a heading, list or table that changed shape', () => {
    expect(shapeOf('## Title\n\nText.\n\n- a\n- b\n\n| a | b |\n| - | - |\n| 1 | 2 |')).toBe('h2 p ul2 table3x2');
    expect(checkPiece('## Title\n\nText.', '## Titre\n\nTexte\nsur deux lignes.', false).structureChanged).toBe(false);
    expect(checkPiece('## Title\n\nText.', 'Titre. Texte.', false).structureChanged).toBe(true);
  });
});
