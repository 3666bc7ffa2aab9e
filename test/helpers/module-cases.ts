/**
 * The module golden cases that scripts/golden/common.py's `module_case`
 * writes (padding, upsampling): each module built from PyTorch's positional
 * arguments must print PyTorch's repr, and give its output and the input's
 * gradient for the same upstream gradient, on every backend.
 */
import { describe, expect, it } from 'vitest';
import { nn, type Tensor } from '../../src/index.js';
import { forEachBackend } from './backends.js';
import { decodeTensor, expectClose, loadGolden, type EncodedTensor } from './golden.js';

interface ModuleCase {
  ctor: string;
  args: unknown[];
  repr: string;
  input: EncodedTensor;
  output: EncodedTensor;
  upstream: EncodedTensor;
  grad: EncodedTensor;
}

type OneInputModule = nn.Module & { forward(x: Tensor): Tensor };

/** Runs test/golden/`fixture`.json's module cases, under `what` (`padding modules`). */
export function checkModuleCases(what: string, fixture: string): void {
  const golden = loadGolden<ModuleCase>(fixture);
  forEachBackend(() => {
    describe(`${what} against PyTorch ${golden.torch_version}`, () => {
      for (const c of golden.cases) {
        it(`${c.repr} on ${JSON.stringify(c.input.shape)}: output and gradient`, () => {
          const ctors = nn as unknown as Record<string, new (...a: unknown[]) => OneInputModule>;
          const m = new ctors[c.ctor](...c.args);
          expect(m.toString()).toBe(c.repr);
          const x = decodeTensor(c.input, true);
          const y = m.forward(x);
          expectClose(y, c.output, `${c.repr} output`);
          y.backward(decodeTensor(c.upstream));
          expectClose(x.grad!, c.grad, `${c.repr} gradient`);
        });
      }
    });
  });
}
