import type Database from 'better-sqlite3';
import { m0001Initial } from './0001-initial';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Numbered migrations, applied in order. Never edit one that has shipped: add the next number.
 * Reserved numbers so parallel work does not collide:
 * 0002 bedrock settings + model catalog, 0003 comparison runs, 0004 scores, 0005 history search.
 */
export const MIGRATIONS: readonly Migration[] = [m0001Initial];
