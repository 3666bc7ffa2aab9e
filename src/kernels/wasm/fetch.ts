/** Compiling a `.wasm` asset in browsers (and other fetch-capable runtimes). */

/**
 * Fetches and compiles the module at `url`: streaming when the server says
 * `application/wasm`, from the bytes otherwise (some servers send another
 * type, which `compileStreaming` rejects).
 */
export async function compileUrl(url: URL): Promise<WebAssembly.Module> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`nnkit: fetching ${url.href} failed with HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}
