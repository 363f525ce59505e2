import { armRef } from '../../../shared/labels';
import { scaleBand, scaleLinear } from 'd3-scale';
import type { AnnotationCategory } from '../../../shared/images';
import { distribution } from '../../../shared/images';
import type { ImageAnnotation } from '../../../shared/images';

const COLOURS = ['#4f46e5', '#0e9f6e', '#d97706', '#db2777', '#0891b2', '#7c3aed', '#65a30d', '#dc2626'];

/**
 * What reviewers perceived, per arm: one stacked bar per arm, each option a share of the images
 * annotated in that category. A table carries the same numbers for screen readers.
 */
export function DistributionChart(props: {
  category: AnnotationCategory;
  annotations: readonly ImageAnnotation[];
  arms: readonly { index: number; label: string }[];
}) {
  const rows = distribution(props.annotations, props.category, props.arms.map((arm) => arm.index));
  const width = 560;
  const labelWidth = 150;
  const barHeight = 22;
  const y = scaleBand<number>().domain(props.arms.map((arm) => arm.index)).range([0, props.arms.length * (barHeight + 10)]).paddingInner(0.3);
  const x = scaleLinear().domain([0, 1]).range([labelWidth, width - 40]);
  const height = props.arms.length * (barHeight + 10);
  const labelOf = (index: number) => props.arms.find((arm) => arm.index === index)?.label ?? armRef(index);
  return (
    <figure className="distribution">
      <figcaption>{props.category.name}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${props.category.name}: reviewer perceptions per arm`}>
        {rows.map((row) => {
          let start = 0;
          const top = y(row.armIndex) ?? 0;
          return (
            <g key={row.armIndex}>
              <text x={labelWidth - 8} y={top + y.bandwidth() / 2} dominantBaseline="middle" textAnchor="end" className="distribution__label">
                {labelOf(row.armIndex)}
              </text>
              {row.annotated === 0 ? (
                <text x={labelWidth} y={top + y.bandwidth() / 2} dominantBaseline="middle" className="distribution__empty">
                  not annotated yet
                </text>
              ) : (
                props.category.options.map((option, i) => {
                  const share = (row.counts[option] ?? 0) / row.annotated;
                  const from = start;
                  start += share;
                  if (share === 0) return null;
                  return (
                    <rect key={option} x={x(from)} y={top} width={x(from + share) - x(from)} height={y.bandwidth()} fill={COLOURS[i % COLOURS.length]}>
                      <title>{`${labelOf(row.armIndex)}: ${option} ${row.counts[option]} of ${row.annotated}`}</title>
                    </rect>
                  );
                })
              )}
              {row.annotated > 0 && (
                <text x={width - 36} y={top + y.bandwidth() / 2} dominantBaseline="middle" className="distribution__count">
                  n={row.annotated}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="distribution__legend">
        {props.category.options.map((option, i) => (
          <li key={option}>
            <span className="distribution__swatch" style={{ background: COLOURS[i % COLOURS.length] }} />
            {option}
          </li>
        ))}
      </ul>
      <table className="visually-hidden">
        <thead>
          <tr>
            <th>Arm</th>
            {props.category.options.map((option) => (
              <th key={option}>{option}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.armIndex}>
              <th>{labelOf(row.armIndex)}</th>
              {props.category.options.map((option) => (
                <td key={option}>{row.counts[option] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
