export * from './input';
export * from './settings';
export * from './links';
export { RULES } from './rules';
export { RULE_IDS, ruleMetaSchema, type RuleId, type Rule, type RuleMeta, type Facts } from './rule-definition';
export * from './engine';
export { DEFAULT_LIFECYCLE_STAGES } from './context';
