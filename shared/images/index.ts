export * from './files';
export * from './imageprompt';
export * from './request';
export * from './annotations';
export * from './prompt';
export * from './comparison';
