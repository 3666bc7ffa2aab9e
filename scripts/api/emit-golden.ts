/**
 * The golden case list: every entry's PyTorch callable, its parameter list
 * as nnkit declares it (PyTorch names, skipped ones included), its module's,
 * and its samples. scripts/golden/registry.py checks the lists against
 * PyTorch's own signatures and records PyTorch's results for the samples.
 */
import { moduleShape, type Param } from '../../src/registry/define.js';
import { docsOf } from '../../src/registry/docs.js';
import type { EntrySource } from './sources.js';

function jsonValue(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v))
    return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

function paramInfo(p: Param) {
  return {
    name: p.name,
    torchName:
      p.torchName === null
        ? null
        : (p.torchName ?? p.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
    kwOnly: p.kwOnly === true,
    tensor: p.type.ts.includes('Tensor'),
    hasDefault: Object.prototype.hasOwnProperty.call(p, 'default'),
    default: typeof p.default === 'function' ? null : jsonValue(p.default ?? null),
  };
}

export function emitGoldenCases(sources: readonly EntrySource[]): string {
  const entries = sources.map(({ entry: e }) => {
    const { samples = [], golden } = docsOf(e);
    const shape = e.module ? moduleShape(e) : null;
    return {
      name: e.name,
      torch: e.torch,
      functional: e.functional !== false,
      torchParams: e.torchParams,
      params: e.params.map(paramInfo),
      module: shape && {
        name: shape.spec.name,
        torchParams: shape.torchParams,
        params: shape.signature.params.map(paramInfo),
        inputs: shape.inputs.map((p) => p.name),
        fromMode: shape.spec.fromMode ?? null,
      },
      samples: samples.map((s) =>
        s.args
          ? {
              ...s,
              args: Object.fromEntries(Object.entries(s.args).map(([k, v]) => [k, jsonValue(v)])),
            }
          : s,
      ),
      pointwise: e.pointwise === true,
      golden: golden ? { options: golden.options ?? [{}], kinks: golden.kinks } : null,
    };
  });
  return `${JSON.stringify({ generator: 'scripts/gen-api.ts', entries }, null, 1)}\n`;
}
