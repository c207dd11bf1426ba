import { warningsOf } from './attachment-scan.processor';

describe('the warnings of an attachment’s pages', () => {
  it('keeps each finding with its page, and counts a repeat on a page once', () => {
    const warnings = warningsOf([
      { page: 1, text: 'Courrier de sortie.\nNé le 03/04/1951.\nNé le 03/04/1951.', ocr: false },
      { page: 2, text: 'Rien à signaler sur cette page.', ocr: false },
      { page: 3, text: 'Joignable au 06 12 34 56 78.', ocr: true },
    ]);
    expect(warnings.map((w) => [w.kind, w.page])).toEqual([['birth_date', 1], ['phone', 3]]);
    expect(warnings[0].excerpt).toContain('03/04/1951');
    expect(warnings.every((w) => w.message.length > 0)).toBe(true);
  });

  it('gives an image’s findings no page', () => {
    expect(warningsOf([{ page: null, text: 'Patiente : Mme Durand', ocr: true }]).map((w) => [w.kind, w.page])).toEqual([['name', null]]);
  });
});
