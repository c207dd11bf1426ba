/**
 * The deepest nesting a JSON body may have. No route reads more than a few levels (a Tiptap
 * document is the deepest, well under this); 1,000+ levels made class-transformer overflow its
 * stack (a 500) after half a second of event loop, even before authentication.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `text` nests arrays and objects deeper than `max`: one pass over the raw string,
 * counting `[` and `{` outside strings (escapes inside strings are skipped). Malformed JSON is
 * left to the parser, which refuses it on its own terms.
 */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}
