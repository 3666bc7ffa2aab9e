/**
 * Reuse of the storage of gradients that a backward pass has consumed.
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
 * slice of Node's shared small-buffer pool), below {@link MAX_BYTES} or from
 * {@link MAPPED_BYTES} on, at most {@link PER_SIZE} of a size (and
 * {@link MAPPED_TOTAL} bytes in the large ones), and only until the backward
 * pass after next begins: a size nobody asked for by then goes back to the
 * collector and the C allocator, where any size can reuse the memory.
 */

/**
 * Buffers from here to {@link MAPPED_BYTES} are left to the collector. A
 * kept buffer ages into V8's old generation, and an old ArrayBuffer that
 * later dies (a forward output it was handed to, or a kept one that expires
 * because the next pass asked for other sizes) is freed only by a full
 * collection: keeping megabyte buffers, V8 ran a full collection for
 * "external memory pressure" every few steps (bench:train d-adaptive,
 * --trace-gc: 15–23 instead of 2–3 in 70–120 steps, 25–40 % more CPU),
 * and glibc's heap already hands such sizes warm memory.
 */
const MAX_BYTES = 256 << 10;
/**
 * From this size on (glibc's largest heap block, see tuneMalloc in
 * native/addon.cc) every new buffer is freshly mapped memory, whose first
 * writes fault and zero it page by page (d-full's 51 MB logit gradient:
 * 6 ms per step on huge pages, 27 ms without). Such buffers are kept, but
 * only for the gradients of the next backward pass, never for a forward
 * output: a gradient is consumed by the pass and comes back, so the buffer
 * keeps cycling instead of dying old.
 */
const MAPPED_BYTES = 32 << 20;
/** At most this many buffers of one size. */
const PER_SIZE = 8;
/** At most this many bytes kept in buffers of MAPPED_BYTES or more. */
const MAPPED_TOTAL = 256 << 20;
/** Bytes kept in buffers of MAPPED_BYTES or more. */
let mappedKept = 0;

/** The kept buffers by size, each with the backward pass that released it. */
const pool = new Map<number, { buf: ArrayBuffer; pass: number }[]>();
/** Backward passes begun so far. */
let passes = 0;

/** Lets go of the buffers released before pass `oldest`. */
function expire(oldest: number): void {
  for (const [bytes, list] of pool) {
    const keep = list.filter((e) => e.pass >= oldest);
    if (bytes >= MAPPED_BYTES) mappedKept -= (list.length - keep.length) * bytes;
    if (keep.length > 0) pool.set(bytes, keep);
    else pool.delete(bytes);
  }
}

/** Buffers made by `allocUninit` during the current backward pass (null outside one). */
let fresh: Set<ArrayBuffer> | null = null;

/**
 * A recycled buffer for `bytes` bytes, if one is kept: below MAX_BYTES one
 * of exactly that size; from MAPPED_BYTES on, and only inside a backward
 * pass, the smallest kept one of at least `bytes` and at most twice that
 * (the caller views its first `bytes`).
 */
export function takeRecycled(bytes: number): ArrayBuffer | undefined {
  if (bytes < MAX_BYTES) return pool.get(bytes)?.pop()?.buf;
  if (bytes < MAPPED_BYTES || fresh === null) return undefined;
  let best = 0;
  for (const size of pool.keys()) {
    if (size >= bytes && size <= 2 * bytes && (best === 0 || size < best)) best = size;
  }
  const list = best === 0 ? undefined : pool.get(best);
  const entry = list?.pop();
  if (entry === undefined) return undefined;
  if (list!.length === 0) pool.delete(best);
  mappedKept -= best;
  return entry.buf;
}

/** Called by `allocUninit` for each whole buffer it makes (or reuses): those of a backward pass may come back. */
export function noteAllocated(buf: ArrayBuffer): void {
  if (fresh !== null) fresh.add(buf);
}

/** Whether a size is kept when released (see MAX_BYTES and MAPPED_BYTES). */
const keptSize = (bytes: number): boolean => bytes < MAX_BYTES || bytes >= MAPPED_BYTES;

/** What a backward pass gets from {@link withRecycling}. */
export interface PassBuffers {
  /** Returns a buffer of this pass to the pool once nothing refers to it any more (the caller vouches for that). */
  release(buf: ArrayBuffer): void;
  /** Whether `buf` is a whole buffer allocated during this pass and not yet released. */
  isFresh(buf: ArrayBufferLike): boolean;
}

/**
 * Runs `body` (a backward pass) recording the buffers allocated in it;
 * `body` can return one of them to the pool once nothing refers to it any
 * more (the caller vouches for that), and ask whether a buffer is one of
 * them. Buffers not allocated during `body` are never taken.
 */
export function withRecycling<T>(body: (buffers: PassBuffers) => T): T {
  const outer = fresh;
  const mine = new Set<ArrayBuffer>();
  const pass = ++passes;
  if (pool.size > 0) expire(pass - 1);
  fresh = mine;
  try {
    const release = (buf: ArrayBuffer): void => {
      if (!mine.delete(buf)) return;
      const bytes = buf.byteLength;
      if (!keptSize(bytes)) return;
      let list = pool.get(bytes);
      if (!list) pool.set(bytes, (list = []));
      if (list.length >= PER_SIZE) return;
      if (bytes >= MAPPED_BYTES) {
        if (mappedKept + bytes > MAPPED_TOTAL) return;
        mappedKept += bytes;
      }
      list.push({ buf, pass });
    };
    return body({ release, isFresh: (buf) => mine.has(buf as ArrayBuffer) });
  } finally {
    fresh = outer;
  }
}
