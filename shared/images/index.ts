export * from './files';
export * from './imageprompt';
