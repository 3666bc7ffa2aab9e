/** Panel 3: losses and outliers (a live line fit), and cross-entropy on a few logits. */
import { LineFitView } from './line-fit';
import { CrossEntropyView } from './cross-entropy';
import { Panel } from '../components/panel';

export function LossesPanel(): preact.JSX.Element {
  return (
    <Panel
      id="losses"
      title="Losses and outliers"
      intro={
        <p>
          The loss decides what "a good fit" means. Squared error (MSE) is minimised by the mean, so
          one far point drags the fit; absolute error (L1) is minimised by the median and shrugs
          outliers off. SmoothL1 and Huber are quadratic near 0 and linear beyond β (δ): in between.
          Drag the points (click empty space to add one, double-click a point to remove it) and
          watch four lines, each trained live by an nnkit optimizer.
        </p>
      }
    >
      <LineFitView />
      <CrossEntropyView />
    </Panel>
  );
}
