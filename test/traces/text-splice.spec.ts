import { textSplice } from '../../apps/api/src/traces/traces.service';

/** PostgreSQL's `left(before, prefix) || middle || right(before, suffix)`, in characters (code points). */
const applied = (before: string, { prefix, middle, suffix }: ReturnType<typeof textSplice>) => {
  const points = [...before];
  return points.slice(0, prefix).join('') + middle + (suffix ? points.slice(-suffix).join('') : '');
};

describe('the stretch of plain text an autosave sends PostgreSQL', () => {
  it('turns the stored text into the new one, whatever the characters around the change', () => {
    const alphabet = ['a', 'é', '\n', '🩺', '🧠', '👶', ' '];
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const word = (length: number) => Array.from({ length }, () => alphabet[random(alphabet.length)]);
    for (let i = 0; i < 5000; i++) {
      // Long unchanged stretches around the change, as in a 10-page trace, now and then.
      const [head, tail] = random(2) ? ['é🩺a '.repeat(random(400)), ' 👶b'.repeat(random(400))] : ['', ''];
      const points = word(random(12));
      const before = head + points.join('') + tail;
      // Cut between characters, as an edit does.
      const changed = random(3) === 0 ? word(random(12)).join('') : [...points.slice(0, random(points.length + 1)), ...word(random(4)), ...points.slice(random(points.length + 1))].join('');
      const after = head + changed + tail;
      expect(applied(before, textSplice(before, after))).toBe(after);
    }
  });

  it('sends only what changed', () => {
    expect(textSplice('Une angine 🩺 chez un enfant.', 'Une otite 🩺 chez un enfant.')).toEqual({ prefix: 4, middle: 'otit', suffix: 19 });
    expect(textSplice('🩺', '🧠')).toEqual({ prefix: 0, middle: '🧠', suffix: 0 });
    expect(textSplice('même', 'même')).toEqual({ prefix: 4, middle: '', suffix: 0 });
  });
});
