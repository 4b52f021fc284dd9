/**
 * What a person sees when something broke on Steward's side: only a reference, never the error,
 * which the log line with the same reference holds. One text for the router and the adapters.
 */
export const apology = (ref: string): string =>
  `Something went wrong on my side (ref ${ref}). The team running Steward can look it up by that reference.`;
