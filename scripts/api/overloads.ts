/**
 * TypeScript overloads for Python's binding: one signature per number of
 * parameters given by position, the rest in a trailing options object.
 */
import type { Param } from '../../src/registry/define.js';

const RESERVED = new Set(['var', 'function', 'class', 'default', 'delete', 'in', 'new']);

/** A parameter's name as a TypeScript identifier (`var` → `var_`). */
export function ident(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

export function isOptional(p: Param): boolean {
  return Object.prototype.hasOwnProperty.call(p, 'default');
}

/**
 * The parameter lists of the overloads (without parentheses): `leading`
 * parameters always by position, then 0, 1, … of the positional `rest`,
 * then the options object typed as `optionsType` minus what was given.
 */
export function overloadParams(
  leading: readonly Param[],
  rest: readonly Param[],
  optionsType: string,
  pin?: Pin,
): string[] {
  return overloads(leading, rest, optionsType, pin).map((o) => o.params);
}

/** One overload: its parameter list, the positional parameters it has, and whether it ends with options. */
export interface Overload {
  readonly params: string;
  readonly positional: readonly Param[];
  readonly options: boolean;
}

/**
 * A parameter given one type in a set of overloads: the literal `true` of `returnIndices`
 * (then it is required, by position or in the options) to return a pair, `false` (optional)
 * to return a tensor, or a module's type parameter `R`.
 */
export interface Pin {
  readonly param: string;
  readonly ts: string;
  readonly required: boolean;
}

/** The overloads of {@link overloadParams}, with what each one takes (`pin`: see {@link Pin}). */
export function overloads(
  leading: readonly Param[],
  rest: readonly Param[],
  optionsType: string,
  pin?: Pin,
): Overload[] {
  const positional = rest.filter((p) => !p.kwOnly);
  const firstKw = rest.findIndex((p) => p.kwOnly);
  if (firstKw >= 0 && rest.slice(firstKw).some((p) => !p.kwOnly)) {
    throw new Error(`gen-api: keyword-only parameters must come last (${optionsType})`);
  }
  const pinned = (p: Param) => pin !== undefined && p.name === pin.param;
  const out: Overload[] = [];
  for (let j = 0; j <= positional.length; j++) {
    const given = positional.slice(0, j);
    const remaining = rest.filter((p) => !given.includes(p));
    // A required pinned value (by position, or in the options after them): the optional
    // positional ones before it take `undefined` instead.
    const pinnedAt = !pin?.required ? -1 : given.some(pinned) ? given.findIndex(pinned) : j;
    const args = [
      ...leading.map((p) => `${ident(p.name)}: ${p.type.ts}`),
      ...given.map((p, i) => {
        if (pinned(p)) return `${ident(p.name)}${pin?.required ? '' : '?'}: ${pin?.ts}`;
        if (i < pinnedAt && isOptional(p)) return `${ident(p.name)}: ${p.type.ts} | undefined`;
        return `${ident(p.name)}${isOptional(p) ? '?' : ''}: ${p.type.ts}`;
      }),
    ];
    if (remaining.length > 0) {
      const pinnedOption = pin !== undefined && remaining.some(pinned) ? pin : undefined;
      const omitted = [...given.map((p) => p.name), ...(pinnedOption ? [pinnedOption.param] : [])];
      let type = omitted.length
        ? `Omit<${optionsType}, ${omitted.map((n) => `'${n}'`).join(' | ')}>`
        : optionsType;
      if (pinnedOption) {
        type += ` & { ${pinnedOption.param}${pinnedOption.required ? '' : '?'}: ${pinnedOption.ts} }`;
      }
      const required = remaining.some((p) => !isOptional(p)) || (pinnedOption?.required ?? false);
      // Once a positional value is missing, later required ones can only come by name.
      if (given.some((p) => isOptional(p)) && remaining.some((p) => !isOptional(p))) continue;
      args.push(`options${required ? '' : '?'}: ${type}`);
    }
    out.push({
      params: args.join(', '),
      positional: [...leading, ...given],
      options: remaining.length > 0,
    });
  }
  return out;
}

/** The members of an options interface, with TSDoc. */
export function optionMembers(rest: readonly Param[], doc: (p: Param) => string): string[] {
  return rest.flatMap((p) => [
    `  /** ${doc(p)} */`,
    `  ${p.name}${isOptional(p) ? '?' : ''}: ${p.type.ts};`,
  ]);
}
