import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/api';

/** What `load(hash)` resolves to, for the current hash only: null while it loads, or without a hash. */
export function useByHash<T>(hash: string | null, load: (hash: string) => Promise<T>): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ hash: string | null; value: T | null; error: string | null }>({ hash: null, value: null, error: null });
  useEffect(() => {
    if (!hash) return undefined;
    let live = true;
    load(hash).then(
      (value) => live && setState({ hash, value, error: null }),
      (error: unknown) => live && setState({ hash, value: null, error: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [hash, load]);
  return state.hash === hash ? { value: state.value, error: state.error } : { value: null, error: null };
}
