/**
 * Saving and loading weights, `io`: state dicts in Hugging Face's safetensors
 * format (bytes anywhere, files in Node), with PyTorch's key names; PyTorch's
 * own `torch.save` files (`load`, as `torch.load(weights_only=True)`); and
 * tensors as JSON.
 */
export { loadSafetensors, saveSafetensors, safetensorsMetadata } from './safetensors.js';
export { loadFile, saveFile } from './node.js';
export { tensorFromJSON } from './from-json.js';
export { tensorToJSON, type TensorJSON, type JSONNumber } from '../tensor/json.js';
export { load, type TorchValue } from './torch-load.js';
export { save } from './torch-save.js';
