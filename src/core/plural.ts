/** The word for a number of things: `plural(2, "token")` → "tokens"; irregular forms are given: `plural(n, "copy", "copies")`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** The number and the word: `counted(3, "token")` → "3 tokens". */
export function counted(n: number, one: string, many?: string): string {
  return `${n} ${plural(n, one, many)}`;
}
