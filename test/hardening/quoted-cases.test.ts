/**
 * Every case quoted in the hardening issue ("Nothing a user types can crash
 * nnkit"), as a user would type it: each is now a clear error naming the
 * function (or, where the call is valid, PyTorch's result) on every backend.
 */
import { describe, expect, it } from 'vitest';
import {
  F,
  Tensor,
  arange,
  cat,
  data,
  full,
  nn,
  optim,
  rand,
  randint,
  randn,
  tensor,
  zeros,
} from '../../src/index.js';
import { forEachBackend } from '../helpers/backends.js';

const VERSION_ERROR =
  /^backward: one of the variables needed for gradient computation has been modified by an inplace operation: \[float32 \[3, 4\]\], saved by mul, is at version 1; expected version 0 instead\./;

forEachBackend(() => {
  describe('a shape the constructor accepted crashed the native softmax', () => {
    it('new Tensor(new Float32Array(4), [-2, -2]) is refused before any kernel runs', () => {
      expect(() => new Tensor(new Float32Array(4), [-2, -2])).toThrow(
        'Tensor: trying to create tensor with negative dimension -2: [-2, -2]',
      );
      // The same storage with a valid shape goes through the kernel.
      const t = new Tensor(new Float32Array(4), [2, 2]);
      expect(Array.from(F.softmax(t, 1).data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    });
  });

  describe('empty tensors with huge nominal dimensions return at once', () => {
    // Each took minutes before; a hang would now fail this test by its timeout.
    it('softmax, its backward, cat, toArray and toString', { timeout: 20_000 }, () => {
      const x = zeros([2 ** 20, 2 ** 20, 0], { requiresGrad: true });
      for (const dim of [0, 1, 2]) {
        const y = F.softmax(x, dim);
        expect(y.shape).toEqual([2 ** 20, 2 ** 20, 0]);
        y.sum().backward();
        expect(x.grad?.shape).toEqual([2 ** 20, 2 ** 20, 0]);
        x.grad = null;
      }
      expect(cat([x, x], 2).shape).toEqual([2 ** 20, 2 ** 20, 0]);
      expect(cat([x.detach(), x.detach()], 0).shape).toEqual([2 ** 21, 2 ** 20, 0]);
      expect(x.toString()).toBe('tensor([], size=(1048576, 1048576, 0), requires_grad=True)');
      expect(() => x.toArray()).toThrow(
        'toArray: a tensor of shape [1048576, 1048576, 0] would be 1099512676353 nested arrays for 0 elements',
      );
      expect(zeros([0, 2 ** 40]).toArray()).toEqual([]);
    });
  });
});

describe('int32 values PyTorch refuses to overflow', () => {
  it('tensor([1e40, NaN, 3e9], { dtype: "int32" })', () => {
    expect(() => tensor([1e40, NaN, 3e9], { dtype: 'int32' })).toThrow(
      'tensor: value 1e+40 at index 0 cannot be converted to int32 without overflow',
    );
    expect(() => tensor([NaN], { dtype: 'int32' })).toThrow(
      'tensor: value NaN at index 0 cannot be converted to int32 without overflow',
    );
  });
  it('full, arange and randint', () => {
    expect(() => full([2], 3e9, { dtype: 'int32' })).toThrow(
      'full: fillValue 3000000000 cannot be converted to int32 without overflow',
    );
    expect(() => arange(2147483640, 2147483649, { dtype: 'int32' })).toThrow(
      'arange: value 2147483648 (element 8) cannot be converted to int32 without overflow',
    );
    expect(() => randint(0, 3e9, [2])).toThrow(
      'randint: [0, 3000000000) is out of bounds for int32',
    );
  });
  it('randn and rand with dtype int32, arange with a step of the wrong sign', () => {
    expect(() => randn([2], { dtype: 'int32' } as never)).toThrow(
      "randn: dtype must be one of 'float32', 'float64', got 'int32'",
    );
    expect(() => rand([2], { dtype: 'int32' } as never)).toThrow(
      "rand: dtype must be one of 'float32', 'float64', got 'int32'",
    );
    expect(() => arange(0, 5, -1)).toThrow(
      'arange: upper bound and larger bound inconsistent with step sign',
    );
  });
});

describe('arguments that could not bind', () => {
  const x = () => randn([3]);
  it('F.relu(x, null) names the parameter', () => {
    expect(() => F.relu(x(), null as never)).toThrow(
      'relu: inplace must be true or false, got null',
    );
  });
  it('unknown options of the option-less activations', () => {
    for (const name of ['tanh', 'sigmoid', 'softsign', 'tanhshrink', 'logsigmoid'] as const) {
      const f = F[name] as (...args: unknown[]) => Tensor;
      expect(() => f(x(), { bogus: 1 })).toThrow(`${name}: unknown option 'bogus'`);
    }
  });
  it('unknown options of module constructors', () => {
    expect(() => new nn.Linear(3, 2, { bogus: 1 } as never)).toThrow(
      "Linear: unknown option 'bogus' (known: bias, dtype)",
    );
    expect(() => new nn.LeakyReLU({ bogus: 1 } as never)).toThrow(
      "LeakyReLU: unknown option 'bogus'",
    );
    expect(() => new nn.PReLU({ bogus: 1 } as never)).toThrow("PReLU: unknown option 'bogus'");
  });
  it('null for a numeric option is not the default', () => {
    expect(() => F.elu(x(), { alpha: null } as never)).toThrow(
      'elu: alpha must be a number, got null',
    );
    expect(() => F.celu(x(), { alpha: null } as never)).toThrow('celu: alpha must be a number');
    expect(() => F.leakyRelu(x(), { negativeSlope: null } as never)).toThrow(
      'leakyRelu: negativeSlope must be a number, got null',
    );
    expect(() => F.softshrink(x(), { lambd: null } as never)).toThrow(
      'softshrink: lambd must be a number, got null',
    );
  });
  it('duck-typed { shape, data } is not a tensor', () => {
    const duck = { shape: [2], data: new Float32Array(2) };
    expect(() => F.relu(duck as never)).toThrow('relu: input must be a Tensor, got an object');
    expect(() => randn([2]).add(duck as never)).toThrow('add: other must be a number or a Tensor');
  });
  it('Uint8Array class indices, float CTC input lengths, float or negative sampler labels', () => {
    expect(() => F.crossEntropy(randn([2, 3]), new Uint8Array([0, 1]) as never)).toThrow(
      'crossEntropy: target must be a Tensor, got a Uint8Array',
    );
    const lp = randn([5, 1, 3]).logSoftmax(2);
    const targets = tensor([[1, 2]], { dtype: 'int32' });
    expect(() => F.ctcLoss(lp, targets, tensor([5]), tensor([2], { dtype: 'int32' }))).toThrow(
      'ctcLoss: inputLengths must be an int32 tensor, got float32',
    );
    expect(() => new data.BalancedBatchSampler(tensor([0, 1]), { samplesPerClass: 1 })).toThrow(
      'BalancedBatchSampler: labels must be an int32 tensor of class indices, got float32',
    );
    expect(() => new data.BalancedBatchSampler([0.5, 1])).toThrow(
      'BalancedBatchSampler: label 0.5 at index 0 is not an integer',
    );
    expect(() => new data.BalancedBatchSampler(tensor([-1, 1], { dtype: 'int32' }))).toThrow(
      'BalancedBatchSampler: label -1 at index 0 is not a class index',
    );
  });
});

describe('shapes and dtypes that autograd and layers accepted silently', () => {
  it('backward(g) with g of a transposed shape', () => {
    const x = randn([2, 3], { requiresGrad: true });
    expect(() => x.mul(2).backward(randn([3, 2]))).toThrow(
      'backward: gradient has shape [3, 2], expected [2, 3]',
    );
  });
  it('.grad assigned a float64 or int32 tensor for a float32 parameter', () => {
    const m = new nn.Linear(2, 2);
    const opt = new optim.SGD(m.parameters(), 0.1);
    expect(() => (m.weight.grad = randn([2, 2], { dtype: 'float64' }))).toThrow(
      'grad: assigned gradient has dtype float64, but the tensor has dtype float32',
    );
    expect(() => (m.weight.grad = zeros([2, 2], { dtype: 'int32' }))).toThrow(
      'grad: assigned gradient has dtype int32, but the tensor has dtype float32',
    );
    const before = Array.from(m.weight.data);
    opt.step(); // no gradient was assigned: nothing moves
    expect(Array.from(m.weight.data)).toEqual(before);
  });
  it('nn.Linear (float32) fed float64 input', () => {
    expect(() => new nn.Linear(3, 2).forward(randn([2, 3], { dtype: 'float64' }))).toThrow(
      "Linear.forward: input has dtype float64 but the layer's parameters are float32",
    );
  });
});

describe('silent wrong gradients from in-place ops', () => {
  it('F.relu(h, { inplace: true }) on a tensor that mul saved', () => {
    const x = randn([3, 4], { requiresGrad: true });
    const w = randn([3, 4], { requiresGrad: true });
    const h = F.relu(x);
    const y = h.mul(w);
    F.relu(h, { inplace: true });
    expect(() => y.sum().backward()).toThrow(VERSION_ERROR);
  });
  for (const name of ['hardswish', 'mish', 'silu', 'selu'] as const) {
    it(`${name} in place on a saved output`, () => {
      const x = randn([3, 4], { requiresGrad: true });
      const w = randn([3, 4], { requiresGrad: true });
      const h = F[name](x.mul(1));
      const y = h.mul(w);
      F[name](h, { inplace: true });
      expect(() => y.sum().backward()).toThrow(VERSION_ERROR);
    });
  }
  it('in place on a reshape of a leaf that requires grad', () => {
    const x = randn([3, 4], { requiresGrad: true });
    expect(() => F.relu(x.reshape([12]), { inplace: true })).toThrow(
      'relu: a view of a leaf tensor that requires grad is being used in an in-place operation',
    );
    expect(() => F.relu_(x.view(-1))).toThrow('relu: a view of a leaf tensor');
  });
});

describe('corruption', () => {
  it('loadStateDict with a null or undefined entry changes nothing', () => {
    for (const bad of [null, undefined]) {
      const m = new nn.Linear(2, 2);
      const before = [Array.from(m.weight.data), Array.from(m.bias?.data ?? [])];
      expect(() => m.loadStateDict({ weight: randn([2, 2]), bias: bad } as never)).toThrow(
        `Linear.loadStateDict: bias: expected a Tensor or its JSON form { dtype, shape, data }, got ${String(bad)}`,
      );
      expect([Array.from(m.weight.data), Array.from(m.bias?.data ?? [])]).toEqual(before);
    }
  });
  it("module.to('float64') after building an optimizer: the optimizer follows", () => {
    const m = new nn.Linear(2, 2);
    const [w, b] = m.parameters();
    const opt = new optim.Adam(m.parameters(), { lr: 0.1 });
    m.to('float64');
    expect(m.parameters()[0]).toBe(w); // the same Tensor objects, converted in place
    expect(m.parameters()[1]).toBe(b);
    expect(w.dtype).toBe('float64');
    const before = Array.from(w.data);
    m.forward(randn([4, 2], { dtype: 'float64' }))
      .sum()
      .backward();
    opt.step();
    expect(Array.from(w.data)).not.toEqual(before);
  });
});

describe('optimizer state', () => {
  it('Adam with betas: [0.9] is refused', () => {
    expect(
      () => new optim.Adam(new nn.Linear(2, 2).parameters(), { betas: [0.9] } as never),
    ).toThrow('Adam: betas must be a pair [beta1, beta2] of numbers in [0, 1), got an array of 1');
  });
  it("a group's lr set to a string is refused at step(), before any parameter moves", () => {
    const m = new nn.Linear(2, 2);
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    opt.paramGroups[0].lr = 'x' as never;
    m.forward(randn([1, 2]))
      .sum()
      .backward();
    const before = Array.from(m.weight.data);
    expect(() => opt.step()).toThrow("SGD.step: paramGroups[0]: lr must be a number, got 'x'");
    expect(Array.from(m.weight.data)).toEqual(before);
  });
});
