/** Panel 2: softmax temperature — editable logits, β on a log scale, entropy, and annealing. */
import { useMemo, useRef, useState } from 'preact/hooks';
import { optim } from 'nnkit';
import { distribution, entropy, entropyCurve, logGrid } from '../models/softmax';
import { Choice, Controls, NumberField, Slider } from '../components/controls';
import { CodePair } from '../components/code';
import { PlotView } from '../components/plot-view';
import { Panel, Readout, show } from '../components/panel';
import { TrainingBar, useTraining } from '../components/training';
import { COLORS, Plot, base } from '../plots';

const B_MIN = 0.01;
const B_MAX = 100;
const BETAS = logGrid(B_MIN, B_MAX, 121);
type Kind = 'exponentialBeta' | 'linearBeta';

function bars(logits: readonly number[], p: readonly number[], title: string, width: number) {
  const data = p.map((v, i) => ({ cls: `${i}: z=${show(logits[i])}`, p: v }));
  return Plot.plot({
    ...base(width, 240),
    x: {
      label: 'class (logit)',
      domain: data.map((d) => d.cls),
      tickRotate: data.length > 6 ? -30 : 0,
    },
    y: { label: title, domain: [0, 1] },
    marks: [
      Plot.barY(data, { x: 'cls', y: 'p', fill: COLORS[0] }),
      Plot.text(data, { x: 'cls', y: 'p', text: (d: { p: number }) => d.p.toFixed(3), dy: -8 }),
      Plot.ruleY([0]),
    ],
  });
}

export function SoftmaxPanel(): preact.JSX.Element {
  const [logits, setLogits] = useState([2, 1, 0.5, 0, -1]);
  const [beta, setBeta] = useState(1);
  const [kind, setKind] = useState<Kind>('exponentialBeta');
  const [start, setStart] = useState(0.05);
  const [end, setEnd] = useState(20);
  const [steps, setSteps] = useState(120);
  const schedule = useRef(optim.exponentialBeta({ start: 0.05, end: 20, steps: 120 }));
  const trace = useRef<{ step: number; beta: number; entropy: number }[]>([]);

  const anneal = useTraining({
    init: () => {
      const make = kind === 'linearBeta' ? optim.linearBeta : optim.exponentialBeta;
      schedule.current = make({ start, end, steps });
      trace.current = [{ step: 0, beta: start, entropy: entropy(logits, start) }];
    },
    step: () => {
      schedule.current.step();
      const b = schedule.current.beta;
      trace.current.push({ step: schedule.current.lastStep, beta: b, entropy: entropy(logits, b) });
    },
    maxSteps: steps,
    stepsPerFrame: 1,
    autostart: false,
    deps: [kind, start, end, steps, logits.join()],
  });

  const p = useMemo(() => distribution(logits, beta), [logits.join(), beta]);
  const h = useMemo(() => entropy(logits, beta), [logits.join(), beta]);
  const curve = useMemo(() => entropyCurve(logits, BETAS), [logits.join()]);
  const annealBeta = schedule.current.beta;
  const annealP = distribution(logits, annealBeta);
  const logC = Math.log(logits.length);

  const setLogit = (i: number, v: number): void =>
    setLogits(logits.map((z, j) => (j === i ? v : z)));

  const entropyPlot = (width: number) =>
    Plot.plot({
      ...base(width, 260),
      x: {
        type: 'log',
        label: 'β = 1/T (log scale)',
        domain: [B_MIN, B_MAX],
        ticks: [0.01, 0.1, 1, 10, 100],
        tickFormat: (d: number) => String(d),
      },
      y: { label: 'entropy (nats)', domain: [0, Math.max(logC, 0.1) * 1.05] },
      color: {
        domain: ['entropy of softmax(βz)', 'log C (uniform)', 'slider β', 'annealing β'],
        range: [COLORS[0], '#999', COLORS[1], COLORS[2]],
        legend: true,
      },
      marks: [
        Plot.ruleY([logC], { stroke: () => 'log C (uniform)', strokeDasharray: '5,3' }),
        Plot.line(
          BETAS.map((b, i) => ({ b, h: curve[i] })),
          { x: 'b', y: 'h', stroke: () => 'entropy of softmax(βz)', strokeWidth: 2 },
        ),
        Plot.dot([{ b: beta, h }], { x: 'b', y: 'h', r: 6, fill: () => 'slider β' }),
        ...(anneal.steps > 0 || anneal.running
          ? [
              Plot.dot([{ b: annealBeta, h: entropy(logits, annealBeta) }], {
                x: 'b',
                y: 'h',
                r: 6,
                fill: () => 'annealing β',
                symbol: 'diamond',
              }),
            ]
          : []),
      ],
    });

  const tracePlot = (width: number) =>
    Plot.plot({
      ...base(width, 240),
      x: { label: 'step', domain: [0, steps] },
      y: { label: 'entropy (nats)', domain: [0, Math.max(logC, 0.1) * 1.05] },
      marks: [
        Plot.ruleY([logC], { stroke: '#999', strokeDasharray: '5,3' }),
        Plot.line(trace.current, { x: 'step', y: 'entropy', stroke: COLORS[2], strokeWidth: 2 }),
        Plot.dot(trace.current.slice(-1), { x: 'step', y: 'entropy', fill: COLORS[2], r: 4 }),
      ],
    });

  const z = `[${logits.map(show).join(', ')}]`;
  const torch = [
    'import torch',
    `z = torch.tensor([${z}])`,
    `p = torch.softmax(${show(beta)} * z, dim=1)`,
    'H = -(p * torch.log_softmax(' + show(beta) + ' * z, dim=1)).sum()',
    `# annealing: beta_t = ${kind === 'linearBeta' ? `${show(start)} + (${show(end)} - ${show(start)}) * min(t / ${steps}, 1)` : `${show(start)} * (${show(end)} / ${show(start)}) ** min(t / ${steps}, 1)`}`,
  ].join('\n');
  const nnkit = [
    "import { F, optim, tensor } from 'nnkit';",
    `const z = tensor([${z}]);`,
    `const p = F.softmax(z, 1, { temperature: 1 / ${show(beta)} });`,
    `const logp = F.logSoftmax(z.mul(${show(beta)}), 1);`,
    'const H = logp.exp().mul(logp).sum().neg();',
    `const schedule = optim.${kind}({ start: ${show(start)}, end: ${show(end)}, steps: ${steps} });`,
    'schedule.softmax(z, 1); schedule.step(); // softmax(β_t z), then t + 1',
  ].join('\n');

  return (
    <Panel
      id="softmax"
      title="Softmax temperature"
      intro={
        <p>
          softmax(βz) turns logits into probabilities; β = 1/T is the inverse temperature. As β → 0
          every class gets 1/C (entropy log C, maximal uncertainty); as β → ∞ the largest logit
          takes everything (entropy 0, the argmax). Annealing raises β during training: soft
          assignments first, hard decisions at the end. Schedules are nnkit's{' '}
          <code>optim.linearBeta</code> and <code>optim.exponentialBeta</code>.
        </p>
      }
    >
      <div class="layout">
        <Controls label="Logits and β">
          {logits.map((v, i) => (
            <NumberField key={i} label={`logit ${i}`} value={v} onChange={(x) => setLogit(i, x)} />
          ))}
          <div class="buttons">
            <button
              type="button"
              onClick={() => setLogits([...logits, 0])}
              disabled={logits.length >= 10}
            >
              Add logit
            </button>
            <button
              type="button"
              onClick={() => setLogits(logits.slice(0, -1))}
              disabled={logits.length <= 2}
            >
              Remove last
            </button>
          </div>
          <Slider label="β" value={beta} min={B_MIN} max={B_MAX} log onInput={setBeta} />
          <Readout label="T = 1/β" value={1 / beta} testId="softmax-temperature" />
          <Readout label="entropy" value={h} testId="softmax-entropy" unit="nats" />
          <Readout label="log C" value={logC} testId="softmax-logc" unit="nats" />
        </Controls>
        <div class="figures two">
          <PlotView
            label="softmax distribution"
            testId="plot-distribution"
            render={(w) => bars(logits, p, `softmax(βz), β = ${show(beta)}`, w)}
            deps={[p.join()]}
          />
          <PlotView
            label="entropy against β"
            testId="plot-entropy"
            render={entropyPlot}
            deps={[curve.join(), beta, anneal.version]}
          />
        </div>
      </div>
      <h3>Annealing run</h3>
      <div class="layout">
        <Controls label="β schedule">
          <Choice
            label="schedule"
            value={kind}
            options={['exponentialBeta', 'linearBeta'] as Kind[]}
            onChange={setKind}
          />
          <Slider label="start β" value={start} min={B_MIN} max={B_MAX} log onInput={setStart} />
          <Slider label="end β" value={end} min={B_MIN} max={B_MAX} log onInput={setEnd} />
          <Slider
            label="steps"
            value={steps}
            min={10}
            max={500}
            step={10}
            onInput={(v) => setSteps(Math.round(v))}
          />
          <TrainingBar t={anneal} name="anneal" stepSize={10} />
          <Readout label="β(t)" value={annealBeta} testId="anneal-beta" />
        </Controls>
        <div class="figures two">
          <PlotView
            label="distribution during annealing"
            testId="plot-anneal-distribution"
            render={(w) => bars(logits, annealP, `softmax(β(t) z), t = ${anneal.steps}`, w)}
            deps={[anneal.version]}
          />
          <PlotView
            label="entropy during annealing"
            testId="plot-anneal-entropy"
            render={tracePlot}
            deps={[anneal.version, steps]}
          />
        </div>
      </div>
      <CodePair torch={torch} nnkit={nnkit} />
    </Panel>
  );
}
