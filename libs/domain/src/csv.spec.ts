import { csvCell, csvLine, isFormulaLike } from './csv';

describe('CSV cells', () => {
  it.each(['=1+1', '+33 6 12', '-2', '@SUM(A1:A9)', '\tcmd', '\r=x', '=HYPERLINK("http://x","y")'])('neutralises %j with a quote and quotes the cell', (value) => {
    expect(isFormulaLike(value)).toBe(true);
    expect(csvCell(value)).toBe(`"'${value.replace(/"/g, '""')}"`);
  });

  it('leaves ordinary text alone, quoting only when needed or asked', () => {
    expect(csvCell('Dupont')).toBe('Dupont');
    expect(csvCell('Jean-Marc')).toBe('Jean-Marc');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('a "b"')).toBe('"a ""b"""');
    expect(csvCell('a,b', { separator: ',' })).toBe('"a,b"');
    expect(csvCell('Dupont', { quote: true })).toBe('"Dupont"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-12)).toBe('-12');
    expect(isFormulaLike(' =1')).toBe(false);
  });

  it('joins a line with the separator', () => {
    expect(csvLine(['x', '=1', 3])).toBe(`x;"'=1";3`);
    expect(csvLine(['x', 'y'], { separator: ',' })).toBe('x,y');
  });
});
