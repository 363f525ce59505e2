import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Icon, type IconName } from '../../components/Icon';

export interface MenuItem {
  label: string;
  onSelect(): void;
  hint?: string;
  disabled?: boolean;
  separatorBefore?: boolean;
}

/** A button that opens a small menu; closes on outside click, Escape or a choice. */
export function Menu(props: { label: string; icon?: IconName; items: MenuItem[]; className?: string; children?: ReactNode; align?: 'left' | 'right' }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className={`hx-menu ${props.className ?? ''}`} ref={root}>
      <button type="button" className="button button--small" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        {props.icon && <Icon name={props.icon} size={14} />}
        {props.children ?? props.label}
      </button>
      {open && (
        <div className={`hx-menu__list hx-menu__list--${props.align ?? 'left'}`} role="menu" aria-label={props.label}>
          {props.items.length === 0 && <div className="hx-menu__empty">Nothing here yet</div>}
          {props.items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              className={`hx-menu__item${item.separatorBefore ? ' hx-menu__item--separated' : ''}`}
              disabled={item.disabled}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              <span>{item.label}</span>
              {item.hint && <span className="hx-menu__hint">{item.hint}</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
