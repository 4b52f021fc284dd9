/** A plain object (not null, not an array): what parsed JSON and YAML must be before reading fields. */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
