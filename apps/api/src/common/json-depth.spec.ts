import { jsonTooDeep, MAX_JSON_DEPTH } from './json-depth';

describe('jsonTooDeep', () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  it('allows MAX_JSON_DEPTH levels and refuses one more', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(jsonTooDeep(nested(64))).toBe(false);
    expect(jsonTooDeep(nested(65))).toBe(true);
    expect(jsonTooDeep('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toBe(true);
  });
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeep(JSON.stringify({ a: '['.repeat(1000), b: '\\"{'.repeat(1000) }))).toBe(false);
    expect(jsonTooDeep(`{"a":"\\"","b":${nested(65)}}`)).toBe(true);
  });
});
