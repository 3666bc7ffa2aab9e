/** The live line fit with four losses, on points the user drags, adds and removes. */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  DEFAULT_FIT,
  Fits,
  LOSSES,
  defaultPoints,
  mean,
  median,
  type FitOptions,
  type Point,
} from '../models/regression';
import { Choice, Controls, Slider } from '../components/controls';
import { CodePair } from '../components/code';
import { PlotView, type Rendered } from '../components/plot-view';
import { Readout, show } from '../components/panel';
import { TrainingBar, useTraining } from '../components/training';
import { COLORS, Plot, base } from '../plots';

type Scale = { apply: (v: number) => number; invert: (v: number) => number };
type Scaled = Rendered & { scale?: (n: string) => Scale | undefined };

export function LineFitView(): preact.JSX.Element {
  const [points, setPoints] = useState<Point[]>(defaultPoints);
  const [o, setO] = useState<FitOptions>(DEFAULT_FIT);
  const fits = useRef<Fits>(new Fits(points, o));
  const pointsRef = useRef(points);
  pointsRef.current = points;

  const t = useTraining({
    init: () => {
      fits.current = new Fits(pointsRef.current, o);
    },
    step: () => fits.current.step(),
    deps: [o.optimizer, o.lr, o.beta, o.delta],
  });
  const update = (next: Point[]): void => {
    setPoints(next);
    fits.current.setPoints(next);
  };
  const res = fits.current.results();
  const ys = points.map((p) => p.y);
  const yMean = ys.length ? mean(ys) : NaN;
  const yMedian = ys.length ? median(ys) : NaN;

  const fitPlot = (width: number): Rendered => {
    const lines = res.flatMap((r) =>
      [-3, 3].map((x) => ({ x, y: r.slope * x + r.intercept, loss: r.name })),
    );
    return Plot.plot({
      ...base(width, Math.min(420, Math.max(260, width * 0.7))),
      x: { label: 'x', domain: [-3, 3] },
      y: { label: 'y', domain: [-6, 14] },
      color: { domain: [...LOSSES], range: COLORS, legend: true },
      marks: [
        Plot.line(lines, { x: 'x', y: 'y', stroke: 'loss', z: 'loss', strokeWidth: 2 }),
        Plot.dot(points, {
          x: 'x',
          y: 'y',
          r: 6,
          fill: '#333',
          fillOpacity: 0.55,
          stroke: 'white',
        }),
      ],
    });
  };

  const constPlot = (width: number): Rendered => {
    const rows = ['data', ...LOSSES];
    return Plot.plot({
      ...base(width, 230),
      marginLeft: 80,
      x: { label: 'y', domain: [Math.min(-2, ...ys) - 0.5, Math.max(10, ...ys) + 0.5] },
      y: { label: null, domain: rows },
      color: { domain: ['mean', 'median'], range: ['#111', '#888'], legend: true },
      marks: [
        Plot.tickX(ys, { x: (d: number) => d, y: () => 'data', stroke: '#555' }),
        Plot.ruleX([yMean], { stroke: () => 'mean', strokeDasharray: '6,3', strokeWidth: 1.5 }),
        Plot.ruleX([yMedian], { stroke: () => 'median', strokeDasharray: '2,3', strokeWidth: 2 }),
        Plot.dot(res, {
          x: 'constant',
          y: 'name',
          r: 7,
          fill: (d: { name: string }) => COLORS[LOSSES.indexOf(d.name as never)],
        }),
      ],
    });
  };

  // The figure is replaced on every update, so the pointer handlers live on its stable wrapper
  // and read the current SVG and scales from a ref.
  const view = useRef<{ svg: SVGSVGElement; sx: Scale; sy: Scale } | null>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const attach = (el: Rendered): void => {
    const svg = el instanceof SVGSVGElement ? el : el.querySelector<SVGSVGElement>(':scope > svg');
    const sx = (el as Scaled).scale?.('x');
    const sy = (el as Scaled).scale?.('y');
    view.current = svg && sx && sy ? { svg, sx, sy } : null;
  };
  useEffect(() => {
    const host = wrap.current;
    if (!host) return;
    const at = (e: MouseEvent): { px: number; py: number; x: number; y: number } | null => {
      const v = view.current;
      if (!v) return null;
      const r = v.svg.getBoundingClientRect();
      const k = (v.svg.viewBox.baseVal.width || r.width) / r.width;
      const px = (e.clientX - r.left) * k;
      const py = (e.clientY - r.top) * k;
      return {
        px,
        py,
        x: Number(v.sx.invert(px).toFixed(3)),
        y: Number(v.sy.invert(py).toFixed(3)),
      };
    };
    const nearest = (e: MouseEvent): number => {
      const p = at(e);
      const v = view.current;
      if (!p || !v) return -1;
      let best = -1;
      let bestD = 14 ** 2;
      pointsRef.current.forEach((q, i) => {
        const d = (v.sx.apply(q.x) - p.px) ** 2 + (v.sy.apply(q.y) - p.py) ** 2;
        if (d < bestD) [best, bestD] = [i, d];
      });
      return best;
    };
    const inside = (p: { x: number; y: number }): boolean =>
      Math.abs(p.x) <= 3 && p.y >= -6 && p.y <= 14;
    let dragging = -1;
    const down = (e: PointerEvent): void => {
      dragging = nearest(e);
      if (dragging >= 0) {
        host.setPointerCapture(e.pointerId);
        e.preventDefault();
        return;
      }
      const p = at(e);
      if (p && inside(p)) update([...pointsRef.current, { x: p.x, y: p.y }]);
    };
    const move = (e: PointerEvent): void => {
      const p = dragging >= 0 ? at(e) : null;
      if (p && inside(p))
        update(pointsRef.current.map((q, i) => (i === dragging ? { x: p.x, y: p.y } : q)));
    };
    const up = (): void => {
      dragging = -1;
    };
    const dbl = (e: MouseEvent): void => {
      const i = nearest(e);
      if (i >= 0) update(pointsRef.current.filter((_q, j) => j !== i));
    };
    host.addEventListener('pointerdown', down);
    host.addEventListener('pointermove', move);
    host.addEventListener('pointerup', up);
    host.addEventListener('dblclick', dbl);
    return () => {
      host.removeEventListener('pointerdown', down);
      host.removeEventListener('pointermove', move);
      host.removeEventListener('pointerup', up);
      host.removeEventListener('dblclick', dbl);
    };
  }, []);

  const lr = show(o.lr);
  const torch = [
    'import torch, torch.nn.functional as F',
    `x, y = torch.tensor(xs), torch.tensor(ys)  # the ${points.length} points`,
    'w, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)',
    `opt = torch.optim.${o.optimizer}([w, b], lr=${lr})`,
    'for step in range(n):',
    '    opt.zero_grad()',
    `    loss = F.smooth_l1_loss(w * x + b, y, beta=${show(o.beta)})  # or mse_loss, l1_loss, huber_loss(delta=${show(o.delta)})`,
    '    loss.backward(); opt.step()',
  ].join('\n');
  const nnkit = [
    "import { F, optim, tensor, zeros } from 'nnkit';",
    'const x = tensor(xs), y = tensor(ys);',
    'const w = zeros([1], { requiresGrad: true }), b = zeros([1], { requiresGrad: true });',
    `const opt = new optim.${o.optimizer}([w, b], { lr: ${lr} });`,
    'for (let step = 0; step < n; step++) {',
    '  opt.zeroGrad();',
    `  const loss = F.smoothL1Loss(x.mul(w).add(b), y, { beta: ${show(o.beta)} }); // or mseLoss, l1Loss, huberLoss({ delta: ${show(o.delta)} })`,
    '  loss.backward(); opt.step();',
    '}',
  ].join('\n');

  return (
    <>
      <h3>A line, four losses</h3>
      <div class="layout">
        <Controls label="Optimizer and losses">
          <Choice
            label="optimizer"
            value={o.optimizer}
            options={['Adam', 'SGD'] as const}
            onChange={(v) => setO({ ...o, optimizer: v })}
          />
          <Slider
            label="lr"
            value={o.lr}
            min={0.001}
            max={0.5}
            log
            onInput={(v) => setO({ ...o, lr: v })}
          />
          <Slider
            label="SmoothL1 beta"
            value={o.beta}
            min={0.05}
            max={5}
            log
            onInput={(v) => setO({ ...o, beta: v })}
          />
          <Slider
            label="Huber delta"
            value={o.delta}
            min={0.05}
            max={5}
            log
            onInput={(v) => setO({ ...o, delta: v })}
          />
          <TrainingBar t={t} name="fit" />
          <div class="buttons">
            <button type="button" onClick={() => update(defaultPoints())}>
              Default points
            </button>
            <button type="button" onClick={() => update([...points, { x: 0, y: 0 }])}>
              Add point at (0, 0)
            </button>
            <button
              type="button"
              onClick={() => update(points.slice(0, -1))}
              disabled={!points.length}
            >
              Remove last point
            </button>
          </div>
          <Readout label="points" value={points.length} testId="fit-count" />
          <Readout label="mean of y" value={yMean} testId="fit-mean" />
          <Readout label="median of y" value={yMedian} testId="fit-median" />
        </Controls>
        <div class="figures">
          <div ref={wrap} class="drag-host">
            <PlotView
              label="line fits: drag a point, click to add one, double-click to remove one"
              testId="plot-fit"
              render={fitPlot}
              deps={[t.version, points]}
              onMount={attach}
            />
          </div>
          <PlotView
            label="fitted constants"
            testId="plot-constants"
            render={constPlot}
            deps={[t.version, points]}
          />
        </div>
      </div>
      <table class="readouts" data-testid="fit-table" data-points={JSON.stringify(points)}>
        <thead>
          <tr>
            <th>loss</th>
            <th>slope</th>
            <th>intercept</th>
            <th>constant c</th>
            <th>line loss</th>
          </tr>
        </thead>
        <tbody>
          {res.map((r, k) => (
            <tr key={r.name}>
              <td>
                <span class="swatch" style={{ background: COLORS[k] }} />
                {r.name}
              </td>
              <td>
                <Readout label="" value={r.slope} testId={`fit-slope-${r.name}`} />
              </td>
              <td>
                <Readout label="" value={r.intercept} testId={`fit-intercept-${r.name}`} />
              </td>
              <td>
                <Readout label="" value={r.constant} testId={`fit-constant-${r.name}`} />
              </td>
              <td>
                <Readout label="" value={r.loss} testId={`fit-loss-${r.name}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CodePair torch={torch} nnkit={nnkit} />
    </>
  );
}
