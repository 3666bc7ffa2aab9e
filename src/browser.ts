/**
 * nnkit: PyTorch's torch.nn activations and losses for TypeScript.
 *
 * This is the browser entry (the `browser` export condition, which bundlers
 * use): the same API as the Node entry, with the WebAssembly kernels fetched
 * as an asset (`await wasmReady` before relying on them) and no native
 * loader or Node built-ins in the module graph.
 * @packageDocumentation
 */
export * from './api.js';
export { wasmReady } from './kernels/wasm/browser.js';
