import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { Icon, type IconName } from '../../components/Icon';

export interface MenuItem {
  label: string;
  onSelect(): void;
  hint?: string;
  disabled?: boolean;
  separatorBefore?: boolean;
}

/** The gap kept between a menu and the window's edges, in CSS pixels. */
export const MENU_MARGIN = 8;

/**
 * Where a menu of this size goes next to its button so that it stays inside the window: under
 * the button, aligned to its left (or right) edge, shifted left or right as far as needed; above
 * the button when there is no room below but room above; otherwise under it, scrolling.
 */
export function placeMenu(
  button: { left: number; right: number; top: number; bottom: number },
  menu: { width: number; height: number },
  viewport: { width: number; height: number },
  align: 'left' | 'right',
): { left: number; top: number; maxWidth: number; maxHeight: number } {
  const maxWidth = Math.max(0, viewport.width - 2 * MENU_MARGIN);
  const width = Math.min(menu.width, maxWidth);
  const preferred = align === 'right' ? button.right - width : button.left;
  const left = Math.max(MENU_MARGIN, Math.min(preferred, viewport.width - MENU_MARGIN - width));
  const below = viewport.height - MENU_MARGIN - (button.bottom + 4);
  const above = button.top - 4 - MENU_MARGIN;
  if (menu.height <= below || below >= above) return { left, top: button.bottom + 4, maxWidth, maxHeight: Math.max(80, below) };
  const height = Math.min(menu.height, above);
  return { left, top: button.top - 4 - height, maxWidth, maxHeight: above };
}

/** A button that opens a small menu; closes on outside click, Escape or a choice. The menu stays inside the window at any width. */
export function Menu(props: { label: string; icon?: IconName; items: MenuItem[]; className?: string; children?: ReactNode; align?: 'left' | 'right' }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<CSSProperties | null>(null);
  const align = props.align ?? 'left';
  useLayoutEffect(() => {
    if (!open) {
      setPlace(null);
      return;
    }
    const measure = () => {
      const button = root.current?.querySelector('button')?.getBoundingClientRect();
      const menu = list.current;
      if (!button || !menu) return;
      // Natural size first (no limits from an earlier placement), then the place that fits.
      Object.assign(menu.style, { position: 'fixed', left: '0px', top: '0px', right: 'auto', maxWidth: '', maxHeight: '' });
      const size = { width: menu.offsetWidth, height: menu.scrollHeight };
      const at = placeMenu(button, size, { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight }, align);
      setPlace({ position: 'fixed', left: at.left, top: at.top, right: 'auto', maxWidth: at.maxWidth, maxHeight: at.maxHeight, overflowY: 'auto' });
    };
    measure();
    window.addEventListener('resize', measure);
    window.addEventListener('scroll', measure, true);
    return () => {
      window.removeEventListener('resize', measure);
      window.removeEventListener('scroll', measure, true);
    };
  }, [open, align, props.items.length]);
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
        <div
          ref={list}
          className={`hx-menu__list hx-menu__list--${align}`}
          role="menu"
          aria-label={props.label}
          style={place ?? { visibility: 'hidden' }}
        >
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
