/** Small helpers shared by the generator's parts. */
export const DAY = 86_400_000;

// Read once into module constants: under jest every global lookup goes through the vm context's interceptor,
// and the generator makes millions of them (it ran several times slower there than in plain node).
const { exp, floor } = Math;
const { isInteger } = Number;

export const sigmoid = (x: number): number => 1 / (1 + exp(-x));

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_PREFIX = new Map<number, string>();
/** `HH:MM:SS.` per second of the day, filled as needed. */
const TIME_OF_DAY: Array<string | undefined> = new Array<string | undefined>(86_400);
/** 10000-01-01T00:00:00Z: from there on toISOString writes six-digit years. */
const ISO_END = 253_402_300_800_000;

/**
 * Same string as `new Date(ms).toISOString()`, several times faster: a 100,000-contact portal formats
 * close to a million timestamps and `toISOString` was a fifth of the generator's time. Date and time of
 * day are cached (a portal spans a few hundred days); anything unusual goes to `toISOString`.
 */
export function iso(ms: number): string {
  if (!isInteger(ms) || ms < 0 || ms >= ISO_END) return new Date(ms).toISOString();
  const day = floor(ms / DAY);
  let prefix = DAY_PREFIX.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    if (DAY_PREFIX.size >= 100_000) DAY_PREFIX.clear(); // bounded: a long-running simulator keeps calling
    DAY_PREFIX.set(day, prefix);
  }
  const inDay = ms - day * DAY;
  const milli = inDay % 1000;
  const second = (inDay - milli) / 1000;
  let time = TIME_OF_DAY[second];
  if (time === undefined) {
    const s = second % 60;
    const m = ((second - s) / 60) % 60;
    const h = (second - s - m * 60) / 3600;
    time = `${PAD2[h] as string}:${PAD2[m] as string}:${PAD2[s] as string}.`;
    TIME_OF_DAY[second] = time;
  }
  return prefix + time + (PAD3[milli] as string) + 'Z';
}

/** Ids in the same spaced sequence the portal uses (gaps, above 2^31). */
export function idSequence(first: number): () => string {
  let next = first;
  return () => {
    const id = next;
    next = id + 1 + (id % 3);
    return `${id}`; // not String(id): a global lookup, slow under jest (see above)
  };
}

const SLUGS = new Map<string, string>();

/** Lower-case ASCII letters and digits only. Cached: the inputs are a few hundred vocabulary words. */
export function slug(text: string): string {
  let out = SLUGS.get(text);
  if (out === undefined) {
    out = text
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9]+/g, '');
    if (SLUGS.size < 10_000) SLUGS.set(text, out);
  }
  return out;
}
