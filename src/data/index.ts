// Samplers (issue 5).
export {};
