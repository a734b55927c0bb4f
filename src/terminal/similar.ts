/** "Did you mean ...?": the candidates closest to a mistyped word. */

/** Edit distance (insert, delete, substitute, swap of neighbours). */
export function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Candidates that start with the word, or are within a third of its length in edits; best first. */
export function similar(word: string, candidates: readonly string[], max = 3): string[] {
  const lower = word.toLowerCase();
  const allowed = Math.max(1, Math.floor(lower.length / 3));
  return candidates
    .map((candidate) => {
      const c = candidate.toLowerCase();
      const score = c.startsWith(lower) || lower.startsWith(c) ? 0 : distance(lower, c);
      return { candidate, score };
    })
    .filter(({ score }) => score <= allowed)
    .sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}
