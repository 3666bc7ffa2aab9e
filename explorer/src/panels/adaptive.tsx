/** Panel 6: full softmax against adaptive softmax on a Zipf vocabulary, timed in the page. */
import { useRef, useState } from 'preact/hooks';
import {
  AdaptiveRace,
  DEFAULT_ADAPTIVE,
  type AdaptiveOptions,
  type ModelTrace,
} from '../models/adaptive';
import { Controls, Slider } from '../components/controls';
import { CodePair } from '../components/code';
import { PlotView } from '../components/plot-view';
import { Panel, Readout, show } from '../components/panel';
import { TrainingBar, useTraining } from '../components/training';
import { COLORS, Plot, base } from '../plots';

const NAMES = ['full softmax', 'adaptive softmax'];

function smooth(t: ModelTrace, name: string): { time: number; loss: number; model: string }[] {
  let ema = NaN;
  return t.loss.map((l, i) => {
    ema = Number.isNaN(ema) ? l : 0.8 * ema + 0.2 * l;
    return { time: t.time[i], loss: ema, model: name };
  });
}

export function AdaptivePanel(): preact.JSX.Element {
  const [o, setO] = useState<AdaptiveOptions>(DEFAULT_ADAPTIVE);
  const race = useRef<AdaptiveRace | null>(null);
  const t = useTraining({
    init: () => {
      race.current = new AdaptiveRace(o);
    },
    step: () => race.current?.step(),
    maxSteps: 3000,
    budgetMs: 30,
    deps: [o.vocab, o.batch],
  });
  const r = race.current ?? new AdaptiveRace(o);
  const { full, adaptive } = r.traces;
  const msFull = r.msPerStep(full);
  const msAsm = r.msPerStep(adaptive);

  const lossPlot = (width: number) =>
    Plot.plot({
      ...base(width, 300),
      x: { label: 'seconds of training (each model)' },
      y: { label: 'cross-entropy (nats, smoothed)' },
      color: { domain: NAMES, range: COLORS, legend: true },
      marks: [
        Plot.ruleY([Math.log(o.vocab)], { stroke: '#999', strokeDasharray: '5,3' }),
        Plot.line([...smooth(full, NAMES[0]), ...smooth(adaptive, NAMES[1])], {
          x: 'time',
          y: 'loss',
          stroke: 'model',
          strokeWidth: 2,
        }),
      ],
    });
  const timePlot = (width: number) =>
    Plot.plot({
      ...base(Math.min(width, 420), 200),
      marginLeft: 130,
      x: { label: 'ms per step (median of the last 20)', grid: true },
      y: { label: null, domain: NAMES },
      color: { domain: NAMES, range: COLORS },
      marks: [
        Plot.barX(
          [
            { model: NAMES[0], ms: msFull || 0 },
            { model: NAMES[1], ms: msAsm || 0 },
          ],
          { y: 'model', x: 'ms', fill: 'model' },
        ),
        Plot.ruleX([0]),
      ],
    });

  const cut = `[${r.cutoffs.join(', ')}]`;
  const torch = [
    `full = nn.Linear(${o.dim}, ${o.vocab}); loss = F.cross_entropy(full(x), y)`,
    `asm = nn.AdaptiveLogSoftmaxWithLoss(${o.dim}, ${o.vocab}, cutoffs=${cut}, div_value=4.0)`,
    'out, loss = asm(x, y)  # out: log p(target)',
  ].join('\n');
  const nnkit = [
    `const full = new nn.Linear(${o.dim}, ${o.vocab}); const loss = F.crossEntropy(full.forward(x), y);`,
    `const asm = new nn.AdaptiveLogSoftmaxWithLoss(${o.dim}, ${o.vocab}, ${cut}, { divValue: 4 });`,
    'const { output, loss } = asm.forward(x, y); // output: log p(target)',
  ].join('\n');

  return (
    <Panel
      id="adaptive"
      title="Adaptive softmax"
      intro={
        <p>
          A full softmax over V classes multiplies every hidden vector by V output vectors. With
          Zipfian frequencies most targets are a few frequent words: adaptive softmax (Grave et al.,
          2017) scores those in a small head, and the rare ones in tail clusters with smaller
          projections, computed only for the examples that need them. Both models below train on the
          same stream of minibatches, each for the same wall-clock time, measured in this page.
        </p>
      }
    >
      <div class="layout">
        <Controls label="Vocabulary">
          <Slider
            label="vocabulary size V"
            value={o.vocab}
            min={1000}
            max={50000}
            log
            onInput={(v) => setO({ ...o, vocab: Math.round(v / 100) * 100 || 1000 })}
          />
          <Slider
            label="batch"
            value={o.batch}
            min={8}
            max={128}
            step={8}
            onInput={(v) => setO({ ...o, batch: Math.round(v) })}
          />
          <TrainingBar t={t} name="adaptive" stepSize={2} />
          <Readout label="full: ms/step" value={msFull} testId="adaptive-ms-full" />
          <Readout label="adaptive: ms/step" value={msAsm} testId="adaptive-ms-asm" />
          <Readout label="speed-up" value={msFull / msAsm} testId="adaptive-speedup" unit="×" />
          <Readout label="full: steps" value={full.steps} testId="adaptive-steps-full" />
          <Readout label="adaptive: steps" value={adaptive.steps} testId="adaptive-steps-asm" />
          <p class="muted">
            cut-offs {cut}; parameters: full {full.params.toLocaleString('en-US')}, adaptive{' '}
            {adaptive.params.toLocaleString('en-US')}; log V = {show(Math.log(o.vocab))} (dashed) is
            a uniform guess.
          </p>
        </Controls>
        <div class="figures">
          <PlotView
            label="loss against time"
            testId="plot-adaptive-loss"
            render={lossPlot}
            deps={[t.version]}
          />
          <PlotView
            label="time per step"
            testId="plot-adaptive-time"
            render={timePlot}
            deps={[t.version]}
          />
        </div>
      </div>
      <span hidden data-testid="adaptive-loss-full" data-value={JSON.stringify(full.loss)} />
      <span hidden data-testid="adaptive-loss-asm" data-value={JSON.stringify(adaptive.loss)} />
      <CodePair torch={torch} nnkit={nnkit} />
    </Panel>
  );
}
