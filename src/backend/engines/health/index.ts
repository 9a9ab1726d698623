// The health-score engine: pure functions of (profile, data, now).
export * from './record';
export * from './operators';
export * from './profile';
export { DAY_MS, type CriterionEvaluation } from './criteria';
export * from './score';
export * from './default-profile';
export * from './explain';
export * from './transitions';
export * from './summary';
export * from './preview';
