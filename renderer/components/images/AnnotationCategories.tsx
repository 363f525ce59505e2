import { useState } from 'react';
import type { AnnotationCategory } from '../../../shared/images';
import { SUGGESTED_CATEGORIES } from '../../../shared/images';

/** The reviewer's own categories: add a suggested one or write one (name and options). */
export function AnnotationCategories(props: {
  categories: readonly AnnotationCategory[];
  onSave(input: { id?: string; name: string; options: string[] }): Promise<void>;
  onDelete(id: string): Promise<void>;
}) {
  const [name, setName] = useState('');
  const [options, setOptions] = useState('');
  const suggested = SUGGESTED_CATEGORIES.filter((s) => !props.categories.some((c) => c.name === s.name));
  const parsed = options.split(',').map((o) => o.trim()).filter((o) => o !== '');
  return (
    <div className="categories">
      <ul className="categories__list">
        {props.categories.map((category) => (
          <li key={category.id}>
            <strong>{category.name}</strong>
            <span>{category.options.join(' · ')}</span>
            <button type="button" className="link-button" onClick={() => void props.onDelete(category.id)} aria-label={`Delete the category ${category.name}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {suggested.length > 0 && (
        <p className="categories__suggested">
          Add:{' '}
          {suggested.map((s) => (
            <button key={s.name} type="button" className="chip" onClick={() => void props.onSave({ name: s.name, options: [...s.options] })}>
              + {s.name}
            </button>
          ))}
        </p>
      )}
      <form
        className="categories__new"
        onSubmit={(event) => {
          event.preventDefault();
          void props.onSave({ name, options: parsed }).then(() => {
            setName('');
            setOptions('');
          });
        }}
      >
        <label>
          Category
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Apparent role" maxLength={80} />
        </label>
        <label>
          Options, separated by commas
          <input value={options} onChange={(e) => setOptions(e.target.value)} placeholder="Leading, Assisting, Can't tell" />
        </label>
        <button type="submit" className="button" disabled={name.trim() === '' || parsed.length < 2}>
          Add category
        </button>
      </form>
    </div>
  );
}
