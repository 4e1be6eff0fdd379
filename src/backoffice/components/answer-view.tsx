// One answer of a form shown as its value type has it, in the clerk's language. Customer text is
// rendered as text, never as markup.
import type { ValueSpec } from '../../domain/checklist';
import type { CatalogPart, PhotoRef } from '../../domain/field-values';
import { useI18n } from '../context';

export function AnswerView({ spec, value, testId }: { spec: ValueSpec; value: unknown; testId?: string }) {
  const { lang, t } = useI18n();
  if (value === undefined) return <p class="muted" data-testid={testId}>{t('common.none')}</p>;
  switch (spec.type) {
    case 'short-text':
    case 'long-text':
      return <p class="prose" data-testid={testId}>{String(value)}</p>;
    case 'number':
      return <p data-testid={testId}>{String(value)}{spec.unit ? ` ${spec.unit[lang]}` : ''}</p>;
    case 'rating':
      return <p data-testid={testId}>{t('form.ratingValue', { n: Number(value), max: spec.max })}</p>;
    case 'yes-no':
      return <p data-testid={testId}>{value ? t('common.yes') : t('common.no')}</p>;
    case 'single-choice':
      return <p data-testid={testId}>{spec.options.find((o) => o.id === value)?.text[lang] ?? String(value)}</p>;
    case 'multiple-choice':
      return <ul data-testid={testId}>{(value as string[]).map((id) => <li key={id}>{spec.options.find((o) => o.id === id)?.text[lang] ?? id}</li>)}</ul>;
    case 'parts': {
      const parts = value as CatalogPart[];
      if (parts.length === 0) return <p class="muted" data-testid={testId}>{t('common.none')}</p>;
      return (
        <table data-testid={testId}>
          <thead><tr><th scope="col">{t('form.partCode')}</th><th scope="col">{t('form.partName')}</th><th scope="col">{t('form.partQuantity')}</th></tr></thead>
          <tbody>{parts.map((part, i) => <tr key={i}><td>{part.code ?? '—'}</td><td>{part.name}</td><td class="num">{part.quantity}</td></tr>)}</tbody>
        </table>
      );
    }
    case 'photos':
      return <p data-testid={testId}>{t('form.photoCount', { n: (value as PhotoRef[]).length })}</p>;
    case 'conduct':
    case 'attestation':
    case 'signature':
      return null;
  }
}
