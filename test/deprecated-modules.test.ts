/**
 * PyTorch's deprecated module names (src/nn/deprecated.ts): `nn.NLLLoss2d`
 * is `nn.NLLLoss` under its old name, with the same arguments, values and
 * gradients, printed as PyTorch 1.13 prints it (`NLLLoss2d()`, checked
 * there: NLLLoss has no extra repr, whatever its options).
 */
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randint, randn } from '../src/index.js';
import { forEachBackend } from './helpers/backends.js';

forEachBackend(() => {
  describe('nn.NLLLoss2d', () => {
    it('gives nn.NLLLoss’s loss and gradient on images, with its options', () => {
      manualSeed(4);
      const logits = randn([2, 3, 4, 5]);
      const target = randint(0, 3, [2, 4, 5]);
      const weight = randn([3]).abs();
      const run = (m: nn.NLLLoss) => {
        const x = logits.logSoftmax(1).detach().requiresGrad_();
        const y = m.forward(x, target);
        y.backward();
        return [Array.from(y.data), Array.from(x.grad!.data)];
      };
      const opts = { ignoreIndex: 1, reduction: 'sum' } as const;
      const old = new nn.NLLLoss2d(weight, opts);
      expect(old).toBeInstanceOf(nn.NLLLoss);
      expect(run(old)).toEqual(run(new nn.NLLLoss(weight, opts)));
    });

    it('prints under its own name, as PyTorch does', () => {
      expect(new nn.NLLLoss2d().toString()).toBe('NLLLoss2d()');
      expect(new nn.NLLLoss2d(null, { reduction: 'none' }).toString()).toBe('NLLLoss2d()');
    });
  });
});
