export * from './registry';
export * from './trace';
export { TechniqueStep } from './kinds/technique';
export { SpecifyStep } from './kinds/specify';
export { RewriteStep } from './kinds/rewrite';
export { CritiqueReviseStep, CustomPrinciple, PrincipleRef } from './kinds/critique-revise';
