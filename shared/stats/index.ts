/** Statistics for batches (issue 13): descriptive figures, intervals, paired tests, sentences. */
export * from './basic';
export * from './tests';
export * from './paired';
