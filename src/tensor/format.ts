/** PyTorch-style printing of tensors. */
import type { Tensor } from './tensor.js';

function formatNumber(v: number, integer: boolean): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (integer) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e8) return `${v}.`;
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e8)) return v.toExponential(4);
  return String(Number(v.toFixed(4)));
}

/** `tensor([[1., 2.], [3., 4.]], dtype=torch.float64, requires_grad=True)` */
export function formatTensor(t: Tensor): string {
  const integer = t.dtype === 'int32';
  const data = t.data;
  const shape = t.shape;
  let pos = 0;
  const build = (dim: number, indent: string): string => {
    if (dim === shape.length) return formatNumber(data[pos++], integer);
    const parts: string[] = [];
    for (let i = 0; i < shape[dim]; i++) parts.push(build(dim + 1, indent + ' '));
    const sep = dim === shape.length - 1 ? ', ' : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? formatNumber(data[0], integer) : build(0, '       ');
  const extras: string[] = [];
  if (t.size === 0) extras.push(`size=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
  if (t.dtype === 'float64') extras.push('dtype=torch.float64');
  if (t.dtype === 'int32') extras.push('dtype=torch.int32');
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) extras.push('requires_grad=True');
  return `tensor(${body}${extras.length ? ', ' + extras.join(', ') : ''})`;
}
