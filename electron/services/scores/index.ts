export { createScoreRepo, type ScoreRepo } from './repo';
export { createScoreService, questionOf, type ScoreService, type ScoreServiceDeps, type ScoreRequest } from './service';
