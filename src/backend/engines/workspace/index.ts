export * from './properties';
export * from './settings';
export * from './query';
export * from './views';
export * from './links';
export * from './edit';
export * from './board';
export * from './arr-at-risk';
