import './images.css';
import type { RunImageRef } from '../../../shared/images';
import { useImageUrl } from './useImageUrl';

/** One sample in the gallery: its thumbnail, or why the model returned no image. */
export function SampleTile(props: { sample: RunImageRef; label: string; onOpen?(): void }) {
  const { sample } = props;
  const { url, error } = useImageUrl(sample.status === 'ok' ? sample.hash : null, 'thumbnail');
  if (sample.status !== 'ok') {
    return (
      <div className={`sample sample--${sample.status}`} role="img" aria-label={`${props.label}: no image`}>
        <strong>{sample.status === 'filtered' ? 'Filtered' : 'Failed'}</strong>
        <span>{sample.reason ?? 'The model returned no image.'}</span>
      </div>
    );
  }
  const picture = url ? <img src={url} alt={props.label} draggable={false} loading="lazy" decoding="async" /> : <span className="sample__placeholder">{error ?? 'Loading…'}</span>;
  if (!props.onOpen) return <div className="sample">{picture}</div>;
  return (
    <button type="button" className="sample" onClick={props.onOpen} aria-label={`Open ${props.label}`}>
      {picture}
    </button>
  );
}
