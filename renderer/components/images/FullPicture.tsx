import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../lib/api';
import { fullImage } from './image-cache';
import { useByHash } from './useByHash';

/** The largest box the lightbox gives a picture: its column's width, 70% of the window's height. */
const SHOWN_HEIGHT_SHARE = 0.7;

interface Size {
  width: number;
  height: number;
}

/** `natural` scaled down (never up) to fit `box`, keeping its proportions. */
export function fitInside(natural: Size, box: Size): Size {
  const scale = Math.min(1, box.width / natural.width, box.height / natural.height);
  return { width: Math.max(1, Math.round(natural.width * scale)), height: Math.max(1, Math.round(natural.height * scale)) };
}

/**
 * The full image in the lightbox, drawn into one canvas at the size it is shown (in device
 * pixels, never more than its own): createImageBitmap decodes and scales it off the main thread,
 * and the bitmap is closed once drawn. An <img> per image would leave each 1024² decode (4 MB) in
 * the compositor's image cache long after the lightbox stepped past it.
 */
export function FullPicture(props: { hash: string; width: number | null; height: number | null; label: string }) {
  const { hash } = props;
  const { value: blob, error } = useByHash(hash, fullImage);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState<{ hash: string; natural: Size; shown: Size } | null>(null);
  const [drawError, setDrawError] = useState<{ hash: string; message: string } | null>(null);
  const known = props.width && props.height ? { width: props.width, height: props.height } : null;

  useEffect(() => {
    const element = canvas.current;
    if (!blob || !element) return undefined;
    let live = true;
    const box = { width: element.parentElement?.clientWidth || window.innerWidth, height: window.innerHeight * SHOWN_HEIGHT_SHARE };
    const ratio = window.devicePixelRatio || 1;
    const device = known ? fitInside(known, { width: box.width * ratio, height: box.height * ratio }) : null;
    const decoding = device ? createImageBitmap(blob, { resizeWidth: device.width, resizeHeight: device.height, resizeQuality: 'high' }) : createImageBitmap(blob);
    decoding.then(
      (bitmap) => {
        if (!live) {
          bitmap.close();
          return;
        }
        element.width = bitmap.width;
        element.height = bitmap.height;
        element.getContext('2d')?.drawImage(bitmap, 0, 0);
        bitmap.close();
        const natural = known ?? { width: element.width, height: element.height };
        setDrawn({ hash, natural, shown: fitInside(natural, box) });
      },
      (caught: unknown) => live && setDrawError({ hash, message: `This image could not be shown: ${errorMessage(caught)}` }),
    );
    return () => {
      live = false;
    };
    // `known` follows the hash; the box is read when the picture is drawn
  }, [blob, hash]);

  const shown = drawn?.hash === hash ? drawn : null;
  const problem = error ?? (drawError?.hash === hash ? drawError.message : null);
  return (
    <>
      <canvas
        ref={canvas}
        role="img"
        aria-label={props.label}
        hidden={!shown}
        data-drawn={shown?.hash}
        data-natural-width={shown?.natural.width}
        style={shown ? { width: shown.shown.width } : undefined}
      />
      {!shown && <p>{problem ?? 'Loading…'}</p>}
    </>
  );
}
