export { createRagService, type RagService, type RagDeps, type FileInput, type RetrieveRequest } from './service';
export { createCorpusRepo, type CorpusRepo } from './repo';
export { extractText, kindOf, MAX_FILE_BYTES } from './extract';
