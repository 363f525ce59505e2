import './images.css';
import type { RunImageRef } from '../../../shared/images';
import { thumbnailUrl } from './image-cache';
import { useByHash } from './useByHash';

/** The thumbnail's own size (at most 256 px on the long side), so the tile lays out before it decodes. */
function thumbnailBox(sample: RunImageRef): { width: number; height: number } | null {
  if (!sample.width || !sample.height) return null;
  const scale = Math.min(1, 256 / Math.max(sample.width, sample.height));
  return { width: Math.round(sample.width * scale), height: Math.round(sample.height * scale) };
}

/** One sample in the gallery: its thumbnail, or why the model returned no image. */
export function SampleTile(props: { sample: RunImageRef; label: string; onOpen?(): void }) {
  const { sample } = props;
  const { value: url, error } = useByHash(sample.status === 'ok' ? sample.hash : null, thumbnailUrl);
  if (sample.status !== 'ok') {
    return (
      <div className={`sample sample--${sample.status}`} role="img" aria-label={`${props.label}: no image`}>
        <strong>{sample.status === 'filtered' ? 'Filtered' : 'Failed'}</strong>
        <span>{sample.reason ?? 'The model returned no image.'}</span>
      </div>
    );
  }
  const box = thumbnailBox(sample);
  const picture = url ? (
    <img src={url} alt={props.label} draggable={false} loading="lazy" decoding="async" width={box?.width} height={box?.height} />
  ) : (
    <span className="sample__placeholder">{error ?? 'Loading…'}</span>
  );
  if (!props.onOpen) return <div className="sample">{picture}</div>;
  return (
    <button type="button" className="sample" onClick={props.onOpen} aria-label={`Open ${props.label}`}>
      {picture}
    </button>
  );
}
