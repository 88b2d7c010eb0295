/** Splits a protobuf FieldMask (`"a,b.c"`) into paths; empty means none given. */
export function maskPaths(mask: string | undefined): string[] {
  return (mask ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}
