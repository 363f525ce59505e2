import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

/** A modal built on <dialog>: focus is trapped, Esc closes. */
export function Dialog(props: { title: string; open: boolean; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  return (
    <dialog ref={ref} className="dialog" aria-label={props.title} onClose={props.onClose}>
      <header className="dialog__header">
        <h2>{props.title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={props.onClose}>
          <Icon name="close" />
        </button>
      </header>
      {props.open && props.children}
    </dialog>
  );
}
