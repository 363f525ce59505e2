import './images.css';
import type { ImageSettings, WeightedPrompt } from '../../../shared/images';
import { IMAGE_MODEL_IDS, imageModelFamily, SDXL_STYLE_PRESETS } from '../../../shared/images';

const SIZES = [512, 768, 1024, 1152, 1280];

/** One number input; out-of-range or empty input keeps the last valid value. */
function NumberField(props: { label: string; aria: string; value: number; min: number; max: number; step?: number; onChange(value: number): void }) {
  return (
    <label className="field field--compact">
      <span className="field__label">{props.label}</span>
      <input
        type="number"
        aria-label={props.aria}
        min={props.min}
        max={props.max}
        step={props.step ?? 1}
        value={props.value}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(n) && n >= props.min && n <= props.max) props.onChange(n);
        }}
      />
    </label>
  );
}

/**
 * The image request of a baseline or variant, with the fields its model takes: SDXL (weighted
 * prompts with negative weights, cfg scale, seed, steps, style preset) or Titan / Nova Canvas
 * (negative text, cfg scale, seed, size, quality, number of images).
 */
export function ImageSettingsFields(props: { label: string; modelId: string; value: ImageSettings; onModel(modelId: string): void; onChange(value: ImageSettings): void }) {
  const { value, label } = props;
  const family = imageModelFamily(props.modelId);
  const set = (patch: Partial<ImageSettings>) => props.onChange({ ...value, ...patch });
  const setExtra = (extra: WeightedPrompt[]) => set({ extraPrompts: extra });
  return (
    <div className="image-settings">
      <label className="field field--compact">
        <span className="field__label">Image model</span>
        <select aria-label={`${label} image model`} value={family ? props.modelId : ''} onChange={(e) => props.onModel(e.target.value)}>
          {!family && <option value="">Pick an image model</option>}
          {IMAGE_MODEL_IDS.map((id) => (
            <option key={id} value={id}>
              {id.startsWith('stability') ? 'Stable Diffusion XL' : id.includes('nova') ? 'Nova Canvas' : id.includes('v2') ? 'Titan Image Generator v2' : 'Titan Image Generator v1'}
            </option>
          ))}
        </select>
      </label>
      <div className="inference-grid">
        <NumberField label="Images per arm" aria={`${label} samples`} value={value.samples} min={1} max={8} onChange={(samples) => set({ samples })} />
        <NumberField label="Seed (the same for every arm)" aria={`${label} seed`} value={value.seed} min={0} max={2_147_483_640} onChange={(seed) => set({ seed })} />
        <NumberField label="CFG scale" aria={`${label} cfg scale`} value={value.cfgScale} min={1} max={35} step={0.5} onChange={(cfgScale) => set({ cfgScale })} />
        <label className="field field--compact">
          <span className="field__label">Size</span>
          <select
            aria-label={`${label} size`}
            value={`${value.width}x${value.height}`}
            onChange={(e) => {
              const [width, height] = e.target.value.split('x').map(Number);
              set({ width: width!, height: height! });
            }}
          >
            {SIZES.flatMap((w) => [w]).map((side) => (
              <option key={side} value={`${side}x${side}`}>
                {side} × {side}
              </option>
            ))}
            {!SIZES.includes(value.width) || value.width !== value.height ? <option value={`${value.width}x${value.height}`}>{value.width} × {value.height}</option> : null}
          </select>
        </label>
        {family === 'sdxl' ? (
          <>
            <NumberField label="Steps" aria={`${label} steps`} value={value.steps} min={10} max={150} onChange={(steps) => set({ steps })} />
            <label className="field field--compact">
              <span className="field__label">Style preset</span>
              <select aria-label={`${label} style preset`} value={value.stylePreset ?? ''} onChange={(e) => set({ stylePreset: (e.target.value || undefined) as ImageSettings['stylePreset'] })}>
                <option value="">None</option>
                {SDXL_STYLE_PRESETS.map((preset) => (
                  <option key={preset} value={preset}>
                    {preset}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <label className="field field--compact">
            <span className="field__label">Quality</span>
            <select aria-label={`${label} quality`} value={value.quality} onChange={(e) => set({ quality: e.target.value as ImageSettings['quality'] })}>
              <option value="standard">Standard</option>
              <option value="premium">Premium</option>
            </select>
          </label>
        )}
      </div>
      <label className="field field--compact">
        <span className="field__label">{family === 'sdxl' ? 'Negative prompt (sent with weight −1)' : 'Negative text'}</span>
        <input aria-label={`${label} negative prompt`} value={value.negativeText} maxLength={1_000} onChange={(e) => set({ negativeText: e.target.value })} />
      </label>
      {family === 'sdxl' && (
        <div className="image-settings__weighted">
          <span className="field__label">More weighted prompts (a negative weight steers away)</span>
          {value.extraPrompts.map((prompt, index) => (
            <div key={index} className="image-settings__prompt">
              <input aria-label={`${label} weighted prompt ${index + 1}`} value={prompt.text} onChange={(e) => setExtra(value.extraPrompts.map((p, i) => (i === index ? { ...p, text: e.target.value } : p)))} />
              <input
                type="number"
                aria-label={`${label} weight ${index + 1}`}
                min={-10}
                max={10}
                step={0.1}
                value={prompt.weight}
                onChange={(e) => setExtra(value.extraPrompts.map((p, i) => (i === index ? { ...p, weight: Math.max(-10, Math.min(10, Number(e.target.value) || 0)) } : p)))}
              />
              <button type="button" className="link-button" onClick={() => setExtra(value.extraPrompts.filter((_, i) => i !== index))}>
                Remove
              </button>
            </div>
          ))}
          {value.extraPrompts.length < 8 && (
            <button type="button" className="button button--small button--ghost" onClick={() => setExtra([...value.extraPrompts, { text: 'cartoon', weight: -0.5 }])}>
              Add weighted prompt
            </button>
          )}
        </div>
      )}
    </div>
  );
}
