import type Database from 'better-sqlite3';
import { m0001Initial } from './0001-initial';
import { m0002BedrockSettings } from './0002-bedrock-settings';
import { m0003Comparison } from './0003-comparison';
import { m0004Scores } from './0004-scores';
import { m0005History } from './0005-history';
import { m0006OneNote } from './0006-one-note';
import { m0007CritiqueSearch } from './0007-critique-search';
import { m0008RunImages } from './0008-run-images';
import { m0009Steps } from './0009-steps';
import { m0011Corpora } from './0011-corpora';
import { m0010ModerationPipelines } from './0010-moderation-pipelines';
import { m0012ImageFiles } from './0012-image-files';
import { m0013Batches } from './0013-batches';
import { m0014HistoryScale } from './0014-history-scale';
import { m0016DerivedArms } from './0016-derived-arms';
import { m0017DeferredSearchIndex } from './0017-deferred-search-index';
import { m0018CorpusDeferredKeywordIndex } from './0018-corpus-deferred-keyword-index';
import { m0019ImportJournal } from './0019-import-journal';
import { m0020SearchWhenFinished } from './0020-search-when-finished';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Numbered migrations, applied in order. Never edit one that has shipped: add the next number.
 * Reserved numbers so parallel work does not collide:
 * 0002 bedrock settings + model catalog, 0003 comparison runs, 0004 scores, 0005 history search,
 * 0006 one note per run (run_ratings.note folded into runs.note), 0007 critiques in search, 0008 images kept with runs,
 * 0009 step traces / answer versions / streamed chunks / principle sets, 0010 moderation pipelines, 0011 corpora,
 * 0012 image files by content hash, image samples and reviewer annotations, 0013 datasets and batches,
 * 0014 history at scale (facet counters, indexes), 0016 derived arms (stored configurations upgraded to the arm model of issue 9),
 * 0017 deferred search indexing for bulk writes (imports), 0018 deferred keyword indexing of corpus chunks (adding files),
 * 0019 the import journal (imports all-or-nothing), 0020 a run enters the search index when it stops running.
 */
export const MIGRATIONS: readonly Migration[] = [
  m0001Initial,
  m0002BedrockSettings,
  m0003Comparison,
  m0004Scores,
  m0005History,
  m0006OneNote,
  m0007CritiqueSearch,
  m0008RunImages,
  m0009Steps,
  m0010ModerationPipelines,
  m0011Corpora,
  m0012ImageFiles,
  m0013Batches,
  m0014HistoryScale,
  m0016DerivedArms,
  m0017DeferredSearchIndex,
  m0018CorpusDeferredKeywordIndex,
  m0019ImportJournal,
  m0020SearchWhenFinished,
];
