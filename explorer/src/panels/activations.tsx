/** Panel 1: every activation, its value and its autograd derivative, with PyTorch's options. */
import { useMemo, useState } from 'preact/hooks';
import { ACTIVATIONS, type ActivationInfo, type OptionInfo } from '../activation-info';
import {
  defaults,
  evaluate,
  grid,
  inputCode,
  nnkitCall,
  torchCall,
  type OptionValue,
  type OptionValues,
} from '../models/activation';
import { Choice, Controls, Slider, Toggle } from '../components/controls';
import { CodePair } from '../components/code';
import { PlotView, type Rendered } from '../components/plot-view';
import { Panel, Readout } from '../components/panel';
import { COLORS, Plot, base } from '../plots';

const X_MIN = -5;
const X_MAX = 5;
const POINTS = 401;
const XS = grid(X_MIN, X_MAX, POINTS);

interface Shown {
  info: ActivationInfo;
  values: OptionValues;
  label: string;
}

function labelOf(info: ActivationInfo, values: OptionValues): string {
  return nnkitCall(info, values).replace(/^F\./, '');
}

function OptionControl(p: {
  o: OptionInfo;
  value: OptionValue;
  onChange: (v: OptionValue) => void;
}): preact.JSX.Element {
  const { o } = p;
  const hint = o.noVisibleEffect ? 'no effect on the values' : undefined;
  if (o.kind === 'bool')
    return <Toggle label={o.name} checked={p.value === true} onChange={p.onChange} hint={hint} />;
  if (o.kind === 'enum')
    return (
      <Choice
        label={o.name}
        value={p.value as string | number}
        options={o.values ?? []}
        onChange={p.onChange}
        disabled={(o.values ?? []).length < 2}
      />
    );
  const [lo, hi] = o.range ?? [-3, 3];
  return (
    <Slider
      label={o.name}
      value={Number(p.value)}
      min={lo}
      max={hi}
      log={o.logScale}
      onInput={p.onChange}
    />
  );
}

function curvePlot(
  shown: readonly Shown[],
  curves: { xs: number[]; ys: number[]; dys: number[] }[],
  which: 'ys' | 'dys',
  probe: number,
  width: number,
): Rendered {
  const rows = curves.flatMap((c, k) =>
    c.xs.map((x, i) => ({ x, y: c[which][i], fn: shown[k].label })),
  );
  const finite = rows.filter((r) => Number.isFinite(r.y));
  return Plot.plot({
    ...base(width),
    x: { label: 'x', domain: [X_MIN, X_MAX] },
    y: { label: which === 'ys' ? 'f(x)' : 'f′(x) (autograd)' },
    color: { domain: shown.map((s) => s.label), range: COLORS, legend: true },
    marks: [
      Plot.ruleY([0], { stroke: '#999' }),
      Plot.ruleX([probe], { stroke: '#666', strokeDasharray: '4,3' }),
      Plot.line(finite, { x: 'x', y: 'y', stroke: 'fn', strokeWidth: 2, curve: 'linear' }),
    ],
  });
}

export function ActivationsPanel(): preact.JSX.Element {
  const [name, setName] = useState('leakyRelu');
  const info = ACTIVATIONS.find((a) => a.name === name) ?? ACTIVATIONS[0];
  const [values, setValues] = useState<OptionValues>(() => defaults(info));
  const [pinned, setPinned] = useState<Shown[]>([]);
  const [probe, setProbe] = useState(0.5);

  const choose = (n: string): void => {
    const next = ACTIVATIONS.find((a) => a.name === n) ?? ACTIVATIONS[0];
    setName(n);
    setValues(defaults(next));
  };
  const current: Shown = { info, values, label: labelOf(info, values) };
  const shown = [current, ...pinned.filter((s) => s.label !== current.label)];
  const key = JSON.stringify(shown.map((s) => [s.info.name, s.values]));
  const curves = useMemo(() => shown.map((s) => evaluate(s.info, s.values, XS)), [key]);
  const readouts = useMemo(
    () => shown.map((s) => evaluate(s.info, s.values, [probe])),
    [key, probe],
  );

  const attachHover = (el: Rendered): void => {
    const svg = el instanceof SVGSVGElement ? el : el.querySelector<SVGSVGElement>(':scope > svg');
    const scale = (
      el as Rendered & { scale?: (n: string) => { invert?: (v: number) => number } }
    ).scale?.('x');
    if (!svg || !scale?.invert) return;
    svg.addEventListener('pointermove', (e) => {
      const r = svg.getBoundingClientRect();
      const w = svg.viewBox.baseVal.width || r.width;
      const x = scale.invert?.(((e.clientX - r.left) * w) / r.width) ?? 0;
      if (x >= X_MIN && x <= X_MAX) setProbe(Number(x.toFixed(3)));
    });
  };

  const io = inputCode(info);
  const rowPick = info.layout === 'row' ? '[:, 0]' : info.layout === 'glu' ? '[:, 0]' : '';
  const inputName = info.layout === 'elementwise' ? 'x' : 'z';
  const torchInput = values.inplace === true ? `${inputName}.clone()` : inputName;
  const torch = [
    'import torch',
    'import torch.nn.functional as F',
    `x = torch.linspace(${X_MIN}, ${X_MAX}, ${POINTS}, requires_grad=True)`,
    ...(io.torch ? [io.torch] : []),
    `y = ${torchCall(info, values, torchInput)}${rowPick}`,
    "y.sum().backward()  # x.grad holds f'(x)",
  ].join('\n');
  const nnkit = [
    `import { F, linspace${info.layout === 'elementwise' ? '' : ', cat, zeros'}${info.options.some((o) => o.tensor) ? ', tensor' : ''} } from 'nnkit';`,
    `const x = linspace(${X_MIN}, ${X_MAX}, ${POINTS}, { requiresGrad: true });`,
    ...(io.nnkit ? [io.nnkit] : []),
    `const y = ${nnkitCall(info, values, values.inplace === true ? `${inputName}.clone()` : inputName)}${info.layout === 'row' ? '.narrow(1, 0, 1)' : ''};`,
    "y.sum().backward(); // x.grad holds f'(x)",
  ].join('\n');

  return (
    <Panel
      id="activations"
      title="Activations: value and derivative"
      intro={
        <p>
          An activation is the nonlinearity between two linear layers. What training sees is its
          derivative: where f′ is 0 no gradient flows back (a dead ReLU), where it saturates
          learning slows. Every curve is computed by nnkit in this page; f′ comes from nnkit's
          autograd (<code>y.sum().backward()</code>), not from a formula. Hover a plot or move the
          probe to read x, f(x) and f′(x).
        </p>
      }
    >
      <div class="layout">
        <Controls label="Function and options">
          <Choice
            label="activation"
            value={name}
            options={ACTIVATIONS.map((a) => a.name)}
            format={(n) => {
              const a = ACTIVATIONS.find((q) => q.name === n);
              return `F.${n} (nn.${a?.module ?? ''})`;
            }}
            onChange={choose}
          />
          <p class="formula" data-testid="formula">
            {info.formula}
            {info.layout === 'row' ? ' — plotted: output 0 of the row [x, 0, 0]' : ''}
            {info.layout === 'glu' ? ' — plotted: GLU([x, x]) = x·σ(x)' : ''}
          </p>
          {info.options.map((o) => (
            <OptionControl
              key={`${name}-${o.name}`}
              o={o}
              value={values[o.name] ?? o.default}
              onChange={(v) => setValues({ ...values, [o.name]: v })}
            />
          ))}
          {info.options.length === 0 ? <p class="muted">No options.</p> : null}
          <Slider
            label="probe x"
            value={probe}
            min={X_MIN}
            max={X_MAX}
            step={0.01}
            onInput={setProbe}
          />
          <div class="buttons">
            <button
              type="button"
              onClick={() =>
                setPinned([...pinned.filter((s) => s.label !== current.label), current])
              }
            >
              Pin for overlay
            </button>
            <button type="button" onClick={() => setPinned([])} disabled={pinned.length === 0}>
              Clear overlay
            </button>
          </div>
        </Controls>
        <div class="figures two">
          <PlotView
            label="f(x)"
            testId="plot-f"
            render={(w) => curvePlot(shown, curves, 'ys', probe, w)}
            deps={[key, probe]}
            onMount={attachHover}
          />
          <PlotView
            label="f′(x)"
            testId="plot-df"
            render={(w) => curvePlot(shown, curves, 'dys', probe, w)}
            deps={[key, probe]}
            onMount={attachHover}
          />
        </div>
      </div>
      <table class="readouts" aria-label="read-out at the probe">
        <thead>
          <tr>
            <th>function</th>
            <th>x</th>
            <th>f(x)</th>
            <th>f′(x)</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s, k) => (
            <tr key={s.label}>
              <td>
                <span class="swatch" style={{ background: COLORS[k % COLORS.length] }} />
                {s.label}
              </td>
              <td>
                <Readout label="" value={probe} testId={`probe-x-${k}`} />
              </td>
              <td>
                <Readout label="" value={readouts[k].ys[0]} testId={`readout-f-${k}`} />
              </td>
              <td>
                <Readout label="" value={readouts[k].dys[0]} testId={`readout-df-${k}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CodePair torch={torch} nnkit={nnkit} />
    </Panel>
  );
}
