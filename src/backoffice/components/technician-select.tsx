// A technician picker; the first option stands for "none chosen" (all technicians, or nobody yet).
import type { TechnicianRecord } from '../../domain/api';
import { useI18n } from '../context';

interface Props {
  id: string;
  technicians: readonly TechnicianRecord[];
  value: string;
  onChange(value: string): void;
  noneLabel: string;
  testId: string;
  required?: boolean;
  /** the id of the message saying what is wrong with the choice, when something is */
  errorId?: string;
}

export function TechnicianSelect({ id, technicians, value, onChange, noneLabel, testId, required, errorId }: Props) {
  const { t } = useI18n();
  // a technician named in a link but missing from the list still shows as chosen
  const known = value === '' || technicians.some((tech) => tech.id === value);
  return (
    <select
      id={id}
      value={value}
      required={required}
      aria-describedby={errorId}
      aria-invalid={errorId ? true : undefined}
      data-testid={testId}
      onChange={(e) => onChange(e.currentTarget.value)}
    >
      <option value="">{noneLabel}</option>
      {!known && <option value={value}>{value}</option>}
      {technicians.map((tech) => (
        <option key={tech.id} value={tech.id}>
          {tech.revokedAt ? t('technicians.nameRevoked', { name: tech.name }) : tech.name}
        </option>
      ))}
    </select>
  );
}
