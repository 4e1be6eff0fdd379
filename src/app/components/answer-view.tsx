// One answer shown as its value type has it (the customer copy, the hand-over): text as typed, a
// number with its unit, a choice by its label, parts as a list. Customer text is text, never markup.
import type { ValueSpec } from '../../domain/checklist';
import type { CatalogPart, PhotoRef } from '../../domain/field-values';
import { useI18n } from '../context';

export function AnswerView({ spec, value }: { spec: ValueSpec; value: unknown }) {
  const { t, text } = useI18n();
  if (value === undefined) return <span class="muted">{t('copy.none')}</span>;
  switch (spec.type) {
    case 'short-text':
    case 'long-text':
      return <span class="prose">{String(value)}</span>;
    case 'number':
      return <span>{String(value)}{spec.unit ? ` ${text(spec.unit)}` : ''}</span>;
    case 'rating':
      return <span>{t('field.rating.of', { n: Number(value), max: spec.max })}</span>;
    case 'yes-no':
      return <span>{t(value ? 'field.yes' : 'field.no')}</span>;
    case 'single-choice': {
      const option = spec.options.find((o) => o.id === value);
      return <span>{option ? text(option.text) : String(value)}</span>;
    }
    case 'multiple-choice':
      return <ul>{(value as string[]).map((id) => <li key={id}>{text(spec.options.find((o) => o.id === id)?.text ?? { 'zh-CN': id, en: id })}</li>)}</ul>;
    case 'parts': {
      const parts = value as CatalogPart[];
      return parts.length === 0 ? <span class="muted">{t('copy.none')}</span> : <ul>{parts.map((p, i) => <li key={i}>{p.code ? `${p.code} ` : ''}{p.name} × {p.quantity}</li>)}</ul>;
    }
    case 'photos':
      return <span>{t('field.photos.count', { n: (value as PhotoRef[]).length })}</span>;
    case 'conduct':
    case 'attestation':
    case 'signature':
      // shown by the copy itself, beside the four prohibitions and the signature image
      return null;
  }
}
