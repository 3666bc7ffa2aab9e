/**
 * What counts as a correct outcome: a result whose tensors are well formed
 * and agree across backends (and with the float64 evaluation where cheap),
 * or an `Error` whose message begins with the function's name — never an
 * internal TypeError, a silent result for an input the generator knows is
 * invalid, or a slow call.
 */
import type { Case } from './cases.js';
import type { Outcome, Rec } from './exec.js';
import { describe } from './spec.js';

/** A case slower than this on one backend counts as a hang. */
export const SLOW_MS = 5_000;

export function describeCase(c: Case): string {
  const args = c.args.map(describe).join(', ');
  const ctor = c.ctor ? `(${c.ctor.map(describe).join(', ')})` : '';
  const self = c.self ? `${describe(c.self)}.` : '';
  return `${self}${c.target}${ctor}(${args})`;
}

/** Problems with one backend's outcome on its own. */
export function judge(c: Case, o: Outcome): string[] {
  const out = [...o.problems];
  if (o.kind === 'error') {
    if (o.phase === 'setup') return out;
    if (o.ctor !== 'Error') out.push(`internal ${o.ctor} (${o.phase}): ${o.message}`);
    const names = o.phase === 'backward' ? [...c.names, 'backward'] : c.names;
    if (!names.some((n) => o.message.startsWith(`${n}: `)))
      out.push(
        `unclear error (${o.phase}; expected it to start with ${names.map((n) => `'${n}: '`).join(' or ')}): ${o.message}`,
      );
    if (c.expect === 'ok') out.push(`a valid call was refused: ${o.message}`);
  } else if (c.expect === 'error') {
    out.push(`silent acceptance: ${c.why ?? 'an invalid argument'} gave a result`);
  }
  return out;
}

function close(a: number, b: number, dtype: string | undefined, rtol?: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  const tol = rtol ?? (dtype === 'float64' ? 1e-9 : dtype === 'int32' ? 0 : 1e-4);
  return Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b));
}

/** Differences between two outcomes of the same case (on two backends). */
export function compare(
  a: Outcome,
  b: Outcome,
  what: string,
  lenient = false,
  float32Inputs = false,
): string[] {
  if (a.kind !== b.kind) {
    const desc = (o: Outcome) => (o.kind === 'ok' ? 'a result' : `${o.ctor} '${o.message}'`);
    return [`${what}: ${desc(a)} vs ${desc(b)}`];
  }
  if (a.kind === 'error' && b.kind === 'error') {
    return a.message === b.message
      ? []
      : [`${what}: errors differ: '${a.message}' vs '${b.message}'`];
  }
  return compareRecs(
    (a as { recs: Rec[] }).recs,
    (b as { recs: Rec[] }).recs,
    what,
    undefined,
    undefined,
    lenient,
    float32Inputs,
  );
}

/**
 * `lenient`: for inputs full of ±Infinity, NaN and values near float32's
 * limit, a NaN on one backend and ±Infinity on another are both "overflowed"
 * (the order in which kernels sum decides which); a finite value against a
 * non-finite one is still a difference.
 */
export function compareRecs(
  ra: Rec[],
  rb: Rec[],
  what: string,
  rtol?: number,
  skip?: (ref: number) => boolean,
  lenient = false,
  float32Inputs = false,
): string[] {
  if (ra.length !== rb.length) return [`${what}: ${ra.length} values vs ${rb.length}`];
  for (let i = 0; i < ra.length; i++) {
    const x = ra[i];
    const y = rb[i];
    if (x.label !== y.label) return [`${what}: ${x.label} vs ${y.label}`];
    if (x.text !== y.text) return [`${what}: ${x.label} is ${x.text} vs ${y.text}`];
    if (rtol === undefined && x.dtype !== y.dtype)
      return [`${what}: ${x.label} dtype ${x.dtype} vs ${y.dtype}`];
    if (String(x.shape) !== String(y.shape))
      return [`${what}: ${x.label} shape [${String(x.shape)}] vs [${String(y.shape)}]`];
    const dx = x.data ?? [];
    const dy = y.data ?? [];
    for (let k = 0; k < dx.length; k++) {
      if (skip?.(dy[k])) continue;
      // Overflow: whether a sum near float32's limit lands on ±Infinity or on a finite value (or
      // Infinity − Infinity on NaN) depends on the order of the sum, which kernels may choose.
      const big = (v: number) => !Number.isFinite(v) || Math.abs(v) > 1e37;
      if (lenient && big(dx[k]) && big(dy[k])) continue;
      const dtype = float32Inputs && x.dtype === 'float64' ? 'float32' : x.dtype;
      if (!close(dx[k], dy[k], dtype, rtol))
        return [`${what}: ${x.label}[${k}] is ${dx[k]} vs ${dy[k]}`];
    }
  }
  return [];
}
