/**
 * The TypeScript side of Python's argument binding for constructors: the
 * arguments after the first are a prefix of the positional parameters
 * (in PyTorch's order), optionally followed by one options object that
 * names the rest. `bindArgs` enforces the same rules at run time.
 */

type Prefixes<P extends readonly unknown[]> = P extends readonly [...infer Init, unknown]
  ? P | Prefixes<Init>
  : [];

/**
 * `PyArgs<[lr: number, momentum: number], Options>` accepts `[]`, `[0.1]`,
 * `[0.1, 0.9]`, and each of those followed by an options object.
 */
export type PyArgs<P extends readonly unknown[], O> =
  Prefixes<P> extends infer X ? (X extends readonly unknown[] ? X | [...X, O] : never) : never;
