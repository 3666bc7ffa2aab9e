/** Panel 4: class imbalance — natural sampling, the balanced sampler, balanced then fine-tuned. */
import { useRef, useState } from 'preact/hooks';
import {
  DEFAULT_IMBALANCE,
  ImbalanceExperiment,
  METHODS,
  type ImbalanceOptions,
  type Metrics,
} from '../models/imbalance';
import { Controls, Slider } from '../components/controls';
import { CodePair } from '../components/code';
import { PlotView } from '../components/plot-view';
import { Panel, Readout } from '../components/panel';
import { TrainingBar, useTraining } from '../components/training';
import { COLORS, Plot, base } from '../plots';

const EVAL_EVERY = 20;
const SERIES = ['recall class 0', 'recall class 1', 'recall class 2', 'accuracy at true freq.'];

interface Row {
  step: number;
  method: string;
  series: string;
  value: number;
}

export function ImbalancePanel(): preact.JSX.Element {
  const [o, setO] = useState<ImbalanceOptions>(DEFAULT_IMBALANCE);
  const exp = useRef<ImbalanceExperiment>(new ImbalanceExperiment(o));
  const history = useRef<Row[]>([]);
  const latest = useRef<Metrics[]>([]);
  /** Training loss per run, averaged over the last EVAL_EVERY steps. */
  const losses = useRef<number[][]>([[], [], []]);
  const meanLoss = useRef<number[]>([NaN, NaN, NaN]);
  const record = (step: number): void => {
    latest.current = exp.current.metrics();
    latest.current.forEach((m, k) => {
      const vals = [...m.recall, m.accuracy];
      vals.forEach((value, j) =>
        history.current.push({ step, method: METHODS[k], series: SERIES[j], value }),
      );
    });
  };
  const t = useTraining({
    init: () => {
      exp.current = new ImbalanceExperiment(o);
      history.current = [];
      losses.current = [[], [], []];
      meanLoss.current = [NaN, NaN, NaN];
      record(0);
    },
    step: () => {
      exp.current.step().forEach((l, k) => losses.current[k].push(l));
      const s = exp.current.runs[0].steps;
      if (s % EVAL_EVERY === 0) {
        record(s);
        meanLoss.current = losses.current.map((l) => l.reduce((a, b) => a + b, 0) / l.length);
        losses.current = [[], [], []];
      }
    },
    maxSteps: 2000,
    deps: [o.freqs.join(), o.lr, o.switchStep, o.total],
  });
  const counts = exp.current.counts;
  const setFreq = (c: number, v: number): void =>
    setO({ ...o, freqs: o.freqs.map((f, k) => (k === c ? v : f)) });

  const curves = (width: number) => {
    const narrow = width < 700;
    return Plot.plot({
      ...base(width, narrow ? 560 : 300),
      [narrow ? 'fy' : 'fx']: { label: null, domain: [...METHODS] },
      x: { label: 'step', domain: [0, Math.max(Math.round(o.switchStep * 1.5), t.steps)] },
      y: { label: 'recall / accuracy', domain: [0, 1] },
      color: { domain: SERIES, range: COLORS, legend: true },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        Plot.ruleX([{ method: METHODS[2], step: o.switchStep }], {
          [narrow ? 'fy' : 'fx']: 'method',
          x: 'step',
          stroke: '#888',
          strokeDasharray: '4,3',
        }),
        Plot.line(history.current, {
          [narrow ? 'fy' : 'fx']: 'method',
          x: 'step',
          y: 'value',
          stroke: 'series',
          strokeWidth: 2,
        }),
      ],
    });
  };
  const scatter = (width: number) =>
    Plot.plot({
      ...base(Math.min(width, 420), 300),
      x: { label: 'x₁' },
      y: { label: 'x₂' },
      color: {
        domain: [0, 1, 2],
        range: COLORS,
        legend: true,
        tickFormat: (c: number) => `class ${c} (${counts[c]})`,
      },
      marks: [
        Plot.dot(exp.current.train.points, {
          x: 'x1',
          y: 'x2',
          fill: 'cls',
          r: (d: { cls: number }) => (d.cls === 0 ? 1.5 : 3),
          fillOpacity: 0.6,
        }),
      ],
    });

  const torch = [
    'from torch.utils.data import WeightedRandomSampler  # PyTorch has no class-equalising buffer sampler',
    'weights = 1.0 / torch.bincount(labels)[labels]       # balanced in expectation only',
    'sampler = WeightedRandomSampler(weights, num_samples=len(labels))',
    `opt = torch.optim.Adam(model.parameters(), lr=${o.lr})`,
    '# after the balanced phase: a plain DataLoader(shuffle=True) and lr / 20',
  ].join('\n');
  const nnkit = [
    "import { data, optim } from 'nnkit';",
    `const balanced = new data.BalancedBatchSampler(labels, { samplesPerClass: ${o.samplesPerClass} });`,
    `const natural = new data.NaturalBatchSampler(labels, { batchSize: ${3 * o.samplesPerClass} });`,
    `const opt = new optim.Adam(model.parameters(), { lr: ${o.lr} });`,
    `// or in one call, for a fixed number of epochs:`,
    'data.trainBalancedThenFineTune({ labels, optimizer: opt, step,',
    `  balanced: { epochs, samplesPerClass: ${o.samplesPerClass} }, fineTune: { epochs: 1, lr: ${o.lr / 20} } });`,
  ].join('\n');

  const m = latest.current;
  return (
    <Panel
      id="imbalance"
      title="Class imbalance"
      intro={
        <p>
          With a 1% class, a network trained on minibatches drawn at natural frequencies can be 99%
          accurate by never predicting it. The lecture's remedy: equalise class frequencies with one
          circular buffer per class (<code>data.BalancedBatchSampler</code>, no sample left out), so
          the rare class is learned; then fine-tune briefly at the true frequencies (dashed line) so
          the outputs return to the true priors and accuracy comes back. Set the frequencies and
          watch the three runs, from the same initial weights.
        </p>
      }
    >
      <div class="layout">
        <Controls label="Data and training">
          {[0, 1, 2].map((c) => (
            <Slider
              key={c}
              label={`class ${c} frequency`}
              value={o.freqs[c]}
              min={0.5}
              max={100}
              log
              onInput={(v) => setFreq(c, v)}
              hint={`${counts[c]} samples`}
            />
          ))}
          <Slider
            label="lr"
            value={o.lr}
            min={0.0003}
            max={0.03}
            log
            onInput={(v) => setO({ ...o, lr: v })}
          />
          <Slider
            label="switch to natural at step"
            value={o.switchStep}
            min={50}
            max={1500}
            step={50}
            onInput={(v) => setO({ ...o, switchStep: Math.round(v) })}
          />
          <TrainingBar t={t} name="imbalance" />
          <table class="readouts">
            <thead>
              <tr>
                <th>run</th>
                <th>recall 0/1/2</th>
                <th>accuracy</th>
                <th>loss</th>
              </tr>
            </thead>
            <tbody>
              {m.map((r, k) => (
                <tr key={k}>
                  <td>{METHODS[k]}</td>
                  <td>{r.recall.map((v) => v.toFixed(2)).join(' / ')}</td>
                  <td>
                    <Readout label="" value={r.accuracy} testId={`imbalance-acc-${k}`} />
                  </td>
                  <td>
                    <Readout label="" value={meanLoss.current[k]} testId={`imbalance-loss-${k}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {m.map((r, k) => (
            <span
              key={k}
              hidden
              data-testid={`imbalance-recall-${k}`}
              data-value={JSON.stringify(r.recall)}
            />
          ))}
        </Controls>
        <div class="figures">
          <PlotView
            label="recall and accuracy during training"
            testId="plot-imbalance"
            render={curves}
            deps={[t.version]}
          />
          <PlotView
            label="training data"
            testId="plot-imbalance-data"
            render={scatter}
            deps={[exp.current]}
          />
        </div>
      </div>
      <CodePair torch={torch} nnkit={nnkit} />
    </Panel>
  );
}
