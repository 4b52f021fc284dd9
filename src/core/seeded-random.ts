/**
 * mulberry32: a small, fast, seeded generator, identical on every platform. For generated data
 * only (benchmark catalogs, demo facts), never for anything secret. A string seed is hashed
 * (FNV-1a) first, so a service name gives the same sequence every time.
 */
export function seededRandom(seed: number | string): () => number {
  let a: number;
  if (typeof seed === 'string') {
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
    a = h >>> 0;
  } else a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
