/** Pure functions of the editor page: no DOM, no React, tested with Jest. */
export type EditorJson = Record<string, unknown>;

/** JSON with sorted keys: the server's jsonb reorders keys, the editor does not. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Text of a document, one block per line, for the diff between revisions. */
export function blocksOf(doc: EditorJson | undefined): string[] {
  const lines: string[] = [];
  const walk = (node: { type?: string; text?: string; content?: unknown[] }, into: string[]) => {
    if (node.text) into.push(node.text);
    for (const child of (node.content ?? []) as { type?: string }[]) {
      if (['paragraph', 'heading', 'listItem', 'tableCell', 'tableHeader', 'codeBlock'].includes(child.type ?? '')) {
        const parts: string[] = [];
        walk(child, parts);
        lines.push(parts.join(''));
      } else walk(child as never, into);
    }
  };
  if (doc) walk(doc as never, lines);
  return lines.filter((l) => l.trim());
}

/** A line diff (longest common subsequence): enough to see what changed between two versions. */
export function diff(before: string[], after: string[]): { kind: 'same' | 'added' | 'removed'; text: string }[] {
  const n = before.length;
  const m = after.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: { kind: 'same' | 'added' | 'removed'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) (out.push({ kind: 'same', text: before[i] }), i++, j++);
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ kind: 'removed', text: before[i++] });
    else out.push({ kind: 'added', text: after[j++] });
  }
  while (i < n) out.push({ kind: 'removed', text: before[i++] });
  while (j < m) out.push({ kind: 'added', text: after[j++] });
  return out;
}

