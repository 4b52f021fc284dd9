/**
 * "Did you mean": edit distance with transpositions (Damerau–Levenshtein, optimal string
 * alignment), bounded so a long list of candidates stays cheap.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    let rowMin = row[0];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[cols - 1]!;
}

/** The candidates nearest to `query`, best first; a prefix or substring match counts as near. */
export function nearest(query: string, candidates: Iterable<string>, limit = 3): string[] {
  const q = query.toLowerCase();
  const max = Math.max(2, Math.floor(q.length / 3));
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of candidates) {
    const n = name.toLowerCase();
    let score = editDistance(q, n, max);
    if (score > max && q.length >= 3 && (n.startsWith(q) || n.includes(q))) score = max + 0.5;
    if (score <= max + 0.5) scored.push({ name, score });
  }
  scored.sort((x, y) => x.score - y.score || x.name.length - y.name.length || x.name.localeCompare(y.name));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { name } of scored) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
    if (out.length === limit) break;
  }
  return out;
}
