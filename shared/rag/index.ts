export * from './chunk';
export * from './highlight';
export * from './rank';
export * from './tokens';
export * from './types';
