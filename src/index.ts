/**
 * nnkit: PyTorch's torch.nn activations and losses for TypeScript.
 *
 * This is the Node.js entry (the `node` export condition, for `import` and
 * `require`): importing it registers the native addon (a prebuilt binary, or
 * one built from source) and the WebAssembly module, read synchronously, so
 * both are ready when the import returns. Browsers and bundlers get
 * `browser.ts` instead, which never touches Node's built-ins.
 * @packageDocumentation
 */
import './kernels/native/index.js';
export * from './api.js';
export { wasmReady } from './kernels/wasm/node.js';
