/** The explorer: a header with nnkit's runtime, a navigation, and one panel at a time. */
import { useEffect, useState } from 'preact/hooks';
import type { RuntimeInfo } from './runtime';
import { ActivationsPanel } from './panels/activations';
import { SoftmaxPanel } from './panels/softmax';
import { LossesPanel } from './panels/losses';
import { ImbalancePanel } from './panels/imbalance';
import { SpiralPanel } from './panels/spiral';
import { AdaptivePanel } from './panels/adaptive';

export const PANELS = [
  { id: 'activations', title: 'Activations', view: ActivationsPanel },
  { id: 'softmax', title: 'Softmax temperature', view: SoftmaxPanel },
  { id: 'losses', title: 'Losses and outliers', view: LossesPanel },
  { id: 'imbalance', title: 'Class imbalance', view: ImbalancePanel },
  { id: 'spiral', title: 'Spiral classifier', view: SpiralPanel },
  { id: 'adaptive', title: 'Adaptive softmax', view: AdaptivePanel },
] as const;

function current(): string {
  const id = location.hash.replace(/^#/, '');
  return PANELS.some((p) => p.id === id) ? id : PANELS[0].id;
}

export function App(p: { runtime: RuntimeInfo }): preact.JSX.Element {
  const [id, setId] = useState(current);
  useEffect(() => {
    const on = (): void => setId(current());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const panel = PANELS.find((q) => q.id === id) ?? PANELS[0];
  const View = panel.view;
  const r = p.runtime;
  return (
    <>
      <header>
        <h1>
          nnkit explorer <small>— PyTorch's torch.nn, computed in this page</small>
        </h1>
        <p
          class="runtime"
          data-testid="runtime"
          data-backend={r.backend}
          data-relaxed={String(r.relaxed)}
          data-threads={r.threads}
        >
          backend <b>{r.backend}</b>
          {r.relaxed ? ' (relaxed SIMD)' : ''} · {r.threads} thread{r.threads > 1 ? 's' : ''}{' '}
          {r.isolated
            ? `(cross-origin isolated, ${r.workers} worker${r.workers === 1 ? '' : 's'})`
            : '(not cross-origin isolated: single-threaded)'}
        </p>
        <nav aria-label="Panels">
          {PANELS.map((q) => (
            <a key={q.id} href={`#${q.id}`} aria-current={q.id === id ? 'page' : undefined}>
              {q.title}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <View key={panel.id} />
      </main>
    </>
  );
}
