/**
 * Every optimizer's per-element update, written once. Each line follows one
 * tensor operation of PyTorch 1.13's single-tensor CPU path
 * (`torch/optim/{sgd,adam,adamw,rmsprop}.py`, `_single_tensor_*`), in
 * PyTorch's order, with PyTorch's rounding (see `expr.ts`). The scalars are
 * computed per tensor by the optimizer classes, in double precision, as
 * PyTorch's Python code computes them.
 *
 * Each is the body of the fused kernel named by `kernel`, declared in
 * src/kernels/schema.ts with its lists, scalars and flags; the body reads
 * `a.param` for element i of the tensor's entry of `params`, and so on.
 * `scripts/gen-optim.ts` prints every definition for each backend
 * (`npm run gen:optim`; a test fails when an output is stale).
 */
import {
  add,
  defineUpdate,
  div,
  fma,
  let_,
  local,
  max,
  mul,
  neg,
  select,
  set,
  sqrt,
  store,
  when,
  type Expr,
  type Stmt,
  type UpdateDef,
} from './expr.js';

/** `torch.optim.SGD`: momentum, dampening, Nesterov, L2 weight decay, maximize. */
export const SGD_UPDATE = defineUpdate({
  kernel: 'sgdStep',
  doc: 'One SGD step on one tensor (PyTorch 1.13 `_single_tensor_sgd`).',
  body: ({ a, s, f }) => [
    let_('d', select(f.maximize, neg(a.grad), a.grad)),
    // d_p = d_p.add(param, alpha=weight_decay)
    when(f.decay, [set('d', fma(s.weightDecay, a.param, local('d')))]),
    when(f.useMomentum, [
      // buf = clone(d_p) on the first step, else buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
      let_(
        'b',
        select(
          f.first,
          local('d'),
          fma(s.oneMinusDampening, local('d'), mul(a.momentumBuffer, s.momentum)),
        ),
      ),
      store(a.momentumBuffer, local('b')),
      // d_p = d_p.add(buf, alpha=momentum) if nesterov else buf
      set('d', select(f.nesterov, fma(s.momentum, local('b'), local('d')), local('b'))),
    ]),
    // param.add_(d_p, alpha=-lr)
    store(a.param, fma(s.negLr, local('d'), a.param)),
  ],
});

/** `torch.optim.Adam`: L2 weight decay added to the gradient. */
export const ADAM_UPDATE = defineUpdate({
  kernel: 'adamStep',
  doc: 'One Adam step on one tensor (PyTorch 1.13 `_single_tensor_adam`, not capturable).',
  body: ({ a, s, f }) => [
    let_('g', select(f.maximize, neg(a.grad), a.grad)),
    // grad = grad.add(param, alpha=weight_decay)
    when(f.decay, [set('g', fma(s.weightDecay, a.param, local('g')))]),
    ...adamMoments(a, s, f.amsgrad),
    // param.addcdiv_(exp_avg, denom, value=-step_size)
    store(a.param, add(a.param, div(mul(s.negStepSize, local('m')), local('denom')))),
  ],
});

/** `torch.optim.AdamW`: the parameter decays before the moments are updated. */
export const ADAMW_UPDATE = defineUpdate({
  kernel: 'adamwStep',
  doc: 'One AdamW step on one tensor (PyTorch 1.13 `_single_tensor_adamw`, not capturable).',
  body: ({ a, s, f }) => [
    let_('g', select(f.maximize, neg(a.grad), a.grad)),
    // param.mul_(1 - lr * weight_decay)
    let_('p', a.param),
    when(f.decay, [set('p', mul(local('p'), s.decayFactor))]),
    ...adamMoments(a, s, f.amsgrad),
    // param.addcdiv_(exp_avg, denom, value=-step_size)
    store(a.param, add(local('p'), div(mul(s.negStepSize, local('m')), local('denom')))),
  ],
});

/** The moment updates and the denominator shared by Adam and AdamW; leaves `m` and `denom`. */
function adamMoments(
  a: Record<'expAvg' | 'expAvgSq' | 'maxExpAvgSq', Expr>,
  s: Record<
    'beta1' | 'oneMinusBeta1' | 'beta2' | 'oneMinusBeta2' | 'biasCorrection2Sqrt' | 'eps',
    Expr
  >,
  amsgrad: string,
): Stmt[] {
  return [
    // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
    let_('m', fma(s.oneMinusBeta1, local('g'), mul(a.expAvg, s.beta1))),
    store(a.expAvg, local('m')),
    // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    let_('v', fma(mul(s.oneMinusBeta2, local('g')), local('g'), mul(a.expAvgSq, s.beta2))),
    store(a.expAvgSq, local('v')),
    // torch.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq), then used instead of v
    when(amsgrad, [set('v', max(a.maxExpAvgSq, local('v'))), store(a.maxExpAvgSq, local('v'))]),
    // denom = (v.sqrt() / bias_correction2_sqrt).add_(eps)
    let_('denom', add(div(sqrt(local('v')), s.biasCorrection2Sqrt), s.eps)),
  ];
}

/** `torch.optim.RMSprop`: plain or centered, with or without momentum. */
export const RMSPROP_UPDATE = defineUpdate({
  kernel: 'rmspropStep',
  doc: 'One RMSprop step on one tensor (PyTorch 1.13 `_single_tensor_rmsprop`).',
  body: ({ a, s, f }) => [
    let_('g', select(f.maximize, neg(a.grad), a.grad)),
    // grad = grad.add(param, alpha=weight_decay)
    when(f.decay, [set('g', fma(s.weightDecay, a.param, local('g')))]),
    // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    let_('sq', fma(mul(s.oneMinusAlpha, local('g')), local('g'), mul(a.squareAvg, s.alpha))),
    store(a.squareAvg, local('sq')),
    let_('avg', local('sq')),
    when(
      f.centered,
      [
        // grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
        let_('ga', fma(s.oneMinusAlpha, local('g'), mul(a.gradAvg, s.alpha))),
        store(a.gradAvg, local('ga')),
        // avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        set('avg', sqrt(fma(neg(local('ga')), local('ga'), local('sq')))),
      ],
      // avg = square_avg.sqrt()
      [set('avg', sqrt(local('sq')))],
    ),
    // avg = avg.add_(eps)
    set('avg', add(local('avg'), s.eps)),
    when(
      f.useMomentum,
      [
        // buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
        let_('b', add(mul(a.momentumBuffer, s.momentum), div(local('g'), local('avg')))),
        store(a.momentumBuffer, local('b')),
        store(a.param, fma(s.negLr, local('b'), a.param)),
      ],
      // param.addcdiv_(grad, avg, value=-lr)
      [store(a.param, add(a.param, div(mul(s.negLr, local('g')), local('avg'))))],
    ),
  ],
});

/** The definitions the generator prints, in file order. */
export const UPDATES: readonly UpdateDef[] = [
  SGD_UPDATE,
  ADAM_UPDATE,
  ADAMW_UPDATE,
  RMSPROP_UPDATE,
];
