import type { RunImage } from '../../../shared/images';

/** Only base64 characters reach the data: URL; the type comes from a fixed list. */
const dataUrl = (image: RunImage) => `data:${image.mimeType};base64,${image.base64.replace(/[^A-Za-z0-9+/=]/g, '')}`;

/** The images an arm produced, in order, above its text. */
export function ArmImages(props: { images: readonly RunImage[]; armLabel: string }) {
  if (props.images.length === 0) return null;
  return (
    <ul className="arm__images" aria-label={`Images from ${props.armLabel}`}>
      {props.images.map((image, i) => (
        <li key={i}>
          <img src={dataUrl(image)} alt={`Image ${i + 1} of ${props.images.length} from ${props.armLabel}`} draggable={false} />
        </li>
      ))}
    </ul>
  );
}
