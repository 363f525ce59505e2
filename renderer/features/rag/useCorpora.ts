import { useEffect, useState } from 'react';
import type { CorpusSummary } from '../../../shared/rag/types';
import { api, errorMessage } from '../../lib/api';

/** The corpora (refetched when one changes); null while loading. */
export function useCorpora(): { corpora: CorpusSummary[] | null; error: string | null } {
  const [corpora, setCorpora] = useState<CorpusSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .call('rag:list', {})
        .then((list) => {
          if (!live) return;
          setCorpora(list);
          setError(null);
        })
        .catch((caught: unknown) => live && setError(errorMessage(caught)));
    void load();
    const off = api.on('rag:changed', () => void load());
    return () => {
      live = false;
      off();
    };
  }, []);
  return { corpora, error };
}
