// Optimizers and temperature schedules (issue 5).
export {};
