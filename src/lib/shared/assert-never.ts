/**
 * The end of an exhaustive `switch` over a discriminated union: TypeScript fails the build when a
 * case is missing, and a value that slips past the types at run time (another realm's message)
 * fails loudly instead of being ignored.
 */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
