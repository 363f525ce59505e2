import type { Variable } from '../../../shared/domain';
import { VARIABLE_NAME } from '../../../shared/domain';
import { Icon } from '../../components/Icon';

export function VariablesPanel(props: {
  variables: Variable[];
  unused: string[];
  duplicates: string[];
  onChange(variables: Variable[]): void;
}) {
  const { variables } = props;
  const update = (index: number, patch: Partial<Variable>) =>
    props.onChange(variables.map((v, i) => (i === index ? { ...v, ...patch } : v)));

  return (
    <section className="variables" aria-labelledby="variables-title">
      <header className="editor-section__header">
        <h2 id="variables-title" className="section-title">
          Variables
        </h2>
        <p className="muted editor-section__hint">
          Write <code>{'${name}'}</code> in a prompt to use a value; <code>{'$${name}'}</code> keeps it literal.
        </p>
      </header>
      {variables.length === 0 && <p className="muted variables__empty">No variables. Prompts are sent as written.</p>}
      <ul className="variables__list" aria-label="Variables">
        {variables.map((variable, index) => {
          const badName = variable.name !== '' && !VARIABLE_NAME.test(variable.name);
          const unused = props.unused.includes(variable.name);
          const duplicate = props.duplicates.includes(variable.name);
          return (
            <li key={index} className="variable-row">
              <input
                className={`variable-row__name ${badName || duplicate ? 'input--invalid' : ''}`}
                aria-label={`Variable ${index + 1} name`}
                value={variable.name}
                placeholder="name"
                spellCheck={false}
                onChange={(e) => update(index, { name: e.target.value.trim() })}
              />
              <span className="variable-row__eq" aria-hidden="true">
                =
              </span>
              <textarea
                className="variable-row__value"
                aria-label={`Value of ${variable.name || `variable ${index + 1}`}`}
                value={variable.value}
                placeholder="value (several lines are kept, e.g. a pasted CV)"
                rows={Math.min(10, Math.max(1, variable.value.split('\n').length))}
                spellCheck={false}
                onChange={(e) => update(index, { value: e.target.value })}
              />
              {badName && <span className="chip chip--danger">Letters, digits and _ only</span>}
              {duplicate && <span className="chip chip--danger">Defined twice</span>}
              {unused && !badName && <span className="chip chip--warning" title="No arm uses this variable">Unused</span>}
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove variable ${variable.name || index + 1}`}
                onClick={() => props.onChange(variables.filter((_, i) => i !== index))}
              >
                <Icon name="close" size={14} />
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" className="button button--small" onClick={() => props.onChange([...variables, { name: '', value: '' }])}>
        <Icon name="plus" size={14} /> Add variable
      </button>
    </section>
  );
}
