import type { RunImageRef } from '../../../shared/images';
import { SampleTile } from '../images/SampleTile';

/** The images an arm produced, in order, above its text (thumbnails, fetched by content hash). */
export function ArmImages(props: { images: readonly RunImageRef[]; armLabel: string; onOpen?(image: RunImageRef): void }) {
  if (props.images.length === 0) return null;
  return (
    <ul className="arm__images" aria-label={`Images from ${props.armLabel}`}>
      {props.images.map((image, i) => (
        <li key={`${image.armIndex}-${image.position}`}>
          <SampleTile
            sample={image}
            label={`Image ${i + 1} of ${props.images.length} from ${props.armLabel}`}
            {...(props.onOpen ? { onOpen: () => props.onOpen!(image) } : {})}
          />
        </li>
      ))}
    </ul>
  );
}
