/** Small helpers shared by the generator's parts. */
export const DAY = 86_400_000;

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Ids in the same spaced sequence the portal uses (gaps, above 2^31). */
export function idSequence(first: number): () => string {
  let next = first;
  return () => {
    const id = next;
    next = id + 1 + (id % 3);
    return String(id);
  };
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '');
}
