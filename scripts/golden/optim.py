"""Golden fixtures for nnkit's training tools, from PyTorch 1.13:

- cases: several steps of torch.optim.SGD, Adam, AdamW and RMSprop on fixed
  parameters and a fixed sequence of gradients, for each option set (the
  single-tensor path, foreach=False). Each case holds the initial parameters,
  the gradient fed before every step (None where a parameter has no gradient
  at that step, which optimizers skip), and the parameters after every step.
- schedulers: each learning-rate scheduler's lr sequence (get_last_lr()
  after the constructor and after each of ~30 steps), OneCycleLR's momentum
  or beta1 sequence, and its state_dict (keys and values) at the end.
- scheduler_epochs: the deprecated step(epoch) mixed with step(): the lrs,
  momenta and last_epoch after each call.
- clip_grad: clip_grad_norm_ and clip_grad_value_ on fixed gradients: the
  returned norm and the clipped gradients, for norm types 2, 1, inf, 0.5, 3,
  with and without clipping, and non-finite gradients.
- state_dicts: an optimizer's state_dict after two steps (PyTorch's layout,
  tensors encoded), and the parameters after a third step, to check nnkit's
  layout and that nnkit continues from PyTorch's state.
"""
import math
import warnings

import torch

from common import encode_tensor, encode_value, write

STEPS = 8


def make_params(g, dtype, shapes):
    return [torch.randn(s, generator=g, dtype=dtype).requires_grad_() for s in shapes]


def feed_grads(g, params, k, skip):
    grads = []
    for i, p in enumerate(params):
        if skip and (k, i) in skip:
            p.grad = None
            grads.append(None)
        else:
            gr = torch.randn(p.shape, generator=g, dtype=p.dtype) * (0.1 if k % 2 else 1.5)
            p.grad = gr.clone()
            grads.append(encode_tensor(gr))
    return grads


def no_foreach(cls):
    return {'foreach': False} if 'foreach' in cls.__init__.__code__.co_varnames else {}


def run(name, cls, opts, dtype, seed, shapes=((3, 4), (5,)), skip=None):
    g = torch.Generator().manual_seed(seed)
    params = make_params(g, dtype, shapes)
    init = [encode_tensor(p) for p in params]
    opt = cls(params, **opts, **no_foreach(cls))
    steps = []
    for k in range(STEPS):
        grads = feed_grads(g, params, k, skip)
        opt.step()
        steps.append({'grads': grads, 'params': [encode_tensor(p) for p in params]})
    return {'name': name, 'optimizer': cls.__name__, 'options': encode_value(opts), 'init': init, 'steps': steps}


OPTIMIZERS = {
    'SGD': (torch.optim.SGD, [
        ('plain', {'lr': 0.1}),
        ('momentum', {'lr': 0.05, 'momentum': 0.9}),
        ('dampening', {'lr': 0.05, 'momentum': 0.8, 'dampening': 0.3}),
        ('nesterov', {'lr': 0.05, 'momentum': 0.9, 'nesterov': True}),
        ('weight_decay', {'lr': 0.1, 'momentum': 0.5, 'weight_decay': 0.01}),
        ('maximize', {'lr': 0.1, 'momentum': 0.9, 'maximize': True}),
    ]),
    'Adam': (torch.optim.Adam, [
        ('default', {'lr': 1e-3}),
        ('betas', {'lr': 0.01, 'betas': (0.8, 0.95), 'eps': 1e-6}),
        ('weight_decay', {'lr': 0.01, 'weight_decay': 0.1}),
        ('amsgrad', {'lr': 0.05, 'amsgrad': True}),
        ('amsgrad_wd', {'lr': 0.02, 'amsgrad': True, 'weight_decay': 0.05, 'betas': (0.5, 0.9)}),
        ('maximize', {'lr': 0.01, 'maximize': True}),
    ]),
    'AdamW': (torch.optim.AdamW, [
        ('default', {}),
        ('weight_decay', {'lr': 0.01, 'weight_decay': 0.1}),
        ('no_decay', {'lr': 0.01, 'weight_decay': 0}),
        ('amsgrad', {'lr': 0.05, 'amsgrad': True, 'betas': (0.5, 0.9)}),
        ('maximize', {'lr': 0.01, 'maximize': True, 'eps': 1e-6}),
    ]),
    'RMSprop': (torch.optim.RMSprop, [
        ('default', {}),
        ('alpha', {'lr': 0.001, 'alpha': 0.9, 'eps': 1e-6}),
        ('weight_decay', {'lr': 0.01, 'weight_decay': 0.1}),
        ('momentum', {'lr': 0.01, 'momentum': 0.9}),
        ('centered', {'lr': 0.01, 'centered': True}),
        ('centered_momentum', {'lr': 0.005, 'centered': True, 'momentum': 0.5, 'weight_decay': 0.01}),
        ('maximize', {'lr': 0.01, 'maximize': True, 'momentum': 0.3}),
    ]),
}


def optimizer_cases():
    cases = []
    seed = 0
    for dtype in (torch.float32, torch.float64):
        for opt_name, (cls, variants) in OPTIMIZERS.items():
            for name, opts in variants:
                seed += 1
                cases.append(run(f'{opt_name} {name}', cls, opts, dtype, seed))
        # A parameter without a gradient at some steps is skipped and keeps its state.
        skip = {(0, 1), (2, 0), (3, 1)}
        for opt_name, opts in (('SGD', {'lr': 0.1, 'momentum': 0.9}), ('Adam', {'lr': 0.01}),
                               ('AdamW', {'lr': 0.01}), ('RMSprop', {'lr': 0.01, 'momentum': 0.5, 'centered': True})):
            seed += 1
            cases.append(run(f'{opt_name} skip', OPTIMIZERS[opt_name][0], opts, dtype, seed, skip=skip))
    return cases


# ---------------------------------------------------------------- schedulers

SCHED_STEPS = 30
LAMBDAS = {
    'pow095': lambda t: 0.95 ** t,
    'warmup5': lambda t: min(1.0, (t + 1) / 5),
}


def encode_state(sd):
    out = {}
    for k, v in sd.items():
        if k == 'anneal_func':
            out[k] = v.__name__
        elif k == 'lr_lambdas':
            out[k] = [None if f is None else 'object' for f in v]
        else:
            out[k] = encode_value(v)
    return out


def make_scheduler(make_opt, make_sched, prepare=None):
    p1 = torch.zeros(2, requires_grad=True)
    p2 = torch.zeros(3, requires_grad=True)
    opt_name, opt_kwargs = make_opt
    cls = OPTIMIZERS[opt_name][0]
    opt = cls([{'params': [p1]}, {'params': [p2], 'lr': opt_kwargs['lr'] / 2}], **opt_kwargs, **no_foreach(cls))
    if prepare:
        prepare(opt)
    sched_name, sched_kwargs = make_sched
    kwargs = dict(sched_kwargs)
    if sched_name == 'LambdaLR':
        fns = [LAMBDAS[n] for n in kwargs['lr_lambda']] if isinstance(kwargs['lr_lambda'], list) else LAMBDAS[kwargs['lr_lambda']]
        kwargs['lr_lambda'] = fns
    sched = getattr(torch.optim.lr_scheduler, sched_name)(opt, **kwargs)
    case = {
        'optimizer': opt_name,
        'optimizer_options': encode_value(opt_kwargs),
        'initial_lr': [g.get('initial_lr') for g in opt.param_groups] if prepare else None,
        'scheduler': sched_name,
        'options': encode_value(sched_kwargs),
    }
    return opt, sched, case


def momenta(opt):
    return [g['betas'][0] if 'betas' in g else g.get('momentum') for g in opt.param_groups]


def scheduler_case(name, make_opt, make_sched, steps=SCHED_STEPS, lambdas=None, prepare=None):
    opt, sched, case = make_scheduler(make_opt, make_sched, prepare)
    lrs = [sched.get_last_lr()]
    moms = [momenta(opt)]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
        moms.append(momenta(opt))
    return {'name': name, **case, 'lrs': lrs, 'momenta': moms,
            'state_dict': encode_state(sched.state_dict())}


# step(epoch) calls; None is step(). 29 is the last step OneCycleLR's 30 total steps allow.
EPOCH_CALLS = [5, None, None, 2, None, 17, None, 0, None, 12, 12, None, 29]


def scheduler_epoch_case(name, make_opt, make_sched, prepare=None):
    """The deprecated step(epoch): last_epoch jumps to epoch and the lrs come from
    _get_closed_form_lr() where the scheduler has one, else get_lr(); step() goes on from there."""
    opt, sched, case = make_scheduler(make_opt, make_sched, prepare)
    lrs, moms, epochs = [sched.get_last_lr()], [momenta(opt)], [sched.last_epoch]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # EPOCH_DEPRECATION_WARNING
        for epoch in EPOCH_CALLS:
            opt.step()
            sched.step(epoch)
            lrs.append(sched.get_last_lr())
            moms.append(momenta(opt))
            epochs.append(sched.last_epoch)
    return {'name': name, **case, 'calls': EPOCH_CALLS, 'lrs': lrs, 'momenta': moms,
            'last_epochs': epochs}


def set_initial_lr(opt):
    for g in opt.param_groups:
        g['initial_lr'] = g['lr'] * 2


def scheduler_cases():
    sgd = ('SGD', {'lr': 0.1, 'momentum': 0.9})
    adam = ('Adam', {'lr': 0.01})
    rms = ('RMSprop', {'lr': 0.01, 'momentum': 0.5})
    return [
        scheduler_case('StepLR', sgd, ('StepLR', {'step_size': 7, 'gamma': 0.5})),
        scheduler_case('StepLR default gamma', adam, ('StepLR', {'step_size': 3})),
        scheduler_case('ExponentialLR', sgd, ('ExponentialLR', {'gamma': 0.9})),
        scheduler_case('CosineAnnealingLR', sgd, ('CosineAnnealingLR', {'T_max': 10, 'eta_min': 0.001})),
        scheduler_case('CosineAnnealingLR T_max 7', adam, ('CosineAnnealingLR', {'T_max': 7})),
        scheduler_case('CosineAnnealingLR resumed', sgd, ('CosineAnnealingLR', {'T_max': 12, 'eta_min': 0.01, 'last_epoch': 5}),
                       prepare=set_initial_lr),
        scheduler_case('StepLR resumed', adam, ('StepLR', {'step_size': 4, 'gamma': 0.3, 'last_epoch': 6}),
                       prepare=set_initial_lr),
        scheduler_case('LambdaLR', sgd, ('LambdaLR', {'lr_lambda': 'pow095'})),
        scheduler_case('LambdaLR per group', adam, ('LambdaLR', {'lr_lambda': ['warmup5', 'pow095']})),
        scheduler_case('OneCycleLR cos SGD', sgd, ('OneCycleLR', {'max_lr': [0.1, 0.05], 'total_steps': 30})),
        scheduler_case('OneCycleLR linear three_phase Adam', adam,
                       ('OneCycleLR', {'max_lr': 0.02, 'epochs': 3, 'steps_per_epoch': 10,
                                       'anneal_strategy': 'linear', 'three_phase': True})),
        scheduler_case('OneCycleLR cos three_phase RMSprop', rms,
                       ('OneCycleLR', {'max_lr': 0.05, 'total_steps': 30, 'three_phase': True,
                                       'base_momentum': 0.8, 'max_momentum': [0.9, 0.99]})),
        scheduler_case('OneCycleLR no momentum', adam,
                       ('OneCycleLR', {'max_lr': 0.01, 'total_steps': 30, 'cycle_momentum': False,
                                       'pct_start': 0.25, 'div_factor': 10.0, 'final_div_factor': 100.0})),
    ]


def scheduler_epoch_cases():
    sgd = ('SGD', {'lr': 0.1, 'momentum': 0.9})
    adam = ('Adam', {'lr': 0.01})
    return [
        scheduler_epoch_case('StepLR', sgd, ('StepLR', {'step_size': 3, 'gamma': 0.5})),
        scheduler_epoch_case('StepLR resumed', adam, ('StepLR', {'step_size': 4, 'gamma': 0.3, 'last_epoch': 6}),
                             prepare=set_initial_lr),
        scheduler_epoch_case('ExponentialLR', sgd, ('ExponentialLR', {'gamma': 0.9})),
        scheduler_epoch_case('CosineAnnealingLR', sgd, ('CosineAnnealingLR', {'T_max': 10, 'eta_min': 0.001})),
        scheduler_epoch_case('LambdaLR per group', adam, ('LambdaLR', {'lr_lambda': ['warmup5', 'pow095']})),
        scheduler_epoch_case('OneCycleLR cos SGD', sgd, ('OneCycleLR', {'max_lr': [0.1, 0.05], 'total_steps': 30})),
        scheduler_epoch_case('OneCycleLR linear three_phase Adam', adam,
                             ('OneCycleLR', {'max_lr': 0.02, 'total_steps': 30, 'anneal_strategy': 'linear',
                                             'three_phase': True})),
    ]


# ---------------------------------------------------------------- clip grad

def clip_cases():
    cases = []
    seed = 1000
    for dtype in (torch.float32, torch.float64):
        for fn, max_norm, norm_type, special in [
            ('norm', 1.0, 2.0, None),
            ('norm', 100.0, 2.0, None),          # no clipping: the coefficient clamps to 1
            ('norm', 0.5, 1.0, None),
            ('norm', 0.3, math.inf, None),
            ('norm', 2.0, 0.5, None),
            ('norm', 1.5, 3.0, None),
            ('norm', 1.0, 2.0, 'inf'),           # an infinite gradient: total inf, coefficient 0
            ('norm', 1.0, 2.0, 'nan'),           # a NaN gradient: everything NaN
            ('norm', 1.0, math.inf, 'nan'),
            ('value', 0.25, None, None),
            ('value', 0.25, None, 'nan'),
        ]:
            seed += 1
            g = torch.Generator().manual_seed(seed)
            params = [torch.zeros(s, dtype=dtype, requires_grad=True) for s in ((4, 3), (6,), (2,))]
            for i, p in enumerate(params):
                if i == 2:
                    continue  # no gradient: skipped
                p.grad = torch.randn(p.shape, generator=g, dtype=dtype)
            if special == 'inf':
                params[1].grad[2] = math.inf
            elif special == 'nan':
                params[0].grad[1, 1] = math.nan
            grads_in = [encode_tensor(p.grad) if p.grad is not None else None for p in params]
            case = {'fn': fn, 'dtype': str(dtype).replace('torch.', ''), 'grads': grads_in}
            if fn == 'norm':
                total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
                case.update({'max_norm': max_norm, 'norm_type': encode_value(float(norm_type)),
                             'total_norm': encode_tensor(total)})
                if special:
                    try:
                        ps = [p.detach().clone().requires_grad_() for p in params]
                        for q, p in zip(ps, params):
                            q.grad = p.grad
                        torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type, error_if_nonfinite=True)
                        case['error_if_nonfinite_raises'] = False
                    except RuntimeError:
                        case['error_if_nonfinite_raises'] = True
            else:
                torch.nn.utils.clip_grad_value_(params, max_norm)
                case['clip_value'] = max_norm
            case['clipped'] = [encode_tensor(p.grad) if p.grad is not None else None for p in params]
            cases.append(case)
    # No gradients at all: tensor(0.)
    p = torch.zeros(3, requires_grad=True)
    cases.append({'fn': 'norm', 'dtype': 'float32', 'grads': [None], 'max_norm': 1.0, 'norm_type': 2.0,
                  'total_norm': encode_tensor(torch.nn.utils.clip_grad_norm_([p], 1.0)), 'clipped': [None]})
    return cases


# ---------------------------------------------------------------- state dicts

def encode_optimizer_state(sd):
    state = {}
    for k, s in sd['state'].items():
        state[str(k)] = {
            key: (None if v is None else
                  {'tensor': encode_tensor(v)} if isinstance(v, torch.Tensor) else {'number': v})
            for key, v in s.items()
        }
    return {'state': state, 'param_groups': [encode_value(g) for g in sd['param_groups']]}


def state_dict_case(name, opt_name, group_opts, opts, dtype, seed):
    cls = OPTIMIZERS[opt_name][0]
    g = torch.Generator().manual_seed(seed)
    params = make_params(g, dtype, ((3, 2), (4,), (2, 2)))
    init = [encode_tensor(p) for p in params]
    groups = [{'params': params[:2]}, {'params': params[2:], **group_opts}]
    # foreach left at its default, None (the single-tensor path in 1.13), so the dict holds PyTorch's defaults.
    opt = cls(groups, **opts)
    steps = []
    for k in range(3):
        # The last parameter has no gradient at the first step.
        grads = feed_grads(g, params, k, {(0, 2)})
        opt.step()
        steps.append({'grads': grads, 'params': [encode_tensor(p) for p in params]})
        if k == 1:
            sd = opt.state_dict()
            saved = encode_optimizer_state(sd)
            # PyTorch loads a plain-number step (nnkit's form) and turns it back into a tensor.
            fresh = cls([{'params': [p.detach().clone().requires_grad_() for p in params[:2]]},
                         {'params': [p.detach().clone().requires_grad_() for p in params[2:]], **group_opts}],
                        **opts)
            plain = {'state': {k2: {k3: (float(v.item()) if k3 == 'step' and isinstance(v, torch.Tensor) else v)
                                    for k3, v in s.items()} for k2, s in sd['state'].items()},
                     'param_groups': sd['param_groups']}
            fresh.load_state_dict(plain)
    return {'name': name, 'optimizer': opt_name, 'options': encode_value(opts),
            'group_options': encode_value(group_opts), 'init': init, 'steps': steps, 'state_dict': saved}


def state_dict_cases():
    out = []
    seed = 2000
    for dtype in (torch.float32, torch.float64):
        for name, opt_name, group_opts, opts in [
            ('SGD momentum', 'SGD', {'lr': 0.05}, {'lr': 0.1, 'momentum': 0.9, 'nesterov': True}),
            ('SGD plain', 'SGD', {}, {'lr': 0.1}),
            ('Adam amsgrad', 'Adam', {'betas': (0.8, 0.9)}, {'lr': 0.01, 'amsgrad': True}),
            ('AdamW', 'AdamW', {'weight_decay': 0.5}, {'lr': 0.01}),
            ('RMSprop centered momentum', 'RMSprop', {'lr': 0.001}, {'lr': 0.01, 'centered': True, 'momentum': 0.9}),
        ]:
            seed += 1
            out.append(state_dict_case(name, opt_name, group_opts, opts, dtype, seed))
    return out


def main():
    write('optim', optimizer_cases(), extra={
        'schedulers': scheduler_cases(),
        'scheduler_epochs': scheduler_epoch_cases(),
        'clip_grad': clip_cases(),
        'state_dicts': state_dict_cases(),
    })


if __name__ == '__main__':
    main()
