import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/api';
import { imageUrl } from './image-cache';

export function useImageUrl(hash: string | null, size: 'thumbnail' | 'full'): { url: string | null; error: string | null } {
  const [state, setState] = useState<{ hash: string | null; url: string | null; error: string | null }>({ hash: null, url: null, error: null });
  useEffect(() => {
    if (!hash) return undefined;
    let live = true;
    imageUrl(hash, size).then(
      (url) => live && setState({ hash, url, error: null }),
      (error: unknown) => live && setState({ hash, url: null, error: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [hash, size]);
  return state.hash === hash ? { url: state.url, error: state.error } : { url: null, error: null };
}
