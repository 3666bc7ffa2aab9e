/** Panel 5: the spiral classifier, trained live with a chosen activation. */
import { useRef, useState } from 'preact/hooks';
import {
  DEFAULT_SPIRAL,
  EXTENT,
  SPIRAL_ACTIVATIONS,
  SpiralRun,
  type SpiralOptions,
} from '../models/spiral';
import { Choice, Controls, Slider } from '../components/controls';
import { CodePair } from '../components/code';
import { PlotView } from '../components/plot-view';
import { Panel, Readout } from '../components/panel';
import { TrainingBar, useTraining } from '../components/training';
import { COLORS, Plot, base } from '../plots';

const GRID = 48;

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** Each pixel: the class colours mixed by probability, washed towards white. */
function pixels(probs: ArrayLike<number>, classes: number): string[] {
  const cols = COLORS.slice(0, classes).map(rgb);
  const out: string[] = [];
  for (let i = 0; i < probs.length / classes; i++) {
    const mix = [0, 0, 0];
    for (let k = 0; k < classes; k++) {
      const p = probs[i * classes + k];
      for (let j = 0; j < 3; j++) mix[j] += p * cols[k][j];
    }
    out.push(`rgb(${mix.map((v) => Math.round(255 - 0.45 * (255 - v))).join(',')})`);
  }
  return out;
}

export function SpiralPanel(): preact.JSX.Element {
  const [o, setO] = useState<SpiralOptions>(DEFAULT_SPIRAL);
  const run = useRef(new SpiralRun(o));
  const t = useTraining({
    init: () => {
      run.current = new SpiralRun(o);
    },
    step: () => run.current.step(),
    maxSteps: 5000,
    deps: [o.activation, o.hidden, o.layers, o.lr, o.seed],
  });
  const r = run.current;
  const stats = r.stats();
  const loss = r.losses.length ? r.losses[r.losses.length - 1] : NaN;

  const regionPlot = (width: number) => {
    const w = Math.min(width, 460);
    const { probs, classes } = r.regions(GRID);
    return Plot.plot({
      ...base(w, w),
      x: { label: 'x₁', domain: [-EXTENT, EXTENT] },
      y: { label: 'x₂', domain: [-EXTENT, EXTENT] },
      color: {
        domain: Array.from({ length: classes }, (_v, k) => k),
        range: COLORS,
        legend: true,
        tickFormat: (k: number) => `class ${k}`,
      },
      marks: [
        Plot.raster(pixels(probs, classes), {
          width: GRID,
          height: GRID,
          x1: -EXTENT,
          x2: EXTENT,
          y1: EXTENT,
          y2: -EXTENT,
          fill: (d: string) => d,
          imageRendering: 'pixelated',
        }),
        Plot.dot(r.data.points, {
          x: 'x1',
          y: 'x2',
          fill: 'cls',
          r: 3,
          stroke: 'white',
          strokeWidth: 0.7,
        }),
      ],
    });
  };
  const lossPlot = (width: number) => {
    const every = Math.max(1, Math.floor(r.losses.length / 400));
    const pts = r.losses.flatMap((v, i) => (i % every === 0 ? [{ step: i + 1, loss: v }] : []));
    return Plot.plot({
      ...base(Math.min(width, 460), 260),
      x: { label: 'step', domain: [0, Math.max(100, r.losses.length)] },
      y: {
        label: 'cross-entropy (nats, log scale)',
        type: 'log',
        tickFormat: (d: number) => String(d),
      },
      marks: [Plot.line(pts, { x: 'step', y: 'loss', stroke: COLORS[0], strokeWidth: 2 })],
    });
  };

  const act = o.activation;
  const torchAct = act === 'LeakyReLU' ? 'nn.LeakyReLU(0.1)' : `nn.${act}()`;
  const nnAct =
    act === 'LeakyReLU' ? 'new nn.LeakyReLU({ negativeSlope: 0.1 })' : `new nn.${act}()`;
  const torchLayers = [`nn.Linear(2, ${o.hidden}), ${torchAct}`];
  const nnLayers = [`new nn.Linear(2, ${o.hidden}), ${nnAct}`];
  for (let i = 1; i < o.layers; i++) {
    torchLayers.push(`nn.Linear(${o.hidden}, ${o.hidden}), ${torchAct}`);
    nnLayers.push(`new nn.Linear(${o.hidden}, ${o.hidden}), ${nnAct}`);
  }
  const torch = [
    `model = nn.Sequential(${torchLayers.join(',\n    ')},\n    nn.Linear(${o.hidden}, ${o.classes}))`,
    `opt = torch.optim.Adam(model.parameters(), lr=${o.lr})`,
    'opt.zero_grad(); F.cross_entropy(model(x), y).backward(); opt.step()',
  ].join('\n');
  const nnkit = [
    `const model = new nn.Sequential(${nnLayers.join(',\n  ')},\n  new nn.Linear(${o.hidden}, ${o.classes}));`,
    `const opt = new optim.Adam(model.parameters(), { lr: ${o.lr} });`,
    'opt.zeroGrad(); F.crossEntropy(model.forward(x), y).backward(); opt.step();',
  ].join('\n');

  return (
    <Panel
      id="spiral"
      title="Spiral classifier"
      intro={
        <p>
          The course's spiral: {o.classes} interleaved arms that no linear classifier separates. An
          MLP bends the plane with its activations; the heat map shows its decision regions (colour
          by class, paler where it is unsure). A ReLU unit whose pre-activation is negative on every
          input is dead: it outputs 0 and never gets a gradient again. Compare ReLU with LeakyReLU,
          PReLU or GELU, especially with a large learning rate.
        </p>
      }
    >
      <div class="layout">
        <Controls label="Network">
          <Choice
            label="activation"
            value={o.activation}
            options={SPIRAL_ACTIVATIONS}
            onChange={(v) => setO({ ...o, activation: v })}
          />
          <Slider
            label="hidden units"
            value={o.hidden}
            min={4}
            max={128}
            step={4}
            onInput={(v) => setO({ ...o, hidden: Math.round(v) })}
          />
          <Slider
            label="hidden layers"
            value={o.layers}
            min={1}
            max={4}
            step={1}
            onInput={(v) => setO({ ...o, layers: Math.round(v) })}
          />
          <Slider
            label="lr"
            value={o.lr}
            min={0.0005}
            max={0.3}
            log
            onInput={(v) => setO({ ...o, lr: v })}
          />
          <Slider
            label="seed"
            value={o.seed}
            min={1}
            max={20}
            step={1}
            onInput={(v) => setO({ ...o, seed: Math.round(v) })}
          />
          <TrainingBar t={t} name="spiral" />
          <Readout label="loss" value={loss} testId="spiral-loss" />
          <Readout label="training accuracy" value={stats.accuracy} testId="spiral-accuracy" />
          <Readout
            label={`dead units (of ${stats.units})`}
            value={stats.dead}
            testId="spiral-dead"
          />
        </Controls>
        <div class="figures two">
          <PlotView
            label="decision regions"
            testId="plot-spiral-regions"
            render={regionPlot}
            deps={[t.version]}
          />
          <PlotView
            label="training loss"
            testId="plot-spiral-loss"
            render={lossPlot}
            deps={[t.version]}
          />
        </div>
      </div>
      <CodePair torch={torch} nnkit={nnkit} />
    </Panel>
  );
}
