"""Golden fixtures for nnkit's optimizers: several steps of torch.optim.SGD
and torch.optim.Adam on fixed parameters and a fixed sequence of gradients.

Each case holds the initial parameters, the gradient fed before every step
(None where a parameter has no gradient at that step, which optimizers skip),
and the parameters after every step.
"""
import torch

from common import encode_tensor, write

STEPS = 5


def run(name, cls, opts, dtype, seed, shapes=((3, 4), (5,)), skip=None):
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, generator=g, dtype=dtype).requires_grad_() for s in shapes]
    init = [encode_tensor(p) for p in params]
    opt = cls(params, **opts, **({'foreach': False} if 'foreach' in cls.__init__.__code__.co_varnames else {}))
    steps = []
    for k in range(STEPS):
        grads = []
        for i, p in enumerate(params):
            if skip and (k, i) in skip:
                p.grad = None
                grads.append(None)
            else:
                gr = torch.randn(p.shape, generator=g, dtype=dtype) * (0.1 if k % 2 else 1.5)
                p.grad = gr.clone()
                grads.append(encode_tensor(gr))
        opt.step()
        steps.append({'grads': grads, 'params': [encode_tensor(p) for p in params]})
    return {'name': name, 'optimizer': cls.__name__, 'options': opts, 'init': init, 'steps': steps}


def main():
    cases = []
    sgd = [
        ('plain', {'lr': 0.1}),
        ('momentum', {'lr': 0.05, 'momentum': 0.9}),
        ('dampening', {'lr': 0.05, 'momentum': 0.8, 'dampening': 0.3}),
        ('nesterov', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True}),
        ('weight_decay', {'lr': 0.1, 'momentum': 0.5, 'weight_decay': 0.01}),
        ('maximize', {'lr': 0.1, 'momentum': 0.9, 'maximize': True}),
    ]
    adam = [
        ('default', {'lr': 1e-3}),
        ('betas', {'lr': 0.01, 'betas': (0.8, 0.95), 'eps': 1e-6}),
        ('weight_decay', {'lr': 0.01, 'weight_decay': 0.1}),
        ('amsgrad', {'lr': 0.05, 'amsgrad': True}),
        ('amsgrad_wd', {'lr': 0.02, 'amsgrad': True, 'weight_decay': 0.05, 'betas': (0.5, 0.9)}),
        ('maximize', {'lr': 0.01, 'maximize': True}),
    ]
    seed = 0
    for dtype in (torch.float32, torch.float64):
        for name, opts in sgd:
            seed += 1
            cases.append(run(f'SGD {name}', torch.optim.SGD, opts, dtype, seed))
        for name, opts in adam:
            seed += 1
            cases.append(run(f'Adam {name}', torch.optim.Adam, opts, dtype, seed))
        # A parameter without a gradient at some steps is skipped and keeps its state.
        seed += 1
        cases.append(run('SGD momentum skip', torch.optim.SGD, {'lr': 0.1, 'momentum': 0.9}, dtype, seed,
                         skip={(0, 1), (2, 0), (3, 1)}))
        seed += 1
        cases.append(run('Adam skip', torch.optim.Adam, {'lr': 0.01}, dtype, seed, skip={(0, 1), (2, 0), (3, 1)}))
    write('optim', cases)


if __name__ == '__main__':
    main()
