/** NLL / cross-entropy on three rows of four logits: weights, ignoreIndex, label smoothing. */
import { useMemo, useState } from 'preact/hooks';
import { crossEntropy, type CeInput } from '../models/cross-entropy';
import { Choice, Controls, NumberField, Slider } from '../components/controls';
import { CodePair } from '../components/code';
import { PlotView } from '../components/plot-view';
import { Readout, show } from '../components/panel';
import { COLORS, Plot, base } from '../plots';

const CLASSES = [0, 1, 2, 3];
const START: CeInput = {
  logits: [
    [2, 0.5, -1, 0],
    [0, 1.5, 0.2, -0.5],
    [-1, 0, 0.5, 3],
  ],
  targets: [0, 2, 3],
  weights: [1, 1, 1, 1],
  ignoreIndex: -100,
  labelSmoothing: 0,
  reduction: 'mean',
};

const list = (v: readonly number[]): string => `[${v.map(show).join(', ')}]`;

export function CrossEntropyView(): preact.JSX.Element {
  const [s, setS] = useState<CeInput>(START);
  const r = useMemo(() => crossEntropy(s), [JSON.stringify(s)]);
  const set = (patch: Partial<CeInput>): void => setS({ ...s, ...patch });

  const gradPlot = (width: number) => {
    const data = r.grad.flatMap((g, i) =>
      g.map((v, c) => ({ row: `row ${i} (target ${s.targets[i]})`, cls: `class ${c}`, v })),
    );
    return Plot.plot({
      ...base(width, 260),
      fx: { label: null },
      x: { axis: null, domain: CLASSES.map((c) => `class ${c}`) },
      y: { label: '∂loss/∂logit (autograd)' },
      color: { domain: CLASSES.map((c) => `class ${c}`), range: COLORS, legend: true },
      marks: [Plot.barY(data, { fx: 'row', x: 'cls', y: 'v', fill: 'cls' }), Plot.ruleY([0])],
    });
  };

  const ign = s.ignoreIndex === -100 ? '' : `, ignore_index=${s.ignoreIndex}`;
  const ls = s.labelSmoothing ? `, label_smoothing=${show(s.labelSmoothing)}` : '';
  const torch = [
    `x = torch.tensor([${s.logits.map(list).join(', ')}], requires_grad=True)`,
    `t = torch.tensor(${list(s.targets)})`,
    `w = torch.tensor(${list(s.weights)})`,
    `loss = F.cross_entropy(x, t, weight=w${ign}${ls}, reduction='${s.reduction}')`,
    'loss.sum().backward()  # x.grad: the gradient per logit',
    `nll = F.nll_loss(F.log_softmax(x, 1), t, weight=w${ign}, reduction='${s.reduction}')`,
  ].join('\n');
  const kIgn = s.ignoreIndex === -100 ? '' : `, ignoreIndex: ${s.ignoreIndex}`;
  const kLs = s.labelSmoothing ? `, labelSmoothing: ${show(s.labelSmoothing)}` : '';
  const nnkit = [
    `const x = tensor([${s.logits.map(list).join(', ')}], { requiresGrad: true });`,
    `const t = tensor(${list(s.targets)}, { dtype: 'int32' });`,
    `const w = tensor(${list(s.weights)});`,
    `const loss = F.crossEntropy(x, t, { weight: w${kIgn}${kLs}, reduction: '${s.reduction}' });`,
    'loss.sum().backward(); // x.grad: the gradient per logit',
    `const nll = F.nllLoss(F.logSoftmax(x, 1), t, { weight: w${kIgn}, reduction: '${s.reduction}' });`,
  ].join('\n');

  return (
    <>
      <h3>Cross-entropy and NLL on a few logits</h3>
      <p>
        Cross-entropy is NLL of log-softmax. Its gradient per logit is p − y (probability minus
        one-hot target), scaled by the target class's weight: the correct logit is pushed up, the
        others down. A target equal to <code>ignoreIndex</code> contributes nothing (and its weight
        leaves the mean's denominator); label smoothing mixes the one-hot target with the uniform
        distribution, so even a confident correct answer keeps a small gradient.
      </p>
      <div class="layout">
        <Controls label="Logits, targets and options">
          <table class="logits">
            <tbody>
              {s.logits.map((row, i) => (
                <tr key={i}>
                  {row.map((v, c) => (
                    <td key={c}>
                      <NumberField
                        label={`row ${i} logit ${c}`}
                        value={v}
                        onChange={(x) =>
                          set({
                            logits: s.logits.map((q, k) =>
                              k === i ? q.map((z, j) => (j === c ? x : z)) : q,
                            ),
                          })
                        }
                      />
                    </td>
                  ))}
                  <td>
                    <Choice
                      label={`row ${i} target`}
                      value={s.targets[i]}
                      options={CLASSES}
                      onChange={(v) => set({ targets: s.targets.map((q, k) => (k === i ? v : q)) })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {CLASSES.map((c) => (
            <Slider
              key={c}
              label={`weight of class ${c}`}
              value={s.weights[c]}
              min={0}
              max={3}
              step={0.05}
              onInput={(v) => set({ weights: s.weights.map((q, k) => (k === c ? v : q)) })}
            />
          ))}
          <Choice
            label="ignoreIndex"
            value={s.ignoreIndex}
            options={[-100, ...CLASSES]}
            format={(v) => (v === -100 ? '-100 (default)' : String(v))}
            onChange={(v) => set({ ignoreIndex: v })}
          />
          <Slider
            label="labelSmoothing"
            value={s.labelSmoothing}
            min={0}
            max={1}
            step={0.01}
            onInput={(v) => set({ labelSmoothing: v })}
          />
          <Choice
            label="reduction"
            value={s.reduction}
            options={['mean', 'sum', 'none'] as const}
            onChange={(v) => set({ reduction: v })}
          />
        </Controls>
        <div class="figures">
          <div class="readouts-inline">
            {r.loss.map((v, i) => (
              <Readout
                key={`ce${i}`}
                label={r.loss.length > 1 ? `cross-entropy row ${i}` : 'cross-entropy'}
                value={v}
                testId={`ce-loss-${i}`}
              />
            ))}
            {r.nll.map((v, i) => (
              <Readout
                key={`nll${i}`}
                label={r.nll.length > 1 ? `NLL(logSoftmax) row ${i}` : 'NLL(logSoftmax)'}
                value={v}
                testId={`ce-nll-${i}`}
              />
            ))}
          </div>
          <PlotView label="gradient per logit" testId="plot-ce-grad" render={gradPlot} deps={[r]} />
          <table class="readouts" aria-label="gradient per logit">
            <thead>
              <tr>
                <th>row</th>
                {CLASSES.map((c) => (
                  <th key={c}>p / ∂ class {c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.grad.map((g, i) => (
                <tr key={i}>
                  <td>{i}</td>
                  {g.map((v, c) => (
                    <td key={c}>
                      {show(r.probs[i][c])} /{' '}
                      <output data-testid={`ce-grad-${i}-${c}`} data-value={String(v)}>
                        {show(v)}
                      </output>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <CodePair torch={torch} nnkit={nnkit} />
    </>
  );
}
