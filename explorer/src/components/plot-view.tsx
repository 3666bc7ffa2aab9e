/**
 * Mounts an Observable Plot figure. `render` builds it from the current data; the figure is
 * replaced whenever `deps` change. The width follows the container, so figures fit a narrow
 * screen as well as a wide one.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

export type Rendered = SVGSVGElement | HTMLElement;

export function PlotView(p: {
  render: (width: number) => Rendered;
  deps: readonly unknown[];
  label: string;
  testId?: string;
  onMount?: (el: Rendered) => void;
}): preact.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el || width === 0) return;
    const fig = p.render(Math.max(260, width));
    el.replaceChildren(fig);
    p.onMount?.(fig);
  }, [width, ...p.deps]);
  return <div class="plot" ref={ref} role="figure" aria-label={p.label} data-testid={p.testId} />;
}
