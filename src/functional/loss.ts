// Filled in by the loss/layer work (issue 3/5).
export {};
