import { Dialog } from '../../components/Dialog';
import { useAppStore } from '../../stores';

/**
 * Asks before an edited, unsaved comparison is replaced (opening a lab, New comparison, Re-run,
 * opening another experiment). Mounted once, next to the screens.
 */
export function DraftGuard() {
  const pending = useAppStore((s) => s.pendingReplace);
  const draftName = useAppStore((s) => s.draft?.name);
  const resolveReplace = useAppStore((s) => s.resolveReplace);
  return (
    <Dialog title="Replace your unsaved comparison?" open={pending !== null} onClose={() => void resolveReplace('cancel')}>
      {pending && (
        <div className="form">
          <p>
            “{draftName || 'Untitled comparison'}” has changes that are not saved. Opening {pending.what} replaces it in Compare.
          </p>
          <div className="form__actions">
            <button type="button" className="button" onClick={() => void resolveReplace('cancel')}>
              Keep editing
            </button>
            <button type="button" className="button" onClick={() => void resolveReplace('discard')}>
              Discard changes
            </button>
            <button type="button" className="button button--primary" onClick={() => void resolveReplace('save')}>
              Save, then open
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
