/**
 * Reuse of the storage of small gradients that a backward pass has consumed.
 *
 * In a training step the gradients flowing between a graph's nodes are
 * garbage as soon as the next node has used them, but the garbage collector
 * frees them only at its next cycle. Until then each new tensor of the step
 * gets a new ArrayBuffer (0.3–2 µs, plus its share of the collections that
 * external memory triggers) and memory the process may not have touched
 * since the last cycle. With many small tensors per step that adds up:
 * bench:train workload c (ten Linear layers of at most 16 features over
 * 1,024 rows, buffers of 4–64 KB) ran 7–13 % faster with reuse.
 *
 * So the autograd engine (`runBackward`) hands back the ArrayBuffers of the
 * gradients it allocated during the pass and then consumed — storage that
 * nothing but the engine ever saw: not a leaf's `.grad`, not a retained
 * gradient, not shared with a gradient still pending — and `allocUninit`
 * serves the next requests of exactly that size from them, most recent
 * first. Only whole buffers of `Buffer.allocUnsafeSlow` are taken (never a
 * slice of Node's shared small-buffer pool), below {@link MAX_BYTES} each,
 * at most {@link PER_SIZE} of a size, and only until the backward pass
 * after next begins: a size nobody asked for by then goes back to the
 * collector and the C allocator, where any size can reuse the memory.
 */

/**
 * Larger buffers are left to the collector. A kept buffer ages into V8's
 * old generation, and an old ArrayBuffer that later dies (as the forward
 * output it was handed to will) is freed only by a full collection: with
 * megabyte buffers V8 ran a full collection for "external memory pressure"
 * every few steps (bench:train d-adaptive, --trace-gc: 23 instead of 3 in
 * 120 steps, CPU 12.5 instead of 9.7 ms per step), and workload a
 * (1.2 MB activations) gained nothing measurable.
 */
const MAX_BYTES = 256 << 10;
/** At most this many buffers of one size. */
const PER_SIZE = 8;

/** The kept buffers by size, each with the backward pass that released it. */
const pool = new Map<number, { buf: ArrayBuffer; pass: number }[]>();
/** Backward passes begun so far. */
let passes = 0;

/** Lets go of the buffers released before pass `oldest`. */
function expire(oldest: number): void {
  for (const [bytes, list] of pool) {
    const keep = list.filter((e) => e.pass >= oldest);
    if (keep.length > 0) pool.set(bytes, keep);
    else pool.delete(bytes);
  }
}

/** Buffers made by `allocUninit` during the current backward pass (null outside one). */
let fresh: Set<ArrayBuffer> | null = null;

/** A recycled buffer of exactly `bytes` bytes, if one is kept. */
export function takeRecycled(bytes: number): ArrayBuffer | undefined {
  return pool.get(bytes)?.pop()?.buf;
}

/** Called by `allocUninit` for each whole buffer it makes (or reuses); only those below MAX_BYTES can come back. */
export function noteAllocated(buf: ArrayBuffer): void {
  if (fresh !== null && buf.byteLength < MAX_BYTES) fresh.add(buf);
}

/**
 * Runs `body` (a backward pass) recording the buffers allocated in it;
 * `body` gets a function that returns one of them to the pool once nothing
 * refers to it any more (the caller vouches for that). Buffers not
 * allocated during `body` are never taken.
 */
export function withRecycling<T>(body: (release: (buf: ArrayBuffer) => void) => T): T {
  const outer = fresh;
  const mine = new Set<ArrayBuffer>();
  const pass = ++passes;
  if (pool.size > 0) expire(pass - 1);
  fresh = mine;
  try {
    return body((buf) => {
      if (!mine.delete(buf)) return;
      const bytes = buf.byteLength;
      let list = pool.get(bytes);
      if (!list) pool.set(bytes, (list = []));
      if (list.length >= PER_SIZE) return;
      list.push({ buf, pass });
    });
  } finally {
    fresh = outer;
  }
}
