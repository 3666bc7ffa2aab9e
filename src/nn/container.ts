// Filled in by the layer work (issue 3): nn.Sequential.
export {};
