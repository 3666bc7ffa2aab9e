/**
 * A live training loop on requestAnimationFrame: each frame runs steps for a few milliseconds,
 * then the panel re-renders (at most ~12 times a second, so plotting does not eat the budget).
 * Start, pause, step and reset; the rate shown is wall-clock steps per second over the last
 * second of running, rendering included.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';

export interface Training {
  running: boolean;
  steps: number;
  stepsPerSecond: number;
  start(): void;
  pause(): void;
  reset(): void;
  /** Runs `n` steps now (synchronously), then re-renders. */
  advance(n: number): void;
  /** Increments on every refresh; use it as a dependency of plots. */
  version: number;
}

export interface TrainingOptions {
  /** (Re)creates the model and data; called on mount, reset and when `deps` change. */
  init: () => void;
  /** One optimisation step. */
  step: () => void;
  /** Stop by itself after this many steps. */
  maxSteps?: number;
  autostart?: boolean;
  /** Milliseconds of stepping per frame. */
  budgetMs?: number;
  /** At most this many steps per frame (for animations). */
  stepsPerFrame?: number;
  deps: readonly unknown[];
}

export function useTraining(o: TrainingOptions): Training {
  const [version, setVersion] = useState(0);
  const s = useRef({ running: o.autostart ?? true, steps: 0, rate: 0, samples: [] as number[][] });
  const opts = useRef(o);
  opts.current = o;
  const frame = useRef(0);
  const lastPaint = useRef(0);
  /** When the last refresh was requested, and how long the gap to the next frame was (its cost). */
  const paintAsked = useRef(0);
  const paintCost = useRef(0);
  const refresh = (): void => setVersion((v) => v + 1);

  const runFor = (n: number): void => {
    const max = opts.current.maxSteps ?? Infinity;
    for (let i = 0; i < n && s.current.steps < max; i++) {
      opts.current.step();
      s.current.steps++;
    }
  };

  const loop = (now: number): void => {
    const st = s.current;
    if (!st.running) return;
    if (paintAsked.current) {
      paintCost.current = performance.now() - paintAsked.current;
      paintAsked.current = 0;
    }
    const budget = opts.current.budgetMs ?? 12;
    const cap = opts.current.stepsPerFrame ?? Infinity;
    const t0 = performance.now();
    let k = 0;
    do {
      runFor(1);
      k++;
    } while (
      k < cap &&
      performance.now() - t0 < budget &&
      st.steps < (opts.current.maxSteps ?? Infinity)
    );
    st.samples.push([now, st.steps]);
    while (st.samples.length > 2 && now - st.samples[0][0] > 1000) st.samples.shift();
    const [t1, s1] = st.samples[0];
    if (now > t1) st.rate = ((st.steps - s1) * 1000) / (now - t1);
    if (st.steps >= (opts.current.maxSteps ?? Infinity)) st.running = false;
    // Repaint at most every 80 ms, and rarely enough that plotting takes under ~25% of the time.
    const every = cap < Infinity ? 0 : Math.max(80, 3 * paintCost.current);
    if (now - lastPaint.current > every || !st.running) {
      lastPaint.current = now;
      paintAsked.current = performance.now();
      refresh();
    }
    if (st.running) frame.current = requestAnimationFrame(loop);
  };

  const start = (): void => {
    if (s.current.running && frame.current) return;
    s.current.running = true;
    s.current.samples = [];
    frame.current = requestAnimationFrame(loop);
    refresh();
  };
  const pause = (): void => {
    s.current.running = false;
    cancelAnimationFrame(frame.current);
    frame.current = 0;
    refresh();
  };
  const reset = (): void => {
    opts.current.init();
    s.current.steps = 0;
    s.current.samples = [];
    s.current.rate = 0;
    refresh();
  };

  useEffect(() => {
    reset();
    if (s.current.running) {
      cancelAnimationFrame(frame.current);
      frame.current = requestAnimationFrame(loop);
    }
    return () => cancelAnimationFrame(frame.current);
  }, o.deps);

  return {
    running: s.current.running,
    steps: s.current.steps,
    stepsPerSecond: s.current.rate,
    start,
    pause,
    reset,
    advance: (n) => {
      runFor(n);
      refresh();
    },
    version,
  };
}

/** Start/pause, step and reset buttons, with the step count and rate. */
export function TrainingBar(p: {
  t: Training;
  stepSize?: number;
  name: string;
}): preact.JSX.Element {
  const [n, setN] = useState(p.stepSize ?? 10);
  const id = useId();
  return (
    <div class="training-bar" role="group" aria-label={`${p.name} training`}>
      {p.t.running ? (
        <button type="button" onClick={p.t.pause}>
          ❚❚ Pause
        </button>
      ) : (
        <button type="button" onClick={p.t.start}>
          ▶ Start
        </button>
      )}
      <button type="button" onClick={() => p.t.advance(n)} disabled={p.t.running}>
        Step ×{n}
      </button>
      <label class="step-size" for={id}>
        steps per click
      </label>
      <input
        id={id}
        class="step-size"
        type="number"
        min={1}
        max={5000}
        value={n}
        onChange={(e) => {
          const v = Math.round(Number(e.currentTarget.value));
          if (v >= 1) setN(Math.min(v, 5000));
        }}
      />
      <button type="button" onClick={p.t.reset}>
        ↺ Reset
      </button>
      <span class="stat">
        step <output data-testid={`${p.name}-steps`}>{p.t.steps}</output>
      </span>
      <span class="stat">
        <output data-testid={`${p.name}-rate`}>
          {p.t.running ? p.t.stepsPerSecond.toFixed(0) : '—'}
        </output>{' '}
        steps/s
      </span>
    </div>
  );
}
