import { armRole } from '../../../shared/arms/model';
import { resolveArmRequest } from '../../../shared/arms/resolve';
import type { Lab } from '../../../shared/labs';
import type { Technique } from '../../../shared/techniques';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { LabGuideBody, LevelChip } from './LabGuide';

/** A guided lab in full: what it compares, what to look for, why it works; opens it in Compare. */
export function LabDialog(props: { lab: Lab | null; techniques: readonly Technique[]; onOpen(lab: Lab): void; onClose(): void }) {
  const lab = props.lab;
  return (
    <Dialog title={lab?.title ?? 'Guided lab'} open={lab !== null} onClose={props.onClose}>
      {lab && (
        <div className="lab-dialog">
          <div className="lab-dialog__meta">
            <LevelChip level={lab.level} />
            <TechniqueChips ids={lab.techniques} techniques={props.techniques} />
          </div>
          <p className="lab-dialog__summary">{lab.summary}</p>
          <ol className="lab-dialog__arms" aria-label="Columns compared">
            {lab.config.arms.map((arm, index) => {
              const request = resolveArmRequest(lab.config, index, { techniques: props.techniques as Technique[] });
              const turns = request.request.messages.length - 1;
              const steps = arm.mode === 'baseline' ? [] : request.steps;
              return (
                <li key={index}>
                  <span className={`lab-dialog__dot ${index === 0 ? 'lab-dialog__dot--baseline' : ''}`} aria-hidden="true" />
                  <strong>{arm.label}</strong> <span className="muted">({armRole(arm)})</span>
                  {turns > 0 && <span className="muted"> · {turns} earlier turns</span>}
                  {request.request.system.trim() !== '' && <span className="muted"> · system prompt</span>}
                  {steps.length > 0 && <span className="muted"> · {steps.map((step) => step.label).join(' → ')}</span>}
                </li>
              );
            })}
          </ol>
          <LabGuideBody lab={lab} />
          <div className="form__actions">
            <button type="button" className="button" onClick={props.onClose}>
              Close
            </button>
            <button type="button" className="button button--primary" onClick={() => props.onOpen(lab)}>
              <Icon name="compare" size={15} /> Open in Compare
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

export function TechniqueChips(props: { ids: readonly string[]; techniques: readonly Technique[] }) {
  return (
    <ul className="lab-techniques" aria-label="Techniques">
      {props.ids.map((id) => (
        <li key={id} className="chip lab-techniques__chip">
          {props.techniques.find((t) => t.id === id)?.name ?? id}
        </li>
      ))}
    </ul>
  );
}
